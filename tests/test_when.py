"""Meeting times and due days as people type them, in Bulgarian and English."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.kernel.when import Understood, WhenError, parse_future_day, parse_meeting_time, slot_key

SOFIA = ZoneInfo("Europe/Sofia")
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday, 10:00 in Sofia
TODAY = date(2026, 11, 23)
BEFORE_SPRING = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)


def wall(text: str, now: datetime = NOW, zone: ZoneInfo = SOFIA) -> datetime:
    result = parse_meeting_time(text, now, zone)
    assert isinstance(result, Understood), f"{text!r} gave {result!r}"
    assert result.start.tzinfo is zone
    assert not result.ambiguous
    return result.start.replace(tzinfo=None)


WRITTEN_FORMS = [
    ("25.11 14:00", datetime(2026, 11, 25, 14)),
    ("25.11.2026 14:00", datetime(2026, 11, 25, 14)),
    ("25.11.2026 г. 14:00", datetime(2026, 11, 25, 14)),
    ("25/11 14:00", datetime(2026, 11, 25, 14)),
    ("25-11 14:00", datetime(2026, 11, 25, 14)),
    ("14:00 25.11", datetime(2026, 11, 25, 14)),
    ("25 ноември 14:00", datetime(2026, 11, 25, 14)),
    ("25 November 14:00", datetime(2026, 11, 25, 14)),
    ("утре 10:30", datetime(2026, 11, 24, 10, 30)),
    ("Утре 10:30", datetime(2026, 11, 24, 10, 30)),
    ("tomorrow 10:30", datetime(2026, 11, 24, 10, 30)),
    ("вдругиден 9:00", datetime(2026, 11, 25, 9)),
    ("вторник 9:00", datetime(2026, 11, 24, 9)),
    ("във вторник 9:00", datetime(2026, 11, 24, 9)),
    ("следващия вторник 9:00", datetime(2026, 11, 24, 9)),
    ("в петък в 10:00", datetime(2026, 11, 27, 10)),
    ("Tuesday 9:00", datetime(2026, 11, 24, 9)),
    ("next Tue 9:00", datetime(2026, 11, 24, 9)),
    ("on Friday at 9:00", datetime(2026, 11, 27, 9)),
    ("днес 15:00", datetime(2026, 11, 23, 15)),
    ("today 15:00", datetime(2026, 11, 23, 15)),
    ("утре 14ч", datetime(2026, 11, 24, 14)),
    ("утре 14ч.", datetime(2026, 11, 24, 14)),
    ("утре в 14 ч.", datetime(2026, 11, 24, 14)),
    ("утре в 14 часа", datetime(2026, 11, 24, 14)),
    ("утре в 14:30 ч.", datetime(2026, 11, 24, 14, 30)),
    ("утре в 14:00", datetime(2026, 11, 24, 14)),
    ("утре 9.30", datetime(2026, 11, 24, 9, 30)),
    ("25.11 14.00", datetime(2026, 11, 25, 14)),
    ("утре в 9 сутринта", datetime(2026, 11, 24, 9)),
    ("утре в 5 следобед", datetime(2026, 11, 24, 17)),
    ("tomorrow at 9", datetime(2026, 11, 24, 9)),
    ("tomorrow 2 pm", datetime(2026, 11, 24, 14)),
]


@pytest.mark.parametrize(("text", "expected"), WRITTEN_FORMS, ids=[t for t, _ in WRITTEN_FORMS])
def test_each_written_form_means_the_expected_wall_time_in_the_board_zone(
    text: str, expected: datetime
) -> None:
    assert wall(text) == expected


def test_a_day_and_month_written_with_a_dot_stays_a_date_not_a_time() -> None:
    assert wall("10.12 14:00") == datetime(2026, 12, 10, 14)


def test_a_date_without_a_year_that_just_passed_is_past_and_one_long_gone_is_next_year() -> None:
    assert parse_meeting_time("22.11 10:00", NOW, SOFIA) is WhenError.PAST
    assert parse_meeting_time("22 ноември 10:00", NOW, SOFIA) is WhenError.PAST
    assert wall("15.08 10:00") == datetime(2027, 8, 15, 10)


def test_todays_date_with_a_later_time_is_today() -> None:
    assert wall("23.11 11:00") == datetime(2026, 11, 23, 11)
    assert wall("23 ноември 11:00") == datetime(2026, 11, 23, 11)


def test_todays_date_with_an_earlier_time_is_past_not_next_year() -> None:
    assert parse_meeting_time("23.11 09:00", NOW, SOFIA) is WhenError.PAST
    assert parse_meeting_time("23 ноември 09:00", NOW, SOFIA) is WhenError.PAST


def test_a_weekday_naming_today_means_the_same_day_next_week_even_later_today() -> None:
    assert wall("понеделник 11:00") == datetime(2026, 11, 30, 11)
    assert wall("monday 11:00") == datetime(2026, 11, 30, 11)
    assert wall("next monday 11:00") == datetime(2026, 11, 30, 11)


def test_the_time_is_read_in_the_board_zone_not_utc() -> None:
    result = parse_meeting_time("25.11 14:00", NOW, SOFIA)
    assert isinstance(result, Understood)
    assert result.start.astimezone(UTC) == datetime(2026, 11, 25, 12, tzinfo=UTC)
    london = ZoneInfo("Europe/London")
    assert wall("25.11 14:00", zone=london) == datetime(2026, 11, 25, 14)


def test_a_time_given_in_utc_is_turned_into_the_boards_wall_time() -> None:
    assert wall("25.11.2026 14:00 UTC") == datetime(2026, 11, 25, 16)


@pytest.mark.parametrize(
    "text", ["вчера 10:00", "20.11.2026 10:00", "днес 9:00", "today 9:00", "преди 2 дни 9:00"]
)
def test_a_time_already_gone_is_past(text: str) -> None:
    assert parse_meeting_time(text, NOW, SOFIA) is WhenError.PAST


def test_the_current_minute_is_past() -> None:
    assert parse_meeting_time("днес 10:00", NOW, SOFIA) is WhenError.PAST


def test_more_than_two_years_ahead_is_too_far_but_a_year_ahead_is_fine() -> None:
    assert parse_meeting_time("25.11.2029 10:00", NOW, SOFIA) is WhenError.TOO_FAR
    assert wall("01.11.2028 10:00") == datetime(2028, 11, 1, 10)


@pytest.mark.parametrize("text", ["25.11", "утре", "tomorrow", "вторник", "25 ноември", "1"])
def test_a_day_without_a_time_of_day_is_no_time(text: str) -> None:
    assert parse_meeting_time(text, NOW, SOFIA) is WhenError.NO_TIME


def test_a_time_equal_to_the_current_clock_time_still_counts_as_a_time() -> None:
    assert wall("утре 10:00") == datetime(2026, 11, 24, 10)  # NOW is 10:00 in Sofia
    assert parse_meeting_time("вчера 10:00", NOW, SOFIA) is WhenError.PAST


@pytest.mark.parametrize("text", ["tomorrow morning", "tonight", "утре"])
def test_a_part_of_day_without_an_hour_is_no_time(text: str) -> None:
    assert parse_meeting_time(text, NOW, SOFIA) is WhenError.NO_TIME


def test_a_part_of_day_with_an_hour_is_that_hour() -> None:
    assert wall("tomorrow evening at 7pm") == datetime(2026, 11, 24, 19)


def test_a_month_without_a_day_is_not_understood() -> None:
    assert parse_meeting_time("ноември 14:00", NOW, SOFIA) is WhenError.NOT_UNDERSTOOD


@pytest.mark.parametrize("text", ["1795000000", "1764000000"])
def test_a_long_bare_number_is_no_meeting_time(text: str) -> None:
    assert isinstance(parse_meeting_time(text, NOW, SOFIA), WhenError)


@pytest.mark.parametrize("text", ["31.02 10:00", "31.02.2027 10:00", "утре 25:00", "30.02 9ч"])
def test_an_impossible_date_or_time_is_not_understood(text: str) -> None:
    assert parse_meeting_time(text, NOW, SOFIA) is WhenError.NOT_UNDERSTOOD


@pytest.mark.parametrize(
    "text", ["", "   ", "asdf", "кога ви е удобно", "!!!", "ще видим", "x" * 500]
)
def test_garbage_is_not_understood(text: str) -> None:
    assert parse_meeting_time(text, NOW, SOFIA) is WhenError.NOT_UNDERSTOOD


def test_a_time_skipped_by_the_spring_change_is_nonexistent() -> None:
    assert parse_meeting_time("29.03.2026 03:30", BEFORE_SPRING, SOFIA) is WhenError.NONEXISTENT
    assert parse_meeting_time("29.03 03:00", BEFORE_SPRING, SOFIA) is WhenError.NONEXISTENT


def test_times_either_side_of_the_spring_gap_are_fine() -> None:
    assert wall("29.03.2026 02:59", BEFORE_SPRING) == datetime(2026, 3, 29, 2, 59)
    result = parse_meeting_time("29.03.2026 04:00", BEFORE_SPRING, SOFIA)
    assert isinstance(result, Understood)
    assert result.start.astimezone(UTC) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_a_time_repeated_by_the_autumn_change_is_ambiguous_and_means_the_first() -> None:
    result = parse_meeting_time("25.10.2026 03:30", BEFORE_SPRING, SOFIA)
    assert isinstance(result, Understood)
    assert result.ambiguous
    assert result.start.fold == 0
    assert result.start.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_the_hour_after_the_autumn_change_is_not_ambiguous() -> None:
    result = parse_meeting_time("25.10.2026 04:00", BEFORE_SPRING, SOFIA)
    assert isinstance(result, Understood)
    assert not result.ambiguous
    assert result.start.astimezone(UTC) == datetime(2026, 10, 25, 2, 0, tzinfo=UTC)


def test_a_repeated_time_typed_between_its_two_occurrences_means_the_second() -> None:
    between = datetime(2026, 10, 25, 0, 45, tzinfo=UTC)  # 03:45 the first time round
    result = parse_meeting_time("25.10.2026 03:30", between, SOFIA)
    assert isinstance(result, Understood)
    assert not result.ambiguous
    assert result.start.fold == 1
    assert result.start.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_now_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_meeting_time("утре 10:00", datetime(2026, 11, 23, 8), SOFIA)


PIECES = [*"0123456789 .:/-", "г.", "ч", "h", "в ", "утре", "днес", "ноември", "Tue", "next "]
PIECES += ["следващия ", "сутринта", "14:00", "31.02", "29.03.2026", "25.10.2026", "03:30"]
TYPED = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.text(max_size=40), TYPED))
def test_any_text_gives_a_time_or_a_reason_and_never_raises(text: str) -> None:
    result = parse_meeting_time(text, NOW, SOFIA)
    assert isinstance(result, Understood | WhenError)
    if isinstance(result, Understood):
        assert result.start.tzinfo is SOFIA
        assert result.start > NOW
    day = parse_future_day(text, TODAY)
    assert day is None or day >= TODAY


def test_slot_key_is_the_utc_minute() -> None:
    assert slot_key(datetime(2026, 11, 25, 14, tzinfo=SOFIA)) == "202611251200"
    assert slot_key(datetime(2026, 7, 20, 14, tzinfo=SOFIA)) == "202607201100"


def test_slot_key_tells_the_two_occurrences_of_a_repeated_time_apart() -> None:
    first = datetime(2026, 10, 25, 3, 30, tzinfo=SOFIA)
    assert slot_key(first) == "202610250030"
    assert slot_key(first.replace(fold=1)) == "202610250130"


def test_slot_key_refuses_a_time_without_a_zone() -> None:
    with pytest.raises(ValueError, match="aware"):
        slot_key(datetime(2026, 11, 25, 14))


FUTURE_DAYS = [
    ("25.11", date(2026, 11, 25)),
    ("25.11.2026", date(2026, 11, 25)),
    ("25.11.2026 г.", date(2026, 11, 25)),
    ("25 ноември", date(2026, 11, 25)),
    ("днес", TODAY),
    ("утре", date(2026, 11, 24)),
    ("tomorrow", date(2026, 11, 24)),
    ("петък", date(2026, 11, 27)),
    ("в петък", date(2026, 11, 27)),
    ("следващия петък", date(2026, 11, 27)),
    ("next friday", date(2026, 11, 27)),
    ("понеделник", date(2026, 11, 30)),
    ("след 2 седмици", date(2026, 12, 7)),
    ("in 2 weeks", date(2026, 12, 7)),
    ("22.11", None),
    ("15.08", date(2027, 8, 15)),
    ("15.12", date(2026, 12, 15)),
    ("до 15/12", date(2026, 12, 15)),
    ("15.01", date(2027, 1, 15)),
    ("31.02", None),
    ("абв", None),
]


@pytest.mark.parametrize(("text", "expected"), FUTURE_DAYS, ids=[t for t, _ in FUTURE_DAYS])
def test_a_due_day_is_read_as_the_expected_day(text: str, expected: date) -> None:
    assert parse_future_day(text, TODAY) == expected


@pytest.mark.parametrize("text", ["вчера", "20.11.2026", "31.02", "ноември", "2027", "asdf", ""])
def test_no_day_a_past_day_or_a_bare_month_is_no_due_day(text: str) -> None:
    assert parse_future_day(text, TODAY) is None
