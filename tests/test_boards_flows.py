"""Boards and members end to end: set up, join, approve, roles, handover, settings, chat events."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.kernel.policy import Role
from fakegram.api import BOT_USERNAME, plain_text
from tests.kit import FakeBotApi, Group, Harness, Person
from tests.kit.boards import join, join_and_approve, last_to, set_up_board


async def audit_actions(h: Harness) -> list[str]:
    async with h.db.read() as session:
        return [row.action for row in reversed(await session.audit.recent(1000))]


async def member_row(h: Harness, group: Group, person: Person) -> tuple[str, str, str] | None:
    async with h.db.read() as session:
        board = await session.boards.by_chat(group.id)
        assert board is not None
        member = await session.boards.membership(board.id, person.id)
    return None if member is None else (member.role, member.sector, member.status)


# setting up -------------------------------------------------------------------------------------
async def test_a_group_admin_sets_up_a_board_and_becomes_its_coordinator(harness: Harness) -> None:
    group, maria = harness.group("Борд ВТ"), harness.person("Мария")
    harness.make_admin(group, maria)
    harness.make_admin(group)
    await harness.private(maria, "/start")
    reply = await harness.in_group(group, maria, "/setup Местен борд ВТ")
    in_group = reply.to(group.id)[0]
    assert "Бордът „Местен борд ВТ“ е създаден" in in_group.plain()
    assert in_group.buttons()[0]["url"].startswith(f"https://t.me/{BOT_USERNAME}?start=join_")
    assert "Вие сте координатор" in reply.to(maria.id)[0].plain()
    assert await member_row(harness, group, maria) == ("coordinator", "other", "active")
    assert "board.setup" in await audit_actions(harness)


async def test_setup_by_someone_who_is_not_a_group_admin_is_refused(harness: Harness) -> None:
    group, ivan = harness.group("Борд"), harness.person("Иван")
    reply = await harness.in_group(group, ivan, "/setup")
    assert reply.only.plain() == "Само администратор на групата може да я регистрира като борд."
    async with harness.db.read() as session:
        assert await session.boards.by_chat(group.id) is None


async def test_setup_twice_changes_nothing_and_names_the_coordinator(harness: Harness) -> None:
    group, maria = await set_up_board(harness)
    ivan = harness.person("Иван")
    harness.make_admin(group, ivan)
    reply = await harness.in_group(group, ivan, "/setup Друго име")
    assert "вече е борд „Местен борд ВТ“" in reply.only.plain()
    assert "Мария" in reply.only.plain()
    assert await member_row(harness, group, maria) == ("coordinator", "other", "active")


async def test_setup_by_a_coordinator_without_a_private_chat_offers_a_deep_link(
    harness: Harness,
) -> None:
    group, maria = harness.group("Борд"), harness.person("Мария")
    harness.make_admin(group, maria)
    reply = await harness.in_group(group, maria, "/setup")
    text = reply.only.plain()
    urls = [b.get("url", "") for b in reply.only.buttons()]
    assert "още не е отворил личния чат" in text
    assert "Направете ме администратор" in text
    assert any("?start=coord_" in url for url in urls)


async def test_setup_in_private_explains_how_to_add_the_bot_to_a_group(harness: Harness) -> None:
    maria = harness.person("Мария")
    reply = await harness.private(maria, "/setup")
    assert reply.only.buttons()[0]["url"] == f"https://t.me/{BOT_USERNAME}?startgroup=setup"


async def test_an_anonymous_admin_is_asked_to_post_as_themselves(harness: Harness) -> None:
    group = harness.group("Борд")
    update = {
        "update_id": harness.api.next_update_id(),
        "message": {
            "message_id": harness.api.next_message_id(),
            "date": 0,
            "chat": group.json(),
            "from": {
                "id": 1087968824,
                "is_bot": True,
                "first_name": "Group",
                "username": "GroupAnonymousBot",
            },
            "sender_chat": group.json(),
            "text": "/setup",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    reply = await harness.feed(update)
    assert "от свое име" in reply.only.plain()


async def test_setup_in_a_forum_topic_sends_the_boards_messages_to_that_topic(
    harness: Harness,
) -> None:
    group, maria = harness.group("Борд"), harness.person("Мария")
    harness.make_admin(group, maria)
    update = {
        "update_id": harness.api.next_update_id(),
        "message": {
            "message_id": harness.api.next_message_id(),
            "date": 0,
            "chat": {**group.json(), "is_forum": True},
            "from": maria.json(),
            "message_thread_id": 77,
            "is_topic_message": True,
            "text": "/setup",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    reply = await harness.feed(update)
    async with harness.db.read() as session:
        board = await session.boards.by_chat(group.id)
    assert board is not None and board.thread_id == 77
    assert reply.to(group.id)[0].thread_id == 77


# joining ----------------------------------------------------------------------------------------
async def test_join_picks_a_sector_accepts_the_rules_and_waits_for_approval(
    harness: Harness,
) -> None:
    group, maria = await set_up_board(harness)
    ivan = harness.person("Иван")
    await join(harness, group, ivan)
    assert await member_row(harness, group, ivan) == ("member", "education", "pending")
    async with harness.db.read() as session:
        board = await session.boards.by_chat(group.id)
        assert board is not None
        member = await session.boards.membership(board.id, ivan.id)
    assert member is not None and member.conduct_version == 1
    report = await harness.dispatch()
    request = last_to(harness, maria.id)
    assert report.sent == 1
    assert "Иван" in request.plain() and "Образование" in request.plain()
    approved = await harness.press(maria, request, "Одобри")
    assert approved.toast == "✅ Иван е член на борда."
    assert await member_row(harness, group, ivan) == ("member", "education", "active")
    await harness.dispatch()
    assert "Добре дошли" in last_to(harness, ivan.id).plain()


async def test_join_twice_says_the_request_is_waiting(harness: Harness) -> None:
    group, _ = await set_up_board(harness)
    ivan = harness.person("Иван")
    await join(harness, group, ivan)
    again = await harness.in_group(group, ivan, "/join")
    assert "чака одобрение" in again.only.plain()
    assert await member_row(harness, group, ivan) == ("member", "education", "pending")


async def test_a_person_who_never_started_the_bot_gets_a_deep_link_and_joins_there(
    harness: Harness,
) -> None:
    group, _ = await set_up_board(harness)
    ivan = harness.person("Иван")
    asked = await harness.in_group(group, ivan, "/join")
    url = asked.only.buttons()[0]["url"]
    assert "Не мога да ви пиша пръв" in asked.only.plain()
    payload = url.split("?start=")[1]
    question = await harness.private(ivan, f"/start {payload}")
    await harness.press(ivan, question.only, "Здравеопазване")
    await harness.press(ivan, question.only, "Приемам")
    assert await member_row(harness, group, ivan) == ("member", "health", "pending")


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


async def test_an_approval_pressed_by_a_non_coordinator_is_refused(harness: Harness) -> None:
    group, maria = await set_up_board(harness)
    ivan, petya = harness.person("Иван"), harness.person("Петя")
    await join_and_approve(harness, group, maria, ivan)
    await join(harness, group, petya)
    await harness.dispatch()
    request = last_to(harness, maria.id)
    forged = await harness.press_data(ivan, request, request.buttons()[0]["callback_data"])
    assert forged.answers[-1]["show_alert"] is True
    assert await member_row(harness, group, petya) == ("member", "education", "pending")


async def test_a_replayed_approval_says_it_is_already_decided(harness: Harness) -> None:
    group, maria = await set_up_board(harness)
    ivan = harness.person("Иван")
    await join(harness, group, ivan)
    await harness.dispatch()
    request = last_to(harness, maria.id)
    data = request.buttons()[1]["callback_data"]
    await harness.press_data(maria, request, data)
    replay = await harness.press_data(
        maria,
        request,
        request.buttons()[0]["callback_data"] if request.buttons() else data.replace(":n", ":y"),
    )
    assert replay.toast == "Това вече е решено."
    assert await member_row(harness, group, ivan) == ("member", "education", "declined")
    await harness.dispatch()
    assert "не беше одобрена" in last_to(harness, ivan.id).plain()


async def test_a_forged_join_link_is_refused(harness: Harness) -> None:
    ivan = harness.person("Иван")
    reply = await harness.private(ivan, "/start join_nosuchcode")
    assert "не е валидна" in reply.only.plain()


# listing and roles ------------------------------------------------------------------------------
async def test_members_lists_people_by_sector_and_role(harness: Harness) -> None:
    group, maria = await set_up_board(harness)
    ivan = harness.person("Иван")
    await join_and_approve(harness, group, maria, ivan)
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
    group, maria = await set_up_board(harness)
    ivan = harness.person("Иван")
    await join_and_approve(harness, group, maria, ivan)
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


async def test_a_deputy_cannot_remove_the_coordinator(harness: Harness) -> None:
    group, maria = await set_up_board(harness)
    ivan = harness.person("Иван")
    await join_and_approve(harness, group, maria, ivan)
    listing = await harness.private(maria, "/members")
    await harness.press(maria, listing.only, "Иван")
    await harness.press(maria, listing.only, "заместник")
    deputy_view = await harness.private(ivan, "/members")
    refused = await harness.press_data(ivan, deputy_view.only, f"v1:role:1:{maria.id}:remove")
    assert refused.answers[-1]["show_alert"] is True
    assert await member_row(harness, group, maria) == ("coordinator", "other", "active")


async def test_the_coordinator_hands_over_and_the_new_one_confirms(harness: Harness) -> None:
    group, maria = await set_up_board(harness)
    ivan = harness.person("Иван")
    await join_and_approve(harness, group, maria, ivan)
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
    group, maria = await set_up_board(harness)
    ivan = harness.person("Иван")
    await join_and_approve(harness, group, maria, ivan)
    reply = await harness.private(ivan, "/pending")
    assert reply.only.plain() == "Ролята ви в борда не позволява това."


async def test_own_sector_is_chosen_from_the_coordinator_panel(harness: Harness) -> None:
    group, maria = await set_up_board(harness)
    panel = [m for m in harness.api.messages if m.chat_id == maria.id][-1]
    saved = await harness.press(maria, panel, "Социални услуги")
    assert saved.toast == "Секторът ви е записан: Социални услуги."
    assert await member_row(harness, group, maria) == ("coordinator", "social", "active")


# settings ---------------------------------------------------------------------------------------
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


# chat events ------------------------------------------------------------------------------------
async def test_a_member_who_leaves_the_group_loses_access_at_once(harness: Harness) -> None:
    group, maria = await set_up_board(harness)
    ivan = harness.person("Иван")
    await join_and_approve(harness, group, maria, ivan)
    await harness.member_event(group, ivan, "member", "left")
    assert await member_row(harness, group, ivan) == ("member", "education", "suspended")
    refused = await harness.in_group(group, ivan, "/members")
    assert refused.only.plain() == "Това е само за членове на борда."
    rejoin = await harness.in_group(group, ivan, "/join")
    assert "Писах ви" in rejoin.to(group.id)[0].plain()


async def test_removing_the_bot_archives_the_board_and_cancels_its_outbox(
    harness: Harness,
) -> None:
    group, maria = await set_up_board(harness)
    ivan = harness.person("Иван")
    await join(harness, group, ivan)
    await harness.member_event(group, maria, "administrator", "kicked", bot=True)
    async with harness.db.read() as session:
        board = await session.boards.by_chat(group.id)
        assert board is not None
        members = await session.boards.members(board.id, ("active", "pending"))
    assert board.status == "archived"
    assert len(members) == 2
    assert (await harness.dispatch()).sent == 0


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


async def test_boards_and_members_survive_a_restart(tmp_path: Path) -> None:
    api = FakeBotApi()
    path = tmp_path / "bot.sqlite3"
    async with Harness.running(path, api=api) as h:
        group, maria = await set_up_board(h)
        ivan = h.person("Иван")
        await join_and_approve(h, group, maria, ivan)
    async with Harness.running(path, api=api) as h:
        assert await member_row(h, group, ivan) == ("member", "education", "active")
        assert await member_row(h, group, maria) == ("coordinator", "other", "active")


@pytest.mark.parametrize("role", [Role.MEMBER, Role.OBSERVER])
async def test_help_in_a_board_lists_members_but_not_coordinator_commands(
    harness: Harness, role: Role
) -> None:
    group, maria = await set_up_board(harness)
    ivan = harness.person("Иван")
    await join_and_approve(harness, group, maria, ivan)
    if role is Role.OBSERVER:
        listing = await harness.private(maria, "/members")
        await harness.press(maria, listing.only, "Иван")
        await harness.press(maria, listing.only, key="role.observer")
    reply = await harness.private(ivan, "/help")
    assert "/members" in reply.only.plain()
    assert "/pending" not in reply.only.plain()


# what the review found ---------------------------------------------------------------------------
async def make_deputy(h: Harness, coordinator: Person, person: Person) -> None:
    listing = await h.private(coordinator, "/members")
    await h.press(coordinator, listing.only, person.name)
    await h.press(coordinator, listing.only, "заместник")


async def test_when_the_coordinator_leaves_the_senior_deputy_takes_over(harness: Harness) -> None:
    group, maria = await set_up_board(harness)
    ivan, petya = harness.person("Иван"), harness.person("Петя")
    await join_and_approve(harness, group, maria, ivan)
    await make_deputy(harness, maria, ivan)
    await harness.member_event(group, maria, "administrator", "left")
    assert await member_row(harness, group, ivan) == ("coordinator", "education", "active")
    await join(harness, group, petya)
    await harness.dispatch()
    assert "Петя" in last_to(harness, ivan.id).plain()


async def test_a_board_without_any_coordinator_gets_one_from_a_group_admin(
    harness: Harness,
) -> None:
    group, maria = await set_up_board(harness)
    ivan = harness.person("Иван")
    await join_and_approve(harness, group, maria, ivan)
    await harness.member_event(group, maria, "administrator", "left")
    harness.make_admin(group, ivan)
    reply = await harness.in_group(group, ivan, "/setup")
    assert "е създаден" in reply.to(group.id)[0].plain() or "Координатор: Иван" in (
        reply.to(group.id)[0].plain()
    )
    assert await member_row(harness, group, ivan) == ("coordinator", "education", "active")


async def test_a_board_brought_back_keeps_nobody_else_in_until_they_rejoin(
    harness: Harness,
) -> None:
    group, maria = await set_up_board(harness)
    ivan = harness.person("Иван")
    await join_and_approve(harness, group, maria, ivan)
    await harness.member_event(group, maria, "administrator", "kicked", bot=True)
    await harness.in_group(group, maria, "/setup")
    assert await member_row(harness, group, maria) == ("coordinator", "other", "active")
    assert await member_row(harness, group, ivan) == ("member", "education", "suspended")


async def test_an_old_handover_button_is_void_once_the_nominee_left(harness: Harness) -> None:
    group, maria = await set_up_board(harness)
    ivan = harness.person("Иван")
    await join_and_approve(harness, group, maria, ivan)
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


async def test_a_restricted_person_who_is_no_longer_in_the_group_loses_access(
    harness: Harness,
) -> None:
    group, maria = await set_up_board(harness)
    ivan = harness.person("Иван")
    await join_and_approve(harness, group, maria, ivan)
    subject = ivan.json()
    await harness.feed(
        {
            "update_id": harness.api.next_update_id(),
            "chat_member": {
                "chat": group.json(),
                "from": maria.json(),
                "date": 0,
                "old_chat_member": {"status": "member", "user": subject},
                "new_chat_member": {
                    "status": "restricted",
                    "user": subject,
                    "is_member": False,
                    "until_date": 0,
                    "can_send_messages": False,
                    "can_send_audios": False,
                    "can_send_documents": False,
                    "can_send_photos": False,
                    "can_send_videos": False,
                    "can_send_video_notes": False,
                    "can_send_voice_notes": False,
                    "can_send_polls": False,
                    "can_send_other_messages": False,
                    "can_add_web_page_previews": False,
                    "can_change_info": False,
                    "can_invite_users": False,
                    "can_pin_messages": False,
                    "can_manage_topics": False,
                    "can_edit_tag": False,
                    "can_react_to_messages": False,
                },
            },
        }
    )
    assert await member_row(harness, group, ivan) == ("member", "education", "suspended")


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
    group, maria = await set_up_board(harness)
    ivan = harness.person("Иван")
    await join_and_approve(harness, group, maria, ivan)
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


async def test_each_persons_menu_follows_their_role(harness: Harness) -> None:
    group, maria = await set_up_board(harness)
    ivan = harness.person("Иван")
    await join_and_approve(harness, group, maria, ivan)
    assert "pending" in menu_of(harness, maria)
    assert "boardsettings" in menu_of(harness, maria)
    assert "members" in menu_of(harness, ivan)
    assert "pending" not in menu_of(harness, ivan)
    await harness.member_event(group, ivan, "member", "left")
    assert menu_of(harness, ivan) == []


async def test_ordinary_group_chatter_is_neither_answered_nor_stored(harness: Harness) -> None:
    group, _maria = await set_up_board(harness)
    stranger = harness.person("Непознат")
    await harness.db.checkpoint()
    before = harness.db.path.read_bytes()
    reply = await harness.in_group(group, stranger, "Уникална реплика в групата 4242")
    await harness.db.checkpoint()
    assert reply.messages == []
    assert "Уникална".encode() not in harness.db.path.read_bytes()
    async with harness.db.read() as session:
        assert await session.users.get(stranger.id) is None
    assert before  # the database existed and was only read
