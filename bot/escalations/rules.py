"""Private escalation: a worried member reaches the coordinators, and it is not lost.

Never through the group. Unacknowledged, it climbs a level at its deadline — coordinator, then
deputy, then the board's external contact (who sees code, kind and urgency, never the text) — by
outbox task rows, so a restart loses no deadline. Urgent ones ignore quiet hours.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.kernel.settings import BoardSettings
from bot.nudges.quiet import QuietRules, is_day_off, next_allowed

HANDLING = frozenset({"acknowledge", "reply", "supervision", "resolve", "withdraw"})
"""What may be done with a concern: the coordinators' answers and the raiser's withdrawal."""

KINDS = ("risk", "stalled", "disagreement", "no_response", "other")


URGENCIES = ("urgent", "soon", "routine")


STEPS = ("case", "kind", "urgency", "text", "neutral", "confirm")
"""The /escalate dialogue in order (with a case code given it starts at "kind"; without a
case, "neutral" is skipped)."""


MAX_TEXT = 800


# rules --------------------------------------------------------------------------------------------
def add_working_days(start: datetime, days: int, rules: QuietRules) -> datetime:
    """``days`` working days later, the same time of day (weekends and holidays skipped)."""
    moment = start
    left = days
    while left > 0:
        moment += timedelta(days=1)
        if not is_day_off(moment.astimezone(rules.zone).date(), rules):
            left -= 1
    return moment


def deadline(urgency: str, start: datetime, settings: BoardSettings) -> datetime:
    """When an unacknowledged escalation climbs a level (board settings)."""
    rules = QuietRules(
        settings.quiet_hours_start, settings.quiet_hours_end, True, settings.timezone
    )
    if urgency == "urgent":
        return start + timedelta(hours=settings.escalate_urgent_hours)
    days = settings.escalate_soon_days if urgency == "soon" else settings.escalate_routine_days
    # counted from when the coordinator could first see it (not from a Sunday night)
    return add_working_days(next_allowed(start, rules), days, rules)
