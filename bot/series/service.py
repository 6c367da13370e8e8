"""Meeting series: a recurring meeting (RRULE), its occurrences planned a few weeks ahead each
day, and ending a series without losing the sessions already held."""

from __future__ import annotations

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.kernel.outbox import group_row
from bot.kernel.service import Kernel, Service
from bot.meetings.items import MEETING_POST, cancelled_items
from bot.meetings.refusals import ChangeRefusal, CreateRefusal
from bot.meetings.rules import (
    KINDS,
    MAX_PLACE,
)
from bot.meetings.service import MeetingService, audit_meeting, coordinated_board
from bot.series.rules import PATTERNS, due_occurrences, rrule_for
from storage import Session
from storage.models import (
    BoardRecord,
    BoardStatus,
    MeetingStatus,
    NewOutboxItem,
    SeriesRecord,
    SeriesStatus,
)

log = logging.getLogger(__name__)

SERIES_POST = "series_post"

SERIES_ICS = "series_ics"

SERIES_ENDED = "series_ended"


class SeriesService(Service):
    def __init__(self, kernel: Kernel, meetings: MeetingService) -> None:
        super().__init__(kernel)
        self._meetings = meetings

    async def create(
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
    ) -> SeriesRecord | CreateRefusal:
        """The rule, its calendar file for the group, and the occurrences of the next weeks."""
        now = self._clock.now()
        if (
            kind not in KINDS
            or pattern not in PATTERNS
            or first_start <= now
            or len(place) > MAX_PLACE
        ):
            return CreateRefusal.TIME_PASSED
        async with self._db.transaction() as session:
            board = await coordinated_board(session, board_id, user_id)
            if board is None:
                return CreateRefusal.NOT_A_COORDINATOR
            zone = (await self._settings.get(session, board.id)).timezone
            first_local = first_start.astimezone(zone)
            if until_day is not None and until_day < first_local.date():
                return CreateRefusal.TIME_PASSED  # ends before it begins
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
            await audit_meeting(session, now, user_id, "series.created", board, series.id, "series")
            await self._outbox.add(session, items, now)
        return series

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
            items += await self._meetings.scheduled_items(
                session, meeting.id, board, now, first=True, group_file=False
            )
        return items

    async def extend(self) -> int:
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

    async def get(self, series_id: int | None) -> SeriesRecord | None:
        if series_id is None:
            return None
        async with self._db.read() as session:
            return await session.meetings.series(series_id)

    async def end(self, user_id: int, series_id: int | None) -> ChangeRefusal | None:
        """No more occurrences: those ahead are cancelled, the past ones stay with their
        minutes; the group gets one notice and a cancelling calendar file."""
        now = self._clock.now()
        if series_id is None:
            return ChangeRefusal.GONE
        async with self._db.transaction() as session:
            series = await session.meetings.series(series_id)
            if series is None:
                return ChangeRefusal.GONE
            board = await coordinated_board(session, series.board_id, user_id)
            if board is None:
                return ChangeRefusal.NOT_A_COORDINATOR
            if series.status != SeriesStatus.ACTIVE:
                return ChangeRefusal.CLOSED
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
                    items += await cancelled_items(session, meeting, board, now, group_notice=False)
            ended = await session.meetings.series(series.id)
            assert ended is not None
            items += [
                _series_item(board, SERIES_ENDED, ended, now),
                _series_item(board, SERIES_ICS, ended, now),
            ]
            await audit_meeting(session, now, user_id, "series.ended", board, series.id, "series")
            await self._outbox.add(session, items, now)
        return None

    # reminders --------------------------------------------------------------------------------


def _series_item(
    board: BoardRecord, kind: str, series: SeriesRecord, now: datetime
) -> NewOutboxItem:
    payload = {"series_id": series.id, "sequence": series.sequence}
    key = f"{kind}:{series.id}:{series.sequence}"
    return group_row(board, kind, ("series", series.id), payload, now, key)
