"""Meeting .ics files: read back with icalendar, they keep the board's wall time and instant."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event, TimezoneDaylight, TimezoneStandard

from bot.meetings.calendar import MeetingEvent, meeting_ics, read_ics

SOFIA = ZoneInfo("Europe/Sofia")
STAMP = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def meeting(start: datetime, **changes: object) -> MeetingEvent:
    event = MeetingEvent(
        uid="meeting-42@boardbot",
        sequence=3,
        start=start,
        duration=timedelta(minutes=90),
        summary="Супервизия — Борд Варна",
        location="Варна, ул. Преслав 1; зала 2",
        description="Дневен ред: случаи, гласувания",
        organizer_name="Борд Варна",
        stamp=STAMP,
    )
    return replace(event, **changes)  # type: ignore[arg-type]


def lines(data: bytes) -> list[str]:
    return data.decode().split("\r\n")


def onsets_as_rfc_5545_reads_them(data: bytes) -> list[tuple[datetime, timedelta]]:
    """Each observance starts at DTSTART/RDATE local time in TZOFFSETFROM (RFC 5545 §3.6.5)."""
    onsets = []
    for timezone in Calendar.from_ical(data).timezones:
        for observance in timezone.subcomponents:
            walls = [observance.DTSTART, *(when for when, _ in observance.rdates)]
            onsets += [
                (wall.replace(tzinfo=UTC) - observance.TZOFFSETFROM, observance.TZOFFSETTO)
                for wall in walls
            ]
    return sorted(onsets)


WALL_TIMES = [
    (datetime(2026, 10, 25, 14, tzinfo=SOFIA), datetime(2026, 10, 25, 12, tzinfo=UTC)),
    (datetime(2026, 10, 27, 14, tzinfo=SOFIA), datetime(2026, 10, 27, 12, tzinfo=UTC)),
    (datetime(2026, 7, 20, 14, tzinfo=SOFIA), datetime(2026, 7, 20, 11, tzinfo=UTC)),
    (datetime(2026, 3, 29, 14, tzinfo=SOFIA), datetime(2026, 3, 29, 11, tzinfo=UTC)),
    (datetime(2026, 1, 15, 9, 30, tzinfo=SOFIA), datetime(2026, 1, 15, 7, 30, tzinfo=UTC)),
]


@pytest.mark.parametrize(("start", "instant"), WALL_TIMES, ids=[str(s) for s, _ in WALL_TIMES])
def test_the_start_reads_back_as_the_same_sofia_wall_time_and_utc_instant(
    start: datetime, instant: datetime
) -> None:
    data = meeting_ics(meeting(start))
    (read,) = read_ics(data)
    assert read.start.tzinfo == SOFIA
    assert read.start.replace(tzinfo=None) == start.replace(tzinfo=None)
    assert read.start.astimezone(UTC) == instant
    assert read.end.astimezone(UTC) == instant + timedelta(minutes=90)
    assert f"DTSTART;TZID=Europe/Sofia:{start:%Y%m%dT%H%M%S}" in lines(data)


def test_the_vtimezone_is_sofia_with_standard_and_daylight_parts_in_the_events_year() -> None:
    data = meeting_ics(meeting(datetime(2026, 10, 27, 14, tzinfo=SOFIA)))
    (timezone,) = Calendar.from_ical(data).timezones
    assert timezone["TZID"] == "Europe/Sofia"
    parts_in_2026 = {
        (type(part), part.TZOFFSETTO)
        for part in timezone.subcomponents
        if isinstance(part, TimezoneStandard | TimezoneDaylight) and part.DTSTART.year == 2026
    }
    assert (TimezoneStandard, timedelta(hours=2)) in parts_in_2026
    assert (TimezoneDaylight, timedelta(hours=3)) in parts_in_2026


def test_the_vtimezone_switches_at_the_real_moments_when_read_the_rfc_5545_way() -> None:
    data = meeting_ics(meeting(datetime(2026, 10, 27, 14, tzinfo=SOFIA)))
    onsets = onsets_as_rfc_5545_reads_them(data)
    spring = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 03:00 EET -> 04:00 EEST
    autumn = datetime(2026, 10, 25, 1, 0, tzinfo=UTC)  # 04:00 EEST -> 03:00 EET
    assert (spring, timedelta(hours=3)) in onsets
    assert (autumn, timedelta(hours=2)) in onsets


@pytest.mark.parametrize("zone_name", ["Europe/Sofia", "Europe/London", "America/New_York"])
def test_a_series_vtimezone_gives_zoneinfos_offset_at_every_hour_for_years(
    zone_name: str,
) -> None:
    zone = ZoneInfo(zone_name)
    start = datetime(2026, 11, 3, 14, tzinfo=zone)
    data = meeting_ics(meeting(start, rrule="FREQ=MONTHLY;BYDAY=1TU"))
    onsets = onsets_as_rfc_5545_reads_them(data)
    moment, offsets = onsets[0][0], iter(onsets)
    current, upcoming = next(offsets), next(offsets, None)
    while moment < datetime(2035, 12, 1, tzinfo=UTC):
        while upcoming is not None and upcoming[0] <= moment:
            current, upcoming = upcoming, next(offsets, None)
        assert current[1] == moment.astimezone(zone).utcoffset(), moment
        moment += timedelta(hours=1)


def test_an_end_after_the_autumn_change_keeps_the_real_duration() -> None:
    start = datetime(2026, 10, 25, 2, 30, tzinfo=SOFIA)
    (read,) = read_ics(meeting_ics(meeting(start, duration=timedelta(hours=2))))
    assert read.end.astimezone(UTC) - read.start.astimezone(UTC) == timedelta(hours=2)
    assert read.end.astimezone(SOFIA).replace(tzinfo=None) == datetime(2026, 10, 25, 3, 30)


def test_the_second_occurrence_of_a_repeated_hour_is_written_as_its_utc_instant() -> None:
    start = datetime(2026, 10, 25, 3, 30, fold=1, tzinfo=SOFIA)
    data = meeting_ics(meeting(start))
    (read,) = read_ics(data)
    assert "DTSTART:20261025T013000Z" in lines(data)
    assert read.start.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_uid_sequence_and_summary_round_trip() -> None:
    (read,) = read_ics(meeting_ics(meeting(datetime(2026, 7, 20, 14, tzinfo=SOFIA))))
    assert read.uid == "meeting-42@boardbot"
    assert read.sequence == 3
    assert read.summary == "Супервизия — Борд Варна"


def test_a_shared_file_is_a_published_confirmed_event_with_prodid_and_version() -> None:
    data = meeting_ics(meeting(datetime(2026, 7, 20, 14, tzinfo=SOFIA)))
    assert "VERSION:2.0" in lines(data)
    assert any(line.startswith("PRODID:") for line in lines(data))
    (read,) = read_ics(data)
    assert read.method == "PUBLISH"
    assert read.status == "CONFIRMED"


def test_a_cancellation_is_method_cancel_and_status_cancelled_for_the_same_uid() -> None:
    event = meeting(datetime(2026, 7, 20, 14, tzinfo=SOFIA), sequence=4)
    data = meeting_ics(event, cancelled=True)
    assert "METHOD:CANCEL" in lines(data)
    assert "STATUS:CANCELLED" in lines(data)
    (read,) = read_ics(data)
    assert (read.uid, read.sequence, read.method, read.status) == (
        "meeting-42@boardbot",
        4,
        "CANCEL",
        "CANCELLED",
    )


def test_dtstamp_is_written_in_utc_whatever_zone_it_was_given_in() -> None:
    stamp = datetime(2026, 10, 1, 12, 0, tzinfo=SOFIA)
    data = meeting_ics(meeting(datetime(2026, 7, 20, 14, tzinfo=SOFIA), stamp=stamp))
    assert "DTSTAMP:20261001T090000Z" in lines(data)


def test_lines_end_in_crlf_and_are_folded_to_75_octets() -> None:
    long_summary = "Супервизия на случаите от последното тримесечие — Борд Варна " * 3
    data = meeting_ics(meeting(datetime(2026, 7, 20, 14, tzinfo=SOFIA), summary=long_summary))
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line.encode()) <= 75 for line in lines(data))
    assert read_ics(data)[0].summary == long_summary


def test_location_description_and_organizer_survive_escaping() -> None:
    data = meeting_ics(meeting(datetime(2026, 7, 20, 14, tzinfo=SOFIA)))
    (vevent,) = Calendar.from_ical(data).walk("VEVENT")
    assert isinstance(vevent, Event)
    assert vevent["LOCATION"] == "Варна, ул. Преслав 1; зала 2"
    assert vevent["DESCRIPTION"] == "Дневен ред: случаи, гласувания"
    assert vevent["ORGANIZER"].params["CN"] == "Борд Варна"
    assert vevent["ORGANIZER"] == "invalid:nomail"


def test_missing_optional_fields_are_left_out() -> None:
    event = meeting(
        datetime(2026, 7, 20, 14, tzinfo=SOFIA),
        location=None,
        description=None,
        organizer_name=None,
    )
    text = meeting_ics(event).decode()
    for name in ("LOCATION", "DESCRIPTION", "ORGANIZER", "RRULE"):
        assert f"\r\n{name}" not in text


def test_a_series_carries_its_rrule() -> None:
    event = meeting(datetime(2026, 11, 3, 14, tzinfo=SOFIA), rrule="FREQ=MONTHLY;BYDAY=1TU")
    data = meeting_ics(event)
    (vevent,) = Calendar.from_ical(data).walk("VEVENT")
    assert vevent["RRULE"].to_ical() == b"FREQ=MONTHLY;BYDAY=1TU"


def test_the_same_meeting_gives_the_same_bytes() -> None:
    event = meeting(datetime(2026, 7, 20, 14, tzinfo=SOFIA))
    assert meeting_ics(event) == meeting_ics(event)


def test_a_utc_board_needs_no_vtimezone() -> None:
    data = meeting_ics(meeting(datetime(2026, 7, 20, 14, tzinfo=ZoneInfo("UTC"))))
    assert "BEGIN:VTIMEZONE" not in lines(data)
    assert read_ics(data)[0].start.astimezone(UTC) == datetime(2026, 7, 20, 14, tzinfo=UTC)


def test_a_start_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        meeting_ics(meeting(datetime(2026, 7, 20, 14)))
