"""Blank it instead of refusing: in every place free text enters, personal data is replaced by
placeholders, the person saves the blanked text with one press (or writes it again), the flow
goes on where it was, and what was typed never reaches the group or the database file."""

from __future__ import annotations

from datetime import UTC, datetime

from fakegram.api import SentMessage
from tests.kit import Harness, Person
from tests.kit.cases import LABEL, SUMMARY, board_with_member
from tests.kit.erasure import holds, stored_bytes
from tests.kit.votes import board_with_case, open_vote

NAME = "Живко Колев"
PHONE = "0888 123 456"


def preview_to(h: Harness, chat_id: int) -> SentMessage:
    found = [m for m in h.api.messages if m.chat_id == chat_id and "без тях" in m.plain()]
    assert found, "no blanked preview"
    return found[-1]


async def save(h: Harness, person: Person, chat_id: int | None = None) -> SentMessage:
    """Press "Save it like this" under the person's latest blanked text."""
    preview = preview_to(h, person.id if chat_id is None else chat_id)
    done = await h.press(person, preview, "Запиши го така")
    assert done.toast == "Записах текста без личните данни."
    assert "без личните данни" in preview.plain()
    return preview


async def test_a_case_label_and_summary_are_blanked_saved_and_the_dialogue_goes_on(
    harness: Harness,
) -> None:
    h = harness
    group, _, ivan = await board_with_member(h)
    invited = await h.in_group(group, ivan, "/newcase")
    payload = invited.only.buttons()[0]["url"].split("?start=")[1]
    await h.private(ivan, f"/start {payload}")
    typed = await h.private(ivan, f"{LABEL}, брат на {NAME}")
    assert typed.deletions and "[име]" in preview_to(h, ivan.id).plain()
    assert NAME not in preview_to(h, ivan.id).plain()
    await save(h, ivan)
    screen = h.api.messages[-1]
    assert "2/9" in screen.plain()  # the label is saved: on to the criteria
    for label in ("Множество рискове", "Напред", "Напред", "Образование", "Напред", "Иван"):
        await h.press(ivan, screen, label)
    await h.press(ivan, screen, key="urgency.urgent")
    await h.press(ivan, screen, "съгласие")
    await h.private(ivan, f"{SUMMARY} Майката: тел. {PHONE}")
    await save(h, ivan)
    confirm = h.api.messages[-1]
    assert "[телефон]" in confirm.plain() and PHONE not in confirm.plain()
    created = await h.press(ivan, confirm, "Подай случая")
    code = (created.toast or "").split()[1]
    case = await h.runtime.core.cases.by_code(code)
    assert case is not None and case.label == f"{LABEL}, брат на [име]"
    assert case.summary.endswith("тел. [телефон]")
    stored = await stored_bytes(h.db)
    assert not holds(stored, NAME) and not holds(stored, PHONE)


async def test_a_blanked_answer_that_is_too_long_is_answered_below_and_the_step_waits(
    harness: Harness,
) -> None:
    """The "save it like this" press is answered already: an answer the step refuses (here a
    label over 40 characters) is said below the preview, as a typed one would be, not lost in a
    second answer to the same press (Telegram refuses those)."""
    h = harness
    group, _, ivan = await board_with_member(h)
    invited = await h.in_group(group, ivan, "/newcase")
    payload = invited.only.buttons()[0]["url"].split("?start=")[1]
    await h.private(ivan, f"/start {payload}")
    await h.private(ivan, f"Момче на дванадесет години, живее при {NAME} от година")
    await save(h, ivan)
    said = h.api.messages[-1]
    assert said.chat_id == ivan.id and "Етикетът трябва да е между 1 и 40 знака" in said.plain()
    dialog = await h.runtime.core.dialogs.current(ivan.id)
    assert dialog is not None and dialog.step == "label"  # nothing saved, the step waits


async def test_a_note_given_with_the_command_is_saved_blanked(harness: Harness) -> None:
    h = harness
    b = await board_with_case(h)
    await h.private(b.ivan, f"/note {b.code} Говорих с {NAME}, той ще дойде")
    await save(h, b.ivan)
    assert "хронологията" in h.api.messages[-1].plain()
    async with h.db.read() as session:
        notes = [r[0] for r in await session.conn.execute_fetchall("SELECT body FROM case_notes")]
    assert notes == ["Говорих с [име], той ще дойде"]
    assert not holds(await stored_bytes(h.db), NAME)


