"""Persistence: the SQLite connection, migrations and one repository per aggregate.

Nothing here imports ``bot`` or ``handlers``: the core depends on storage, never the reverse.
"""

from storage.db import Database, Session

__all__ = ["Database", "Session"]
