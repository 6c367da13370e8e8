"""/start, /help, /lang, /cancel and the polite answers, driven like Telegram drives the bot."""

from __future__ import annotations

import logging

import pytest

from bot.kernel.policy import ChatKind, Role
from bot.kernel.ui import plain_text
from fakegram.api import BOT_USERNAME
from tests.kit import Harness, Person


async def audit_count(h: Harness) -> int:
    async with h.db.read() as session:
        return len(await session.audit.recent(1000))


async def make_member(h: Harness, person: Person, chat_id: int, role: str) -> None:
    async with h.db.transaction() as session:
        board = await session.boards.by_chat(chat_id) or await session.boards.create(
            chat_id, "Борд", h.clock.now()
        )
        await session.boards.add_member(
            board.id, person.id, role, "social", "active", h.clock.now()
        )


async def test_start_in_private_greets_in_bulgarian_with_the_emergency_line(
    harness: Harness,
) -> None:
    maria = harness.person("Мария", "bg")
    reply = await harness.private(maria, "/start")
    assert "boardbot" in reply.only.plain()
    assert "112" in reply.only.plain()
    assert [b["text"] for b in reply.only.buttons()] == ["❓ Помощ", "🌐 Език"]


async def test_start_follows_the_telegram_language_of_the_person(harness: Harness) -> None:
    john = harness.person("John", "en-GB")
    reply = await harness.private(john, "/start")
    assert reply.only.plain().startswith("Hello!")


async def test_the_help_button_on_the_welcome_shows_help_in_place(harness: Harness) -> None:
    maria = harness.person("Мария")
    welcome = await harness.private(maria, "/start")
    pressed = await harness.press(maria, welcome.only, "Помощ")
    assert len(pressed.answers) == 1
    assert "Помощ" in str(pressed.edits[0].params["text"])


async def test_a_deep_link_to_help_opens_help(harness: Harness) -> None:
    maria = harness.person("Мария")
    reply = await harness.private(maria, "/start help")
    assert reply.only.plain().startswith("Помощ")


async def test_an_unknown_or_forged_deep_link_gets_the_normal_greeting(harness: Harness) -> None:
    maria = harness.person("Мария")
    for payload in ("nosuch_123", "<script>", "a" * 300):
        reply = await harness.private(maria, f"/start {payload}")
        assert reply.only.plain().startswith("Здравейте")


async def test_help_is_tailored_to_the_role_and_chat(harness: Harness) -> None:
    group = harness.group("Борд ВТ")
    coordinator, stranger = harness.person("Мария"), harness.person("Иван")
    await make_member(harness, coordinator, group.id, Role.COORDINATOR.value)
    in_group = await harness.in_group(group, coordinator, "/help")
    in_private = await harness.private(coordinator, "/help")
    strangers = await harness.private(stranger, "/help")
    assert "координатор" in in_group.only.plain()
    assert "/cancel" not in in_group.only.plain()
    assert "Още не сте член" in strangers.only.plain()
    # by task, the everyday commands first, the rest one tap away
    first = in_private.only
    assert "/today — " in first.plain() and "/cancel — " not in first.plain()
    assert first.plain().index("Днес") < first.plain().index("Случаи")
    more = await harness.press(coordinator, first, "➕ Още")
    everything = str(more.edits[-1].params["text"])
    assert "/cancel — " in plain_text(everything) and "/export — " in plain_text(everything)
    assert not more.edits[-1].params.get("reply_markup", {}).get("inline_keyboard")


async def test_lang_in_private_switches_to_english_and_remembers_it(harness: Harness) -> None:
    maria = harness.person("Мария", "bg")
    picker = await harness.private(maria, "/lang")
    pressed = await harness.press(maria, picker.only, "English")
    after = await harness.private(maria, "/help")
    assert pressed.toast == "Language changed: English."
    assert after.only.plain().startswith("Help")
    async with harness.db.read() as session:
        user = await session.users.get(maria.id)
    assert user is not None and user.language == "en"


async def test_lang_in_a_group_changes_only_the_pressers_language(harness: Harness) -> None:
    group = harness.group("Борд ВТ")
    maria, ivan = harness.person("Мария", "bg"), harness.person("Иван", "bg")
    picker = await harness.in_group(group, maria, "/lang")
    pressed = await harness.press(ivan, picker.only, "English")
    marias_help = await harness.in_group(group, maria, "/help")
    ivans_help = await harness.in_group(group, ivan, "/help")
    assert pressed.toast == "Language changed: English."
    assert marias_help.only.plain().startswith("Помощ")
    assert ivans_help.only.plain().startswith("Help")


async def test_cancel_closes_an_open_dialogue_and_says_so(harness: Harness) -> None:
    maria = harness.person("Мария")
    await harness.runtime.core.dialogs.open(maria.id, "demo", "first")
    closed = await harness.private(maria, "/cancel")
    again = await harness.private(maria, "/cancel")
    assert "прекратен" in closed.only.plain()
    assert "Няма отворен" in again.only.plain()
    assert await harness.runtime.core.dialogs.current(maria.id) is None


async def test_cancel_in_a_group_is_refused_as_private_only(harness: Harness) -> None:
    group, maria = harness.group("Борд"), harness.person("Мария")
    reply = await harness.in_group(group, maria, f"/cancel@{BOT_USERNAME}")
    assert reply.only.plain() == "Това става само в личния чат с мен."


