"""Scenarios for flow tests (votes): the steps many tests share, pressed the way people do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from fakegram.api import SentMessage
from tests.kit import Group, Harness, Person
from tests.kit.boards import join, join_request_to, last_to, set_up_board
from tests.kit.cases import raise_case

TITLE = "Психологическа оценка до края на месеца"


MERGE = timedelta(seconds=5)


@dataclass
class Board:
    group: Group
    maria: Person
    """The coordinator (sector: other)."""
    ivan: Person
    """Education; the lead of the case (its sectors: education, health)."""
    petya: Person
    georgi: Person
    elena: Person
    dimitar: Person
    code: str

    @property
    def voters(self) -> list[Person]:
        return [self.ivan, self.petya, self.georgi, self.elena, self.dimitar]


async def approve(
    h: Harness, group: Group, coordinator: Person, person: Person, sector: str
) -> None:
    await join(h, group, person, sector)
    await h.dispatch()
    await h.press(coordinator, join_request_to(h, coordinator), "Одобри")
    await h.dispatch()


async def board_with_case(h: Harness) -> Board:
    """Five members of four sectors and the coordinator; Ivan raises a case."""
    group, maria = await set_up_board(h)
    ivan, petya, georgi = h.person("Иван"), h.person("Петя"), h.person("Георги")
    elena, dimitar = h.person("Елена"), h.person("Димитър")
    await approve(h, group, maria, ivan, "Образование")
    await approve(h, group, maria, petya, "Социални услуги")
    await approve(h, group, maria, georgi, "Здравеопазване")
    await approve(h, group, maria, elena, "Детска педагогическа стая")
    await approve(h, group, maria, dimitar, "Образование")
    code = await raise_case(h, group, ivan)
    await h.dispatch()
    return Board(group, maria, ivan, petya, georgi, elena, dimitar, code)


async def open_vote(h: Harness, b: Board, *, anonymous: bool = False) -> SentMessage:
    """Ivan proposes in the group and opens the vote; the draft becomes the live message."""
    draft = (await h.in_group(b.group, b.ivan, f"/propose {b.code} {TITLE}")).only
    assert "Как да протече гласуването" in draft.plain()
    opened = await h.press(b.ivan, draft, "Тайно" if anonymous else "Явно")
    assert opened.toast == "Гласуването е пуснато."
    return draft


async def block(h: Harness, person: Person, vote: SentMessage, reason: str) -> None:
    asked = await h.press(person, vote, key="vote.choice.block")
    assert asked.answers[-1]["show_alert"] is True
    assert "причината" in asked.to(person.id)[0].plain()
    saved = await h.private(person, reason)
    assert "Блокирането е записано" in saved.only.plain()


async def proposal_id(h: Harness) -> int:
    async with h.db.read() as session:
        rows = list(await session.conn.execute_fetchall("SELECT MAX(id) FROM proposals"))
    return int(rows[0][0])


async def accepted_without_owner(h: Harness, b: Board) -> SentMessage:
    """A group vote three agree with, closed at its deadline: the lead is asked for an owner."""
    vote = await open_vote(h, b)
    for person in (b.ivan, b.petya, b.georgi):
        await h.press(person, vote, key="vote.choice.agree")
    h.clock.advance(timedelta(hours=72))
    await h.dispatch()
    return last_to(h, b.ivan.id)


async def action_for_petya(h: Harness, b: Board, due: str = "след 14 дни") -> None:
    """Accepted on 26.11 (Thursday); the lead names Petya the owner."""
    await h.runtime.core.nudges.start()
    ask = await accepted_without_owner(h, b)
    await h.press(b.ivan, ask, "Отговорник и срок")
    await h.press(b.ivan, ask, "Петя")
    if due.startswith("след"):
        await h.press(b.ivan, ask, due)
    else:
        await h.press(b.ivan, ask, "Друга дата")
        await h.private(b.ivan, due)
    await h.dispatch()
