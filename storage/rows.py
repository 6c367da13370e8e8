"""Small helpers for reading rows with as few thread hand-offs as aiosqlite allows."""

from __future__ import annotations

from collections.abc import Iterable

import aiosqlite


def first(rows: Iterable[aiosqlite.Row]) -> aiosqlite.Row | None:
    """One row from ``execute_fetchall`` (one hand-off, instead of execute, fetch and close)."""
    return next(iter(rows), None)


class Forgetting:
    """Set by a repository that deleted or sealed personal data in this transaction, so that
    the commit is followed by :meth:`Database._leave_no_trace`."""

    __slots__ = ("needed",)

    def __init__(self) -> None:
        self.needed = False

    def mark(self) -> None:
        self.needed = True
