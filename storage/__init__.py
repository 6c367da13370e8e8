"""Persistence: the database (SQLite, or PostgreSQL), migrations and one repository per aggregate.

Nothing here imports ``bot`` or ``handlers``: the core depends on storage, never the reverse.
"""

from storage.db import Database, Session, SqliteDatabase, open_database

__all__ = ["Database", "Session", "SqliteDatabase", "open_database"]
