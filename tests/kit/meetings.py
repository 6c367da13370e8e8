"""Scenarios for flow tests (meetings): the steps many tests share, pressed the way people do."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from fakegram.api import SentMessage
from tests.kit import Group, Harness, Person
from tests.kit.boards import set_up_board
from tests.kit.votes import approve

SOFIA = ZoneInfo("Europe/Sofia")


@dataclass
class MeetingBoard:
    group: Group
    maria: Person
    members: list[Person]


async def a_board(h: Harness) -> MeetingBoard:
    """The coordinator and five members of four sectors."""
    group, maria = await set_up_board(h)
    members = []
    for name, sector in (
        ("Иван", "Образование"),
        ("Петя", "Социални услуги"),
        ("Георги", "Здравеопазване"),
        ("Елена", "Детска педагогическа стая"),
        ("Димитър", "Образование"),
    ):
        person = h.person(name)
        await approve(h, group, maria, person, sector)
        members.append(person)
    return MeetingBoard(group, maria, members)


async def start_set_up(h: Harness, b: MeetingBoard, mode: str) -> SentMessage:
    """/meeting in the group continues in the coordinator's private chat."""
    started = await h.in_group(b.group, b.maria, "/meeting")
    assert "личния чат" in started.to(b.group.id)[0].plain()
    screen = started.to(b.maria.id)[0]
    await h.press(b.maria, screen, key="meeting_kind.supervision")
    await h.press(b.maria, screen, "Анкета" if mode == "poll" else "Знам датата")
    return screen


async def add_time(h: Harness, b: MeetingBoard, text: str) -> SentMessage:
    echo = (await h.private(b.maria, text)).only
    assert "Разбрах" in echo.plain() or "два пъти" in echo.plain(), echo.plain()
    return echo


async def finish(
    h: Harness, b: MeetingBoard, screen: SentMessage, place: str | None = None
) -> None:
    if place is None:
        await h.press(b.maria, screen, key="button.skip")
    else:
        screen = (await h.private(b.maria, place)).only
    await h.press(b.maria, screen, "90 мин")
    await h.press(b.maria, screen, "в групата")
    await h.dispatch()


async def fixed_meeting(h: Harness, b: MeetingBoard, when: str = "25.11 14:00") -> int:
    await start_set_up(h, b, "fixed")
    echo = await add_time(h, b, when)
    await h.press(b.maria, echo, "Да")
    await finish(h, b, echo, place="Общината, зала 3")
    return await last_meeting(h)


async def last_meeting(h: Harness) -> int:
    async with h.db.read() as session:
        rows = list(await session.conn.execute_fetchall("SELECT MAX(id) FROM meetings"))
    return int(rows[0][0])


def documents(h: Harness, chat_id: int) -> list[SentMessage]:
    return [m for m in h.api.messages if m.chat_id == chat_id and m.document is not None]


def announcement_in(h: Harness, b: MeetingBoard) -> SentMessage:
    return next(
        m
        for m in h.api.messages
        if m.chat_id == b.group.id and any("Идвам" in x.get("text", "") for x in m.buttons())
    )


def reminders(h: Harness, chat_id: int) -> list[SentMessage]:
    return [m for m in h.api.messages if m.chat_id == chat_id and m.plain().startswith("⏰")]
