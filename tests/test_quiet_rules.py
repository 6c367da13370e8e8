"""Decent hours: quiet evenings, weekends and Bulgarian holidays, and what a deadline allows."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.nudges.quiet import QuietRules, is_quiet, next_allowed, plan

SOFIA = ZoneInfo("Europe/Sofia")
RULES = QuietRules(time(20), time(8), weekends=True, zone=SOFIA)


def sofia(*args: int) -> datetime:
    return datetime(*args, tzinfo=SOFIA)  # type: ignore[misc]


def test_a_weekday_afternoon_is_allowed_and_an_evening_is_quiet() -> None:
    assert not is_quiet(sofia(2026, 11, 24, 15, 0), RULES)
    assert is_quiet(sofia(2026, 11, 24, 21, 0), RULES)
    assert is_quiet(sofia(2026, 11, 24, 7, 59), RULES)


def test_an_evening_nudge_waits_for_the_next_morning() -> None:
    assert next_allowed(sofia(2026, 11, 24, 21, 30), RULES) == sofia(2026, 11, 25, 8, 0)


def test_a_friday_evening_nudge_waits_for_monday_morning() -> None:
    assert next_allowed(sofia(2026, 11, 27, 20, 30), RULES) == sofia(2026, 11, 30, 8, 0)


def test_bulgarian_holidays_count_as_weekend() -> None:
    christmas_eve = sofia(2026, 12, 24, 10, 0)  # Thursday; 24–28.12 are days off
    assert is_quiet(christmas_eve, RULES)
    assert next_allowed(christmas_eve, RULES) == sofia(2026, 12, 29, 8, 0)


def test_without_weekend_rules_only_the_clock_matters() -> None:
    weekdays_only = QuietRules(time(20), time(8), weekends=False, zone=SOFIA)
    assert not is_quiet(sofia(2026, 11, 28, 10, 0), weekdays_only)


def test_a_nudge_that_would_be_too_late_goes_before_the_quiet_time_began() -> None:
    now = sofia(2026, 11, 24, 12, 0)
    meeting = sofia(2026, 11, 25, 7, 0)  # a reminder due at 06:00 would be useless at 08:00
    sent = plan(sofia(2026, 11, 25, 6, 0), RULES, now, useful_until=meeting)
    assert sent is not None and sent < sofia(2026, 11, 24, 20, 0)
    assert sent >= sofia(2026, 11, 24, 19, 50)


def test_a_nudge_too_late_either_way_is_dropped() -> None:
    now = sofia(2026, 11, 24, 22, 0)
    assert (
        plan(sofia(2026, 11, 24, 23, 0), RULES, now, useful_until=sofia(2026, 11, 25, 0, 0)) is None
    )


def test_urgent_plans_ignore_quiet_hours() -> None:
    due = datetime(2026, 11, 28, 22, 0, tzinfo=UTC)
    assert plan(due, RULES, due - timedelta(hours=1), urgent=True) == due


def test_a_digest_missed_by_an_hour_still_goes_out_that_morning() -> None:
    from bot.nudges.rules import next_digest

    late = sofia(2026, 11, 23, 10, 0)  # Monday; the digest was due at 09:00
    assert next_digest(late, 0, time(9), SOFIA) == sofia(2026, 11, 23, 9, 0)


def test_a_digest_missed_until_the_evening_waits_for_next_week() -> None:
    from bot.nudges.rules import next_digest

    evening = sofia(2026, 11, 23, 20, 57)
    assert next_digest(evening, 0, time(9), SOFIA) == sofia(2026, 11, 30, 9, 0)
