"""How a meeting reads: the poll, the announcement, the private card, reminders, the .ics file.

The group sees the type, the time, the place, counts and the sectors of three people or more;
names only in private, to members of the board.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.cases.cards import sector_names
from bot.kernel.i18n import Translator, escape, format_datetime, weekday_moment
from bot.kernel.ui import Button, Reply
from bot.meetings.buttons import CancelMeeting, EndSeries, MoveMeeting, PickSlot, Rsvp, SlotAnswer
from bot.meetings.calendar import MeetingEvent, meeting_ics
from bot.meetings.rules import RSVP_ANSWERS, Suggestion, attendance, meeting_uid, suggest
from bot.meetings.service import MeetingView
from bot.series.rules import series_uid
from storage.models import MeetingStatus

SLOT_ICONS = {"yes": "✅", "maybe": "❔", "no": "❌"}


SLOT_CODES = {"yes": "y", "maybe": "m", "no": "n"}


SLOT_OF_CODE = {code: answer for answer, code in SLOT_CODES.items()}


RSVP_ICONS = {"going": "✅", "maybe": "❔", "no": "❌"}


RSVP_CODES = {"going": "g", "maybe": "m", "no": "n"}


RSVP_OF_CODE = {code: answer for answer, code in RSVP_CODES.items()}


def when_text(t: Translator, lang: str, start: datetime, minutes: int, tz: ZoneInfo) -> str:
    """``вторник, 1 декември 2026, 09:00–10:30`` in the board's zone."""
    end = (start + timedelta(minutes=minutes)).astimezone(tz)
    return f"{format_datetime(start, lang, tz)}–{end:%H:%M}"


def understood_text(t: Translator, lang: str, start: datetime, tz: ZoneInfo) -> str:
    """The echo of a typed time; a repeated hour says which one (summer or winter time)."""
    text = format_datetime(start, lang, tz)
    local = start.astimezone(tz)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        text += " " + t.t(lang, "when.summer" if local.dst() else "when.winter")
    return text


def _head(t: Translator, lang: str, view: MeetingView) -> list[str]:
    meeting = view.meeting
    lines = [t.t(lang, "meeting.head", kind=t.t(lang, f"meeting_kind.{meeting.kind}"))]
    if meeting.place:
        lines.append(t.t(lang, "meeting.place", place=meeting.place))
    return lines


def poll_message(
    t: Translator, lang: str, view: MeetingView, tz: ZoneInfo, *, private: bool = False
) -> Reply:
    """The poll: in the group it names only sectors of three or more (bot.boards.disclosure)."""
    meeting = view.meeting
    lines = _head(t, lang, view)
    lines.append(t.t(lang, "meeting.poll_intro", minutes=meeting.duration_minutes))
    for tally in view.slots:
        lines.append(
            t.t(
                lang,
                "meeting.slot_line",
                position=tally.slot.position,
                when=weekday_moment(tally.slot.starts_at, lang, tz),
                yes=tally.counts["yes"],
                maybe=tally.counts["maybe"],
                no=tally.counts["no"],
                sectors=sector_names(
                    t, lang, tally.sectors if private else view.shown.labels(tally.sectors)
                ),
            )
        )
    rows: list[tuple[Button, ...]] = []
    if meeting.status == MeetingStatus.POLLING:
        for tally in view.slots:
            rows.append(
                tuple(
                    Button(
                        f"{tally.slot.position} {SLOT_ICONS[answer]}",
                        SlotAnswer(tally.slot.id, SLOT_CODES[answer]).pack(),
                    )
                    for answer in SLOT_ICONS
                )
            )
        lines.append(t.t(lang, "meeting.poll_how"))
    elif meeting.status == MeetingStatus.SCHEDULED and meeting.starts_at is not None:
        lines.append(
            t.t(lang, "meeting.poll_done", when=format_datetime(meeting.starts_at, lang, tz))
        )
    else:
        lines.append(t.t(lang, "meeting.cancelled_mark"))
    return Reply("\n".join(lines), tuple(rows))


