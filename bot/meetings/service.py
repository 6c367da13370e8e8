"""Supervision meetings: finding a time, RSVPs, calendar files and reminders.

Every reminder is an outbox task row at ``start - offset``; it carries the meeting's calendar
SEQUENCE, so a moved meeting's old reminders say nothing and a cancelled meeting's are cancelled.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.boards.disclosure import NOTHING_NAMED, GroupSectors, of_members
from bot.boards.rules import sector_order
from bot.kernel.audit import audit
from bot.kernel.outbox import Task
from bot.kernel.policy import BOARD_MEMBERS, COORDINATORS, Role, role_of
from bot.kernel.service import Kernel, Service
from bot.kernel.tasks import TaskPayload
from bot.meetings.items import (
    MEETING_CHANGED,
    MEETING_LIVE,
    MEETING_POST,
    MEETING_REMINDER,
    POLL_COMPLETE,
    POLL_LIVE,
    POLL_POST,
    SUPERSEDED_ON_CHANGE,
    AgendaBriefTask,
    MeetingReminderTask,
    attending,
    cancelled_items,
    group_item,
    live_item,
    private_ics,
)
from bot.meetings.refusals import AnswerRefusal, ChangeRefusal, CreateRefusal, PickRefusal
from bot.meetings.rules import (
    ATTENDING,
    KINDS,
    MAX_PLACE,
    MAX_SLOTS,
    RSVP_ANSWERS,
    SLOT_ANSWERS,
    SlotTally,
    everyone_answered,
    reminder_due,
    reminder_moments,
    tally_slots,
)
from bot.nudges.quiet import plan
from bot.nudges.rules import board_quiet_rules
from bot.nudges.service import NudgeService, Planned
from storage import Session
from storage.models import (
    BoardRecord,
    BoardStatus,
    MeetingRecord,
    MeetingStatus,
    NewOutboxItem,
)

log = logging.getLogger(__name__)


MERGE_WINDOW = timedelta(seconds=5)


# the service --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MeetingView:
    meeting: MeetingRecord
    board: BoardRecord
    slots: list[SlotTally]
    rsvps: list[tuple[int, str]]
    names: dict[int, str] = field(default_factory=dict)
    sectors: dict[int, str] = field(default_factory=dict)
    needed: tuple[str, ...] = ()
    """While polling: the sectors the time should bring together (the agenda cases', else the
    board's)."""
    answered: frozenset[int] = frozenset()
    """Who has answered at least one time of the poll."""
    shown: GroupSectors = NOTHING_NAMED
    """The sectors the group may see named (bot.boards.disclosure)."""


async def view_of(session: Session, meeting_id: int) -> MeetingView | None:
    meeting = await session.meetings.get(meeting_id)
    if meeting is None:
        return None
    board = await session.boards.get(meeting.board_id)
    if board is None:
        return None
    members = await session.boards.members(board.id)
    sector_of = {m.user_id: m.sector for m in members}
    answers = await session.meetings.slot_answers(meeting.id)
    slots = tally_slots(await session.meetings.slots(meeting.id), answers, sector_of)
    needed: tuple[str, ...] = ()
    if meeting.status == MeetingStatus.POLLING:  # which sectors the time should bring together
        agenda = await session.cases.on_agenda(meeting.id)
        needed = sector_order(
            {c.lead_sector for c in agenda} | {s for c in agenda for s in c.other_sectors}
            or set(sector_of.values())
        )
    return MeetingView(
        meeting=meeting,
        board=board,
        slots=slots,
        rsvps=[(u, a) for u, a in await session.meetings.rsvps(meeting.id) if u in sector_of],
        names={m.user_id: m.display_name for m in members},
        sectors=sector_of,
        needed=needed,
        answered=frozenset(user for _, user, _ in answers if user in sector_of),
        shown=of_members(members),
    )


class MeetingService(Service):
    def __init__(self, kernel: Kernel, nudges: NudgeService) -> None:
        super().__init__(kernel)
        self._nudges = nudges

    async def view(self, meeting_id: int | None) -> MeetingView | None:
        if meeting_id is None:
            return None
        async with self._db.read() as session:
            return await view_of(session, meeting_id)

    async def role_on(self, board_id: int, user_id: int) -> Role:
        async with self._db.read() as session:
            return role_of(await session.boards.membership(board_id, user_id))

    async def upcoming_for(self, user_id: int) -> list[MeetingRecord]:
        now = self._clock.now()
        async with self._db.read() as session:
            boards = [m.board_id for m in await session.boards.memberships_of(user_id)]
            return await session.meetings.upcoming(boards, now)

    async def upcoming_on(self, board_id: int) -> list[MeetingRecord]:
        async with self._db.read() as session:
            return await session.meetings.upcoming([board_id], self._clock.now())

    async def create(
        self,
        user_id: int,
        board_id: int,
        *,
        kind: str,
        starts: Sequence[datetime],
        duration_minutes: int,
        place: str,
    ) -> MeetingRecord | CreateRefusal:
        """One start: scheduled and announced. Two to eight: a time poll in the group."""
        now = self._clock.now()
        if (
            kind not in KINDS
            or not 1 <= len(starts) <= MAX_SLOTS
            or any(start <= now for start in starts)
            or len(place) > MAX_PLACE
        ):
            return CreateRefusal.TIME_PASSED
        async with self._db.transaction() as session:
            board = await coordinated_board(session, board_id, user_id)
            if board is None:
                return CreateRefusal.NOT_A_COORDINATOR
            meeting = await session.meetings.create(
                board_id=board.id,
                kind=kind,
                status=MeetingStatus.POLLING,
                starts_at=None,
                duration_minutes=duration_minutes,
                place=place.strip(),
                created_by=user_id,
                now=now,
            )
            if len(starts) == 1:
                await session.meetings.schedule(meeting.id, starts[0], now)
                items = await self.scheduled_items(session, meeting.id, board, now, first=True)
            else:
                await session.meetings.add_slots(meeting.id, sorted(starts))
                items = [group_item(board, POLL_POST, meeting.id, now, f"mpoll:{meeting.id}")]
            await audit_meeting(session, now, user_id, "meeting.created", board, meeting.id)
            await self._outbox.add(session, items, now)
            created = await session.meetings.get(meeting.id)
        assert created is not None
        return created

    async def scheduled_items(
        self,
        session: Session,
        meeting_id: int,
        board: BoardRecord,
        now: datetime,
        *,
        first: bool,
        group_file: bool = True,
    ) -> list[NewOutboxItem]:
        """The announcement (first time) or the change notice, the calendar file for the group
        (a series' occurrence has the series' file instead) and for everyone going or maybe, and
        one reminder task per configured offset."""
        meeting = await session.meetings.get(meeting_id)
        assert meeting is not None
        assert meeting.starts_at is not None
        seq = meeting.sequence
        items = []
        if first:  # the announcement is the calendar file's caption: one message in the group
            items.append(
                group_item(
                    board,
                    MEETING_POST,
                    meeting.id,
                    now,
                    f"mpost:{meeting.id}",
                    with_file=group_file,
                )
            )
        else:  # the change notice, with the updated file, and the announcement edited
            items.append(
                group_item(
                    board,
                    MEETING_CHANGED,
                    meeting.id,
                    now,
                    f"mchg:{meeting.id}:{seq}",
                    sequence=seq,
                    with_file=True,
                )
            )
            items.append(live_item(board, meeting.id, now, f"seq{seq}"))
        for user_id in await attending(session, meeting):
            items.append(private_ics(board, meeting.id, seq, user_id, now))
        board_settings = await self._settings.get(session, board.id)
        offsets = board_settings.meeting_reminder_minutes
        decent = board_quiet_rules(board_settings)
        planned: dict[datetime, int] = {}
        for offset, due in reminder_moments(meeting.starts_at, offsets, now):
            # at a decent hour for the board: a 06:30 reminder of a 07:30 meeting goes out the
            # evening before; each person's own quiet hours are applied when it runs
            at = plan(due, decent, now, useful_until=meeting.starts_at) or due
            planned[at] = min(offset, planned.get(at, offset))  # two landing together: one

        def task(payload: TaskPayload, due: datetime, key: str) -> NewOutboxItem:
            """A task row about this meeting at this SEQUENCE: a moved meeting's say nothing."""
            return NewOutboxItem(
                chat_id=board.chat_id,
                board_id=board.id,
                kind=payload.kind,
                subject_type="meeting",
                subject_id=str(meeting.id),
                payload=payload.payload(),
                due_at=due,
                useful_until=meeting.starts_at,
                dedupe_key=key,
            )

        brief_at = meeting.starts_at - timedelta(days=board_settings.agenda_brief_days)
        items.append(
            task(
                AgendaBriefTask(meeting.id, seq),
                max(brief_at, now),
                f"agbrieftask:{meeting.id}:{seq}",
            )
        )
        for at, offset in planned.items():
            items.append(
                task(
                    MeetingReminderTask(meeting.id, seq, offset),
                    at,
                    f"mremtask:{meeting.id}:{seq}:{offset}",
                )
            )
        return items

    # answering --------------------------------------------------------------------------------
    async def meeting_of_slot(self, slot_id: int | None) -> int | None:
        """Which meeting a poll's time slot belongs to (for the answer's card)."""
        if slot_id is None:
            return None
        async with self._db.read() as session:
            slot = await session.meetings.slot(slot_id)
        return None if slot is None else slot.meeting_id

    async def answer_slot(
        self, user_id: int, slot_id: int | None, answer: str
    ) -> AnswerRefusal | None:
        now = self._clock.now()
        if slot_id is None or answer not in SLOT_ANSWERS:
            return AnswerRefusal.GONE
        async with self._db.transaction() as session:
            slot = await session.meetings.slot(slot_id)
            meeting = None if slot is None else await session.meetings.get(slot.meeting_id)
            if slot is None or meeting is None:
                return AnswerRefusal.GONE
            if meeting.status != MeetingStatus.POLLING:
                return AnswerRefusal.CLOSED
            if role_of(await session.boards.membership(meeting.board_id, user_id)) not in (
                BOARD_MEMBERS
            ):
                return AnswerRefusal.NOT_A_MEMBER
            if not await session.meetings.answer_slot(slot.id, user_id, answer, now):
                return AnswerRefusal.SAME_AGAIN
            board = await session.boards.get(meeting.board_id)
            assert board is not None
            await self._outbox.add_merged(
                session,
                group_item(board, POLL_LIVE, meeting.id, now, f"{POLL_LIVE}:{meeting.id}"),
                now,
                MERGE_WINDOW,
            )
            await self._tell_when_everyone_answered(session, meeting)
        return None

    async def _tell_when_everyone_answered(self, session: Session, meeting: MeetingRecord) -> None:
        """Doodle's "everyone has answered": once, to whoever set the poll up (its key keeps it
        once), worded at send time with the suggestion and one tap to fix it."""
        members = {m.user_id for m in await session.boards.members(meeting.board_id)}
        answered = {user for _, user, _ in await session.meetings.slot_answers(meeting.id)}
        if not everyone_answered(answered, members):
            return
        await self._nudges.queue(
            session,
            meeting.board_id,
            [
                Planned(
                    meeting.created_by,
                    self._clock.now(),
                    f"{POLL_COMPLETE}:{meeting.id}",
                    {"meeting_id": meeting.id},
                    subject=("meeting", meeting.id),
                    kind=POLL_COMPLETE,
                )
            ],
        )

    async def rsvp(self, user_id: int, meeting_id: int | None, answer: str) -> AnswerRefusal | None:
        """Going / maybe / not going, until the meeting starts; a new "going" gets the file."""
        now = self._clock.now()
        if meeting_id is None or answer not in RSVP_ANSWERS:
            return AnswerRefusal.GONE
        async with self._db.transaction() as session:
            meeting = await session.meetings.get(meeting_id)
            if meeting is None or meeting.status == MeetingStatus.POLLING:
                return AnswerRefusal.GONE
            if meeting.status == MeetingStatus.CANCELLED:
                return AnswerRefusal.CLOSED
            if meeting.starts_at is None or now >= meeting.starts_at:
                return AnswerRefusal.CLOSED
            if role_of(await session.boards.membership(meeting.board_id, user_id)) not in (
                BOARD_MEMBERS
            ):
                return AnswerRefusal.NOT_A_MEMBER
            board = await session.boards.get(meeting.board_id)
            assert board is not None
            previous = await session.meetings.rsvp(meeting.id, user_id, answer, now)
            if previous == answer:
                return AnswerRefusal.SAME_AGAIN
            await self._outbox.add_merged(
                session,
                group_item(board, MEETING_LIVE, meeting.id, now, f"{MEETING_LIVE}:{meeting.id}"),
                now,
                MERGE_WINDOW,
            )
            if answer in ATTENDING and previous not in ATTENDING:
                await self._outbox.add(
                    session, [private_ics(board, meeting.id, meeting.sequence, user_id, now)], now
                )
        return None

    # the coordinator's decisions --------------------------------------------------------------
    async def pick(
        self, user_id: int, meeting_id: int | None, slot_id: int | None
    ) -> PickRefusal | None:
        """Close the poll on one time: yes becomes going, if-need-be becomes maybe."""
        now = self._clock.now()
        if meeting_id is None or slot_id is None:
            return PickRefusal.GONE
        async with self._db.transaction() as session:
            meeting = await session.meetings.get(meeting_id)
            slot = await session.meetings.slot(slot_id)
            if meeting is None or slot is None or slot.meeting_id != meeting.id:
                return PickRefusal.GONE
            board = await session.boards.get(meeting.board_id)
            role = role_of(await session.boards.membership(meeting.board_id, user_id))
            if board is None or role not in COORDINATORS:
                return PickRefusal.NOT_A_COORDINATOR
            if meeting.status != MeetingStatus.POLLING:
                return PickRefusal.CLOSED
            if slot.starts_at <= now:
                return PickRefusal.SLOT_PASSED
            await session.meetings.schedule(meeting.id, slot.starts_at, now)
            members = {m.user_id for m in await session.boards.members(meeting.board_id)}
            for slot_of, person, answer in await session.meetings.slot_answers(meeting.id):
                if slot_of == slot.id and answer in ("yes", "maybe") and person in members:
                    rsvp = "going" if answer == "yes" else "maybe"
                    await session.meetings.rsvp(meeting.id, person, rsvp, now)
            items = [group_item(board, POLL_LIVE, meeting.id, now, f"mpoll:{meeting.id}:final")]
            items += await self.scheduled_items(session, meeting.id, board, now, first=True)
            await audit_meeting(session, now, user_id, "meeting.time_picked", board, meeting.id)
            await self._outbox.add(session, items, now)
        return None

    async def move(
        self, user_id: int, meeting_id: int | None, start: datetime
    ) -> ChangeRefusal | None:
        """A new time: everyone is told, with an updated file; old reminders are cancelled."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            found = await _coordinated(session, meeting_id, user_id)
            if isinstance(found, ChangeRefusal):
                return found
            meeting, board = found
            if meeting.status != MeetingStatus.SCHEDULED:
                return ChangeRefusal.CLOSED
            if start <= now:
                return ChangeRefusal.PAST
            if start == meeting.starts_at:
                return ChangeRefusal.SAME_TIME
            await session.outbox.cancel_for_subject(
                "meeting",
                str(meeting.id),
                SUPERSEDED_ON_CHANGE,
                "moved",
                now,
            )
            await session.meetings.schedule(meeting.id, start, now)
            items = await self.scheduled_items(session, meeting.id, board, now, first=False)
            await audit_meeting(session, now, user_id, "meeting.moved", board, meeting.id)
            await self._outbox.add(session, items, now)
        return None

    async def cancel(self, user_id: int, meeting_id: int | None) -> ChangeRefusal | None:
        now = self._clock.now()
        async with self._db.transaction() as session:
            found = await _coordinated(session, meeting_id, user_id)
            if isinstance(found, ChangeRefusal):
                return found
            meeting, board = found
            if meeting.status == MeetingStatus.CANCELLED:
                return ChangeRefusal.CLOSED
            items = await cancelled_items(session, meeting, board, now)
            await audit_meeting(session, now, user_id, "meeting.cancelled", board, meeting.id)
            await self._outbox.add(session, items, now)
        return None

    # recurring board sessions -----------------------------------------------------------------
    def tasks(self) -> dict[str, Task]:
        """What the outbox runs for meetings at its time: turning an offset into reminders."""
        return dict(
            [
                MeetingReminderTask.task(
                    lambda p: self.run_reminder_task(p.meeting_id, p.sequence, p.offset)
                )
            ]
        )

    async def run_reminder_task(
        self, meeting_id: int, sequence: int, offset: int
    ) -> datetime | None:
        """At ``start - offset``: one reminder to the group, one to each person going or maybe."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            meeting = await session.meetings.get(meeting_id)
            board = None if meeting is None else await session.boards.get(meeting.board_id)
            if (
                meeting is None
                or board is None
                or meeting.status != MeetingStatus.SCHEDULED
                or meeting.sequence != sequence
                or meeting.starts_at is None
            ):
                return None
            offsets = (await self._settings.get(session, board.id)).meeting_reminder_minutes
            if not reminder_due(offset, offsets, meeting.starts_at, now):
                return None
            payload = {"meeting_id": meeting.id, "sequence": sequence, "offset": offset}
            key = f"mrem:{meeting.id}:{meeting.sequence}:{offset}"
            group = NewOutboxItem(
                chat_id=board.chat_id,
                thread_id=board.thread_id,
                board_id=board.id,
                kind=MEETING_REMINDER,
                subject_type="meeting",
                subject_id=str(meeting.id),
                payload=payload,
                due_at=now,
                useful_until=meeting.starts_at,
                dedupe_key=f"{key}:{board.chat_id}",
            )
            # in private, at a decent hour for each person, or before their quiet time
            private = await self._nudges.rows(
                session,
                board.id,
                [
                    Planned(
                        person,
                        now,
                        f"{key}:{person}",
                        payload,
                        useful_until=meeting.starts_at,
                        subject=("meeting", meeting.id),
                        kind=MEETING_REMINDER,
                    )
                    for person in await attending(session, meeting)
                ],
            )
            await self._outbox.add(session, [group, *private], now)
        return None


async def coordinated_board(session: Session, board_id: int, user_id: int) -> BoardRecord | None:
    """The board, if it is active and ``user_id`` coordinates it (only they schedule)."""
    board = await session.boards.get(board_id)
    role = role_of(await session.boards.membership(board_id, user_id))
    if board is None or board.status != BoardStatus.ACTIVE or role not in COORDINATORS:
        return None
    return board


async def _coordinated(
    session: Session, meeting_id: int | None, user_id: int
) -> tuple[MeetingRecord, BoardRecord] | ChangeRefusal:
    """The meeting and its board when ``user_id`` coordinates that board; else why not."""
    meeting = None if meeting_id is None else await session.meetings.get(meeting_id)
    if meeting is None:
        return ChangeRefusal.GONE
    board = await session.boards.get(meeting.board_id)
    role = role_of(await session.boards.membership(meeting.board_id, user_id))
    if board is None or role not in COORDINATORS:
        return ChangeRefusal.NOT_A_COORDINATOR
    return meeting, board


async def audit_meeting(
    session: Session,
    now: datetime,
    actor_id: int,
    action: str,
    board: BoardRecord,
    subject: int,
    subject_type: str = "meeting",
) -> None:
    await audit(session, now, actor_id, action, board.id, (subject_type, subject), actor_id)
