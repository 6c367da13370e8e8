"""Meetings, their poll slots and answers, and RSVPs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from storage.connection import Connection
from storage.models import MeetingRecord, MeetingStatus, SeriesRecord, SlotRecord
from storage.rows import Reader
from storage.timeconv import from_ts, to_ts

_meeting = Reader(MeetingRecord)
_COLUMNS = _meeting.columns


class MeetingRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def create(
        self,
        *,
        board_id: int,
        kind: str,
        status: MeetingStatus,
        starts_at: datetime | None,
        duration_minutes: int,
        place: str,
        created_by: int,
        now: datetime,
        series_id: int | None = None,
    ) -> MeetingRecord:
        row = await self._conn.fetch_one(
            "INSERT INTO meetings (board_id, kind, status, starts_at, duration_minutes, place,"
            " created_by, created_at, updated_at, series_id, occurrence)"
            f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}",
            (
                board_id,
                kind,
                status,
                None if starts_at is None else to_ts(starts_at),
                duration_minutes,
                place,
                created_by,
                to_ts(now),
                to_ts(now),
                series_id,
                None if series_id is None or starts_at is None else to_ts(starts_at),
            ),
        )
        assert row is not None
        return _meeting(row)

    async def get(self, meeting_id: int) -> MeetingRecord | None:
        row = await self._conn.point_one(
            f"SELECT {_COLUMNS} FROM meetings WHERE id = ?", (meeting_id,)
        )
        return None if row is None else _meeting(row)

    async def schedule(self, meeting_id: int, starts_at: datetime, now: datetime) -> None:
        """Set (or move) the time; every change raises the calendar SEQUENCE."""
        await self._conn.execute(
            "UPDATE meetings SET status = 'scheduled', starts_at = ?, sequence = sequence + 1,"
            " updated_at = ? WHERE id = ?",
            (to_ts(starts_at), to_ts(now), meeting_id),
        )

    async def cancel(self, meeting_id: int, now: datetime) -> None:
        await self._conn.execute(
            "UPDATE meetings SET status = 'cancelled', sequence = sequence + 1, updated_at = ?"
            " WHERE id = ?",
            (to_ts(now), meeting_id),
        )

    async def upcoming(self, board_ids: Sequence[int], now: datetime) -> list[MeetingRecord]:
        """Polls, and scheduled meetings that have not ended, soonest first."""
        if not board_ids:
            return []
        marks = ", ".join("?" for _ in board_ids)
        return [
            _meeting(row)
            for row in await self._conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM meetings WHERE board_id IN ({marks}) AND ("
                " status = 'polling' OR (status = 'scheduled'"
                " AND starts_at + duration_minutes * 60 > ?))"
                " ORDER BY CASE WHEN starts_at IS NULL THEN 0 ELSE 1 END, starts_at, id",
                (*board_ids, to_ts(now)),
            )
        ]

    # polls ------------------------------------------------------------------------------------
    async def add_slots(self, meeting_id: int, starts: Sequence[datetime]) -> None:
        await self._conn.executemany(
            "INSERT INTO meeting_slots (meeting_id, position, starts_at) VALUES (?, ?, ?)",
            [(meeting_id, index + 1, to_ts(start)) for index, start in enumerate(starts)],
        )

    async def slots(self, meeting_id: int) -> list[SlotRecord]:
        return [
            SlotRecord(row[0], row[1], row[2], from_ts(row[3]))
            for row in await self._conn.execute_fetchall(
                "SELECT id, meeting_id, position, starts_at FROM meeting_slots"
                " WHERE meeting_id = ? ORDER BY position",
                (meeting_id,),
            )
        ]

    async def slot(self, slot_id: int) -> SlotRecord | None:
        row = await self._conn.point_one(
            "SELECT id, meeting_id, position, starts_at FROM meeting_slots WHERE id = ?", (slot_id,)
        )
        return None if row is None else SlotRecord(row[0], row[1], row[2], from_ts(row[3]))

    async def slot_answers(self, meeting_id: int) -> list[tuple[int, int, str]]:
        """(slot id, user id, answer) for every answer in the poll."""
        return [
            (row[0], row[1], row[2])
            for row in await self._conn.execute_fetchall(
                "SELECT a.slot_id, a.user_id, a.answer FROM slot_answers a"
                " JOIN meeting_slots s ON s.id = a.slot_id WHERE s.meeting_id = ?"
                " ORDER BY s.position, a.at",
                (meeting_id,),
            )
        ]

    async def answer_slot(self, slot_id: int, user_id: int, answer: str, now: datetime) -> bool:
        """False when this person had already given this answer (a double press)."""
        row = await self._conn.point_one(
            "SELECT answer FROM slot_answers WHERE slot_id = ? AND user_id = ?", (slot_id, user_id)
        )
        if row is not None and row[0] == answer:
            return False
        await self._conn.execute(
            "INSERT INTO slot_answers (slot_id, user_id, answer, at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (slot_id, user_id) DO UPDATE SET answer = excluded.answer,"
            " at = excluded.at",
            (slot_id, user_id, answer, to_ts(now)),
        )
        return True

    # RSVPs ------------------------------------------------------------------------------------
    async def rsvps(self, meeting_id: int) -> list[tuple[int, str]]:
        return [
            (row[0], row[1])
            for row in await self._conn.execute_fetchall(
                "SELECT user_id, answer FROM rsvps WHERE meeting_id = ? ORDER BY at, user_id",
                (meeting_id,),
            )
        ]

    async def rsvp(self, meeting_id: int, user_id: int, answer: str, now: datetime) -> str | None:
        """Store an answer; returns the previous one (None if first)."""
        row = await self._conn.point_one(
            "SELECT answer FROM rsvps WHERE meeting_id = ? AND user_id = ?", (meeting_id, user_id)
        )
        await self._conn.write(
            "INSERT INTO rsvps (meeting_id, user_id, answer, at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (meeting_id, user_id) DO UPDATE SET answer = excluded.answer,"
            " at = excluded.at",
            (meeting_id, user_id, answer, to_ts(now)),
        )
        return None if row is None else str(row[0])

    # the minute-taker and attendance -----------------------------------------------------------
    async def set_minute_taker(self, meeting_id: int, user_id: int, now: datetime) -> None:
        await self._conn.execute(
            "UPDATE meetings SET minute_taker_id = ?, updated_at = ? WHERE id = ?",
            (user_id, to_ts(now), meeting_id),
        )

    async def held(
        self, board_ids: Sequence[int], since: datetime, now: datetime
    ) -> list[MeetingRecord]:
        """Meetings that have started (not cancelled) since ``since``, latest first."""
        if not board_ids:
            return []
        marks = ", ".join("?" for _ in board_ids)
        return [
            _meeting(row)
            for row in await self._conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM meetings WHERE board_id IN ({marks})"
                " AND status = 'scheduled' AND starts_at <= ? AND starts_at >= ?"
                " ORDER BY starts_at DESC, id DESC",
                (*board_ids, to_ts(now), to_ts(since)),
            )
        ]

    async def attendance(self, meeting_id: int) -> list[tuple[int, str]]:
        """(user id, sector) of those recorded present."""
        return [
            (row[0], row[1])
            for row in await self._conn.execute_fetchall(
                "SELECT user_id, sector FROM meeting_attendance WHERE meeting_id = ?"
                " ORDER BY user_id",
                (meeting_id,),
            )
        ]

    async def set_present(self, meeting_id: int, user_id: int, sector: str, present: bool) -> None:
        if present:
            await self._conn.execute(
                "INSERT INTO meeting_attendance (meeting_id, user_id, sector) VALUES (?, ?, ?)"
                " ON CONFLICT (meeting_id, user_id) DO UPDATE SET sector = excluded.sector",
                (meeting_id, user_id, sector),
            )
        else:
            await self._conn.execute(
                "DELETE FROM meeting_attendance WHERE meeting_id = ? AND user_id = ?",
                (meeting_id, user_id),
            )

    async def record_attendance(self, meeting_id: int, present: Sequence[tuple[int, str]]) -> None:
        """The first list (from the RSVPs), written in one batch; attendance is now taken."""
        await self._conn.execute(
            "UPDATE meetings SET attendance_taken = 1 WHERE id = ?", (meeting_id,)
        )
        await self._conn.executemany(
            "INSERT INTO meeting_attendance (meeting_id, user_id, sector) VALUES (?, ?, ?)"
            " ON CONFLICT (meeting_id, user_id) DO NOTHING",
            [(meeting_id, user, sector) for user, sector in present],
        )

    # recurring sessions -------------------------------------------------------------------------
    async def create_series(
        self,
        *,
        board_id: int,
        kind: str,
        rrule: str,
        first_start: datetime,
        until_day: date | None,
        duration_minutes: int,
        place: str,
        created_by: int,
        now: datetime,
    ) -> SeriesRecord:
        row = await self._conn.fetch_one(
            "INSERT INTO meeting_series (board_id, kind, rrule, first_start, until_day,"
            " duration_minutes, place, status, created_by, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?) RETURNING id",
            (
                board_id,
                kind,
                rrule,
                to_ts(first_start),
                None if until_day is None else until_day.isoformat(),
                duration_minutes,
                place,
                created_by,
                to_ts(now),
                to_ts(now),
            ),
        )
        assert row is not None
        series = await self.series(int(row[0]))
        assert series is not None
        return series

    async def series(self, series_id: int) -> SeriesRecord | None:
        row = await self._conn.point_one(
            f"SELECT {_SERIES_COLUMNS} FROM meeting_series WHERE id = ?", (series_id,)
        )
        return None if row is None else _series(row)

    async def active_series(self) -> list[SeriesRecord]:
        return [
            _series(row)
            for row in await self._conn.execute_fetchall(
                f"SELECT {_SERIES_COLUMNS} FROM meeting_series WHERE status = 'active' ORDER BY id"
            )
        ]

    async def end_series(self, series_id: int, now: datetime, last_day: date | None) -> None:
        """No more occurrences; ``last_day`` (the last one held) becomes its end date, None when
        none was held (the whole series is then withdrawn from calendars)."""
        await self._conn.execute(
            "UPDATE meeting_series SET status = 'ended', until_day = ?, sequence = sequence + 1,"
            " updated_at = ? WHERE id = ?",
            (None if last_day is None else last_day.isoformat(), to_ts(now), series_id),
        )

    async def occurrences(self, series_id: int) -> list[MeetingRecord]:
        """Every occurrence made so far, cancelled ones too (their dates are the EXDATEs)."""
        return [
            _meeting(row)
            for row in await self._conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM meetings WHERE series_id = ? ORDER BY occurrence",
                (series_id,),
            )
        ]


_series = Reader(SeriesRecord)
_SERIES_COLUMNS = _series.columns
