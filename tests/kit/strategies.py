"""Hypothesis strategies for what people type: dates and times as written, odd forms that trip
parsers up, wild and surrogate text."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

ZONES = [ZoneInfo("Europe/Sofia"), ZoneInfo("UTC"), ZoneInfo("America/New_York")]
NOWS = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2035, 12, 31),
    timezones=st.sampled_from(ZONES),
)
DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))

# What people type around dates and times, and the odd forms that trip dateparser up.
DATE_PIECES = [
    *"0123456789 .:/-,",
    "г.",
    "ч",
    "ч.",
    "часа",
    "h",
    "в ",
    "във ",
    "at ",
    "@ ",
    "on ",
    "утре",
    "вдругиден",
    "днес",
    "вчера",
    "today",
    "tomorrow",
    "yesterday",
    "tonight",
    "ноември",
    "февруари",
    "November",
    "Feb",
    "вторник",
    "неделя",
    "Tue",
    "next ",
    "следващия ",
    "идния ",
    "сутринта",
    "следобед",
    "вечерта",
    "14:00",
    "24:00",
    "25:61",
    "9.30",
    "31.02",
    "29.02",
    "29.02.2028",
    "29.03.2026",
    "25.10.2026",
    "01.11.2026",
    "03:30",
    "02:30",
    "2:30",
    "9999",
    "99999999999",
    "in 99999999 years",
    "in 3 days",
    "преди 2 дни",
    "UTC",
    "EET",
    "+05:00",
    "1700000000",
]
DATE_LIKE = st.lists(st.sampled_from(DATE_PIECES), max_size=10).map("".join)
DAY_WORDS = ["утре", "днес", "вдругиден", "вторник", "в неделя", "next Tue", "следващия петък"]
DAY_WORDS += ["tomorrow", "today", "25 ноември", "1 March", "29 февруари", "31 април"]


@st.composite
def typed_moments(draw: st.DrawFn) -> tuple[str, datetime]:
    """A date and time written as people write them, near a random ``now`` (so some are read)."""
    now = draw(NOWS)
    day, month = draw(st.integers(0, 32)), draw(st.integers(0, 13))
    year = now.year + draw(st.integers(-1, 3))
    sep = draw(st.sampled_from([".", "/", "-"]))
    written_day = draw(
        st.one_of(
            st.just(f"{day}{sep}{month}"),
            st.just(f"{day:02d}.{month:02d}.{year}"),
            st.just(f"{day}.{month}.{year} г."),
            st.sampled_from(DAY_WORDS),
            st.just(""),
        )
    )
    hour, minute = draw(st.integers(0, 25)), draw(st.integers(0, 61))
    written_time = draw(
        st.one_of(
            st.just(f"{hour}:{minute:02d}"),
            st.just(f"{hour}.{minute:02d}"),
            st.just(f"{hour}ч"),
            st.just(f"в {hour}"),
            st.just(f"{hour % 13} сутринта"),
            st.just(f"{hour % 13} вечерта"),
            st.just(f"{hour}:{minute:02d} UTC"),
            st.just(""),
        )
    )
    parts = [written_day, written_time]
    if draw(st.booleans()):
        parts.reverse()
    return " ".join(parts), now


# Around the daylight-saving changes of 2026 (Sofia: 29.03 and 25.10; New York: 8.03 and 1.11).
DST_TEXTS = ["29.03.2026 03:30", "25.10.2026 03:30", "08.03.2026 02:30", "01.11.2026 01:30"]
DST_NOWS = [
    datetime(2026, 3, 1, 12, tzinfo=UTC),
    datetime(2026, 10, 25, 0, 45, tzinfo=UTC),
    datetime(2026, 11, 1, 5, 45, tzinfo=UTC),
    datetime(2026, 10, 31, 12, tzinfo=UTC),
]
ANY_TEXT = st.text(max_size=60)
SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
WILD_TEXT = st.text(
    st.one_of(st.characters(), st.characters(max_codepoint=0x1F), SURROGATES), max_size=200
)

TO_CYRILLIC = dict(zip("ABEKMHOPCTXY", "АВЕКМНОРСТХУ", strict=True))
PART_CHARS = "abcxyzABCXYZ0123456789_-"
PARTS = st.text(alphabet=PART_CHARS, min_size=1, max_size=12)
CALLBACK_LIKE = st.lists(st.one_of(PARTS, st.text(max_size=5)), max_size=8).map(
    lambda parts: ":".join(["v1", *parts])
)
