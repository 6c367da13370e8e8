"""Actions: what the board agreed, owned by one person, due on a day, followed to the end.

``open → done / blocked / cancelled``, and ``blocked → open`` again. "Overdue" is never stored: it
is the due date against today in the board's time zone, so it can never go stale.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.nudges.rules import ACTIVE_ACTION, MORNING

ACTIVE = ACTIVE_ACTION


DUE_IN_DAYS = (7, 14, 30)
"""Due-date buttons; any other day can be typed."""


SNOOZES = ("tomorrow", "3d", "week")


MAX_LIST = 40


OWNER_OPS: dict[str, tuple[str, ...]] = {
    "open": ("done", "blocked", "snooze"),
    "blocked": ("reopen", "done"),
}


MANAGER_OPS: dict[str, tuple[str, ...]] = {
    "open": ("assign", "cancel"),
    "blocked": ("assign", "cancel"),
}


NEXT_STATUS = {"done": "done", "blocked": "blocked", "reopen": "open", "cancel": "cancelled"}


def is_overdue(due_on: date | None, status: str, today: date) -> bool:
    return due_on is not None and status in ACTIVE and due_on < today


def days_overdue(due_on: date | None, today: date) -> int:
    return 0 if due_on is None else max((today - due_on).days, 0)


def operations(status: str, *, is_owner: bool, is_manager: bool) -> list[str]:
    """What this person may do to an action now (owner: progress; lead/coordinators: manage)."""
    ops: list[str] = []
    if is_owner:
        ops += OWNER_OPS.get(status, ())
    if is_manager:
        ops += [op for op in MANAGER_OPS.get(status, ()) if op not in ops]
    return ops


def snooze_until(choice: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """Tomorrow morning, in three days' morning, or next Monday morning, board time."""
    today = now.astimezone(zone).date()
    if choice == "tomorrow":
        day = today + timedelta(days=1)
    elif choice == "3d":
        day = today + timedelta(days=3)
    elif choice == "week":
        day = today + timedelta(days=7 - today.weekday())
    else:
        return None
    return datetime.combine(day, MORNING, tzinfo=zone)
