"""Supervision meetings: finding a time, RSVPs, calendar files and reminders.

Every reminder is an outbox task row at ``start - offset``; it carries the meeting's calendar
SEQUENCE, so a moved meeting's old reminders say nothing and a cancelled meeting's are cancelled.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.boards.rules import role_of
from bot.kernel.outcome import Outcome
from bot.kernel.policy import BOARD_MEMBERS, COORDINATORS, Role
from bot.kernel.service import Kernel, Service
from bot.meetings.rules import (
    ATTENDING,
    KINDS,
    MAX_PLACE,
    MAX_SLOTS,
    RSVP_ANSWERS,
    SLOT_ANSWERS,
    SlotTally,
    reminder_due,
    reminder_moments,
    tally_slots,
)
from bot.nudges.quiet import QuietRules, plan
from bot.nudges.service import NudgeService, Planned
from bot.series.rules import PATTERNS, due_occurrences, rrule_for
from storage import Session
from storage.models import (
    BoardRecord,
    BoardStatus,
    MeetingRecord,
    MeetingStatus,
    NewOutboxItem,
    SeriesRecord,
    SeriesStatus,
)

log = logging.getLogger(__name__)


MEETING_POST = "meeting_post"


MEETING_LIVE = "meeting_live"


POLL_POST = "meeting_poll_post"


POLL_LIVE = "meeting_poll_live"


MEETING_ICS = "meeting_ics"


MEETING_REMINDER = "meeting_reminder"


MEETING_REMIND_TASK = "meeting_remind_task"


MEETING_CHANGED = "meeting_changed"


SERIES_POST = "series_post"


SERIES_ICS = "series_ics"


SERIES_ENDED = "series_ended"


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


async def view_of(session: Session, meeting_id: int) -> MeetingView | None:
    meeting = await session.meetings.get(meeting_id)
    if meeting is None:
        return None
    board = await session.boards.get(meeting.board_id)
    if board is None:
        return None
    members = await session.boards.members(board.id)
    sector_of = {m.user_id: m.sector for m in members}
    slots = tally_slots(
        await session.meetings.slots(meeting.id),
        await session.meetings.slot_answers(meeting.id),
        sector_of,
    )
    return MeetingView(
        meeting=meeting,
        board=board,
        slots=slots,
        rsvps=[(u, a) for u, a in await session.meetings.rsvps(meeting.id) if u in sector_of],
        names={m.user_id: m.display_name for m in members},
        sectors=sector_of,
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
    ) -> tuple[Outcome, MeetingRecord | None]:
        """One start: scheduled and announced. Two to eight: a time poll in the group."""
        now = self._clock.now()
        if (
            kind not in KINDS
            or not 1 <= len(starts) <= MAX_SLOTS
            or any(start <= now for start in starts)
            or len(place) > MAX_PLACE
        ):
            return Outcome.STALE, None
        async with self._db.transaction() as session:
            board = await _coordinated_board(session, board_id, user_id)
            if board is None:
                return Outcome.NOT_ALLOWED, None
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
                items = await self._scheduled_items(session, meeting.id, board, now, first=True)
            else:
                await session.meetings.add_slots(meeting.id, sorted(starts))
                items = [_group_item(board, POLL_POST, meeting.id, now, f"mpoll:{meeting.id}")]
            await _audit(session, now, user_id, "meeting.created", board, meeting.id)
            await self._outbox.add(session, items, now)
            created = await session.meetings.get(meeting.id)
        return Outcome.DONE, created

    async def _scheduled_items(
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
        if first:
            items.append(_group_item(board, MEETING_POST, meeting.id, now, f"mpost:{meeting.id}"))
        else:
            items.append(
                _group_item(
                    board,
                    MEETING_CHANGED,
                    meeting.id,
                    now,
                    f"mchg:{meeting.id}:{seq}",
                    sequence=seq,
                )
            )
            items.append(_live_item(board, meeting.id, now, f"seq{seq}"))
        if group_file or not first:
            items.append(
                _group_item(
                    board,
                    MEETING_ICS,
                    meeting.id,
                    now,
                    f"ics:{meeting.id}:{seq}:group",
                    sequence=seq,
                )
            )
        for user_id in await _attending(session, meeting):
            items.append(_private_ics(board, meeting.id, seq, user_id, now))
        board_settings = await self._settings.get(session, board.id)
        offsets = board_settings.meeting_reminder_minutes
        decent = QuietRules(
            board_settings.quiet_hours_start,
            board_settings.quiet_hours_end,
            board_settings.quiet_weekends,
            board_settings.timezone,
        )
        planned: dict[datetime, int] = {}
        for offset, due in reminder_moments(meeting.starts_at, offsets, now):
            # at a decent hour for the board: a 06:30 reminder of a 07:30 meeting goes out the
            # evening before; each person's own quiet hours are applied when it runs
            at = plan(due, decent, now, useful_until=meeting.starts_at) or due
            planned[at] = min(offset, planned.get(at, offset))  # two landing together: one

        def task(kind: str, due: datetime, key: str, **extra: int) -> NewOutboxItem:
            """A task row about this meeting at this SEQUENCE: a moved meeting's say nothing."""
            return NewOutboxItem(
                chat_id=board.chat_id,
                board_id=board.id,
                kind=kind,
                subject_type="meeting",
                subject_id=str(meeting.id),
                payload={"meeting_id": meeting.id, "sequence": seq, **extra},
                due_at=due,
                useful_until=meeting.starts_at,
                dedupe_key=key,
            )

        brief_at = meeting.starts_at - timedelta(days=board_settings.agenda_brief_days)
        items.append(task(AGENDA_BRIEF_TASK, max(brief_at, now), f"agbrieftask:{meeting.id}:{seq}"))
        for at, offset in planned.items():
            items.append(
                task(
                    MEETING_REMIND_TASK,
                    at,
                    f"mremtask:{meeting.id}:{seq}:{offset}",
                    offset=offset,
                )
            )
        return items

    # answering --------------------------------------------------------------------------------
    async def answer_slot(self, user_id: int, slot_id: int | None, answer: str) -> Outcome:
        now = self._clock.now()
        if slot_id is None or answer not in SLOT_ANSWERS:
            return Outcome.NOT_FOUND
        async with self._db.transaction() as session:
            slot = await session.meetings.slot(slot_id)
            meeting = None if slot is None else await session.meetings.get(slot.meeting_id)
            if slot is None or meeting is None:
                return Outcome.NOT_FOUND
            if meeting.status != MeetingStatus.POLLING:
                return Outcome.ALREADY
            if role_of(await session.boards.membership(meeting.board_id, user_id)) not in (
                BOARD_MEMBERS
            ):
                return Outcome.NOT_ALLOWED
            if not await session.meetings.answer_slot(slot.id, user_id, answer, now):
                return Outcome.STALE  # the same answer again
            board = await session.boards.get(meeting.board_id)
            assert board is not None
            await self._outbox.add_merged(
                session,
                _group_item(board, POLL_LIVE, meeting.id, now, f"{POLL_LIVE}:{meeting.id}"),
                now,
                MERGE_WINDOW,
            )
        return Outcome.DONE

    async def rsvp(self, user_id: int, meeting_id: int | None, answer: str) -> Outcome:
        """Going / maybe / not going, until the meeting starts; a new "going" gets the file."""
        now = self._clock.now()
        if meeting_id is None or answer not in RSVP_ANSWERS:
            return Outcome.NOT_FOUND
        async with self._db.transaction() as session:
            meeting = await session.meetings.get(meeting_id)
            if meeting is None or meeting.status == MeetingStatus.POLLING:
                return Outcome.NOT_FOUND
            if meeting.status == MeetingStatus.CANCELLED:
                return Outcome.ALREADY
            if meeting.starts_at is None or now >= meeting.starts_at:
                return Outcome.ALREADY
            if role_of(await session.boards.membership(meeting.board_id, user_id)) not in (
                BOARD_MEMBERS
            ):
                return Outcome.NOT_ALLOWED
            previous = await session.meetings.rsvp(meeting.id, user_id, answer, now)
            if previous == answer:
                return Outcome.STALE
            board = await session.boards.get(meeting.board_id)
            assert board is not None
            await self._outbox.add_merged(
                session,
                _group_item(board, MEETING_LIVE, meeting.id, now, f"{MEETING_LIVE}:{meeting.id}"),
                now,
                MERGE_WINDOW,
            )
            if answer in ATTENDING and previous not in ATTENDING:
                await self._outbox.add(
                    session, [_private_ics(board, meeting.id, meeting.sequence, user_id, now)], now
                )
        return Outcome.DONE

    # the coordinator's decisions --------------------------------------------------------------
    async def pick(
        self, user_id: int, meeting_id: int | None, slot_id: int | None
    ) -> tuple[Outcome, MeetingRecord | None]:
        """Close the poll on one time: yes becomes going, if-need-be becomes maybe."""
        now = self._clock.now()
        if meeting_id is None or slot_id is None:
            return Outcome.NOT_FOUND, None
        async with self._db.transaction() as session:
            meeting = await session.meetings.get(meeting_id)
            slot = await session.meetings.slot(slot_id)
            if meeting is None or slot is None or slot.meeting_id != meeting.id:
                return Outcome.NOT_FOUND, None
            board = await session.boards.get(meeting.board_id)
            role = role_of(await session.boards.membership(meeting.board_id, user_id))
            if board is None or role not in COORDINATORS:
                return Outcome.NOT_ALLOWED, meeting
            if meeting.status != MeetingStatus.POLLING:
                return Outcome.ALREADY, meeting
            if slot.starts_at <= now:
                return Outcome.STALE, meeting
            await session.meetings.schedule(meeting.id, slot.starts_at, now)
            members = {m.user_id for m in await session.boards.members(meeting.board_id)}
            for slot_of, person, answer in await session.meetings.slot_answers(meeting.id):
                if slot_of == slot.id and answer in ("yes", "maybe") and person in members:
                    rsvp = "going" if answer == "yes" else "maybe"
                    await session.meetings.rsvp(meeting.id, person, rsvp, now)
            items = [_group_item(board, POLL_LIVE, meeting.id, now, f"mpoll:{meeting.id}:final")]
            items += await self._scheduled_items(session, meeting.id, board, now, first=True)
            await _audit(session, now, user_id, "meeting.time_picked", board, meeting.id)
            await self._outbox.add(session, items, now)
            return Outcome.DONE, await session.meetings.get(meeting.id)

    async def move(
        self, user_id: int, meeting_id: int | None, start: datetime
    ) -> tuple[Outcome, MeetingRecord | None]:
        """A new time: everyone is told, with an updated file; old reminders are cancelled."""
        now = self._clock.now()
        if meeting_id is None:
            return Outcome.NOT_FOUND, None
        async with self._db.transaction() as session:
            refusal, meeting, board = await _coordinated(session, meeting_id, user_id)
            if refusal is not None or board is None or meeting is None:
                return refusal or Outcome.NOT_FOUND, meeting
            if meeting.status != MeetingStatus.SCHEDULED:
                return Outcome.ALREADY, meeting
            if start <= now:
                return Outcome.STALE, meeting
            if start == meeting.starts_at:
                return Outcome.ALREADY, meeting
            await session.outbox.cancel_for_subject(
                "meeting",
                str(meeting.id),
                SUPERSEDED_ON_CHANGE,
                "moved",
                now,
            )
            await session.meetings.schedule(meeting.id, start, now)
            items = await self._scheduled_items(session, meeting.id, board, now, first=False)
            await _audit(session, now, user_id, "meeting.moved", board, meeting.id)
            await self._outbox.add(session, items, now)
            return Outcome.DONE, await session.meetings.get(meeting.id)

    async def cancel(
        self, user_id: int, meeting_id: int | None
    ) -> tuple[Outcome, MeetingRecord | None]:
        now = self._clock.now()
        if meeting_id is None:
            return Outcome.NOT_FOUND, None
        async with self._db.transaction() as session:
            refusal, meeting, board = await _coordinated(session, meeting_id, user_id)
            if refusal is not None or board is None or meeting is None:
                return refusal or Outcome.NOT_FOUND, meeting
            if meeting.status == MeetingStatus.CANCELLED:
                return Outcome.ALREADY, meeting
            items = await _cancelled_items(session, meeting, board, now)
            await _audit(session, now, user_id, "meeting.cancelled", board, meeting.id)
            await self._outbox.add(session, items, now)
            return Outcome.DONE, await session.meetings.get(meeting.id)

    # recurring board sessions -----------------------------------------------------------------
    async def create_series(
        self,
        user_id: int,
        board_id: int,
        *,
        kind: str,
        first_start: datetime,
        pattern: str,
        until_day: date | None,
        duration_minutes: int,
        place: str,
    ) -> tuple[Outcome, SeriesRecord | None]:
        """The rule, its calendar file for the group, and the occurrences of the next weeks."""
        now = self._clock.now()
        if (
            kind not in KINDS
            or pattern not in PATTERNS
            or first_start <= now
            or len(place) > MAX_PLACE
        ):
            return Outcome.STALE, None
        async with self._db.transaction() as session:
            board = await _coordinated_board(session, board_id, user_id)
            if board is None:
                return Outcome.NOT_ALLOWED, None
            zone = (await self._settings.get(session, board.id)).timezone
            first_local = first_start.astimezone(zone)
            if until_day is not None and until_day < first_local.date():
                return Outcome.STALE, None
            series = await session.meetings.create_series(
                board_id=board.id,
                kind=kind,
                rrule=rrule_for(pattern, first_local.date()),
                first_start=first_start,
                until_day=until_day,
                duration_minutes=duration_minutes,
                place=place.strip(),
                created_by=user_id,
                now=now,
            )
            items = [
                _series_item(board, SERIES_POST, series, now),
                _series_item(board, SERIES_ICS, series, now),
            ]
            items += await self._extend(session, series, board, now, zone)
            await _audit(session, now, user_id, "series.created", board, series.id, "series")
            await self._outbox.add(session, items, now)
        return Outcome.DONE, series

    async def _extend(
        self,
        session: Session,
        series: SeriesRecord,
        board: BoardRecord,
        now: datetime,
        zone: ZoneInfo,
    ) -> list[NewOutboxItem]:
        """Make the occurrences now due (each once: a cancelled one is never made again)."""
        made = {  # whole seconds: aware times in a repeated hour of two zones never compare
            int(m.occurrence.timestamp())
            for m in await session.meetings.occurrences(series.id)
            if m.occurrence is not None
        }
        items: list[NewOutboxItem] = []
        for start in due_occurrences(series.rrule, series.first_start, zone, series.until_day, now):
            if int(start.timestamp()) in made:
                continue
            meeting = await session.meetings.create(
                board_id=board.id,
                kind=series.kind,
                status=MeetingStatus.POLLING,
                starts_at=start,
                duration_minutes=series.duration_minutes,
                place=series.place,
                created_by=series.created_by,
                now=now,
                series_id=series.id,
            )
            await session.meetings.schedule(meeting.id, start, now)
            items += await self._scheduled_items(
                session, meeting.id, board, now, first=True, group_file=False
            )
        return items

    async def extend_series(self) -> int:
        """Daily: every active series gets its next occurrences; a series past its last date
        ends. Each series in its own transaction, so one failure stops no other."""
        now = self._clock.now()
        async with self._db.read() as session:
            active = [series.id for series in await session.meetings.active_series()]
        made = 0
        for series_id in active:
            try:
                made += await self._extend_one(series_id, now)
            except Exception as exc:  # the next series, and tomorrow, still get their turn
                log.error("extending series %d failed: %s", series_id, type(exc).__name__)
        return made

    async def _extend_one(self, series_id: int, now: datetime) -> int:
        async with self._db.transaction() as session:
            series = await session.meetings.series(series_id)  # re-read: it may have ended
            board = None if series is None else await session.boards.get(series.board_id)
            if series is None or series.status != SeriesStatus.ACTIVE or board is None:
                return 0
            if board.status != BoardStatus.ACTIVE:
                return 0
            zone = (await self._settings.get(session, board.id)).timezone
            items = await self._extend(session, series, board, now, zone)
            if series.until_day is not None and now.astimezone(zone).date() > series.until_day:
                await session.meetings.end_series(series.id, now, series.until_day)
            await self._outbox.add(session, items, now)
            return sum(1 for item in items if item.kind == MEETING_POST)

    async def series_of(self, series_id: int | None) -> SeriesRecord | None:
        if series_id is None:
            return None
        async with self._db.read() as session:
            return await session.meetings.series(series_id)

    async def end_series(
        self, user_id: int, series_id: int | None
    ) -> tuple[Outcome, SeriesRecord | None]:
        """No more occurrences: those ahead are cancelled, the past ones stay with their
        minutes; the group gets one notice and a cancelling calendar file."""
        now = self._clock.now()
        if series_id is None:
            return Outcome.NOT_FOUND, None
        async with self._db.transaction() as session:
            series = await session.meetings.series(series_id)
            if series is None:
                return Outcome.NOT_FOUND, None
            board = await _coordinated_board(session, series.board_id, user_id)
            if board is None:
                return Outcome.NOT_ALLOWED, series
            if series.status != SeriesStatus.ACTIVE:
                return Outcome.ALREADY, series
            zone = (await self._settings.get(session, board.id)).timezone
            occurrences = await session.meetings.occurrences(series.id)
            held = [
                m.starts_at
                for m in occurrences
                if m.status == MeetingStatus.SCHEDULED
                and m.starts_at is not None
                and m.starts_at <= now
            ]
            # calendars keep the sessions held: the series now ends on the last of them
            last_day = max(held).astimezone(zone).date() if held else None
            await session.meetings.end_series(series.id, now, last_day)
            items: list[NewOutboxItem] = []
            for meeting in occurrences:
                if (
                    meeting.status == MeetingStatus.SCHEDULED
                    and meeting.starts_at
                    and meeting.starts_at > now
                ):
                    items += await _cancelled_items(
                        session, meeting, board, now, group_notice=False
                    )
            ended = await session.meetings.series(series.id)
            assert ended is not None
            items += [
                _series_item(board, SERIES_ENDED, ended, now),
                _series_item(board, SERIES_ICS, ended, now),
            ]
            await _audit(session, now, user_id, "series.ended", board, series.id, "series")
            await self._outbox.add(session, items, now)
            return Outcome.DONE, ended

    # reminders --------------------------------------------------------------------------------
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
                    for person in await _attending(session, meeting)
                ],
            )
            await self._outbox.add(session, [group, *private], now)
        return None


