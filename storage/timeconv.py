"""UTC epoch seconds in the database, aware datetimes everywhere else."""

from __future__ import annotations

from datetime import UTC, datetime


def to_ts(moment: datetime) -> int:
    """Store an aware datetime as whole UTC seconds (portable to PostgreSQL BIGINT)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not stored")
    return int(moment.timestamp())


def from_ts(value: int) -> datetime:
    return datetime.fromtimestamp(value, tz=UTC)


def from_ts_opt(value: int | None) -> datetime | None:
    return None if value is None else from_ts(value)
