"""Properties over every text the bot parses: no unhandled exception, and nothing stored on refusal.

The pure parsers (meeting times, due days, past days, case codes, callback data) run on many
generated examples; the commands, the dialogues' free text and forged buttons run through the real
bot, one Harness (one board with a case) per generated list of texts.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.cases.rules import normalize_code
from bot.kernel import callbacks
from bot.kernel.dates import parse_past_day
from bot.kernel.when import (
    TOO_FAR_AHEAD,
    Understood,
    WhenError,
    parse_future_day,
    parse_meeting_time,
)
from tests.kit.strategies import (
    ANY_TEXT,
    CALLBACK_LIKE,
    DATE_LIKE,
    DAYS,
    DST_NOWS,
    DST_TEXTS,
    NOWS,
    PARTS,
    TO_CYRILLIC,
    WILD_TEXT,
    ZONES,
    typed_moments,
)

# --- meeting times, due days, past days -------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(ANY_TEXT, DATE_LIKE), now=NOWS, zone=st.sampled_from(ZONES))
@example(text="29.02 14:00", now=datetime(2027, 3, 1, 12, tzinfo=UTC), zone=ZONES[0])
@example(text="in 99999999 years 10:00", now=datetime(2026, 1, 1, tzinfo=UTC), zone=ZONES[1])
def test_a_meeting_time_is_a_future_existing_instant_or_a_reason(
    text: str, now: datetime, zone: ZoneInfo
) -> None:
    check_meeting_time(text, now, zone)


@settings(max_examples=400, deadline=None)
@given(typed=typed_moments(), zone=st.sampled_from(ZONES))
def test_a_typed_date_and_time_near_now_is_read_or_refused_with_a_reason(
    typed: tuple[str, datetime], zone: ZoneInfo
) -> None:
    check_meeting_time(*typed, zone)


@settings(max_examples=60, deadline=None)
@given(
    text=st.sampled_from(DST_TEXTS),
    now=st.sampled_from(DST_NOWS),
    zone=st.sampled_from(ZONES),
    minutes=st.integers(-180, 180),
)
def test_a_time_next_to_a_daylight_saving_change_is_read_or_refused_with_a_reason(
    text: str, now: datetime, zone: ZoneInfo, minutes: int
) -> None:
    check_meeting_time(text, now + timedelta(minutes=minutes), zone)


def check_meeting_time(text: str, now: datetime, zone: ZoneInfo) -> None:
    result = parse_meeting_time(text, now, zone)
    assert isinstance(result, Understood | WhenError)
    if isinstance(result, Understood):
        start = result.start
        assert start.tzinfo is zone
        assert start.astimezone(UTC) > now.astimezone(UTC)
        assert start.astimezone(UTC) - now.astimezone(UTC) <= TOO_FAR_AHEAD
        # The wall time exists in the zone: a round trip through UTC gives it back.
        back = start.astimezone(UTC).astimezone(zone)
        assert back.replace(tzinfo=None) == start.replace(tzinfo=None)


DAY_TEXTS = st.one_of(
    st.tuples(st.one_of(ANY_TEXT, DATE_LIKE, WILD_TEXT), DAYS),
    typed_moments().map(lambda typed: (typed[0], typed[1].date())),
)


@settings(max_examples=300, deadline=None)
@given(typed=DAY_TEXTS)
@example(typed=("x" * 121, date(2026, 11, 23)))
@example(typed=("29 февруари", date(2027, 3, 1)))
def test_a_due_day_is_today_or_later_or_none(typed: tuple[str, date]) -> None:
    text, today = typed
    day = parse_future_day(text, today)
    assert day is None or (isinstance(day, date) and day >= today)


@settings(max_examples=300, deadline=None)
@given(typed=DAY_TEXTS)
@example(typed=("31.02", date(2026, 11, 23)))
@example(typed=("1 " * 200, date(2026, 11, 23)))
def test_a_past_day_is_today_or_earlier_or_none(typed: tuple[str, date]) -> None:
    text, today = typed
    day = parse_past_day(text, today)
    assert day is None or (isinstance(day, date) and day <= today)


# --- case codes -------------------------------------------------------------------------------

_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(WILD_TEXT, st.text(alphabet="ab-вт 7K\t\u00a0ßﬀ", max_size=10)))
def test_normalize_code_never_raises_and_is_idempotent(text: str) -> None:
    once = normalize_code(text)
    assert normalize_code(once) == once


@settings(max_examples=200, deadline=None)
@given(
    prefix=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2),
    body=st.text(alphabet=_CODE_ALPHABET, min_size=4, max_size=4),
    lower=st.booleans(),
    dash=st.booleans(),
    cyrillic=st.booleans(),
    pad=st.sampled_from(["", " ", "  ", "\t", "\n"]),
)
def test_a_code_typed_as_people_do_is_read_back_as_the_code(
    prefix: str, body: str, lower: bool, dash: bool, cyrillic: bool, pad: str
) -> None:
    code = f"{prefix}-{body}"
    typed = code if dash else code.replace("-", "")
    if cyrillic:
        typed = "".join(TO_CYRILLIC.get(c, c) for c in typed)
    if lower:
        typed = typed.lower()
    assert normalize_code(pad + typed + pad) == code


# --- callback data ----------------------------------------------------------------------------

SAFE_PART = re.compile(r"[A-Za-z0-9_\-]{1,32}")
UNSAFE = st.text(max_size=8)


@settings(max_examples=400, deadline=None)
@given(data=st.one_of(st.none(), ANY_TEXT, CALLBACK_LIKE, st.text(min_size=60, max_size=300)))
@example(data="")
@example(data="v1")
@example(data="v1:")
@example(data="v1:a:")
@example(data="v2:a:1")
@example(data="v1:" + "a" * 61)
@example(data="v1:" + "a" * 32)
@example(data="v1:é")
@example(data="v1:a\n")
def test_decoded_callback_data_re_encodes_to_itself_within_64_bytes(data: str | None) -> None:
    decoded = callbacks.decode(data)
    if decoded is None:
        return
    assert isinstance(decoded, callbacks.CallbackData)
    # Only safe parts.
    assert all(SAFE_PART.fullmatch(p.removesuffix("\n")) for p in (decoded.prefix, *decoded.parts))
    again = callbacks.encode(decoded.prefix, *decoded.parts)
    assert again == data
    assert len(again.encode()) <= callbacks.MAX_BYTES


@settings(max_examples=400, deadline=None)
@given(data=WILD_TEXT.filter(lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s)))
def test_decode_never_raises_on_any_encodable_text(data: str) -> None:
    decoded = callbacks.decode(data)
    assert decoded is None or len(data.encode()) <= callbacks.MAX_BYTES


def test_decode_of_data_with_a_lone_surrogate_gives_none() -> None:
    assert callbacks.decode("v1:\ud800") is None


@settings(max_examples=300, deadline=None)
@given(
    prefix=st.one_of(PARTS, UNSAFE),
    parts=st.lists(st.one_of(PARTS, st.integers(), UNSAFE), max_size=6),
)
def test_encode_accepts_only_short_safe_parts_and_decode_reads_them_back(
    prefix: str, parts: list[str | int]
) -> None:
    texts = [prefix, *(str(p) for p in parts)]
    safe = all(SAFE_PART.fullmatch(t) for t in texts)
    try:
        data = callbacks.encode(prefix, *parts)
    except callbacks.CallbackTooLongError:
        assert safe
        assert len(":".join(["v1", *texts]).encode()) > callbacks.MAX_BYTES
        return
    except ValueError:
        assert not safe
        return
    assert safe
    assert len(data.encode()) <= callbacks.MAX_BYTES
    assert callbacks.decode(data) == callbacks.CallbackData(prefix, tuple(texts[1:]))


@pytest.mark.parametrize(
    "part", ["", "a:b", "a b", "é", "\na", "a\nb", "-" * 33, "ä", "1.5", "a/b", "\x00", "Ж"]
)
def test_encode_rejects_a_part_outside_the_safe_characters(part: str) -> None:
    with pytest.raises(ValueError, match="outside"):
        callbacks.encode("x", part)
    with pytest.raises(ValueError, match="outside"):
        callbacks.encode(part, 1)


# A part ending in one newline passed ``_PART`` (``^…$`` with ``match``: ``$`` also matches before
# a final "\n"), so encode accepted it and decode reads "v1:cst:5\n:closed" as parts ("5\n", ...)
# (and int_part gives 5). Fixed with fullmatch; these keep it so.
def test_encode_rejects_a_part_ending_in_a_newline() -> None:
    with pytest.raises(ValueError, match="outside"):
        callbacks.encode("x", "a\n")


def test_decode_refuses_a_part_ending_in_a_newline() -> None:
    assert callbacks.decode("v1:cst:5\n:closed") is None