async def _cancelled_items(
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
            _group_item(
                board, MEETING_CHANGED, meeting.id, now, f"mchg:{meeting.id}:{seq}", sequence=seq
            )
        ]
        if group_notice
        else []
    )
    items.append(
        _live_item(
            board, meeting.id, now, f"seq{seq}", kind=POLL_LIVE if was_polling else MEETING_LIVE
        )
    )
    if group_notice and not was_polling:
        items.append(
            _group_item(
                board, MEETING_ICS, meeting.id, now, f"ics:{meeting.id}:{seq}:group", sequence=seq
            )
        )
    if not was_polling:
        items += [
            _private_ics(board, meeting.id, seq, person, now)
            for person in await _attending(session, meeting)
        ]
    return items


async def _attending(session: Session, meeting: MeetingRecord) -> list[int]:
    """Members still on the board who answered going or maybe (a former member gets nothing)."""
    members = {m.user_id for m in await session.boards.members(meeting.board_id)}
    return [
        person
        for person, answer in await session.meetings.rsvps(meeting.id)
        if answer in ATTENDING and person in members
    ]


async def _coordinated_board(session: Session, board_id: int, user_id: int) -> BoardRecord | None:
    """The board, if it is active and ``user_id`` coordinates it (only they schedule)."""
    board = await session.boards.get(board_id)
    role = role_of(await session.boards.membership(board_id, user_id))
    if board is None or board.status != BoardStatus.ACTIVE or role not in COORDINATORS:
        return None
    return board