async def test_an_unknown_command_gets_a_clear_answer_and_changes_nothing(
    harness: Harness,
) -> None:
    maria = harness.person("Мария")
    await harness.private(maria, "/start")
    before = await audit_count(harness)
    reply = await harness.private(maria, "/frobnicate now")
    assert reply.only.plain() == "Не познавам командата /frobnicate. Вижте /help."
    assert await audit_count(harness) == before


async def test_in_a_group_only_commands_addressed_to_this_bot_get_unknown_answers(
    harness: Harness,
) -> None:
    group, maria = harness.group("Борд"), harness.person("Мария")
    bare = await harness.in_group(group, maria, "/poll")
    other_bots = await harness.in_group(group, maria, "/poll@some_other_bot")
    ours = await harness.in_group(group, maria, f"/poll@{BOT_USERNAME}")
    assert bare.messages == []
    assert other_bots.messages == []
    assert len(ours.messages) == 1


async def test_a_forged_button_gets_an_alert_and_changes_nothing(harness: Harness) -> None:
    maria = harness.person("Мария")
    welcome = await harness.private(maria, "/start")
    before = await audit_count(harness)
    for data in ("v1:vote:1:agree", "garbage", "v1:lang:de", "v1:menu:nowhere", "v1:lang"):
        pressed = await harness.press_data(maria, welcome.only, data)
        assert pressed.answers and pressed.answers[-1]["show_alert"] is True
        assert pressed.messages == []
    assert await audit_count(harness) == before
    async with harness.db.read() as session:
        user = await session.users.get(maria.id)
    assert user is not None and user.language is None


async def test_a_5000_character_message_is_refused_and_stores_nothing(harness: Harness) -> None:
    maria = harness.person("Мария")
    await harness.runtime.core.dialogs.open(maria.id, "demo", "first")
    reply = await harness.private(maria, "ж" * 5000)
    assert "твърде дълго" in reply.only.plain()
    dialog = await harness.runtime.core.dialogs.current(maria.id)
    assert dialog is not None and dialog.draft == {}


async def test_a_failing_handler_apologizes_and_logs_one_line_without_the_text(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    maria = harness.person("Мария")

    async def broken(*_: object) -> None:
        raise KeyError("секретен текст")

    harness.runtime.handlers.dialogs.register("broken", broken)
    await harness.runtime.core.dialogs.open(maria.id, "broken", "first")
    with caplog.at_level(logging.ERROR):
        reply = await harness.private(maria, "случаят зацикля")
    assert "Нещо се обърка" in reply.only.plain()
    failures = [r.getMessage() for r in caplog.records if "failed in" in r.getMessage()]
    assert len(failures) == 1
    assert "dialog_text" in failures[0] and "KeyError" in failures[0]
    assert "секретен" not in caplog.text and "зацикля" not in caplog.text
    assert harness.api.token not in caplog.text


async def test_the_actor_is_resolved_per_chat_kind(harness: Harness) -> None:
    group, maria = harness.group("Борд"), harness.person("Мария")
    await make_member(harness, maria, group.id, Role.DEPUTY.value)
    in_group = await harness.runtime.core.people.resolve(maria.id, "bg", group.id, ChatKind.GROUP)
    elsewhere = await harness.runtime.core.people.resolve(maria.id, "bg", -5, ChatKind.GROUP)
    private = await harness.runtime.core.people.resolve(maria.id, "bg", maria.id, ChatKind.PRIVATE)
    assert (in_group.role, elsewhere.role, private.role) == (
        Role.DEPUTY,
        Role.NON_MEMBER,
        Role.DEPUTY,
    )
    assert in_group.board is not None and elsewhere.board is None


async def test_command_menus_are_registered_per_scope_and_language(harness: Harness) -> None:
    await harness.runtime.start_services()
    calls = [c for c in harness.api.calls if c.method == "setMyCommands"]
    scopes = {(str(c.params["scope"]["type"]), c.params.get("language_code")) for c in calls}
    assert {scope for scope, _ in scopes} == {
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
    }
    assert {lang for _, lang in scopes} == {None, "bg", "en"}
    english_private = next(
        c
        for c in calls
        if c.params["scope"]["type"] == "all_private_chats"
        and c.params.get("language_code") == "en"
    )
    assert {"command": "help", "description": "what I can do here"} in english_private.params[
        "commands"
    ]


async def test_blocking_the_bot_is_remembered(harness: Harness) -> None:
    maria = harness.person("Мария")
    await harness.private(maria, "/start")
    await harness.feed(
        {
            "update_id": harness.api.next_update_id(),
            "my_chat_member": {
                "chat": {"id": maria.id, "type": "private", "first_name": "Мария"},
                "from": maria.json(),
                "date": 0,
                "old_chat_member": {
                    "status": "member",
                    "user": {"id": 1, "is_bot": True, "first_name": "b"},
                },
                "new_chat_member": {
                    "status": "kicked",
                    "until_date": 0,
                    "user": {"id": 1, "is_bot": True, "first_name": "b"},
                },
            },
        }
    )
    async with harness.db.read() as session:
        user = await session.users.get(maria.id)
    assert user is not None and user.private_chat_open is False
