"""Time is injected: production reads the system clock, tests move a manual one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ShiftedClock:
    """The system clock moved by a fixed amount: a real process that lives on a chosen day
    (tests over HTTP, rehearsals) while its reminders still fire at real speed."""

    def __init__(self, shift: timedelta) -> None:
        self.shift = shift

    def now(self) -> datetime:
        return datetime.now(UTC) + self.shift


def clock_for(shift_seconds: float) -> Clock:
    """The system clock, or one shifted by ``BOARDBOT_CLOCK_SHIFT_SECONDS``."""
    if not shift_seconds:
        return SystemClock()
    return ShiftedClock(timedelta(seconds=shift_seconds))


class ManualClock:
    """A clock that only moves when told to, so reminders are tested without sleeping."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment.astimezone(UTC)
