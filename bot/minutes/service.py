"""Minutes of a meeting, per agenda case, in the "thinking together" structure (AMBIT):
the question, the case in short, each sector's view, where the views clash, the decision and the
next review. Drafts are saved at every answer; approved minutes are read-only and take
amendments. On approval the agreed actions become real actions (owner, due date, nudges), the
case's timeline shows the meeting, and the group gets one line of counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.actions.follow_up import action_follow_up
from bot.cases.rules import COORDINATING, can_read_details
from bot.kernel.audit import audit as audit_row
from bot.kernel.policy import BOARD_MEMBERS, COORDINATORS, VOTERS, Role, role_of
from bot.kernel.service import Kernel, Service
from bot.minutes.refusals import (
    AmendRefusal,
    ApproveRefusal,
    AttendanceRefusal,
    BeginRefusal,
    DraftRefusal,
    TakerRefusal,
)
from bot.minutes.rules import (
    MAX_ACTION_TITLE,
    MAX_FIELD,
    RECENT,
    is_held,
    may_approve,
    may_record,
    missing,
)
from bot.nudges.rules import MORNING
from bot.nudges.service import NudgeService, Planned
from storage import Session
from storage.minutes import MINUTES_FIELDS, VIEW_FIELDS
from storage.models import (
    AgendaUpdateRecord,
    AmendmentRecord,
    BoardRecord,
    CaseRecord,
    MeetingRecord,
    MeetingStatus,
    MembershipRecord,
    MinutesActionRecord,
    MinutesRecord,
    MinutesStatus,
    NewOutboxItem,
    SectorView,
    TeamRole,
)

MINUTES_SUMMARY = "minutes_summary"


REVIEW_DUE = "review_due"


# the service --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Sheet:
    """One meeting's minutes at a glance: who came, each agenda case and how far its minutes are."""

    meeting: MeetingRecord
    board: BoardRecord
    role: Role
    recorder: bool
    attendance: list[tuple[int, str]]
    members: list[MembershipRecord]
    cases: list[tuple[CaseRecord, MinutesRecord | None]]

    @property
    def names(self) -> dict[int, str]:
        return {m.user_id: m.display_name for m in self.members}


@dataclass(frozen=True, slots=True)
class MinutesDoc:
    minutes: MinutesRecord
    meeting: MeetingRecord
    board: BoardRecord
    case: CaseRecord
    views: list[SectorView]
    actions: list[MinutesActionRecord]
    amendments: list[AmendmentRecord]
    attendance: list[tuple[int, str]]
    updates: list[AgendaUpdateRecord]
    names: dict[int, str] = field(default_factory=dict)
    role: Role = Role.NON_MEMBER
    recorder: bool = False
    sectors: dict[int, str] = field(default_factory=dict)
    """Each board member's sector (whose written update speaks for which sector)."""

    def updates_from(self, sector: str) -> int:
        return sum(1 for u in self.updates if self.sectors.get(u.author_id) == sector)


_AMEND_REFUSALS = {
    DraftRefusal.NOT_A_RECORDER: AmendRefusal.NOT_A_RECORDER,
    DraftRefusal.APPROVED: AmendRefusal.NOT_APPROVED,  # asked for approved minutes: a draft
}
"""What ``_draft`` asked for approved minutes answers, as an amendment's refusal."""


