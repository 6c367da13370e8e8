"""Scenarios for flow tests (boards): the steps many tests share, pressed the way people do."""

from __future__ import annotations

from tests.kit import Group, Harness, Person, SentMessage


async def set_up_board(h: Harness) -> tuple[Group, Person]:
    group, maria = h.group("Борд ВТ"), h.person("Мария")
    h.make_admin(group, maria)
    h.make_admin(group)
    await h.private(maria, "/start")
    await h.in_group(group, maria, "/setup Местен борд ВТ")
    return group, maria


async def join(h: Harness, group: Group, person: Person, sector: str = "Образование") -> None:
    """Open the private chat, /join in the group, pick a sector, accept the rules."""
    await h.private(person, "/start")
    asked = await h.in_group(group, person, "/join")
    question = asked.to(person.id)[0]
    await h.press(person, question, sector)
    await h.press(person, question, "Приемам")


async def join_and_approve(h: Harness, group: Group, coordinator: Person, person: Person) -> None:
    await join(h, group, person)
    await h.dispatch()
    request = h.api.messages[-1]
    await h.press(coordinator, request, "Одобри")
    await h.dispatch()


def last_to(h: Harness, chat_id: int) -> SentMessage:
    return [m for m in h.api.messages if m.chat_id == chat_id][-1]
