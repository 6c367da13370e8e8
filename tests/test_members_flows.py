"""Members and settings of a board, driven as Telegram does: /members, roles, handover, /pending,
one's own sector, /boardsettings, a person on two boards, and each person's menu."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.kernel.policy import Role
from fakegram.formats import plain_text
from tests.kit import FakeBotApi, Harness
from tests.kit.boards import (
    audit_actions,
    board_and_member,
    join,
    join_and_approve,
    last_to,
    make_deputy,
    member_row,
    menu_of,
    set_up_board,
)


async def test_refusing_the_rules_stores_no_membership(harness: Harness) -> None:
    group, _ = await set_up_board(harness)
    ivan = harness.person("Иван")
    await harness.private(ivan, "/start")
    asked = await harness.in_group(group, ivan, "/join")
    question = asked.to(ivan.id)[0]
    await harness.press(ivan, question, "Образование")
    refused = await harness.press(ivan, question, "Отказвам")
    assert "Без приемане на правилата" in str(refused.edits[0].params["text"])
    assert await member_row(harness, group, ivan) is None


async def test_members_lists_people_by_sector_and_role(harness: Harness) -> None:
    group, _maria, ivan = await board_and_member(harness)
    listing = await harness.in_group(group, ivan, "/members")
    text = listing.only.plain()
    assert "(2)" in text
    assert "Образование: Иван" in text
    assert "Друг / асоцииран партньор: Мария (координатор)" in text
    assert listing.only.buttons() == []


async def test_members_is_refused_to_someone_outside_the_board(harness: Harness) -> None:
    group, _ = await set_up_board(harness)
    stranger = harness.person("Непознат")
    reply = await harness.in_group(group, stranger, "/members")
    assert reply.only.plain() == "Това е само за членове на борда."


async def test_the_coordinator_changes_a_role_from_the_member_card(harness: Harness) -> None:
    group, maria, ivan = await board_and_member(harness)
    listing = await harness.private(maria, "/members")
    card = listing.only
    await harness.press(maria, card, "Иван")
    changed = await harness.press(maria, card, key="role.observer")
    assert changed.toast == "Иван вече е наблюдател."
    assert await member_row(harness, group, ivan) == ("observer", "education", "active")
    assert "member.role_observer" in await audit_actions(harness)


async def test_a_member_pressing_a_role_button_changes_nothing(harness: Harness) -> None:
    group, maria = await set_up_board(harness)
    ivan, petya = harness.person("Иван"), harness.person("Петя")
    await join_and_approve(harness, group, maria, ivan)
    await join_and_approve(harness, group, maria, petya)
    listing = await harness.private(ivan, "/members")
    forged = await harness.press_data(ivan, listing.only, f"v1:role:1:{petya.id}:deputy")
    assert forged.answers[-1]["show_alert"] is True
    assert await member_row(harness, group, petya) == ("member", "education", "active")


async def test_the_coordinator_hands_over_and_the_new_one_confirms(harness: Harness) -> None:
    group, maria, ivan = await board_and_member(harness)
    listing = await harness.private(maria, "/members")
    await harness.press(maria, listing.only, "Иван")
    await harness.press(maria, listing.only, "Предай")
    assert await member_row(harness, group, ivan) == ("member", "education", "active")
    await harness.dispatch()
    offer = last_to(harness, ivan.id)
    await harness.press(ivan, offer, "Приемам")
    assert await member_row(harness, group, ivan) == ("coordinator", "education", "active")
    assert await member_row(harness, group, maria) == ("deputy", "other", "active")
    replay = await harness.press_data(
        ivan, offer, offer.buttons()[0]["callback_data"] if offer.buttons() else "v1:hand:1:y"
    )
    assert replay.answers[-1]["show_alert"] is True


async def test_pending_collects_every_waiting_join_in_one_message(harness: Harness) -> None:
    group, maria = await set_up_board(harness)
    people = [harness.person(name) for name in ("Иван", "Петя", "Стоян")]
    for person in people:
        await join(harness, group, person)
    reply = await harness.private(maria, "/pending")
    assert len(reply.messages) == 1
    assert len(reply.only.buttons()) == 6
    await harness.press(maria, reply.only, "✅ Петя")
    assert await member_row(harness, group, people[1]) == ("member", "education", "active")


async def test_pending_is_refused_to_ordinary_members(harness: Harness) -> None:
    _group, _maria, ivan = await board_and_member(harness)
    reply = await harness.private(ivan, "/pending")
    assert reply.only.plain() == "Ролята ви в борда не позволява това."


async def test_own_sector_is_chosen_from_the_coordinator_panel(harness: Harness) -> None:
    group, maria = await set_up_board(harness)
    panel = [m for m in harness.api.messages if m.chat_id == maria.id][-1]
    saved = await harness.press(maria, panel, "Социални услуги")
    assert saved.toast == "Секторът ви е записан: Социални услуги."
    assert await member_row(harness, group, maria) == ("coordinator", "social", "active")


async def test_board_settings_change_with_buttons_and_are_audited(harness: Harness) -> None:
    group, maria = await set_up_board(harness)
    view = await harness.private(maria, "/boardsettings")
    await harness.press(maria, view.only, "Застой")
    saved = await harness.press(maria, view.only, "45")
    assert saved.toast == "Записано: Застой след (дни) = 45"
    async with harness.db.read() as session:
        board = await session.boards.by_chat(group.id)
        assert board is not None
        settings = await harness.runtime.core.settings.get(session, board.id)
    assert settings.stall_days == 45
    assert "board.setting_changed" in await audit_actions(harness)


async def test_a_forged_setting_value_is_refused(harness: Harness) -> None:
    _group, maria = await set_up_board(harness)
    view = await harness.private(maria, "/boardsettings")
    for data in ("v1:setv:1:stall_days:99", "v1:setv:1:no_such:0", "v1:setv:999:stall_days:0"):
        forged = await harness.press_data(maria, view.only, data)
        assert forged.answers[-1]["show_alert"] is True


async def test_the_group_language_setting_changes_group_broadcasts(harness: Harness) -> None:
    group, maria = await set_up_board(harness)
    view = await harness.private(maria, "/boardsettings")
    await harness.press(maria, view.only, key="setting.language")
    await harness.press(maria, view.only, key="language.en")
    stranger = harness.person("Someone", language_code=None)
    reply = await harness.in_group(group, stranger, "/help")
    assert reply.only.plain().startswith("Help")


async def test_a_person_on_two_boards_is_asked_which_one(harness: Harness) -> None:
    _group, maria = await set_up_board(harness)
    second = harness.group("Борд ГО")
    harness.make_admin(second, maria)
    await harness.in_group(second, maria, "/setup Борд ГО")
    ask = await harness.private(maria, "/members")
    assert ask.only.plain() == "В няколко борда сте. За кой борд?"
    assert [b["text"] for b in ask.only.buttons()] == ["✓ Борд ГО", "Местен борд ВТ"]
    shown = await harness.press(maria, ask.only, "Местен борд ВТ")
    assert "Членове на борда „Местен борд ВТ“" in str(shown.edits[-1].params["text"])
    again = await harness.private(maria, "/members")
    assert again.only.buttons()[0]["text"] == "✓ Местен борд ВТ"


async def test_a_supergroup_migration_moves_the_board_and_its_pending_messages(
    harness: Harness,
) -> None:
    group, maria = await set_up_board(harness)
    async with harness.db.transaction() as session:
        from datetime import timedelta

        from bot.kernel.notices import NOTICE
        from storage.models import NewOutboxItem

        board = await session.boards.by_chat(group.id)
        assert board is not None
        await session.outbox.enqueue(
            [
                NewOutboxItem(
                    chat_id=group.id,
                    board_id=board.id,
                    kind=NOTICE,
                    payload={"key": "demo.reminder"},
                    due_at=harness.clock.now() + timedelta(minutes=5),
                    dedupe_key="g1",
                )
            ],
            harness.clock.now(),
        )
    moved = await harness.migrate(group, -1009999)
    listing = await harness.in_group(moved, maria, "/members")
    assert "Мария" in listing.only.plain()
    harness.clock.advance(timedelta(minutes=5))
    await harness.dispatch()
    assert last_to(harness, moved.id).plain().startswith("⏰")


async def test_boards_and_members_survive_a_restart(bot_db: Path) -> None:
    api = FakeBotApi()
    async with Harness.running(bot_db, api=api) as h:
        group, maria = await set_up_board(h)
        ivan = h.person("Иван")
        await join_and_approve(h, group, maria, ivan)
    async with Harness.running(bot_db, api=api) as h:
        assert await member_row(h, group, ivan) == ("member", "education", "active")
        assert await member_row(h, group, maria) == ("coordinator", "other", "active")


@pytest.mark.parametrize("role", [Role.MEMBER, Role.OBSERVER])
async def test_help_in_a_board_lists_members_but_not_coordinator_commands(
    harness: Harness, role: Role
) -> None:
    _group, maria, ivan = await board_and_member(harness)
    if role is Role.OBSERVER:
        listing = await harness.private(maria, "/members")
        await harness.press(maria, listing.only, "Иван")
        await harness.press(maria, listing.only, key="role.observer")
    reply = (await harness.private(ivan, "/help")).only
    everything = str((await harness.press(ivan, reply, "➕ Още")).edits[-1].params["text"])
    assert "/members" in everything  # all of it, behind "more"
    assert "/pending" not in everything
    assert "/setup" not in everything  # a member has a board: nothing to set up


async def test_an_old_handover_button_is_void_once_the_nominee_left(harness: Harness) -> None:
    group, maria, ivan = await board_and_member(harness)
    listing = await harness.private(maria, "/members")
    await harness.press(maria, listing.only, "Иван")
    await harness.press(maria, listing.only, "Предай")
    await harness.dispatch()
    offer = last_to(harness, ivan.id)
    await harness.member_event(group, ivan, "member", "left")
    await join(harness, group, ivan)
    late = await harness.press(ivan, offer, "Приемам")
    assert late.answers[-1]["show_alert"] is True
    assert await member_row(harness, group, maria) == ("coordinator", "other", "active")


async def test_approving_from_pending_keeps_the_rest_of_the_list(harness: Harness) -> None:
    group, maria = await set_up_board(harness)
    ivan, petya = harness.person("Иван"), harness.person("Петя")
    await join(harness, group, ivan)
    await join(harness, group, petya)
    listing = await harness.private(maria, "/pending")
    await harness.press(maria, listing.only, "✅ Иван")
    assert [plain_text(b["text"]) for b in listing.only.buttons()] == ["✅ Петя", "✖ Петя"]


async def test_a_demoted_deputy_cannot_change_settings_with_an_old_screen(
    harness: Harness,
) -> None:
    group, maria, ivan = await board_and_member(harness)
    await make_deputy(harness, maria, ivan)
    view = await harness.private(ivan, "/boardsettings")
    await harness.press(ivan, view.only, "Застой")
    listing = await harness.private(maria, "/members")
    await harness.press(maria, listing.only, "Иван")
    await harness.press(maria, listing.only, key="role.member")
    refused = await harness.press(ivan, view.only, "30")
    assert refused.answers[-1]["show_alert"] is True
    async with harness.db.read() as session:
        board = await session.boards.by_chat(group.id)
        assert board is not None
        assert (await harness.runtime.core.settings.get(session, board.id)).stall_days == 21


async def test_each_persons_menu_follows_their_role(harness: Harness) -> None:
    group, maria, ivan = await board_and_member(harness)
    assert "pending" in menu_of(harness, maria)
    assert "boardsettings" in menu_of(harness, maria)
    assert "members" in menu_of(harness, ivan)
    assert "pending" not in menu_of(harness, ivan)
    await harness.member_event(group, ivan, "member", "left")
    await harness.dispatch()  # menus are set by the outbox, after the answer
    assert menu_of(harness, ivan) == []