class MinutesService(Service):
    def __init__(self, kernel: Kernel, nudges: NudgeService) -> None:
        super().__init__(kernel)
        self._nudges = nudges

    async def held_for(self, user_id: int) -> list[MeetingRecord]:
        """Recent meetings on this person's boards, latest first."""
        now = self._clock.now()
        async with self._db.read() as session:
            boards = [m.board_id for m in await session.boards.memberships_of(user_id)]
            return await session.meetings.held(boards, now - RECENT, now)

    async def sheet(self, meeting_id: int | None, user_id: int) -> Sheet | None:
        """None when there is no such meeting or this person is not on its board."""
        if meeting_id is None:
            return None
        async with self._db.read() as session:
            return await _sheet(session, meeting_id, user_id)

    async def name_minute_taker(
        self, user_id: int, meeting_id: int | None, taker_id: int | None
    ) -> TakerRefusal | None:
        now = self._clock.now()
        if meeting_id is None or taker_id is None:
            return TakerRefusal.GONE
        async with self._db.transaction() as session:
            meeting = await session.meetings.get(meeting_id)
            if meeting is None or meeting.status == MeetingStatus.CANCELLED:
                return TakerRefusal.GONE
            if role_of(await session.boards.membership(meeting.board_id, user_id)) not in (
                COORDINATORS
            ):
                return TakerRefusal.NOT_A_COORDINATOR
            if role_of(await session.boards.membership(meeting.board_id, taker_id)) not in (VOTERS):
                return TakerRefusal.NOT_A_VOTER
            if meeting.minute_taker_id == taker_id:
                return TakerRefusal.ALREADY_NAMED
            await session.meetings.set_minute_taker(meeting.id, taker_id, now)
            await _audit(
                session,
                now,
                user_id,
                "minutes.taker_named",
                meeting.board_id,
                meeting.id,
                "meeting",
            )
        return None

    async def toggle_present(
        self, user_id: int, meeting_id: int | None, member_id: int | None
    ) -> AttendanceRefusal | None:
        """Attendance is part of the minutes: recorders change it until the first minutes of the
        meeting are approved (from then on the approved text depends on it)."""
        now = self._clock.now()
        if meeting_id is None or member_id is None:
            return AttendanceRefusal.GONE
        async with self._db.transaction() as session:
            meeting = await session.meetings.get(meeting_id)
            if meeting is None or not is_held(meeting, now):
                return AttendanceRefusal.GONE
            role = role_of(await session.boards.membership(meeting.board_id, user_id))
            if not may_record(role, user_id, meeting):
                return AttendanceRefusal.NOT_A_RECORDER
            if any(
                m.status == MinutesStatus.APPROVED
                for m in await session.minutes.for_meeting(meeting.id)
            ):
                return AttendanceRefusal.APPROVED
            membership = await session.boards.membership(meeting.board_id, member_id)
            if membership is None or role_of(membership) not in BOARD_MEMBERS:
                return AttendanceRefusal.NOT_A_MEMBER
            present = {u for u, _ in await _attendance(session, meeting, record=True)}
            await session.meetings.set_present(
                meeting.id, member_id, membership.sector, member_id not in present
            )
        return None

    async def begin(
        self, user_id: int, meeting_id: int | None, case_id: int | None
    ) -> int | BeginRefusal:
        """The draft for one agenda case (its id); the first time, attendance starts from the
        RSVPs."""
        now = self._clock.now()
        if meeting_id is None or case_id is None:
            return BeginRefusal.GONE
        async with self._db.transaction() as session:
            meeting = await session.meetings.get(meeting_id)
            if meeting is None or not is_held(meeting, now):
                return BeginRefusal.GONE
            role = role_of(await session.boards.membership(meeting.board_id, user_id))
            if not may_record(role, user_id, meeting):
                return BeginRefusal.NOT_A_RECORDER
            if case_id not in await session.agenda.case_ids(meeting.id):
                return BeginRefusal.NOT_ON_THE_AGENDA
            existing = await session.minutes.of(meeting.id, case_id)
            if existing is not None and existing.status == MinutesStatus.APPROVED:
                return BeginRefusal.APPROVED
            await _attendance(session, meeting, record=True)
            minutes_id = await session.minutes.start(meeting.id, case_id, user_id, now)
            if existing is None:
                await _audit(session, now, user_id, "minutes.started", meeting.board_id, minutes_id)
        return minutes_id

    async def _draft(
        self, session: Session, user_id: int, minutes_id: int, status: str = "draft"
    ) -> tuple[MinutesRecord, MeetingRecord] | DraftRefusal:
        """The minutes when this person may record them and they are in ``status`` (a draft
        takes answers, approved minutes take amendments); else why not (``APPROVED``: not in
        ``status``)."""
        minutes = await session.minutes.get(minutes_id)
        meeting = None if minutes is None else await session.meetings.get(minutes.meeting_id)
        if minutes is None or meeting is None:
            return DraftRefusal.GONE
        role = role_of(await session.boards.membership(meeting.board_id, user_id))
        if not may_record(role, user_id, meeting):
            return DraftRefusal.NOT_A_RECORDER
        if minutes.status != status:
            return DraftRefusal.APPROVED
        return minutes, meeting

    async def write(
        self, user_id: int, minutes_id: int, name: str, value: str
    ) -> DraftRefusal | None:
        """One answer of the draft: the question, the summary, the clash or the decision."""
        return await self._write(user_id, minutes_id, value, field=name)

    async def write_view(
        self, user_id: int, minutes_id: int, sector: str, part: str, value: str
    ) -> DraftRefusal | None:
        """One sector's answer: what it sees as the problem, what to do, who does what."""
        return await self._write(user_id, minutes_id, value, sector=sector, part=part)

    async def _write(
        self,
        user_id: int,
        minutes_id: int,
        value: str,
        *,
        field: str = "",
        sector: str = "",
        part: str = "",
    ) -> DraftRefusal | None:
        now = self._clock.now()
        text = value.strip()
        if len(text) > MAX_FIELD:
            return DraftRefusal.TOO_LONG
        if field not in MINUTES_FIELDS and part not in VIEW_FIELDS:
            return DraftRefusal.NO_SUCH_FIELD
        async with self._db.transaction() as session:
            found = await self._draft(session, user_id, minutes_id)
            if isinstance(found, DraftRefusal):
                return found
            minutes, _ = found
            if field:
                await session.minutes.set_field(minutes.id, field, text, user_id, now)
            else:
                await session.minutes.set_view(minutes.id, sector, part, text)
        return None

    async def set_review(
        self, user_id: int, minutes_id: int, day: date | None
    ) -> DraftRefusal | None:
        now = self._clock.now()
        async with self._db.transaction() as session:
            found = await self._draft(session, user_id, minutes_id)
            if isinstance(found, DraftRefusal):
                return found
            await session.minutes.set_review(found[0].id, day, user_id, now)
        return None

    async def add_action(
        self,
        user_id: int,
        minutes_id: int,
        title: str,
        owner_id: int | None,
        due_on: date | None,
    ) -> DraftRefusal | None:
        """An action agreed in the meeting; the owner must be a voting member of the board."""
        clean = " ".join(title.split())
        if not clean or len(clean) > MAX_ACTION_TITLE:
            return DraftRefusal.TOO_LONG
        async with self._db.transaction() as session:
            found = await self._draft(session, user_id, minutes_id)
            if isinstance(found, DraftRefusal):
                return found
            minutes, meeting = found
            if (
                owner_id is not None
                and role_of(await session.boards.membership(meeting.board_id, owner_id))
                not in VOTERS
            ):
                owner_id = None
            await session.minutes.add_action(minutes.id, clean, owner_id, due_on)
        return None

    async def remove_action(
        self, user_id: int, minutes_id: int, entry_id: int | None
    ) -> DraftRefusal | None:
        """An action typed by mistake, taken out of the draft."""
        if entry_id is None:
            return DraftRefusal.ENTRY_GONE
        async with self._db.transaction() as session:
            found = await self._draft(session, user_id, minutes_id)
            if isinstance(found, DraftRefusal):
                return found
            if not await session.minutes.remove_action(found[0].id, entry_id):
                return DraftRefusal.ENTRY_GONE
        return None

    async def draft_actions(self, minutes_id: int) -> list[MinutesActionRecord]:
        async with self._db.read() as session:
            return await session.minutes.actions(minutes_id)

    async def approve(self, user_id: int, minutes_id: int | None) -> ApproveRefusal | None:
        """The coordinators approve; the actions are made and followed up, the timeline shows the
        meeting, the group gets the summary line. Approved minutes never change again."""
        now = self._clock.now()
        if minutes_id is None:
            return ApproveRefusal.GONE
        async with self._db.transaction() as session:
            found = await _context(session, minutes_id)
            if found is None:
                return ApproveRefusal.GONE
            minutes, meeting, case, board = found
            if not may_approve(role_of(await session.boards.membership(board.id, user_id))):
                return ApproveRefusal.NOT_A_COORDINATOR
            if minutes.status != MinutesStatus.DRAFT:
                return ApproveRefusal.APPROVED
            if missing(minutes):
                return ApproveRefusal.INCOMPLETE
            if not await session.minutes.approve(minutes.id, user_id, now):
                return ApproveRefusal.APPROVED  # at the same moment by another coordinator
            items: list[NewOutboxItem] = []
            links = []
            voters = {
                m.user_id for m in await session.boards.members(board.id) if role_of(m) in VOTERS
            }
            for entry in await session.minutes.actions(minutes.id):
                action = await session.actions.create(
                    board_id=board.id,
                    case_id=case.id,
                    proposal_id=None,
                    title=entry.title,
                    owner_id=entry.owner_id if entry.owner_id in voters else None,
                    due_on=entry.due_on,
                    now=now,
                )
                links.append((entry.id, action.id))
                await session.cases.add_event(
                    case.id, now, user_id, "action_created", {"action": action.id}
                )
                await self._nudges.plan_action(session, action)
                items += await action_follow_up(session, action, case, now)
            await session.minutes.link_actions(links)
            assert meeting.starts_at is not None
            zone = (await self._settings.get(session, board.id)).timezone
            await session.cases.add_event(
                case.id,
                now,
                user_id,
                "minutes_approved",
                {
                    "meeting": meeting.id,
                    "minutes": minutes.id,
                    "day": meeting.starts_at.astimezone(zone).date().isoformat(),
                    "actions": len(links),
                },
            )
            items.append(
                NewOutboxItem(
                    chat_id=board.chat_id,
                    thread_id=board.thread_id,
                    board_id=board.id,
                    kind=MINUTES_SUMMARY,
                    subject_type="case",
                    subject_id=str(case.id),
                    payload={"minutes_id": minutes.id},
                    due_at=now,
                    dedupe_key=f"minsum:{minutes.id}",
                )
            )
            items += await self._review_nudges(session, board.id, minutes, case, zone)
            await _audit(session, now, user_id, "minutes.approved", board.id, minutes.id)
            await self._outbox.add(session, items, now)
        return None

    async def _review_nudges(
        self,
        session: Session,
        board_id: int,
        minutes: MinutesRecord,
        case: CaseRecord,
        zone: ZoneInfo,
    ) -> list[NewOutboxItem]:
        """On the review date, the case's lead (or, with none, the coordinators) is reminded, with
        a button to put the case on the next meeting's agenda."""
        if minutes.next_review is None:
            return []
        due = datetime.combine(minutes.next_review, MORNING, tzinfo=zone)
        leads = [u for u, role in await session.cases.team(case.id) if role == TeamRole.LEAD]
        people = leads or await session.boards.member_ids(board_id, COORDINATING)
        return await self._nudges.rows(
            session,
            board_id,
            [
                Planned(
                    person,
                    due,
                    f"review:{minutes.id}:{person}",
                    {"minutes_id": minutes.id, "case_id": case.id},
                    subject=("case", case.id),
                    kind=REVIEW_DUE,
                )
                for person in people
            ],
        )

    async def amend(self, user_id: int, minutes_id: int | None, text: str) -> AmendRefusal | None:
        """A correction below approved minutes, by a coordinator or the minute-taker."""
        now = self._clock.now()
        body = text.strip()
        if minutes_id is None:
            return AmendRefusal.GONE
        if not body or len(body) > MAX_FIELD:
            return AmendRefusal.TOO_LONG
        async with self._db.transaction() as session:
            found = await self._draft(session, user_id, minutes_id, "approved")
            if isinstance(found, DraftRefusal):
                return _AMEND_REFUSALS.get(found, AmendRefusal.GONE)
            minutes, meeting = found
            await session.minutes.amend(minutes.id, user_id, body, now)
            await session.cases.add_event(
                minutes.case_id, now, user_id, "minutes_amended", {"minutes": minutes.id}
            )
            await _audit(session, now, user_id, "minutes.amended", meeting.board_id, minutes.id)
        return None

    async def document(
        self, minutes_id: int | None, user_id: int, chat_id: int, *, audit: bool = True
    ) -> MinutesDoc | None:
        """The minutes for the case's team and the coordinators (and the recorders); each reading
        is audited as a read of case details. None for anyone else."""
        if minutes_id is None:
            return None
        now = self._clock.now()
        async with self._db.transaction() as session:
            found = await _context(session, minutes_id)
            if found is None:
                return None
            minutes, meeting, case, board = found
            role = role_of(await session.boards.membership(board.id, user_id))
            recorder = may_record(role, user_id, meeting)
            team = await session.cases.team_roles(case.id, user_id)
            if not (recorder or can_read_details(role, team)):
                return None
            if audit:
                await audit_row(
                    session, now, user_id, "minutes.read", board.id, ("case", case.id), chat_id
                )
            members = await session.boards.members(board.id)
            return MinutesDoc(
                minutes=minutes,
                meeting=meeting,
                board=board,
                case=case,
                views=await session.minutes.views(minutes.id),
                actions=await session.minutes.actions(minutes.id),
                amendments=await session.minutes.amendments(minutes.id),
                attendance=await session.meetings.attendance(meeting.id),
                updates=await session.agenda.updates(meeting.id, case.id),
                names={m.user_id: m.display_name for m in members},
                sectors={m.user_id: m.sector for m in members},
                role=role,
                recorder=recorder,
            )

    async def latest_for_case(self, case_id: int) -> int | None:
        async with self._db.read() as session:
            latest = await session.minutes.latest_approved(case_id)
        return None if latest is None else latest.id


