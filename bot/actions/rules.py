"""Actions: what the board agreed, owned by one person, due on a day, followed to the end.

``open → done / blocked / cancelled``, and ``blocked → open`` again. "Overdue" is never stored: it
is the due date against today in the board's time zone, so it can never go stale.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.nudges.rules import ACTIVE_ACTION, MORNING
from storage.models import ActionStatus


class ActionOp(StrEnum):
    """What a press on an action's card asks for."""

    VIEW = "v"
    DONE = "done"
    BLOCKED = "blocked"
    SNOOZE = "snooze"
    REOPEN = "reopen"
    ASSIGN = "assign"
    CANCEL = "cancel"
    CANCEL_CONFIRMED = "cancely"
    DUE = "due"


class Snooze(StrEnum):
    TOMORROW = "tomorrow"
    THREE_DAYS = "3d"
    WEEK = "week"


ACTIVE = ACTIVE_ACTION


DUE_IN_DAYS = (7, 14, 30)
"""Due-date buttons; any other day can be typed."""


SNOOZES = tuple(Snooze)


MAX_LIST = 40


OWNER_OPS: dict[str, tuple[ActionOp, ...]] = {
    ActionStatus.OPEN: (ActionOp.DONE, ActionOp.BLOCKED, ActionOp.SNOOZE),
    ActionStatus.BLOCKED: (ActionOp.REOPEN, ActionOp.DONE),
}


MANAGER_OPS: dict[str, tuple[ActionOp, ...]] = {
    ActionStatus.OPEN: (ActionOp.ASSIGN, ActionOp.CANCEL),
    ActionStatus.BLOCKED: (ActionOp.ASSIGN, ActionOp.CANCEL),
}


NEXT_STATUS: dict[str, ActionStatus] = {
    ActionOp.DONE: ActionStatus.DONE,
    ActionOp.BLOCKED: ActionStatus.BLOCKED,
    ActionOp.REOPEN: ActionStatus.OPEN,
    ActionOp.CANCEL: ActionStatus.CANCELLED,
}


def is_overdue(due_on: date | None, status: str, today: date) -> bool:
    return due_on is not None and status in ACTIVE and due_on < today


def days_overdue(due_on: date | None, today: date) -> int:
    return 0 if due_on is None else max((today - due_on).days, 0)


def operations(status: str, *, is_owner: bool, is_manager: bool) -> list[ActionOp]:
    """What this person may do to an action now (owner: progress; lead/coordinators: manage)."""
    ops: list[ActionOp] = []
    if is_owner:
        ops += OWNER_OPS.get(status, ())
    if is_manager:
        ops += [op for op in MANAGER_OPS.get(status, ()) if op not in ops]
    return ops


def snooze_until(choice: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """Tomorrow morning, in three days' morning, or next Monday morning, board time."""
    today = now.astimezone(zone).date()
    if choice == Snooze.TOMORROW:
        day = today + timedelta(days=1)
    elif choice == Snooze.THREE_DAYS:
        day = today + timedelta(days=3)
    elif choice == Snooze.WEEK:
        day = today + timedelta(days=7 - today.weekday())
    else:
        return None
    return datetime.combine(day, MORNING, tzinfo=zone)
