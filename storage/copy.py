"""``boardbot copy-to URL``: a SQLite database moved into an empty PostgreSQL one, and checked.

The target is migrated to the same schema first: it must be new (every migration applied now);
the few rows the migrations put there give way to the source's. Tables are copied in
the order their foreign keys need, each row as it is (its id too); the identity counters are
moved on past the highest id; then every table is read back from both sides and compared row
by row. ``case_counts`` is not copied: the target's triggers count the cases as they arrive,
and the comparison shows they agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storage.db import Database

DERIVED = {"case_counts"}
"""Tables the target's own triggers fill as the rows they count arrive."""
BATCH = 1000


class CopyError(Exception):
    """The copy cannot start (a target with data) or did not come out the same."""


@dataclass
class CopyReport:
    rows: dict[str, int] = field(default_factory=dict)
    """How many rows each table holds on both sides, once compared."""

    @property
    def total(self) -> int:
        return sum(self.rows.values())


async def _tables(source: Database) -> list[str]:
    """The source's tables, each after the tables its foreign keys point to."""
    async with source.read() as session:
        names = [
            str(row[0])
            for row in await session.conn.execute_fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name"
            )
        ]
        needs = {
            name: {
                str(row[2])
                for row in await session.conn.execute_fetchall(f'PRAGMA foreign_key_list("{name}")')
            }
            - {name}
            for name in names
        }
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [n for n in names if n not in ordered and needs[n] <= set(ordered)]
        if not ready:
            raise CopyError("the tables' foreign keys go round in a circle")
        ordered.extend(ready)
    return ordered


async def _columns(source: Database, table: str) -> list[str]:
    async with source.read() as session:
        return [
            str(row[1])
            for row in await session.conn.execute_fetchall(f'PRAGMA table_info("{table}")')
        ]


async def _rows(db: Database, table: str, columns: list[str]) -> list[tuple[Any, ...]]:
    """Every row, in one order on both sides (the databases collate text apart, so the order
    is made here: by the rows' written form, the same for the same values)."""
    names = ", ".join(f'"{c}"' for c in columns)
    async with db.read() as session:
        rows = [
            tuple(row)
            for row in await session.conn.execute_fetchall(f'SELECT {names} FROM "{table}"')
        ]
    return sorted(rows, key=repr)


async def copy_database(source: Database, target: Database) -> CopyReport:
    """Copy ``source`` (SQLite) into ``target`` (PostgreSQL, empty), and compare them."""
    await source.migrate()  # an older file is brought up to date first, as on any start
    async with source.read() as session:
        known = sorted(
            str(row[0])
            for row in await session.conn.execute_fetchall("SELECT name FROM schema_migrations")
        )
    if sorted(await target.migrate()) != known:
        raise CopyError("the target is not empty: it has boardbot's tables already")
    tables = await _tables(source)
    columns = {table: await _columns(source, table) for table in tables}
    async with target.transaction() as session:  # all or nothing
        for table in tables:
            if table in DERIVED:
                continue
            await session.conn.execute(f'DELETE FROM "{table}"')  # what a migration put there
            names = ", ".join(f'"{c}"' for c in columns[table])
            marks = ", ".join("?" * len(columns[table]))
            rows = await _rows(source, table, columns[table])
            for start in range(0, len(rows), BATCH):
                await session.conn.executemany(
                    f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                    rows[start : start + BATCH],
                )
            if "id" in columns[table]:
                await session.conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f' COALESCE(MAX(id), 0) + 1, false) FROM "{table}"'
                )
    report = CopyReport()
    for table in tables:
        copied = await _rows(source, table, columns[table])
        arrived = await _rows(target, table, columns[table])
        if table in DERIVED:  # a count gone to zero stays as a row on SQLite only
            count = columns[table].index("count")
            copied = [row for row in copied if row[count]]
            arrived = [row for row in arrived if row[count]]
        if copied != arrived:
            differ = next(
                (i for i, (a, b) in enumerate(zip(copied, arrived, strict=False)) if a != b),
                min(len(copied), len(arrived)),
            )
            raise CopyError(
                f"{table} differs after the copy (row {differ + 1} of {len(copied)} and"
                f" {len(arrived)})"
            )
        report.rows[table] = len(copied)
    return report