def announcement(
    t: Translator,
    lang: str,
    view: MeetingView,
    tz: ZoneInfo,
    now: datetime,
    *,
    private: bool = False,
) -> Reply:
    """The meeting: in the group, counts per sector only for sectors of three or more, the
    smaller ones added up together."""
    meeting = view.meeting
    assert meeting.starts_at is not None
    lines = _head(t, lang, view)
    if meeting.series_id is not None:
        lines[0] += " " + t.t(lang, "meeting.in_series")
    lines.insert(
        1,
        t.t(
            lang,
            "meeting.when",
            when=when_text(t, lang, meeting.starts_at, meeting.duration_minutes, tz),
        ),
    )
    counts, by_sector = attendance(view.rsvps, view.sectors)
    coming = list(by_sector.items()) if private else view.shown.counts(by_sector)
    lines.append(
        t.t(lang, "meeting.counts", going=counts["going"], maybe=counts["maybe"], no=counts["no"])
    )
    lines.append(
        t.t(
            lang,
            "meeting.coming_sectors",
            sectors=", ".join(
                f"{t.t(lang, f'sector.{sector}')} ({count})" for sector, count in coming
            )
            or "—",
        )
    )
    rows: list[tuple[Button, ...]] = []
    if meeting.status == MeetingStatus.CANCELLED:
        lines.insert(0, t.t(lang, "meeting.cancelled_mark"))
    elif now < meeting.starts_at:
        rows.append(
            tuple(
                Button(
                    f"{RSVP_ICONS[answer]} {t.t(lang, f'rsvp.{answer}')}",
                    Rsvp(meeting.id, RSVP_CODES[answer]).pack(),
                )
                for answer in RSVP_ANSWERS
            )
        )
    return Reply("\n".join(lines), tuple(rows))


def private_card(
    t: Translator,
    lang: str,
    view: MeetingView,
    tz: ZoneInfo,
    now: datetime,
    *,
    coordinator: bool,
) -> Reply:
    """For members, in private: who comes by name, and the coordinator's controls."""
    meeting = view.meeting
    if (
        meeting.status == MeetingStatus.POLLING or meeting.starts_at is None
    ):  # a poll, or a cancelled one
        base = poll_message(t, lang, view, tz, private=True)
        if meeting.status != MeetingStatus.POLLING:
            return base
        best = suggest(view.slots, now, view.needed)
        rows: list[tuple[Button, ...]] = list(base.keyboard)
        text = base.text
        if coordinator:
            if best is not None:
                text += "\n" + suggestion_line(t, lang, best, tz)
            rows.append((Button(t.t(lang, "button.pick_time"), PickSlot(meeting.id).pack()),))
            rows.append(
                (Button(t.t(lang, "button.cancel_meeting"), CancelMeeting(meeting.id).pack()),)
            )
        return Reply(text, tuple(rows))
    base = announcement(t, lang, view, tz, now, private=True)
    lines = [base.text]
    for answer in RSVP_ANSWERS:
        names = [view.names.get(user, "?") for user, given in view.rsvps if given == answer]
        if names:
            lines.append(f"{RSVP_ICONS[answer]} " + escape(", ".join(names)))
    rows = list(base.keyboard)
    if (
        coordinator
        and meeting.status == MeetingStatus.SCHEDULED
        and meeting.starts_at
        and now < meeting.starts_at
    ):
        rows.append(
            (
                Button(t.t(lang, "button.move_meeting"), MoveMeeting(meeting.id).pack()),
                Button(t.t(lang, "button.cancel_meeting"), CancelMeeting(meeting.id).pack()),
            )
        )
        if meeting.series_id is not None:
            rows.append(
                (
                    Button(
                        t.t(lang, "button.end_series"),
                        EndSeries(meeting.series_id, meeting.id).pack(),
                    ),
                )
            )
    return Reply("\n".join(lines), tuple(rows))


def suggestion_line(t: Translator, lang: str, best: Suggestion, tz: ZoneInfo) -> str:
    """The suggested time and why: the most people, or the most sectors when that beat a
    time with more people of fewer sectors."""
    return t.t(
        lang,
        f"meeting.suggested_{best.reason}",
        position=best.tally.slot.position,
        when=weekday_moment(best.tally.slot.starts_at, lang, tz),
        people=best.tally.score,
        covered=best.covered,
        needed=best.needed,
    )


def poll_complete_text(
    t: Translator, lang: str, view: MeetingView, tz: ZoneInfo, now: datetime
) -> Reply:
    """Everyone has answered: the suggestion, why, and one tap to fix it (or choose another)."""
    kind = t.t(lang, f"meeting_kind.{view.meeting.kind}")
    lines = [t.tn(lang, "meeting.poll_complete", len(view.answered), kind=kind)]
    best = suggest(view.slots, now, view.needed)
    rows: list[tuple[Button, ...]] = []
    if best is not None:
        lines.append(suggestion_line(t, lang, best, tz))
        rows.append(
            (
                Button(
                    t.t(lang, "button.fix_suggested", position=best.tally.slot.position),
                    PickSlot(view.meeting.id, best.tally.slot.id).pack(),
                ),
            )
        )
    rows.append((Button(t.t(lang, "button.pick_other"), PickSlot(view.meeting.id).pack()),))
    return Reply("\n".join(lines), tuple(rows))


