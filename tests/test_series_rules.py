"""Recurring sessions: the rule from a first date, dates across daylight saving, an end date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.agenda.rules import next_meeting
from bot.minutes.rules import missing
from bot.series.rules import due_occurrences, ics_rule, occurrences, patterns_for, rrule_for
from storage.models import MeetingRecord, MinutesRecord

SOFIA = ZoneInfo("Europe/Sofia")
FIRST = datetime(2027, 1, 5, 14, 0, tzinfo=SOFIA)  # the first Tuesday of January


def test_the_first_tuesday_becomes_a_monthly_rule_on_the_first_tuesday() -> None:
    assert rrule_for("monthly_nth", FIRST.date()) == "FREQ=MONTHLY;BYDAY=1TU"
    assert "monthly_last" not in patterns_for(FIRST.date())
    assert "monthly_last" in patterns_for(date(2027, 1, 26))


def test_fourteen_hundred_stays_fourteen_hundred_local_across_the_spring_change() -> None:
    starts = occurrences(
        "FREQ=MONTHLY;BYDAY=1TU", FIRST, SOFIA, None, FIRST - timedelta(1), FIRST + timedelta(120)
    )
    assert [s.strftime("%d.%m %H:%M") for s in starts] == [
        "05.01 14:00",
        "02.02 14:00",
        "02.03 14:00",
        "06.04 14:00",
        "04.05 14:00",
    ]
    assert [s.astimezone(UTC).hour for s in starts] == [12, 12, 12, 11, 11]


def test_a_series_with_an_end_date_stops_there_and_says_so_in_utc() -> None:
    now = datetime(2027, 2, 10, tzinfo=SOFIA)
    assert due_occurrences("FREQ=MONTHLY;BYDAY=1TU", FIRST, SOFIA, date(2027, 2, 28), now) == []
    assert ics_rule("FREQ=WEEKLY;BYDAY=TU", date(2027, 6, 30), SOFIA).endswith(
        "UNTIL=20270630T205959Z"
    )


def test_a_monthly_series_always_shows_its_next_meeting_even_beyond_the_horizon() -> None:
    now = datetime(2027, 1, 6, tzinfo=SOFIA)
    assert due_occurrences("FREQ=MONTHLY;BYDAY=1TU", FIRST, SOFIA, None, now) == [
        datetime(2027, 2, 2, 14, 0, tzinfo=SOFIA)
    ]


def _meeting(id: int, status: str, start: datetime | None) -> MeetingRecord:
    now = datetime(2026, 11, 23, tzinfo=UTC)
    return MeetingRecord(id, 1, "supervision", status, start, 90, "", 1, 1, now, now)


def test_the_next_meeting_is_the_soonest_scheduled_one_and_a_poll_only_without_one() -> None:
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    soon, later = now + timedelta(days=1), now + timedelta(days=8)
    poll = _meeting(3, "polling", None)
    assert (
        next_meeting(
            [_meeting(1, "scheduled", later), _meeting(2, "scheduled", soon), poll], now
        ).id
        == 2
    )  # type: ignore[union-attr]
    assert next_meeting([_meeting(1, "scheduled", now - timedelta(hours=1)), poll], now) == poll


def test_minutes_need_the_question_and_the_decision_before_approval() -> None:
    now = datetime(2026, 11, 23, tzinfo=UTC)
    draft = MinutesRecord(1, 1, 1, "draft", "Въпрос?", "", "", "  ", None, 1, now, None, None)
    assert missing(draft) == ["decision"]


def test_a_time_skipped_by_the_spring_change_moves_forward_by_the_gap() -> None:
    first = datetime(2027, 3, 21, 3, 30, tzinfo=SOFIA)  # a Sunday; 28.03 skips 03:00-04:00
    starts = occurrences(
        "FREQ=WEEKLY;BYDAY=SU", first, SOFIA, None, first, first + timedelta(days=8)
    )
    assert [s.strftime("%d.%m %H:%M %z") for s in starts] == ["28.03 04:30 +0300"]


def test_the_minutes_dialogue_goes_through_every_sector_present_then_on() -> None:
    from bot.minutes.rules import next_minutes_step

    draft: dict[str, object] = {"sectors": ["education", "health"]}
    seen = []
    step = "question"
    while step != "actions":
        step, draft = next_minutes_step(step, draft)
        seen.append(step if step != "view" else f"{draft['si']}:{draft['part']}")
    assert seen == [
        "summary",
        "0:problem",
        "0:todo",
        "0:who",
        "1:problem",
        "1:todo",
        "1:who",
        "clash",
        "decision",
        "review",
        "actions",
    ]


def test_a_paused_draft_resumes_at_the_first_empty_answer_or_at_the_actions() -> None:
    from bot.minutes.rules import resume_minutes_step
    from storage.models import SectorView

    now = datetime(2026, 11, 23, tzinfo=UTC)
    started = MinutesRecord(
        1, 1, 1, "draft", "Въпрос", "Накратко", "", "", None, 1, now, None, None
    )
    views = [SectorView("education", "проблем", "", "")]
    assert resume_minutes_step(started, views, ["education"]) == (
        "view",
        {"si": 0, "part": "todo"},
    )
    decided = MinutesRecord(1, 1, 1, "draft", "Въпрос", "", "", "Решение", None, 1, now, None, None)
    assert resume_minutes_step(decided, [], ["education"]) == ("actions", {})
