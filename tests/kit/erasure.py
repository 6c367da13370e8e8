"""Scenarios for flow tests (erasure): the steps many tests share, pressed the way people do."""

from __future__ import annotations

import json
from pathlib import Path

from storage import Database, SqliteDatabase

NOTE = "Уникалната бележка за ресурсния учител"
REASON = "Уникална причина: няма психолог до януари"


def database_bytes(path: Path) -> bytes:
    """The main file and its sidecars, as a copy of the folder would carry them."""
    raw = path.read_bytes()
    for suffix in ("-wal", "-shm", "-journal"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            raw += sidecar.read_bytes()
    return raw


def stored_forms(text: str) -> tuple[bytes, bytes]:
    """The text as a column holds it and as a JSON draft holds it (``ensure_ascii``)."""
    return text.encode(), json.dumps(text).strip('"').encode()


async def stored_bytes(db: Database) -> bytes:
    """What the database keeps, as one blob to search: on SQLite its file and sidecars, as a
    copy of the folder would carry them; on PostgreSQL every text value of every table (what
    any reader of the database can see; its dead rows and WAL are docs/data-protection.md's)."""
    if isinstance(db, SqliteDatabase):
        return database_bytes(db.path)
    parts: list[bytes] = []
    async with db.read() as session:
        columns = await session.conn.execute_fetchall(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND data_type IN ('text', 'bytea')"
        )
        for table, column in columns:
            for row in await session.conn.execute_fetchall(
                f'SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL'
            ):
                value = row[0]
                parts.append(value if isinstance(value, bytes) else str(value).encode())
    return b"\n".join(parts)


def holds(raw: bytes, text: str) -> bool:
    """The text is in what :func:`stored_bytes` (or :func:`database_bytes`) read, as a column
    or as a JSON draft holds it."""
    return any(form in raw for form in stored_forms(text))
