"""Boards and members end to end: set up, join, approve, roles, handover, settings, chat events."""

from __future__ import annotations

from datetime import timedelta

from fakegram.api import BOT_USERNAME
from tests.kit import Harness
from tests.kit.boards import (
    audit_actions,
    board_and_member,
    join,
    join_and_approve,
    last_to,
    make_deputy,
    member_row,
    set_up_board,
)
from tests.kit.erasure import stored_bytes


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
    # waiting: acting says so, in private and in the group, instead of "for members only"
    for waiting in (
        await harness.private(ivan, "/mycases"),
        await harness.in_group(group, ivan, "/cases"),
    ):
        assert "чака одобрение от координатора" in waiting.only.plain()
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


async def test_a_deputy_cannot_remove_the_coordinator(harness: Harness) -> None:
    group, maria, ivan = await board_and_member(harness)
    listing = await harness.private(maria, "/members")
    await harness.press(maria, listing.only, "Иван")
    await harness.press(maria, listing.only, "заместник")
    deputy_view = await harness.private(ivan, "/members")
    refused = await harness.press_data(ivan, deputy_view.only, f"v1:role:1:{maria.id}:remove")
    assert refused.answers[-1]["show_alert"] is True
    assert await member_row(harness, group, maria) == ("coordinator", "other", "active")


async def test_a_member_who_leaves_the_group_loses_access_at_once(harness: Harness) -> None:
    group, _maria, ivan = await board_and_member(harness)
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
    group, maria, ivan = await board_and_member(harness)
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
    group, maria, ivan = await board_and_member(harness)
    await harness.member_event(group, maria, "administrator", "kicked", bot=True)
    await harness.in_group(group, maria, "/setup")
    assert await member_row(harness, group, maria) == ("coordinator", "other", "active")
    assert await member_row(harness, group, ivan) == ("member", "education", "suspended")


async def test_a_restricted_person_who_is_no_longer_in_the_group_loses_access(
    harness: Harness,
) -> None:
    group, maria, ivan = await board_and_member(harness)
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


async def test_ordinary_group_chatter_is_neither_answered_nor_stored(harness: Harness) -> None:
    group, _maria = await set_up_board(harness)
    stranger = harness.person("Непознат")
    await harness.db.checkpoint()
    reply = await harness.in_group(group, stranger, "Уникална реплика в групата 4242")
    await harness.db.checkpoint()
    assert reply.messages == []
    assert "Уникална".encode() not in await stored_bytes(harness.db)
    async with harness.db.read() as session:
        assert await session.users.get(stranger.id) is None


async def test_pointers_to_private_answer_each_persons_command_and_go_once_they_answer(
    harness: Harness,
) -> None:
    """Three joins leave no three anonymous "continue in private" lines in the group: each
    replies to its person's /join, and goes once that person answers in private."""
    group, _ = await set_up_board(harness)
    people = [harness.person(name) for name in ("Иван", "Петя", "Георги")]
    pointers = []
    for person in people:
        await harness.private(person, "/start")
        asked = await harness.in_group(group, person, "/join")
        pointer = asked.to(group.id)[0]
        command = harness.api.incoming[(group.id, pointer.reply_to or 0)]
        assert "Писах ви" in pointer.plain() and command["from"]["id"] == person.id
        pointers.append((pointer, asked.to(person.id)[0]))
    first, question = pointers[0]
    await harness.press(people[0], question, "Образование")
    assert await harness.runtime.delete_detail_messages() == 1
    assert first.deleted and not any(p.deleted for p, _ in pointers[1:])
    harness.clock.advance(timedelta(minutes=31))  # never answered: gone a while later all the same
    assert await harness.runtime.delete_detail_messages() == 2