async def _coordinated(
    session: Session, meeting_id: int, user_id: int
) -> tuple[Outcome | None, MeetingRecord | None, BoardRecord | None]:
    """The meeting and its board when ``user_id`` coordinates that board; else why not."""
    meeting = await session.meetings.get(meeting_id)
    if meeting is None:
        return Outcome.NOT_FOUND, None, None
    board = await session.boards.get(meeting.board_id)
    role = role_of(await session.boards.membership(meeting.board_id, user_id))
    if board is None or role not in COORDINATORS:
        return Outcome.NOT_ALLOWED, meeting, None
    return None, meeting, board


def _group_item(
    board: BoardRecord,
    kind: str,
    meeting_id: int,
    due: datetime,
    key: str,
    *,
    sequence: int | None = None,
) -> NewOutboxItem:
    """A row for the board's group; with ``sequence`` it says nothing once the meeting moved on."""
    payload: dict[str, int] = {"meeting_id": meeting_id}
    if sequence is not None:
        payload["sequence"] = sequence
    return NewOutboxItem(
        chat_id=board.chat_id,
        thread_id=board.thread_id,
        board_id=board.id,
        kind=kind,
        subject_type="meeting",
        subject_id=str(meeting_id),
        payload=payload,
        due_at=due,
        dedupe_key=key,
    )


