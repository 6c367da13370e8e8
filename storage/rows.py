"""Small helpers for reading rows with as few thread hand-offs as aiosqlite allows."""

from __future__ import annotations

from collections.abc import Iterable

import aiosqlite


def first(rows: Iterable[aiosqlite.Row]) -> aiosqlite.Row | None:
    """One row from ``execute_fetchall`` (one hand-off, instead of execute, fetch and close)."""
    return next(iter(rows), None)


def keys(text: str) -> tuple[str, ...]:
    """A comma-separated list of keys as stored (criteria, factors, sectors, strengths…)."""
    return tuple(part for part in text.split(",") if part)


def marked_keys(text: str) -> tuple[tuple[str, str], ...]:
    """``key=mark,key=mark`` as stored (interventions and whether each helped)."""
    return tuple((key, mark) for key, _, mark in (part.partition("=") for part in keys(text)))


class Forgetting:
    """Set by a repository that deleted or sealed personal data in this transaction, so that
    the commit is followed by :meth:`Database._leave_no_trace`."""

    __slots__ = ("needed",)

    def __init__(self) -> None:
        self.needed = False

    def mark(self) -> None:
        self.needed = True
