"""Every command × role × chat through the real handlers: the access table is what happens.

(The buttons are checked by the same ``guarded`` wrapper; their per-item checks are in each
capability's tests.)
"""

from __future__ import annotations

import pytest

from bot.boards.policy import BoardAction
from bot.kernel.i18n import Translator
from bot.kernel.policy import ChatKind, Role, check, every_action
from tests.kit import Harness, Person
from tests.kit.boards import join_and_approve, set_up_board

COMMANDED = [(action, action.rule.command) for action in every_action() if action.rule.command]
APOLOGY = Translator().t("bg", "error.internal")
DENIALS = {
    Translator().t("bg", f"deny.{reason}")
    for reason in ("private_only", "group_only", "not_member", "role")
}


async def cast(h: Harness) -> tuple[object, dict[Role, Person]]:
    """A board with one person in each role, and a stranger."""
    group, maria = await set_up_board(h)
    people = {Role.COORDINATOR: maria}
    for role, name, label in (
        (Role.DEPUTY, "Георги", "заместник"),
        (Role.MEMBER, "Иван", None),
        (Role.OBSERVER, "Елена", "наблюдател"),
    ):
        person = h.person(name)
        await join_and_approve(h, group, maria, person)
        if label is not None:
            listing = await h.private(maria, "/members")
            await h.press(maria, listing.only, name)
            await h.press(maria, listing.only, label)
        people[role] = person
    stranger = h.person("Непознат")
    await h.private(stranger, "/start")
    people[Role.NON_MEMBER] = stranger
    return group, people


@pytest.mark.parametrize("chat", [ChatKind.PRIVATE, ChatKind.GROUP])
async def test_every_command_is_allowed_or_refused_exactly_as_the_table_says(
    harness: Harness, chat: ChatKind
) -> None:
    group, people = await cast(harness)
    mismatches = []
    outcomes = {True: 0, False: 0}
    for action, command in COMMANDED:
        if action in (BoardAction.SETUP, BoardAction.JOIN):
            continue  # they act on Telegram's own roles and change the board: tested apart
        for role, person in people.items():
            await harness.private(person, "/cancel")  # no dialogue carried from the last one
            if chat is ChatKind.PRIVATE:
                exchange = await harness.private(person, f"/{command}")
            else:
                exchange = await harness.in_group(group, person, f"/{command}")  # type: ignore[arg-type]
            said = {m.plain() for m in exchange.messages} | {
                str(a.get("text")) for a in exchange.answers
            }
            refused = bool(said & DENIALS)
            expected = check(action, role, chat) is not None
            outcomes[refused] += 1
            if refused != expected or APOLOGY in said:  # allowed must also mean handled
                mismatches.append((command, role.value, chat.value, sorted(said)[:1]))
    assert mismatches == []
    assert outcomes[True] > 10 and outcomes[False] > 10  # both kinds really happened


def test_the_docs_print_the_table_as_it_is() -> None:
    from pathlib import Path

    from bot.kernel.policy import markdown_table

    page = (Path(__file__).parent.parent / "docs" / "access-policy.md").read_text()
    assert page.endswith(markdown_table())


@pytest.mark.parametrize("chat", [ChatKind.PRIVATE, ChatKind.GROUP])
async def test_every_button_is_refused_exactly_as_the_table_says_and_never_crashes(
    harness: Harness, chat: ChatKind
) -> None:
    from handlers.base import BUTTON_ACTIONS

    group, people = await cast(harness)
    anchor = {
        person.id: (await harness.private(person, "/help")).only for person in people.values()
    }
    in_group = (await harness.in_group(group, people[Role.COORDINATOR], "/help")).only  # type: ignore[arg-type]
    mismatches = []
    for prefix, action in sorted(BUTTON_ACTIONS.items()):
        for role, person in people.items():
            message = anchor[person.id] if chat is ChatKind.PRIVATE else in_group
            exchange = await harness.press_data(person, message, f"v1:{prefix}:1:1:1", quiet=True)
            said = {str(a.get("text")) for a in exchange.answers} | {
                m.plain() for m in exchange.messages
            }
            refused = bool(said & DENIALS)
            expected = check(action, role, chat) is not None
            if (expected and not refused) or APOLOGY in said:
                mismatches.append((prefix, role.value, chat.value, sorted(said)[:1]))
    assert mismatches == []


async def test_case_scoped_commands_by_every_role_including_team_and_external_contact(
    harness: Harness,
) -> None:
    """The seven roles of the data-protection table, on one case, in private."""
    from tests.kit.cases import SUMMARY
    from tests.kit.votes import board_with_case

    b = await board_with_case(harness)  # Ivan is the case's lead (its team)
    listing = await harness.private(b.maria, "/members")
    await harness.press(b.maria, listing.only, "Георги")
    await harness.press(b.maria, listing.only, "заместник")
    listing = await harness.private(b.maria, "/members")
    await harness.press(b.maria, listing.only, "Елена")
    await harness.press(b.maria, listing.only, key="role.observer")
    invite = (await harness.private(b.maria, "/escalations")).only
    link = await harness.press(b.maria, invite, "Покани външен контакт")
    token = str(link.edits[-1].params["text"]).split("?start=")[1].split()[0]
    external, stranger = harness.person("Експерт"), harness.person("Непознат")
    await harness.private(external, f"/start {token}")
    await harness.private(stranger, "/start")
    roles = {
        "coordinator": b.maria,
        "deputy": b.georgi,
        "team": b.ivan,
        "other member": b.petya,
        "observer": b.elena,
        "non-member": stranger,
        "external contact": external,
    }
    not_found = Translator().t("bg", "case.not_found")
    seen: dict[str, dict[str, str]] = {}
    for name, person in roles.items():
        row: dict[str, str] = {}
        shown = (await harness.private(person, f"/case {b.code}")).only.plain()
        row["case"] = (
            "details"
            if SUMMARY in shown
            else "refused"
            if shown == not_found or shown in DENIALS
            else "card"
        )
        for command in ("audit", "export", "erase"):
            said = {
                m.plain() for m in (await harness.private(person, f"/{command} {b.code}")).messages
            }
            row[command] = "refused" if said & DENIALS or said == {not_found} else "allowed"
        seen[name] = row
    coordinating = {"case": "details", "audit": "allowed", "export": "allowed", "erase": "allowed"}
    refused = {"audit": "refused", "export": "refused", "erase": "refused"}
    assert seen == {
        "coordinator": coordinating,
        "deputy": coordinating,
        "team": {"case": "details", **refused},
        "other member": {"case": "card", **refused},
        "observer": {"case": "card", **refused},
        "non-member": {"case": "refused", **refused},
        "external contact": {"case": "refused", **refused},
    }