def _live_item(
    board: BoardRecord, meeting_id: int, now: datetime, key: str, *, kind: str = MEETING_LIVE
) -> NewOutboxItem:
    """An edit of the group's poll or announcement, now (a move, a cancellation)."""
    return _group_item(board, kind, meeting_id, now, f"{kind}:{meeting_id}:{key}")


def _private_ics(
    board: BoardRecord, meeting_id: int, sequence: int, user_id: int, now: datetime
) -> NewOutboxItem:
    return NewOutboxItem(
        chat_id=user_id,
        recipient_id=user_id,
        board_id=board.id,
        kind=MEETING_ICS,
        subject_type="meeting",
        subject_id=str(meeting_id),
        payload={"meeting_id": meeting_id, "sequence": sequence},
        due_at=now,
        dedupe_key=f"ics:{meeting_id}:{sequence}:{user_id}",
    )


def _series_item(
    board: BoardRecord, kind: str, series: SeriesRecord, now: datetime
) -> NewOutboxItem:
    return NewOutboxItem(
        chat_id=board.chat_id,
        thread_id=board.thread_id,
        board_id=board.id,
        kind=kind,
        subject_type="series",
        subject_id=str(series.id),
        payload={"series_id": series.id, "sequence": series.sequence},
        due_at=now,
        dedupe_key=f"{kind}:{series.id}:{series.sequence}",
    )


async def _audit(
    session: Session,
    now: datetime,
    actor_id: int,
    action: str,
    board: BoardRecord,
    subject: int,
    subject_type: str = "meeting",
) -> None:
    await session.audit.record(
        at=now,
        actor_id=actor_id,
        action=action,
        board_id=board.id,
        subject_type=subject_type,
        subject_id=subject,
        chat_id=actor_id,
    )
