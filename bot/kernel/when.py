"""Meeting dates and times as people type them (25.11 14:00, утре в 10:30, next Tue 9:00).

dateparser does the reading; a little normalisation runs first where it falls short for how
boards write: it misreads "14ч" / "14 ч." and "9.30", does not know "в"/"във"/"следващия"
before a weekday, and drops numeric dates without a year that fell earlier in the year.
The result is a local wall time in the board's zone, checked against daylight-saving changes.

Rules a person can rely on:
- day and month are always in that order (25.11, 25/11, 25-11);
- "9.30" and "14.00" are times, as they cannot be a day and month; "10.11" is 10 November;
- a date without a year is this year's, unless it passed more than 90 days ago (then next
  year's): "23.11 09:00" typed on 23.11 at noon, or "20.11" typed on 23.11, is in the past;
- a weekday ("вторник", "next Tue", "следващия вторник") is the next such day strictly
  after today; "днес"/"today" is how to say today;
- a time alone ("14:00") is today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser

LANGUAGES = ["bg", "en"]


TOO_FAR_AHEAD = timedelta(days=2 * 366)
"""A meeting more than two years ahead is a typo (a wrong year), not a plan."""


RECENTLY_PASSED_DAYS = 90
"""A yearless date this many days back is read as this year's (and refused as past)."""


MAX_TEXT_LENGTH = 120
"""Nobody writes a date in more; longer text is a message, and dateparser is slow on it."""


@dataclass(frozen=True, slots=True)
class Understood:
    start: datetime
    """Aware, in the board's zone, ``fold`` set: a repeated hour means its first occurrence,
    unless only the second one is still ahead."""
    ambiguous: bool
    """The wall time happens twice (daylight saving ends): ask which one is meant."""


class WhenError(StrEnum):
    """Why a text is not a meeting time; the message key is ``when.<value>``."""

    NOT_UNDERSTOOD = "not_understood"
    NO_TIME = "no_time"
    PAST = "past"
    TOO_FAR = "too_far"
    NONEXISTENT = "nonexistent"


# "14ч", "14 ч.", "14:30 ч.", "14 часа", "14h": dateparser reads the hour as a day.
_MARKED_HOUR = re.compile(
    r"(?<![\d.:])(\d{1,2})(?:[:.](\d{2}))?\s*(?:часа|час|ч|h)(?:\.|(?!\w))", re.IGNORECASE
)


# "9 сутринта", "5 следобед", "8 вечерта": Bulgarian a.m./p.m., unknown to dateparser.
_DAYTIME_HOUR = re.compile(
    r"(?<![\d.:])(\d{1,2})(?::(\d{2}))?\s+(сутринта|следобед|вечерта)(?!\w)", re.IGNORECASE
)


# "в 14", "at 9": a bare hour is only a time after a preposition.
_BARE_HOUR = re.compile(r"(?<!\S)(?:в|във|at|@)\s+(\d{1,2})(?!\S)", re.IGNORECASE)


# "9.30", "14.00": dateparser reads these as 10:00 or a date; only when not a day.month.
_DOTTED = re.compile(r"(?<![\d.:/-])(\d{1,2})\.(\d{2})(?![\d:/-]|\.\d)")


# "25.11", "25/11", "25-11." without a year.
_YEARLESS = re.compile(r"(?<![\d.:/-])(\d{1,2})[./-](\d{1,2})\.?(?![\d:]|[./-]\d)")


# Words that stop dateparser but add nothing: "във вторник", "следващия вторник", "on Tue".
_FILLER = re.compile(
    r"(?<!\S)(?:в|във|на|at|on|следващия|следващата|следващото|следващ|идния|идващия)(?!\S)",
    re.IGNORECASE,
)


_CLOCK = re.compile(r"\d:\d")


_HAS_YEAR = re.compile(r"\d{4}|\d[./-]\d{1,2}[./-]\d{2}")


def _clock(hour: int, minute: int) -> str | None:
    return f"{hour:02d}:{minute:02d}" if hour <= 23 and minute <= 59 else None


def _with_year(day: int, month: int, today: date) -> str | None:
    """This year's date unless it passed long ago: "20.11" typed on 23.11 is a mistake to point
    out (it has passed), while "15.01" typed in December means next January."""
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today or (today - candidate).days <= RECENTLY_PASSED_DAYS:
            return candidate.strftime("%d.%m.%Y")
    return None


def _recent_year(wall: datetime, today: date) -> datetime:
    """Next year's date back to this year's when that passed within RECENTLY_PASSED_DAYS."""
    if wall.year != today.year + 1:
        return wall
    try:
        this_year = wall.replace(year=today.year)
    except ValueError:  # 29 February
        return wall
    passed = (today - this_year.date()).days
    return this_year if 0 <= passed <= RECENTLY_PASSED_DAYS else wall