async def summary(
    session: Session, minutes_id: int
) -> tuple[MinutesRecord, CaseRecord, int] | None:
    minutes = await session.minutes.get(minutes_id)
    case = None if minutes is None else await session.cases.get(minutes.case_id)
    if minutes is None or case is None or minutes.status != MinutesStatus.APPROVED:
        return None
    return minutes, case, len(await session.minutes.actions(minutes.id))


async def _sheet(session: Session, meeting_id: int, user_id: int) -> Sheet | None:
    meeting = await session.meetings.get(meeting_id)
    board = None if meeting is None else await session.boards.get(meeting.board_id)
    if meeting is None or board is None or meeting.starts_at is None:
        return None  # a time poll has no minutes
    role = role_of(await session.boards.membership(board.id, user_id))
    if role not in BOARD_MEMBERS:
        return None
    written = {m.case_id: m for m in await session.minutes.for_meeting(meeting.id)}
    cases = [(case, written.get(case.id)) for case in await session.cases.on_agenda(meeting.id)]
    members = await session.boards.members(board.id)
    return Sheet(
        meeting=meeting,
        board=board,
        role=role,
        recorder=may_record(role, user_id, meeting),
        attendance=await _attendance(session, meeting, record=False, members=members),
        members=members,
        cases=cases,
    )


