"""Small helpers for reading rows with as few thread hand-offs as aiosqlite allows."""

from __future__ import annotations

from collections.abc import Iterable

import aiosqlite


def first(rows: Iterable[aiosqlite.Row]) -> aiosqlite.Row | None:
    """One row from ``execute_fetchall`` (one hand-off, instead of execute, fetch and close)."""
    return next(iter(rows), None)
