"""Decent hours: when a private nudge may reach a person.

Quiet hours (default 20:00–08:00) and, when asked, weekends and Bulgarian public holidays (the
``holidays`` package) count as quiet. A nudge due in quiet time moves to the next allowed moment,
unless that is past its ``useful_until`` — then it goes out just before the quiet time began, or,
if that moment has passed too, it is dropped (and the drop recorded by the caller).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

STEP_BACK = timedelta(minutes=5)


SEARCH_DAYS = 21
"""Christmas, New Year and a long weekend together stay well inside three weeks."""


@dataclass(frozen=True, slots=True)
class QuietRules:
    start: time
    end: time
    weekends: bool
    """Weekends and public holidays are quiet all day."""
    zone: ZoneInfo
    country: str = "BG"


@lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=year))


def is_day_off(day: date, rules: QuietRules) -> bool:
    return rules.weekends and (day.weekday() >= 5 or day in _holidays(rules.country, day.year))


def _quiet_clock(clock: time, rules: QuietRules) -> bool:
    if rules.start == rules.end:
        return False
    if rules.start < rules.end:
        return rules.start <= clock < rules.end
    return clock >= rules.start or clock < rules.end


def is_quiet(moment: datetime, rules: QuietRules) -> bool:
    local = moment.astimezone(rules.zone)
    return is_day_off(local.date(), rules) or _quiet_clock(local.time(), rules)


def _at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone)


def next_working_day(day: date, rules: QuietRules) -> date:
    """``day`` itself, or the first day after it that is not a weekend or public holiday (when
    the rules keep those quiet)."""
    for _ in range(SEARCH_DAYS):
        if not is_day_off(day, rules):
            return day
        day += timedelta(days=1)
    return day


def next_allowed(moment: datetime, rules: QuietRules) -> datetime:
    """The first moment at or after ``moment`` that is not quiet."""
    local = moment.astimezone(rules.zone)
    for _ in range(SEARCH_DAYS * 3):
        day = local.date()
        if is_day_off(day, rules):
            local = _at(day + timedelta(days=1), time(0), rules.zone)
            continue
        clock = local.time()
        if not _quiet_clock(clock, rules):
            return local
        if rules.start > rules.end and clock >= rules.start:  # the evening: tomorrow morning
            local = _at(day + timedelta(days=1), rules.end, rules.zone)
        else:  # the early morning, or a quiet stretch inside the day
            local = _at(day, rules.end, rules.zone)
    return local


def last_allowed_before(moment: datetime, rules: QuietRules) -> datetime | None:
    """The last allowed moment (to the 5 minutes) before the quiet time ``moment`` falls in."""
    candidate = moment - STEP_BACK
    limit = moment - timedelta(days=SEARCH_DAYS)
    while candidate > limit:
        if not is_quiet(candidate, rules):
            return candidate
        candidate -= STEP_BACK
    return None


def plan(
    due: datetime,
    rules: QuietRules,
    now: datetime,
    *,
    useful_until: datetime | None = None,
    urgent: bool = False,
    early: bool = True,
) -> datetime | None:
    """When to send a nudge due at ``due``; None: too late to be any use (drop it). With
    ``early`` False, a nudge that only makes sense on its day ("due today") is never sent before."""
    if urgent:
        return due
    at = next_allowed(due, rules)
    if useful_until is None or at <= useful_until:
        return at
    if not early:
        return None
    early_at = last_allowed_before(due, rules)
    if early_at is not None and early_at >= now - timedelta(minutes=1):
        return max(early_at, now)
    return None
