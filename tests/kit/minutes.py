"""Scenarios for flow tests (minutes): the steps many tests share, pressed the way people do."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from tests.kit import Harness
from tests.kit.cases import raise_case
from tests.kit.meetings import MeetingBoard, announcement_in, fixed_meeting
from tests.kit.votes import Board, board_with_case

SOFIA = ZoneInfo("Europe/Sofia")


async def rows(h: Harness, sql: str, *args: object) -> list[tuple[object, ...]]:
    async with h.db.read() as session:
        return [tuple(r) for r in await session.conn.execute_fetchall(sql, args)]


async def meeting_with_two_agenda_cases(h: Harness) -> tuple[Board, str, int]:
    """Ivan leads two cases; a meeting on 25.11 at 14:00; Ivan and Georgi are going."""
    b = await board_with_case(h)
    second = await raise_case(h, b.group, b.ivan)
    await h.dispatch()
    meeting = await fixed_meeting(h, MeetingBoard(b.group, b.maria, b.voters))
    announcement = announcement_in(h, MeetingBoard(b.group, b.maria, b.voters))
    await h.press(b.ivan, announcement, key="rsvp.going")
    await h.press(b.georgi, announcement, key="rsvp.going")
    await h.dispatch()
    return b, second, meeting
