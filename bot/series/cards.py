"""How the agenda, the minutes and a recurring series read.

The group sees codes and counts ("minutes recorded for VT-7K3Q: 3 actions, next review 15.01");
the minutes themselves are read in private by the case's team and the coordinators.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import get_day_names

from bot.kernel.dates import written_day
from bot.kernel.i18n import Translator
from bot.kernel.ui import Reply
from bot.series.rules import rrule_for, week_of_month
from storage.models import SeriesRecord, SeriesStatus


def pattern_text(t: Translator, lang: str, pattern_rule: str, first: datetime, tz: ZoneInfo) -> str:
    """The rule in words ("every month, the first Tuesday, 14:00"), from its first start."""
    local = first.astimezone(tz)
    weekday = get_day_names("wide", "format", lang)[local.weekday()]
    gender = t.t(lang, "series.weekday_gender").split(",")[local.weekday()]
    if "BYDAY=-1" in pattern_rule:
        ordinal = t.t(lang, f"series.last.{gender}")
        key = "series.monthly"
    elif "FREQ=MONTHLY" in pattern_rule:
        ordinal = t.t(lang, f"series.nth.{week_of_month(local.date())}.{gender}")
        key = "series.monthly"
    else:
        ordinal = ""
        key = "series.biweekly" if "INTERVAL=2" in pattern_rule else "series.weekly"
    return t.t(lang, key, ordinal=ordinal, weekday=weekday, time=f"{local:%H:%M}")


def pattern_choice_text(
    t: Translator, lang: str, pattern: str, first: datetime, tz: ZoneInfo
) -> str:
    """The same wording for a button, before the rule exists."""
    return pattern_text(t, lang, rrule_for(pattern, first.astimezone(tz).date()), first, tz)


def until_text(t: Translator, lang: str, until_day: date | None) -> str:
    """ "until 30.06.2027", or "until cancelled"."""
    if until_day is None:
        return t.t(lang, "series.until_cancelled")
    return t.t(lang, "series.until", day=written_day(until_day))


def series_text(
    t: Translator, lang: str, series: SeriesRecord, board_title: str, tz: ZoneInfo
) -> Reply:
    rule = pattern_text(t, lang, series.rrule, series.first_start, tz)
    until = until_text(t, lang, series.until_day)
    key = "series.ended_notice" if series.status == SeriesStatus.ENDED else "series.announced"
    text = t.t(
        lang,
        key,
        kind=t.t(lang, f"meeting_kind.{series.kind}"),
        board=board_title,
        rule=rule,
        until=until,
        minutes=series.duration_minutes,
    )
    if series.place and series.status != SeriesStatus.ENDED:
        text += "\n" + t.t(lang, "meeting.place", place=series.place)
    return Reply(text)
