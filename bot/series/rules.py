"""Recurring board sessions: "the first Tuesday of every month at 14:00", until cancelled or a date.

The rule is an RFC 5545 RRULE expanded by ``dateutil.rrule`` over *local wall times*, then placed
in the board's zone, so 14:00 stays 14:00 across daylight saving. Occurrences are made a few weeks
ahead (``HORIZON``) as ordinary meetings with their own reminders; the series' calendar file
carries the same rule, and one occurrence's file names it by RECURRENCE-ID.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

PATTERNS = ("weekly", "biweekly", "monthly_nth", "monthly_last")


HORIZON = timedelta(days=35)
"""Occurrences are made this far ahead: a monthly session is announced about a month before."""


_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def week_of_month(day: date) -> int:
    """1 for the first Tuesday of a month, 2 for the second, ..."""
    return (day.day - 1) // 7 + 1


def is_last_of_month(day: date) -> bool:
    return (day + timedelta(days=7)).month != day.month


def patterns_for(day: date) -> list[str]:
    """What a first date can repeat as: weekly, fortnightly, its n-th weekday of the month (up to
    the fourth: a fifth Tuesday is missing in most months), and "the last" when it is the last."""
    found = ["weekly", "biweekly"]
    if week_of_month(day) <= 4:
        found.append("monthly_nth")
    if is_last_of_month(day):
        found.append("monthly_last")
    return found


def rrule_for(pattern: str, first: date) -> str:
    """The RRULE for ``pattern`` on ``first``'s weekday, e.g. ``FREQ=MONTHLY;BYDAY=1TU``."""
    weekday = _DAYS[first.weekday()]
    if pattern == "weekly":
        return f"FREQ=WEEKLY;BYDAY={weekday}"
    if pattern == "biweekly":
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={weekday}"
    if pattern == "monthly_nth":
        return f"FREQ=MONTHLY;BYDAY={week_of_month(first)}{weekday}"
    if pattern == "monthly_last":
        return f"FREQ=MONTHLY;BYDAY=-1{weekday}"
    raise ValueError(pattern)


def until_instant(until_day: date, zone: ZoneInfo) -> datetime:
    """The end of the last day, in UTC: what RRULE's UNTIL must be when DTSTART has a TZID."""
    end = datetime.combine(until_day + timedelta(days=1), time(0), tzinfo=zone)
    return (end - timedelta(seconds=1)).astimezone(UTC)


def ics_rule(rrule: str, until_day: date | None, zone: ZoneInfo) -> str:
    if until_day is None:
        return rrule
    return f"{rrule};UNTIL={until_instant(until_day, zone):%Y%m%dT%H%M%SZ}"


def _placed(wall: datetime, zone: ZoneInfo) -> datetime:
    """A local wall time in ``zone``; one skipped by a spring-forward moves forward by the gap,
    as RFC 5545 says calendar apps read it (03:30 becomes 04:30 in Sofia)."""
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC).astimezone(zone)


def occurrences(
    rrule: str,
    first_start: datetime,
    zone: ZoneInfo,
    until_day: date | None,
    after: datetime,
    before: datetime,
) -> list[datetime]:
    """The series' starts in ``(after, before]``, as aware times in ``zone`` with the first
    start's wall-clock time. A time that does not exist that day (a skipped hour) moves forward
    by the gap; a repeated hour means its first (summer) occurrence."""
    local_first = first_start.astimezone(zone).replace(tzinfo=None, fold=0)
    rule = rrulestr(rrule, dtstart=local_first)
    lower = after.astimezone(zone).replace(tzinfo=None) - timedelta(days=1)
    upper = before.astimezone(zone).replace(tzinfo=None) + timedelta(days=1)
    found = []
    for wall in rule.between(lower, upper, inc=True):
        if until_day is not None and wall.date() > until_day:
            break
        moment = _placed(wall, zone)
        if after < moment <= before:
            found.append(moment)
    return found


def next_occurrence(
    rrule: str, first_start: datetime, zone: ZoneInfo, until_day: date | None, after: datetime
) -> datetime | None:
    """The first start after ``after``; None when the series has run out."""
    local_first = first_start.astimezone(zone).replace(tzinfo=None, fold=0)
    rule = rrulestr(rrule, dtstart=local_first)
    wall = rule.after(after.astimezone(zone).replace(tzinfo=None), inc=False)
    while wall is not None:
        if until_day is not None and wall.date() > until_day:
            return None
        moment = _placed(wall, zone)
        if moment > after:
            return moment
        wall = rule.after(wall, inc=False)
    return None


def due_occurrences(
    rrule: str,
    first_start: datetime,
    zone: ZoneInfo,
    until_day: date | None,
    now: datetime,
) -> list[datetime]:
    """What should exist as meetings now: every start within ``HORIZON``, and at least the next
    one (a monthly session is always visible, however far)."""
    ahead = occurrences(rrule, first_start, zone, until_day, now, now + HORIZON)
    if ahead:
        return ahead
    upcoming = next_occurrence(rrule, first_start, zone, until_day, now)
    return [] if upcoming is None else [upcoming]


def series_uid(series_id: int) -> str:
    """Shared by every occurrence, which a calendar tells apart by RECURRENCE-ID."""
    return f"series-{series_id}@boardbot"