async def _context(
    session: Session, minutes_id: int
) -> tuple[MinutesRecord, MeetingRecord, CaseRecord, BoardRecord] | None:
    """The minutes with their meeting, case and board; None if any of them is gone."""
    minutes = await session.minutes.get(minutes_id)
    meeting = None if minutes is None else await session.meetings.get(minutes.meeting_id)
    case = None if minutes is None else await session.cases.get(minutes.case_id)
    board = None if meeting is None else await session.boards.get(meeting.board_id)
    if minutes is None or meeting is None or case is None or board is None:
        return None
    return minutes, meeting, case, board


async def _attendance(
    session: Session,
    meeting: MeetingRecord,
    *,
    record: bool,
    members: list[MembershipRecord] | None = None,
) -> list[tuple[int, str]]:
    """Who was present; until someone records it, those who said "going" (written down first
    when ``record``, so that a change starts from the list the recorder sees)."""
    if meeting.attendance_taken:
        return await session.meetings.attendance(meeting.id)
    if members is None:
        members = await session.boards.members(meeting.board_id)
    sector_of = {m.user_id: m.sector for m in members}
    going = [
        (person, sector_of[person])
        for person, answer in await session.meetings.rsvps(meeting.id)
        if answer == "going" and person in sector_of
    ]
    if record:
        await session.meetings.record_attendance(meeting.id, going)
    return going


async def _audit(
    session: Session,
    now: datetime,
    actor_id: int,
    action: str,
    board_id: int,
    subject: int,
    subject_type: str = "minutes",
) -> None:
    await audit_row(session, now, actor_id, action, board_id, (subject_type, subject), actor_id)
