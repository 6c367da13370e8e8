"""Dialogues: free text passes the personal-data guard, then the open step; drafts persist."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from handlers.dialogs import Answer
from tests.kit import FakeBotApi, Harness
from tests.kit.erasure import stored_bytes

KNOWN_EGN = "7501020018"


def register_note_dialogue(h: Harness) -> None:
    """A two-step dialogue of the kind capabilities build: each answer is saved as it comes."""

    async def step(answer: Answer) -> None:
        draft = {**answer.draft(), answer.step: answer.text}
        await h.runtime.core.dialogs.advance(answer.actor.user_id, "second", draft)
        await answer.message.reply_text("saved")

    h.runtime.handlers.dialogs.register("note", step)


async def test_an_answer_is_saved_at_its_step(harness: Harness) -> None:
    register_note_dialogue(harness)
    maria = harness.person("Мария")
    await harness.runtime.core.dialogs.open(maria.id, "note", "first")
    reply = await harness.private(maria, "Случаят зацикля от месеци")
    dialog = await harness.runtime.core.dialogs.current(maria.id)
    assert reply.texts == ["saved"]
    assert dialog is not None
    assert (dialog.step, dialog.draft) == ("second", {"first": "Случаят зацикля от месеци"})


async def test_an_egn_is_refused_deleted_and_never_stored(harness: Harness) -> None:
    register_note_dialogue(harness)
    maria = harness.person("Мария")
    await harness.runtime.core.dialogs.open(maria.id, "note", "first")
    reply = await harness.private(maria, f"Детето е с ЕГН {KNOWN_EGN}, живее при баба си")
    dialog = await harness.runtime.core.dialogs.current(maria.id)
    await harness.db.checkpoint()
    assert "ЕГН" in reply.only.plain()
    assert "Изтрих съобщението" in reply.only.plain()
    assert len(reply.deletions) == 1
    assert dialog is not None and (dialog.step, dialog.draft) == ("first", {})
    assert KNOWN_EGN.encode() not in await stored_bytes(harness.db)


async def test_the_guard_names_every_kind_it_found_in_english_too(harness: Harness) -> None:
    register_note_dialogue(harness)
    john = harness.person("John", "en")
    await harness.runtime.core.dialogs.open(john.id, "note", "first")
    reply = await harness.private(john, "Call the mother on 0888 123 456 or mama@example.com")
    assert "a phone number, an e-mail address" in reply.only.plain()


async def test_a_dialogue_resumes_at_its_step_after_a_restart(bot_db: Path) -> None:
    api = FakeBotApi()
    async with Harness.running(bot_db, api=api) as h:
        register_note_dialogue(h)
        maria = h.person("Мария")
        await h.runtime.core.dialogs.open(maria.id, "note", "first")
        await h.private(maria, "Първи отговор")
    async with Harness.running(bot_db, api=api) as h:
        register_note_dialogue(h)
        dialog = await h.runtime.core.dialogs.current(maria.id)
        assert dialog is not None
        assert (dialog.step, dialog.draft) == ("second", {"first": "Първи отговор"})


async def test_free_text_without_an_open_dialogue_is_answered_and_not_stored(
    harness: Harness,
) -> None:
    maria = harness.person("Мария")
    reply = await harness.private(maria, "Уникален текст 12345")
    await harness.db.checkpoint()
    assert "свободен текст" in reply.only.plain()
    assert "Уникален текст".encode() not in await stored_bytes(harness.db)


async def test_abandoned_drafts_are_deleted_after_seven_days(harness: Harness) -> None:
    maria, ivan = harness.person("Мария"), harness.person("Иван")
    await harness.runtime.core.dialogs.open(maria.id, "note", "first")
    harness.clock.advance(timedelta(days=6))
    await harness.runtime.core.dialogs.open(ivan.id, "note", "first")
    harness.clock.advance(timedelta(days=1, minutes=1))
    purged = await harness.runtime.core.dialogs.purge_abandoned()
    assert purged == 1
    assert await harness.runtime.core.dialogs.current(maria.id) is None
    assert await harness.runtime.core.dialogs.current(ivan.id) is not None