def pick_screen(t: Translator, lang: str, view: MeetingView, tz: ZoneInfo, now: datetime) -> Reply:
    """The coordinator chooses the time; the suggestion comes first and is marked. Times that
    have passed are not offered."""
    suggestion = suggest(view.slots, now, view.needed)
    best = None if suggestion is None else suggestion.tally
    ahead = [s for s in view.slots if s.slot.starts_at > now]
    ordered = sorted(ahead, key=lambda s: (s is not best, s.slot.position))
    if not ordered:
        return Reply(t.t(lang, "meeting.all_passed"))
    rows = tuple(
        (
            Button(
                ("⭐ " if tally is best else "")
                + f"{weekday_moment(tally.slot.starts_at, lang, tz)} · ✅{tally.counts['yes']}"
                f" ❔{tally.counts['maybe']} · {len(tally.sectors)}",
                PickSlot(view.meeting.id, tally.slot.id).pack(),
            ),
        )
        for tally in ordered
    )
    return Reply(t.t(lang, "meeting.pick_ask"), rows)


def reminder_text(
    t: Translator, lang: str, view: MeetingView, tz: ZoneInfo, now: datetime
) -> Reply:
    """Worded from the time actually left (a reminder sent late says so truthfully)."""
    meeting = view.meeting
    assert meeting.starts_at is not None
    offset = max(round((meeting.starts_at - now).total_seconds() / 60), 1)
    left = (
        t.tn(lang, "meeting.in_hours", round(offset / 60))
        if offset >= 90 or offset % 60 == 0
        else t.t(lang, "meeting.in_minutes", minutes=offset)
    )
    lines = [
        t.t(
            lang,
            "meeting.reminder",
            kind=t.t(lang, f"meeting_kind.{meeting.kind}"),
            left=left,
            when=when_text(t, lang, meeting.starts_at, meeting.duration_minutes, tz),
        )
    ]
    if meeting.place:
        lines.append(t.t(lang, "meeting.place", place=meeting.place))
    return Reply("\n".join(lines))


def changed_text(t: Translator, lang: str, view: MeetingView, tz: ZoneInfo) -> Reply:
    meeting = view.meeting
    kind = t.t(lang, f"meeting_kind.{meeting.kind}")
    if meeting.status == MeetingStatus.CANCELLED:
        if meeting.starts_at is None:
            return Reply(t.t(lang, "meeting.cancelled_poll_notice", kind=kind))
        when = format_datetime(meeting.starts_at, lang, tz)
        return Reply(t.t(lang, "meeting.cancelled_notice", kind=kind, when=when))
    assert meeting.starts_at is not None
    return Reply(
        t.t(
            lang,
            "meeting.moved_notice",
            kind=kind,
            when=when_text(t, lang, meeting.starts_at, meeting.duration_minutes, tz),
        )
    )


def calendar_file(
    t: Translator, lang: str, view: MeetingView, tz: ZoneInfo, stamp: datetime
) -> tuple[str, bytes]:
    """The meeting as an .ics file; cancelled → METHOD:CANCEL with the raised SEQUENCE."""
    meeting = view.meeting
    assert meeting.starts_at is not None
    event = MeetingEvent(
        uid=meeting_uid(meeting.id) if meeting.series_id is None else series_uid(meeting.series_id),
        recurrence_id=None if meeting.occurrence is None else meeting.occurrence.astimezone(tz),
        sequence=meeting.sequence,
        start=meeting.starts_at.astimezone(tz),
        duration=timedelta(minutes=meeting.duration_minutes),
        summary=f"{t.t(lang, f'meeting_kind.{meeting.kind}')} — {view.board.title}",
        location=meeting.place or None,
        description=t.t(lang, "meeting.ics_description"),
        organizer_name=view.board.title,
        stamp=stamp,
    )
    data = meeting_ics(event, cancelled=meeting.status == MeetingStatus.CANCELLED)
    return f"{meeting.kind}-{meeting.id}.ics", data


def calendar_caption(t: Translator, lang: str, view: MeetingView, tz: ZoneInfo) -> Reply:
    """What comes with the file: added, moved (to when), or cancelled."""
    meeting = view.meeting
    if meeting.status == MeetingStatus.CANCELLED:
        return Reply(t.t(lang, "meeting.ics_cancelled"))
    if meeting.sequence > 1 and meeting.starts_at is not None:
        when = when_text(t, lang, meeting.starts_at, meeting.duration_minutes, tz)
        return Reply(t.t(lang, "meeting.ics_moved", when=when))
    return Reply(t.t(lang, "meeting.ics_caption"))
