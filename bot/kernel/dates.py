"""Dates as people write them (25.11, 25.11.2026, днес, вчера, 3 ноември), via dateparser."""

from __future__ import annotations

from datetime import date, datetime, time

import dateparser


def parse_past_day(text: str, today: date) -> date | None:
    """A day on or before ``today``; None when it is no date, or one still to come."""
    parsed: datetime | None = dateparser.parse(
        text.strip(),
        languages=["bg", "en"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": "past",
            "RELATIVE_BASE": datetime.combine(today, time(12)),
            "REQUIRE_PARTS": ["day", "month"],
        },
    )
    if parsed is None or parsed.date() > today:
        return None
    day: date = parsed.date()
    return day


def written_day(day: date | None) -> str | None:
    """A day as people write it (25.11.2026); None stays None, for the caller's "—"."""
    return None if day is None else day.strftime("%d.%m.%Y")