async def test_a_block_reason_is_saved_blanked(harness: Harness) -> None:
    h = harness
    b = await board_with_case(h)
    vote = await open_vote(h, b)
    await h.press(b.dimitar, vote, key="vote.choice.block")
    await h.private(b.dimitar, f"Майката {NAME} не е съгласна")
    await save(h, b.dimitar)
    assert "Блокирането е записано" in h.api.messages[-1].plain()
    async with h.db.read() as session:
        reasons = [r[0] for r in await session.conn.execute_fetchall("SELECT reason FROM votes")]
    assert reasons == ["Майката [име] не е съгласна"]


async def test_a_proposal_title_typed_in_the_group_is_blanked_there_and_only_its_author_saves(
    harness: Harness,
) -> None:
    h = harness
    b = await board_with_case(h)
    typed = await h.in_group(b.group, b.ivan, f"/propose {b.code} Среща с {NAME} до петък")
    assert typed.deletions
    preview = preview_to(h, b.group.id)
    assert NAME not in preview.plain() and "[име]" in preview.plain()
    other = await h.press(b.petya, preview, "Запиши го така")
    assert other.answers[-1]["show_alert"] is True  # not Petya's text
    await save(h, b.ivan, b.group.id)
    draft = h.api.messages[-1]
    assert draft.chat_id == b.group.id and "Как да протече гласуването" in draft.plain()
    assert "Среща с [име] до петък" in draft.plain()
    assert not any(NAME in m.plain() for m in h.api.messages if m.chat_id == b.group.id)


async def test_a_proposal_title_in_private_goes_on_to_the_proposal_dialogue(
    harness: Harness,
) -> None:
    h = harness
    b = await board_with_case(h)
    await h.private(b.ivan, f"/propose {b.code} Посещение при {NAME}")
    await save(h, b.ivan)
    asked = h.api.messages[-1]
    assert asked.chat_id == b.ivan.id
    dialog = await h.runtime.core.dialogs.current(b.ivan.id)
    assert dialog is not None and dialog.draft["title"] == "Посещение при [име]"


async def test_an_escalation_text_is_saved_blanked(harness: Harness) -> None:
    h = harness
    b = await board_with_case(h)
    first = (await h.private(b.petya, f"/escalate {b.code}")).only
    await h.press(b.petya, first, key="escalation.kind.risk")
    await h.press(b.petya, first, key="escalation.urgency.urgent")
    await h.private(b.petya, f"Бащата {NAME} заплашва детето, тел. {PHONE}")
    await save(h, b.petya)
    screen = h.api.messages[-1]
    await h.press(b.petya, screen, "Не, нищо")
    await h.press(b.petya, screen, "Изпрати")
    async with h.db.read() as session:
        texts = [
            r[0] for r in await session.conn.execute_fetchall("SELECT description FROM escalations")
        ]
    assert texts == ["Бащата [име] заплашва детето, тел. [телефон]"]


async def test_minutes_and_a_written_update_are_saved_blanked(harness: Harness) -> None:
    from tests.kit.minutes import meeting_with_two_agenda_cases, rows

    h = harness
    b, _, _ = await meeting_with_two_agenda_cases(h)
    await h.in_group(b.group, b.ivan, f"/agenda add {b.code}")
    h.clock.set(datetime(2026, 11, 23, 12, 1, tzinfo=UTC))
    await h.dispatch()
    brief = next(
        m for m in h.api.messages if m.chat_id == b.ivan.id and "в дневния ред:" in m.plain()
    )
    await h.press(b.ivan, brief, "писмена информация")
    await h.private(b.ivan, f"Детето живее при {NAME}.")
    await save(h, b.ivan)
    assert "изпратена на протоколчика" in h.api.messages[-1].plain()
    assert await rows(h, "SELECT body FROM agenda_updates") == [("Детето живее при [име].",)]

    h.clock.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    listing = (await h.private(b.maria, "/minutes")).only
    await h.press(b.maria, listing, key="meeting_kind.supervision")
    await h.press(b.maria, listing, f"Протокол {b.code}")
    await h.private(b.maria, f"Как да помогнем на {NAME}?")
    await save(h, b.maria)
    assert (await rows(h, "SELECT question FROM minutes"))[0][0] == "Как да помогнем на [име]?"
    assert not holds(await stored_bytes(h.db), NAME)


async def test_a_board_title_with_personal_data_is_blanked_and_saved_by_the_admin(
    harness: Harness,
) -> None:
    h = harness
    group, maria = h.group("Борд"), h.person("Мария")
    h.make_admin(group, maria)
    h.make_admin(group)
    await h.private(maria, "/start")
    await h.in_group(group, maria, f"/setup Борд на {NAME}")
    await save(h, maria, group.id)
    board = await h.runtime.core.boards.by_chat(group.id)
    assert board is not None and board.title == "Борд на [име]"
