"""Meeting invitations as RFC 5545 .ics files, built and read with the ``icalendar`` library.

The file is shared in a chat, not sent by a scheduling server to named attendees, so it is
``METHOD:PUBLISH``: calendar apps import it as an event instead of asking for an RSVP that
nobody would receive (``REQUEST`` would need ATTENDEEs and a reply address). A change is the
same UID with a higher SEQUENCE; a cancellation is ``METHOD:CANCEL`` with ``STATUS:CANCELLED``,
which apps match to the imported event by UID.

Times carry the board's TZID and a VTIMEZONE built from the same zoneinfo data, so every app
shows the board's wall time and moves it correctly across daylight-saving changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from icalendar import Calendar, Event, TimezoneDaylight, TimezoneStandard, vCalAddress, vRecur

PRODID = "-//boardbot//Meetings//EN"


NO_ADDRESS = "invalid:nomail"
"""ORGANIZER must be an address; boards have none, so use what Exchange writes for that case."""


SERIES_YEARS = 10
"""How far a recurring series' VTIMEZONE reaches: apps only need it for the dates they show."""


@dataclass(frozen=True, slots=True)
class MeetingEvent:
    uid: str
    sequence: int
    start: datetime
    duration: timedelta
    summary: str
    """Shown on lock screens and shared calendars: never personal data (the caller's job)."""
    location: str | None
    description: str | None
    organizer_name: str | None
    stamp: datetime
    """DTSTAMP, aware; passed in so the same meeting gives the same bytes."""
    rrule: str | None = None
    """An RFC 5545 recurrence rule such as ``FREQ=MONTHLY;BYDAY=1TU``; None for one meeting."""
    recurrence_id: datetime | None = None
    """One occurrence of a series (its original start): the series' UID names the series."""
    exdates: tuple[datetime, ...] = ()
    """A series' cancelled occurrences (their original starts)."""


@dataclass(frozen=True, slots=True)
class ReadEvent:
    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    status: str | None
    method: str | None
    rrule: str | None = None
    recurrence_id: datetime | None = None
    exdates: tuple[datetime, ...] = ()


def _real(moment: datetime, zone: tzinfo) -> datetime:
    """The same instant as a wall time in ``zone``, with ``fold`` set right."""
    return moment.astimezone(UTC).astimezone(zone)


def _as_written(moment: datetime) -> datetime:
    """A TZID wall time means its first occurrence; the second one can only be written in UTC.

    (A series starting then would repeat in UTC; nobody schedules one for 03:30 that Sunday.)
    """
    if moment.fold and moment.replace(fold=0).utcoffset() != moment.utcoffset():
        return moment.astimezone(UTC)
    return moment


def _fix_onset(wall: datetime, zone: tzinfo, before: timedelta, after: timedelta) -> datetime:
    """An observance's onset as RFC 5545 §3.6.5 wants it: the local time in TZOFFSETFROM.

    icalendar 7.3 writes a spring-forward onset in TZOFFSETTO (04:00 instead of 03:00 for
    Sofia), so an app that reads the VTIMEZONE rather than its own tz data would switch an hour
    late. Checked against zoneinfo, so a fixed library is left alone.
    """

    def changes_at(instant: datetime) -> bool:
        earlier = (instant - timedelta(seconds=1)).astimezone(zone).utcoffset()
        return earlier == before and instant.astimezone(zone).utcoffset() == after

    if before == after or changes_at(wall.replace(tzinfo=UTC) - before):
        return wall
    if changes_at(wall.replace(tzinfo=UTC) - after):
        return wall - after + before
    return wall


def _fix_onsets(calendar: Calendar, zone: tzinfo) -> None:
    """Apply ``_fix_onset`` to every observance start (DTSTART and RDATEs) of the VTIMEZONEs."""
    for timezone in calendar.timezones:
        for observance in timezone.subcomponents:
            if not isinstance(observance, TimezoneStandard | TimezoneDaylight):
                continue
            before, after = observance.TZOFFSETFROM, observance.TZOFFSETTO
            if before is None or after is None:
                continue
            start = observance.DTSTART
            if isinstance(start, datetime):
                observance.DTSTART = _fix_onset(start, zone, before, after)
            onsets = [
                _fix_onset(when, zone, before, after)
                for when, _ in observance.rdates
                if isinstance(when, datetime)
            ]
            if onsets:
                del observance["RDATE"]
                observance.add("RDATE", onsets)


def meeting_ics(event: MeetingEvent, *, cancelled: bool = False) -> bytes:
    """One meeting (or series) as an .ics file to share in the board's chat."""
    if event.start.tzinfo is None or event.stamp.tzinfo is None:
        raise ValueError("start and stamp must be aware")
    zone = event.start.tzinfo
    start = _real(event.start, zone)
    end = _real(event.start.astimezone(UTC) + event.duration, zone)  # real, not wall, time

    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "CANCEL" if cancelled else "PUBLISH")

    vevent = Event()
    vevent.add("UID", event.uid)
    vevent.add("SEQUENCE", event.sequence)
    vevent.add("DTSTAMP", event.stamp.astimezone(UTC))
    vevent.add("DTSTART", _as_written(start))
    vevent.add("DTEND", _as_written(end))
    vevent.add("SUMMARY", event.summary)
    vevent.add("STATUS", "CANCELLED" if cancelled else "CONFIRMED")
    if event.rrule:
        vevent.add("RRULE", vRecur.from_ical(event.rrule))
        for skipped in event.exdates:
            vevent.add("EXDATE", _as_written(_real(skipped, zone)))
    if event.recurrence_id is not None:
        vevent.add("RECURRENCE-ID", _as_written(_real(event.recurrence_id, zone)))
    if event.location:
        vevent.add("LOCATION", event.location)
    if event.description:
        vevent.add("DESCRIPTION", event.description)
    if event.organizer_name:
        organizer = vCalAddress(NO_ADDRESS)
        organizer.params["CN"] = event.organizer_name
        vevent.add("ORGANIZER", organizer)
    calendar.add_component(vevent)

    years = SERIES_YEARS if event.rrule else 1
    calendar.add_missing_timezones(
        first_date=date(start.year, 1, 1), last_date=date(end.year + years, 1, 1)
    )
    _fix_onsets(calendar, zone)
    ics: bytes = calendar.to_ical()
    return ics


def _aware(value: object, what: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValueError(f"{what} is not a date and time with a zone")
    return value


def read_ics(data: bytes) -> list[ReadEvent]:
    """The timed events in an .ics file, as calendar apps would read them."""
    calendar = Calendar.from_ical(data)
    method = calendar.get("METHOD")
    events: list[ReadEvent] = []
    for component in calendar.walk("VEVENT"):
        if not isinstance(component, Event):
            continue
        status = component.get("STATUS")
        rule = component.get("RRULE")
        recurrence = component.get("RECURRENCE-ID")
        exdates: list[datetime] = []
        found = component.get("EXDATE")
        for entry in found if isinstance(found, list) else [] if found is None else [found]:
            exdates += [_aware(d.dt, "EXDATE") for d in entry.dts]
        events.append(
            ReadEvent(
                uid=str(component.get("UID", "")),
                sequence=component.sequence,
                start=_aware(component.start, "DTSTART"),
                end=_aware(component.end, "DTEND"),
                summary=str(component.get("SUMMARY", "")),
                status=None if status is None else str(status),
                method=None if method is None else str(method),
                rrule=None if rule is None else rule.to_ical().decode(),
                recurrence_id=None
                if recurrence is None
                else _aware(recurrence.dt, "RECURRENCE-ID"),
                exdates=tuple(exdates),
            )
        )
    return events
