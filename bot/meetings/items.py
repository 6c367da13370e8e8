"""A meeting's outbox rows: their kinds, the rows for the group and for each person, and the
rows a cancellation writes. Written by the meeting and series services, worded by the notices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.kernel.outbox import group_row, private_row
from bot.kernel.tasks import TaskPayload
from bot.meetings.rules import ATTENDING
from storage import Session
from storage.models import BoardRecord, MeetingRecord, MeetingStatus, NewOutboxItem

MEETING_POST = "meeting_post"


MEETING_LIVE = "meeting_live"


POLL_POST = "meeting_poll_post"


POLL_LIVE = "meeting_poll_live"


POLL_COMPLETE = "meeting_poll_complete"
"""To whoever set a poll up, once: everyone has answered."""


MEETING_ICS = "meeting_ics"


MEETING_REMINDER = "meeting_reminder"


MEETING_REMIND_TASK = "meeting_remind_task"


MEETING_CHANGED = "meeting_changed"


AGENDA_BRIEF_TASK = "agenda_brief_task"


AGENDA_BRIEF = "agenda_brief"


SUPERSEDED_ON_CHANGE = (
    MEETING_REMIND_TASK,
    MEETING_REMINDER,
    MEETING_ICS,
    MEETING_CHANGED,
    AGENDA_BRIEF_TASK,
)
"""A meeting's pending rows that a move or a cancellation makes obsolete."""


def group_item(
    board: BoardRecord,
    kind: str,
    meeting_id: int,
    due: datetime,
    key: str,
    *,
    sequence: int | None = None,
    with_file: bool = False,
) -> NewOutboxItem:
    """A row for the board's group; with ``sequence`` it says nothing once the meeting moved on;
    ``with_file``: the message is the calendar file, its words the caption (one message, not
    two)."""
    payload: dict[str, int] = {"meeting_id": meeting_id}
    if sequence is not None:
        payload["sequence"] = sequence
    if with_file:
        payload["with_file"] = 1
    return group_row(board, kind, ("meeting", meeting_id), payload, due, key)


def live_item(
    board: BoardRecord, meeting_id: int, now: datetime, key: str, *, kind: str = MEETING_LIVE
) -> NewOutboxItem:
    """An edit of the group's poll or announcement, now (a move, a cancellation)."""
    return group_item(board, kind, meeting_id, now, f"{kind}:{meeting_id}:{key}")


def private_ics(
    board: BoardRecord, meeting_id: int, sequence: int, user_id: int, now: datetime
) -> NewOutboxItem:
    return private_row(
        user_id,
        board.id,
        MEETING_ICS,
        ("meeting", meeting_id),
        {"meeting_id": meeting_id, "sequence": sequence},
        now,
        f"ics:{meeting_id}:{sequence}:{user_id}",
    )


async def cancelled_items(
    session: Session,
    meeting: MeetingRecord,
    board: BoardRecord,
    now: datetime,
    *,
    group_notice: bool = True,
) -> list[NewOutboxItem]:
    """Cancel one meeting (a series' occurrence too): its pending rows stop, its message loses
    the buttons, calendar files with METHOD:CANCEL go to those coming, and (``group_notice``)
    the group is told and gets the file (a whole series ending says it once instead)."""
    was_polling = meeting.status == MeetingStatus.POLLING
    await session.outbox.cancel_for_subject(
        "meeting",
        str(meeting.id),
        SUPERSEDED_ON_CHANGE,
        "cancelled",
        now,
    )
    await session.meetings.cancel(meeting.id, now)
    seq = meeting.sequence + 1
    items = (
        [
            group_item(
                board,
                MEETING_CHANGED,
                meeting.id,
                now,
                f"mchg:{meeting.id}:{seq}",
                sequence=seq,
                with_file=not was_polling,  # the notice is the METHOD:CANCEL file's caption
            )
        ]
        if group_notice
        else []
    )
    items.append(
        live_item(
            board, meeting.id, now, f"seq{seq}", kind=POLL_LIVE if was_polling else MEETING_LIVE
        )
    )
    if not was_polling:
        items += [
            private_ics(board, meeting.id, seq, person, now)
            for person in await attending(session, meeting)
        ]
    return items


async def attending(session: Session, meeting: MeetingRecord) -> list[int]:
    """Members still on the board who answered going or maybe (a former member gets nothing)."""
    members = {m.user_id for m in await session.boards.members(meeting.board_id)}
    return [
        person
        for person, answer in await session.meetings.rsvps(meeting.id)
        if answer in ATTENDING and person in members
    ]


@dataclass(frozen=True, slots=True)
class MeetingReminderTask(TaskPayload, kind=MEETING_REMIND_TASK):
    """Turns a reminder offset into the reminders themselves, for the meeting at SEQUENCE."""

    meeting_id: int
    sequence: int
    offset: int


@dataclass(frozen=True, slots=True)
class AgendaBriefTask(TaskPayload, kind=AGENDA_BRIEF_TASK):
    """Sends the agenda's briefs before the meeting at SEQUENCE (run by the agenda)."""

    meeting_id: int
    sequence: int
