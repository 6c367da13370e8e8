"""Reading rows: records by their fields' types, and the stored forms of key lists."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from types import NoneType, UnionType
from typing import Any, Generic, TypeVar, get_args, get_origin, get_type_hints

from storage.timeconv import from_ts

R = TypeVar("R")
Decode = Callable[[Any], Any]


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


class Reader(Generic[R]):
    """Rows of one table read into its record: the record's fields are the columns, in order
    (``columns`` is the list to SELECT), and each column is decoded by the field's type, the
    way the repositories store it: times as UTC seconds, days as ISO text, flags as 0 or 1,
    statuses as their enum's value, lists of keys as ``a,b``, marked keys as ``a=x,b=y``,
    payloads as JSON. A field whose type has no rule here stops the start-up, not a read."""

    def __init__(self, record: type[R]) -> None:
        hints = get_type_hints(record)
        names = [f.name for f in dataclasses.fields(record)]  # type: ignore[arg-type]
        self.columns = ", ".join(names)
        self._record = record
        self.width = len(names)
        """How many columns the record takes (where a join's next record starts)."""
        self._decoding = tuple(
            (index, decode)
            for index, decode in enumerate(_decoder(hints[name]) for name in names)
            if decode is not None
        )
        """Only the columns that are not read as they are (an id, a text): a point read is on
        the hot path."""

    def __call__(self, row: sqlite3.Row, start: int = 0) -> R:
        """The record from the row's columns from ``start`` on (a join reads two records
        from one row); columns after the record's own are left alone. NULL stays None."""
        values = list(row[start : start + self.width])
        for index, decode in self._decoding:
            value = values[index]
            if value is not None:
                values[index] = decode(value)
        return self._record(*values)

    def prefixed(self, alias: str) -> str:
        """The columns for a join: ``b.id, b.chat_id, …``."""
        return ", ".join(f"{alias}.{name}" for name in self.columns.split(", "))


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


_DECODERS: dict[Any, Decode | None] = {
    int: None,
    str: None,
    bool: bool,
    datetime: from_ts,
    date: _day,
    tuple[str, ...]: keys,
    tuple[tuple[str, str], ...]: marked_keys,
    dict[str, Any]: json.loads,
}
"""How a column is read, by its field's type; None: as it is."""


def _decoder(hint: Any) -> Decode | None:
    if get_origin(hint) is UnionType:  # ``X | None``: NULL stays None, as for every column
        (inner,) = (arg for arg in get_args(hint) if arg is not NoneType)
        return _decoder(inner)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    if hint in _DECODERS:
        return _DECODERS[hint]
    raise TypeError(f"no rule to read a {hint!r} column")
