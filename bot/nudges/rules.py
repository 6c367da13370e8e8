"""Follow-up nudges: the right reminder, to the right person, once, at a decent hour.

Every nudge is an outbox row planned at a decent hour for its recipient (``bot.quiet``) and worded
at send time, when it checks the item is still as it was: a nudge about an action done meanwhile,
or a case that moved again, says nothing. A daily sweep task finds stalled cases and keeps each
board's weekly digest queued; both live in the database, so restarts lose nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from bot.kernel.settings import BoardSettings, parse_setting
from bot.nudges.quiet import QuietRules
from storage.models import PrefsRecord

MORNING = time(9, 0)


SWEEP_AT = time(7, 0)
"""UTC: 09:00 (10:00 in summer) in Sofia."""


OVERDUE_EVERY = 3


OVERDUE_TIMES = 3


ESCALATE_AFTER_DAYS = 7


STALL_ESCALATE_AFTER = timedelta(days=3)


DIGEST_GRACE = timedelta(hours=3)
"""A digest missed while the bot was down still goes out that morning (its key keeps it once);
later than this it would land in the evening, so the week's digest waits for the next one."""


MUTE_GROUPS: dict[str, tuple[str, ...]] = {
    "actions": ("action_due_soon", "action_due_today", "action_overdue"),
    "stalled": ("case_stalled",),
    "votes": ("vote_reminder",),
    "meetings": ("meeting_reminder",),
}
"""What a person can switch off in /settings. Escalations to coordinators cannot be muted."""


SNOOZES = ("1h", "morning", "week")


ACTIVE_ACTION = ("open", "blocked")
"""An action's states that still need work (also bot.actions.ACTIVE)."""


# rules --------------------------------------------------------------------------------------------
def action_nudges(due_on: date) -> list[tuple[str, int, date, str]]:
    """(nudge, number, day, who) for an action due on ``due_on``: two days before, on the day,
    overdue every three days at most three times, and to the coordinators after a week."""
    plan_ = [
        ("action_due_soon", 1, due_on - timedelta(days=2), "owner"),
        ("action_due_today", 1, due_on, "owner"),
    ]
    plan_ += [
        ("action_overdue", n, due_on + timedelta(days=1 + (n - 1) * OVERDUE_EVERY), "owner")
        for n in range(1, OVERDUE_TIMES + 1)
    ]
    plan_.append(
        ("action_escalated", 1, due_on + timedelta(days=ESCALATE_AFTER_DAYS + 1), "coordinators")
    )
    return plan_


def muted_group(nudge: str) -> str | None:
    return next((group for group, kinds in MUTE_GROUPS.items() if nudge in kinds), None)


def board_quiet_rules(board: BoardSettings) -> QuietRules:
    """The board's own decent hours, for what goes to its group (a digest, a reminder)."""
    return QuietRules(
        board.quiet_hours_start, board.quiet_hours_end, board.quiet_weekends, board.timezone
    )


def quiet_rules(board: BoardSettings, prefs: PrefsRecord) -> QuietRules:
    """A person's own decent hours where set, the board's otherwise."""
    start = parse_setting("quiet_hours_start", prefs.quiet_start) if prefs.quiet_start else None
    end = parse_setting("quiet_hours_end", prefs.quiet_end) if prefs.quiet_end else None
    return QuietRules(
        start=start or board.quiet_hours_start,
        end=end or board.quiet_hours_end,
        weekends=board.quiet_weekends if prefs.quiet_weekends is None else prefs.quiet_weekends,
        zone=board.timezone,
    )


def snooze_until(choice: str, now: datetime, rules: QuietRules) -> datetime | None:
    local = now.astimezone(rules.zone)
    if choice == "1h":
        return now + timedelta(hours=1)
    if choice == "morning":
        return datetime.combine(local.date() + timedelta(days=1), rules.end, tzinfo=rules.zone)
    if choice == "week":
        monday = local.date() + timedelta(days=7 - local.weekday())
        return datetime.combine(monday, MORNING, tzinfo=rules.zone)
    return None


def next_digest(now: datetime, weekday: int, at: time, zone: Any) -> datetime:
    local = now.astimezone(zone)
    days = (weekday - local.weekday()) % 7
    candidate = datetime.combine(local.date() + timedelta(days=days), at, tzinfo=zone)
    if candidate > now - DIGEST_GRACE:  # today's, even a little late (the bot was down)
        return candidate
    return candidate + timedelta(days=7)