def _normalise(text: str, today: date) -> str:
    """Rewrite the forms dateparser misreads into ones it reads right."""
    cleaned = " ".join(text.split())

    def marked(match: re.Match[str]) -> str:
        return _clock(int(match[1]), int(match[2] or 0)) or match[0]

    def daytime(match: re.Match[str]) -> str:
        hour, minute = int(match[1]), int(match[2] or 0)
        if hour > 12:
            return match[0]
        afternoon = match[3].lower() != "сутринта"
        return _clock(hour % 12 + (12 if afternoon else 0), minute) or match[0]

    def bare(match: re.Match[str]) -> str:
        return _clock(int(match[1]), 0) or match[0]

    def dotted(match: re.Match[str]) -> str:
        first, second = int(match[1]), int(match[2])
        if 1 <= first <= 31 and 1 <= second <= 12:
            return match[0]  # a day and month: 10.11 stays a date
        return _clock(first, second) or match[0]

    def yearless(match: re.Match[str]) -> str:
        return _with_year(int(match[1]), int(match[2]), today) or match[0]

    cleaned = _MARKED_HOUR.sub(marked, cleaned)
    cleaned = _DAYTIME_HOUR.sub(daytime, cleaned)
    cleaned = _BARE_HOUR.sub(bare, cleaned)
    cleaned = _DOTTED.sub(dotted, cleaned)
    cleaned = _YEARLESS.sub(yearless, cleaned)
    cleaned = _FILLER.sub(" ", cleaned)
    return " ".join(cleaned.split())


@dataclass(frozen=True, slots=True)
class _Reading:
    moment: datetime
    period: str
    """dateparser's period; "part_of_day" for "tonight", whose hour dateparser made up."""
    parts: frozenset[str]
    """What the text itself gave ("day", "month", "year", "time"); the rest is from the base."""


def _read(text: str, base: datetime) -> _Reading | None:
    """dateparser's reading of already normalised text, relative to ``base``."""
    settings: dict[str, Any] = {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": base,
        "RETURN_TIME_AS_PERIOD": True,
        # A bare 10-digit number is no date a person types: no Unix timestamps.
        "PARSERS": ["relative-time", "custom-formats", "absolute-time", "no-spaces-time"],
    }
    try:
        data = DateDataParser(languages=LANGUAGES, settings=settings).get_date_data(text)
    except (ValueError, OverflowError, ArithmeticError):
        return None  # "in 99999999 years" and the like
    if data.date_obj is None:
        return None
    period: str = data.period or "day"
    # ``parts`` (dateparser 1.5) is the reliable sign of a typed time: ``period`` says "day"
    # for "утре 10:00" when 10:00 is also the time of ``base``.
    parts = frozenset(getattr(data, "parts", ()) or ({"day", "time"} if period == "time" else ()))
    return _Reading(data.date_obj, period, parts)


def _in_zone(wall: datetime, zone: ZoneInfo) -> Understood | WhenError:
    """Place a wall time in ``zone``: a skipped hour is refused, a repeated one flagged."""
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return Understood(first, ambiguous=False)
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != wall:
        return WhenError.NONEXISTENT
    return Understood(first, ambiguous=True)


def parse_meeting_time(text: str, now: datetime, zone: ZoneInfo) -> Understood | WhenError:
    """A meeting's start in ``zone`` from what a member typed, or why it cannot be one."""
    if now.tzinfo is None:
        raise ValueError("now must be aware")
    if not text.strip() or len(text) > MAX_TEXT_LENGTH:
        return WhenError.NOT_UNDERSTOOD
    local_now = now.astimezone(zone)
    today = local_now.date()
    cleaned = _normalise(text, today)
    read = _read(cleaned, local_now.replace(tzinfo=None))
    if read is None:
        return WhenError.NOT_UNDERSTOOD
    if "time" not in read.parts or read.period == "part_of_day":
        # "утре 25:00" drops the bad time and keeps the day: that is a typo, not a day.
        return WhenError.NOT_UNDERSTOOD if _CLOCK.search(cleaned) else WhenError.NO_TIME
    if "day" not in read.parts:
        return WhenError.NOT_UNDERSTOOD  # "ноември 14:00": a month and a time but no day
    parsed = read.moment
    if parsed.tzinfo is not None:  # "14:00 UTC": an instant, so no wall-time questions
        start = parsed.astimezone(zone)
        understood: Understood | WhenError = Understood(start, ambiguous=False)
    else:
        wall = parsed.replace(second=0, microsecond=0)
        if not _HAS_YEAR.search(cleaned):
            # dateparser moves "23 ноември 09:00" typed later on 23.11, or "20 ноември", to next
            # year; a day that passed recently is a mistake to point out, as for "20.11".
            wall = _recent_year(wall, today)
        understood = _in_zone(wall, zone)
    if isinstance(understood, WhenError):
        return understood
    # Compared in UTC: aware datetimes sharing a tzinfo compare by wall time, ignoring fold.
    now_utc = now.astimezone(UTC)
    start_utc = understood.start.astimezone(UTC)
    if start_utc <= now_utc:
        later = understood.start.replace(fold=1)
        if understood.ambiguous and later.astimezone(UTC) > now_utc:
            return Understood(later, ambiguous=False)  # typed between the two: only one is ahead
        return WhenError.PAST
    if start_utc - now_utc > TOO_FAR_AHEAD:
        return WhenError.TOO_FAR
    return understood


def parse_future_day(text: str, today: date) -> date | None:
    """A day from ``today`` on (a due date); None for no day, a past one, or a bare month."""
    if not text.strip() or len(text) > MAX_TEXT_LENGTH:
        return None
    read = _read(_normalise(text, today), datetime.combine(today, time(12)))
    if read is None or read.period not in ("day", "week", "time", "part_of_day"):
        return None  # "ноември", "2027": a month or a year is not a due day
    day = read.moment.date()
    return day if day >= today else None


def slot_key(start: datetime) -> str:
    """A compact UTC stamp for callback data: the same instant gives the same key anywhere."""
    if start.tzinfo is None:
        raise ValueError("start must be aware")
    return start.astimezone(UTC).strftime("%Y%m%d%H%M")
