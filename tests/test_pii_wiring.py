"""No free-text path stores or posts what the personal-data guard rejects."""

from __future__ import annotations

from handlers.dialogs import Answer
from tests.kit import Harness
from tests.kit.erasure import stored_bytes

KNOWN_EGN = "7501020018"
PHONE = "0888 123 456"


async def test_a_known_egn_never_reaches_the_database_by_any_free_text_path(
    harness: Harness,
) -> None:
    maria, ivan = harness.person("Мария"), harness.person("Иван")
    group = harness.group("Борд")
    harness.make_admin(group, maria)
    await harness.private(maria, "/start")

    refused_title = await harness.in_group(group, maria, f"/setup Борд {KNOWN_EGN}")
    assert "ЕГН" in refused_title.only.plain()
    await harness.in_group(group, maria, "/setup Борд ВТ")

    # Free text with no dialogue, then inside every dialogue kind the bot registers.
    await harness.private(ivan, f"Детето с ЕГН {KNOWN_EGN}, тел. {PHONE}")
    for kind in harness.runtime.handlers.dialogs.kinds:
        await harness.runtime.core.dialogs.open(ivan.id, kind, "first")
        reply = await harness.private(ivan, f"Детето с ЕГН {KNOWN_EGN}, тел. {PHONE}")
        assert "ЕГН" in reply.only.plain()
    # Command arguments and deep-link payloads are not stored either.
    await harness.private(ivan, f"/start {KNOWN_EGN}")
    await harness.private(ivan, f"/nosuchcommand {KNOWN_EGN}")
    await harness.in_group(group, ivan, f"/join {KNOWN_EGN}")

    await harness.db.checkpoint()
    stored = await stored_bytes(harness.db)
    assert KNOWN_EGN.encode() not in stored
    assert PHONE.encode() not in stored
    assert not any(KNOWN_EGN in m.text for m in harness.api.messages if m.chat_id == group.id)


async def test_the_guard_on_a_dialogue_answer_blanks_it_and_the_person_chooses(
    harness: Harness,
) -> None:
    ivan = harness.person("Иван")
    answers: list[str] = []

    async def step(answer: Answer) -> None:
        answers.append(answer.text)

    harness.runtime.handlers.dialogs.register("probe", step)
    await harness.runtime.core.dialogs.open(ivan.id, "probe", "first")
    reply = await harness.private(ivan, "Майката Мария Петрова е на ул. Шипка 5")
    preview = reply.messages[-1]
    text = preview.plain()
    assert "име на човек" in text and "адрес" in text
    assert "Майката [име] е на [адрес]" in text
    assert reply.deletions, "what was typed is removed from the chat"
    assert answers == []  # nothing reached the step
    save = next(b["callback_data"] for b in preview.buttons() if "Запиши" in b["text"])
    again = await harness.press(ivan, preview, "Ще го напиша отново")
    assert "Напишете го отново" in again.edited_text()
    dialog = await harness.runtime.core.dialogs.current(ivan.id)
    assert dialog is not None and dialog.step == "first"
    stale = await harness.press_data(ivan, preview, save)
    assert stale.answers[-1]["show_alert"] is True  # one choice per blanked text
    second = (await harness.private(ivan, "Говорих с бащата Живко Колев")).messages[-1]
    await harness.press(ivan, second, "Запиши го така")
    assert answers == ["Говорих с бащата [име]"]
