"""The agenda of the next meeting: cases added by code, the team's brief before the meeting, and
written updates from those who cannot come.

The group only ever sees codes; the brief and the updates go in private, through the outbox,
worded at send time (a case taken off the agenda or erased meanwhile sends nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.agenda.refusals import AgendaRefusal, UpdateRefusal
from bot.agenda.rules import MAX_UPDATE, brief_is_due, may_set_agenda, next_meeting
from bot.cases.rules import COORDINATING, OPEN_STATUSES, can_read_details
from bot.kernel.audit import audit
from bot.kernel.outbox import Task, private_row
from bot.kernel.policy import BOARD_MEMBERS, Role, role_of
from bot.kernel.service import Kernel, Service
from bot.meetings.items import AGENDA_BRIEF, MEETING_LIVE, AgendaBriefTask, group_item
from bot.meetings.service import MERGE_WINDOW
from bot.nudges.service import NudgeService, Planned
from storage import Session
from storage.models import CaseRecord, MeetingRecord, MeetingStatus, MinutesStatus, NewOutboxItem

AGENDA_UPDATE = "agenda_update"


# the service --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class AgendaChange:
    """The next meeting a case went onto (or off); ``changed`` False: it already was (or was
    not) on its agenda."""

    meeting: MeetingRecord
    changed: bool


@dataclass(frozen=True, slots=True)
class AgendaView:
    meeting: MeetingRecord
    cases: list[CaseRecord]


class AgendaService(Service):
    def __init__(self, kernel: Kernel, nudges: NudgeService) -> None:
        super().__init__(kernel)
        self._nudges = nudges

    async def next_on(self, board_id: int) -> AgendaView | None:
        now = self._clock.now()
        async with self._db.read() as session:
            meeting = next_meeting(await session.meetings.upcoming([board_id], now), now)
            if meeting is None:
                return None
            return AgendaView(meeting, await session.cases.on_agenda(meeting.id))

    async def of_meeting(self, meeting_id: int) -> list[CaseRecord]:
        async with self._db.read() as session:
            return await session.cases.on_agenda(meeting_id)

    async def add(
        self, user_id: int, case: CaseRecord, chat_id: int
    ) -> AgendaChange | AgendaRefusal:
        """Onto the next meeting's agenda; the case's timeline says so."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            current = await session.cases.get(case.id)
            if current is None:
                return AgendaRefusal.CASE_GONE
            role = role_of(await session.boards.membership(current.board_id, user_id))
            if role is Role.NON_MEMBER:
                return AgendaRefusal.CASE_GONE  # another board's case: not even its existence
            if not may_set_agenda(role, await session.cases.team_roles(current.id, user_id)):
                return AgendaRefusal.NOT_ALLOWED
            return await self.place(session, current, user_id, now, chat_id)

    async def place(
        self, session: Session, case: CaseRecord, user_id: int, now: datetime, chat_id: int
    ) -> AgendaChange | AgendaRefusal:
        """Put an open case on its board's next agenda (who may, the caller has checked): the
        timeline and audit lines, and the team's brief at once when its time has come."""
        if case.status not in OPEN_STATUSES:
            return AgendaRefusal.CASE_CLOSED
        meeting = next_meeting(await session.meetings.upcoming([case.board_id], now), now)
        if meeting is None:
            return AgendaRefusal.NO_MEETING
        if not await session.agenda.add(meeting.id, case.id, user_id, now):
            return AgendaChange(meeting, changed=False)
        await session.cases.add_event(
            case.id, now, user_id, "agenda_added", {"meeting": meeting.id}
        )
        await audit(
            session, now, user_id, "agenda.added", case.board_id, ("case", case.id), chat_id
        )
        settings = await self._settings.get(session, case.board_id)
        if brief_is_due(meeting, settings.agenda_brief_days, now):
            await self._outbox.add(session, await self._briefs(session, meeting, [case], now), now)
        return AgendaChange(meeting, changed=True)

    async def remove(
        self, user_id: int, case: CaseRecord, chat_id: int
    ) -> AgendaChange | AgendaRefusal:
        """Off the next meeting's agenda (the lead's or a coordinator's call)."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            role = role_of(await session.boards.membership(case.board_id, user_id))
            if not may_set_agenda(role, await session.cases.team_roles(case.id, user_id)):
                return AgendaRefusal.NOT_ALLOWED
            meeting = next_meeting(await session.meetings.upcoming([case.board_id], now), now)
            if meeting is None:
                return AgendaRefusal.NO_MEETING
            if not await session.agenda.remove(meeting.id, case.id):
                return AgendaChange(meeting, changed=False)
            await audit(
                session, now, user_id, "agenda.removed", case.board_id, ("case", case.id), chat_id
            )
            return AgendaChange(meeting, changed=True)

    def tasks(self) -> dict[str, Task]:
        """What the outbox runs for the agenda at its time: the briefs before a meeting."""
        return dict([AgendaBriefTask.task(lambda p: self.run_brief_task(p.meeting_id, p.sequence))])

    async def run_brief_task(self, meeting_id: int, sequence: int) -> datetime | None:
        """Before the meeting: each agenda case's team gets the case in private."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            meeting = await session.meetings.get(meeting_id)
            if (
                meeting is None
                or meeting.status != MeetingStatus.SCHEDULED
                or meeting.sequence != sequence
            ):
                return None
            cases = await session.cases.on_agenda(meeting.id)
            await self._outbox.add(session, await self._briefs(session, meeting, cases, now), now)
        return None

    async def _briefs(
        self,
        session: Session,
        meeting: MeetingRecord,
        cases: Sequence[CaseRecord],
        now: datetime,
    ) -> list[NewOutboxItem]:
        members = {m.user_id for m in await session.boards.members(meeting.board_id)}
        planned = []
        for case in cases:
            for person, _ in await session.cases.team(case.id):
                if person not in members:
                    continue
                planned.append(
                    Planned(
                        person,
                        now,
                        f"agbrief:{meeting.id}:{meeting.sequence}:{case.id}:{person}",
                        {"meeting_id": meeting.id, "case_id": case.id},
                        useful_until=meeting.starts_at,
                        subject=("case", case.id),
                        kind=AGENDA_BRIEF,
                    )
                )
        unique = {p.key: p for p in planned}  # lead and keyworker both: one brief
        for brief in unique.values():  # case details leave the database: audited, ids only
            await audit(
                session,
                now,
                brief.recipient,
                "case.details_sent",
                meeting.board_id,
                ("case", int(brief.payload["case_id"])),
                brief.recipient,
            )
        return await self._nudges.rows(session, meeting.board_id, list(unique.values()))

    async def _not_coming(
        self, session: Session, meeting: MeetingRecord, user_id: int, role: Role, now: datetime
    ) -> bool:
        """A team member who sends a written update is saying they cannot come: before the
        meeting their answer becomes "not going" (the announcement's counts and the attendance
        follow); True when that changed it. A coordinator or the minute-taker may pass on
        information and still come: their answer stays."""
        if meeting.starts_at is None or now >= meeting.starts_at:
            return False
        if role in (Role.COORDINATOR, Role.DEPUTY) or meeting.minute_taker_id == user_id:
            return False
        return await session.meetings.rsvp(meeting.id, user_id, "no", now) != "no"

    async def add_update(
        self, user_id: int, meeting_id: int, case_id: int, text: str
    ) -> bool | UpdateRefusal:
        """A written update for an agenda case, from a member of its team or a coordinator; it
        goes to the minute-taker (or, with none named, the coordinators). True when the writer's
        answer to the meeting became "not going"."""
        now = self._clock.now()
        body = text.strip()
        if not body or len(body) > MAX_UPDATE:
            return UpdateRefusal.BAD_TEXT
        async with self._db.transaction() as session:
            meeting = await session.meetings.get(meeting_id)
            case = await session.cases.get(case_id)
            if (
                meeting is None
                or case is None
                or meeting.status == MeetingStatus.CANCELLED
                or case.id not in await session.agenda.case_ids(meeting.id)
            ):
                return UpdateRefusal.GONE
            role = role_of(await session.boards.membership(case.board_id, user_id))
            if not can_read_details(role, await session.cases.team_roles(case.id, user_id)):
                return UpdateRefusal.NOT_ON_THE_TEAM
            written = await session.minutes.of(meeting.id, case.id)
            if written is not None and written.status == MinutesStatus.APPROVED:
                return UpdateRefusal.MINUTES_APPROVED
            update_id = await session.agenda.add_update(meeting.id, case.id, user_id, body, now)
            not_coming = await self._not_coming(session, meeting, user_id, role, now)
            if not_coming:
                board = await session.boards.get(meeting.board_id)
                assert board is not None
                await self._outbox.add_merged(
                    session,
                    group_item(
                        board, MEETING_LIVE, meeting.id, now, f"{MEETING_LIVE}:{meeting.id}"
                    ),
                    now,
                    MERGE_WINDOW,
                )
            taker = meeting.minute_taker_id
            if (
                taker is not None
                and role_of(await session.boards.membership(case.board_id, taker))
                not in BOARD_MEMBERS
            ):
                taker = None  # left the board: the coordinators read it instead
            readers = (
                [taker]
                if taker is not None
                else await session.boards.member_ids(case.board_id, COORDINATING)
            )
            items = [
                private_row(
                    reader,
                    case.board_id,
                    AGENDA_UPDATE,
                    ("case", case.id),
                    {"update_id": update_id},
                    now,
                    f"agupd:{update_id}:{reader}",
                )
                for reader in readers
                if reader != user_id
            ]
            await audit(
                session,
                now,
                user_id,
                "agenda.update_written",
                case.board_id,
                ("case", case.id),
                user_id,
            )
            await self._outbox.add(session, items, now)
        return not_coming
