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


async def board_and_member(h: Harness) -> tuple[Group, Person, Person]:
    """Мария's board, and Иван (education) approved on it: the start of many flow tests."""
    group, maria = await set_up_board(h)
    ivan = h.person("Иван")
    await join_and_approve(h, group, maria, ivan)
    return group, maria, ivan


async def join(h: Harness, group: Group, person: Person, sector: str = "Образование") -> None:
    """Open the private chat, /join in the group, pick a sector, accept the rules."""
    await h.private(person, "/start")
    asked = await h.in_group(group, person, "/join")
    question = asked.to(person.id)[0]
    await h.press(person, question, sector)
    await h.press(person, question, "Приемам")


async def join_and_approve(
    h: Harness, group: Group, coordinator: Person, person: Person, sector: str = "Образование"
) -> None:
    await join(h, group, person, sector)
    await h.dispatch()
    request = join_request_to(h, coordinator)
    await h.press(coordinator, request, "Одобри")
    await h.dispatch()


def last_to(h: Harness, chat_id: int) -> SentMessage:
    return [m for m in h.api.messages if m.chat_id == chat_id][-1]


async def audit_actions(h: Harness) -> list[str]:
    async with h.db.read() as session:
        return [row.action for row in reversed(await session.audit.recent(1000))]


async def member_row(h: Harness, group: Group, person: Person) -> tuple[str, str, str] | None:
    async with h.db.read() as session:
        board = await session.boards.by_chat(group.id)
        assert board is not None
        member = await session.boards.membership(board.id, person.id)
    return None if member is None else (member.role, member.sector, member.status)


async def make_deputy(h: Harness, coordinator: Person, person: Person) -> None:
    listing = await h.private(coordinator, "/members")
    await h.press(coordinator, listing.only, person.name)
    await h.press(coordinator, listing.only, "заместник")


def menu_of(h: Harness, person: Person) -> list[str]:
    calls = [
        c
        for c in h.api.calls
        if c.method in ("setMyCommands", "deleteMyCommands")
        and c.params.get("scope", {}).get("type") == "chat"
        and int(c.params["scope"]["chat_id"]) == person.id
    ]
    if not calls or calls[-1].method == "deleteMyCommands":
        return []
    return [command["command"] for command in calls[-1].params["commands"]]


def join_request_to(h: Harness, coordinator: Person) -> SentMessage:
    """The newest request to join in the coordinator's private chat (a group card sent by the
    dispatcher in the background may come after it)."""
    return next(
        m
        for m in reversed(h.api.messages)
        if m.chat_id == coordinator.id and any("Одобри" in b.get("text", "") for b in m.buttons())
    )
