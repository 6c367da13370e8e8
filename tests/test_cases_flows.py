"""Raising a case in private, what the group sees, and who may read the details."""

from __future__ import annotations

from pathlib import Path

from bot.boards.rules import code_prefix
from bot.cases.rules import (
    CaseDraft,
    new_case_code,
    next_step,
    normalize_code,
    previous_step,
    toggle,
)
from tests.kit import FakeBotApi, Harness, SentMessage
from tests.kit.boards import join_and_approve, last_to
from tests.kit.cases import LABEL, SUMMARY, board_with_member, raise_case


# rules ------------------------------------------------------------------------------------------
def test_board_prefixes_come_from_the_name_in_latin_letters() -> None:
    assert code_prefix("Местен борд Велико Търново") == "VT"
    assert code_prefix("Местен борд ВТ") == "VT"
    assert code_prefix("Gorna Oryahovitsa board") == "GO"
    assert code_prefix("Board") == "BD"
    assert code_prefix("") == "BD"


def test_case_codes_are_random_and_read_back_case_insensitively() -> None:
    codes = {new_case_code("VT") for _ in range(200)}
    assert len(codes) > 190
    assert all(code.startswith("VT-") and len(code) == 7 for code in codes)
    assert normalize_code(" vt-7k3q ") == "VT-7K3Q"
    assert normalize_code("vt7k3q") == "VT-7K3Q"


def test_multi_select_toggles_and_the_draft_round_trips() -> None:
    assert toggle(["a", "b"], "a") == ["b"]
    assert toggle(["b"], "a") == ["b", "a"]
    draft = CaseDraft(
        label="x",
        criteria=("stalls",),
        factors=("child.sen",),
        lead_sector="health",
        urgency="soon",
        legal_basis="consent",
        summary="y",
    )
    assert CaseDraft.from_json(draft.to_json()) == draft
    assert draft.is_complete()
    assert CaseDraft.from_json({"criteria": ["forged"], "factors": ["x.y"]}).criteria == ()


def test_the_dialogue_steps_go_forward_and_back_within_bounds() -> None:
    assert next_step("label") == "criteria"
    assert previous_step("criteria") == "label"
    assert previous_step("label") == "label"
    assert next_step("confirm") == "confirm"


# flows ------------------------------------------------------------------------------------------


async def test_a_member_raises_a_case_and_the_group_sees_only_the_card(harness: Harness) -> None:
    group, _, ivan = await board_with_member(harness)
    code = await raise_case(harness, group, ivan)
    assert code.startswith("VT-")
    await harness.dispatch()
    card = last_to(harness, group.id).plain()
    assert code in card and "спешен" in card and "критерии 2/5" in card
    assert LABEL not in card and "септември" not in card and "травма" not in card
    listing = await harness.in_group(group, ivan, "/cases")
    assert code in listing.only.plain()
    assert LABEL not in listing.only.plain()


async def test_the_team_reads_details_in_private_and_the_read_is_audited(harness: Harness) -> None:
    group, maria, ivan = await board_with_member(harness)
    code = await raise_case(harness, group, ivan)
    reply = await harness.private(ivan, f"/case {code.lower()}")
    text = reply.only.plain()
    assert LABEL in text and SUMMARY in text and "травма" in text
    assert "Иван (водещ, ключов специалист)" in text
    assert "Други сектори: Здравеопазване" in text
    async with harness.db.read() as session:
        actions = [row.action for row in await session.audit.recent()]
    assert "case.details_read" in actions
    coordinator_view = await harness.private(maria, f"/case {code}")
    assert SUMMARY in coordinator_view.only.plain()


async def test_a_member_outside_the_team_sees_only_the_card_however_they_ask(
    harness: Harness,
) -> None:
    group, maria, ivan = await board_with_member(harness)
    petya = harness.person("Петя")
    await join_and_approve(harness, group, maria, petya)
    code = await raise_case(harness, group, ivan)
    by_command = await harness.private(petya, f"/case {code}")
    assert SUMMARY not in by_command.only.plain() and code in by_command.only.plain()
    await harness.dispatch()
    card = last_to(harness, group.id)
    by_button = await harness.press(petya, card, "Подробности")
    assert by_button.answers[-1]["show_alert"] is True
    assert by_button.messages == []
    forged = await harness.press_data(petya, card, "v1:case:1")
    assert forged.messages == [] and forged.answers[-1]["show_alert"] is True
    stranger = harness.person("Непознат")
    outside = await harness.private(stranger, f"/case {code}")
    assert code not in outside.only.plain()


async def test_the_card_button_sends_details_privately_to_the_team(harness: Harness) -> None:
    group, _, ivan = await board_with_member(harness)
    await raise_case(harness, group, ivan)
    await harness.dispatch()
    card = last_to(harness, group.id)
    pressed = await harness.press(ivan, card, "Подробности")
    assert pressed.toast == "Изпратих подробностите в личния чат."
    assert SUMMARY in pressed.to(ivan.id)[0].plain()


async def test_a_name_in_the_label_is_refused_and_asked_again(harness: Harness) -> None:
    _group, _, ivan = await board_with_member(harness)
    await harness.private(ivan, "/newcase")
    refused = await harness.private(ivan, "Георги Петров")
    assert "име на човек" in refused.only.plain()
    dialog = await harness.runtime.core.dialogs.current(ivan.id)
    assert dialog is not None and (dialog.step, dialog.draft) == ("label", {})


async def test_back_returns_to_the_previous_question_keeping_the_answers(
    harness: Harness,
) -> None:
    _group, _, ivan = await board_with_member(harness)
    await harness.private(ivan, "/newcase")
    screen = (await harness.private(ivan, LABEL)).only
    await harness.press(ivan, screen, key="criterion.multiple_risks")
    await harness.press(ivan, screen, "Напред")
    await harness.press(ivan, screen, "Назад")
    assert "☑ Множество рискове" in [b["text"] for b in screen.buttons()]


async def test_an_observer_cannot_raise_a_case(harness: Harness) -> None:
    _group, maria, ivan = await board_with_member(harness)
    listing = await harness.private(maria, "/members")
    await harness.press(maria, listing.only, "Иван")
    await harness.press(maria, listing.only, key="role.observer")
    reply = await harness.private(ivan, "/newcase")
    assert reply.only.plain() == "Ролята ви в борда не позволява това."


async def test_a_restart_in_the_middle_of_newcase_resumes_at_its_step(bot_db: Path) -> None:
    api = FakeBotApi()
    async with Harness.running(bot_db, api=api) as h:
        _group, _, ivan = await board_with_member(h)
        await h.private(ivan, "/newcase")
        screen: SentMessage = (await h.private(ivan, LABEL)).only
        await h.press(ivan, screen, key="criterion.multiple_risks")
    async with Harness.running(bot_db, api=api) as h:
        await h.press(ivan, screen, "Напред")
        dialog = await h.runtime.core.dialogs.current(ivan.id)
        assert dialog is not None
        assert dialog.step == "factors"
        assert dialog.draft["label"] == LABEL
        assert dialog.draft["criteria"] == ["multiple_risks"]


async def test_long_case_lists_page_and_filter_with_buttons(harness: Harness) -> None:
    group, maria, ivan = await board_with_member(harness)
    # three in education and three "other" (Мария too): sectors the group may see named
    for name, sector in (("Петя", "Образование"), ("Георги", "Образование"), ("Елена", "Друг")):
        await join_and_approve(harness, group, maria, harness.person(name), sector)
    await join_and_approve(harness, group, maria, harness.person("Димитър"), "Друг")
    async with harness.db.read() as session:
        board = await session.boards.by_chat(group.id)
    assert board is not None
    for i in range(20):
        draft = CaseDraft(
            label=f"случай {i}",
            lead_sector="health" if i % 2 else "education",
            urgency="soon",
            legal_basis="consent",
            summary="без подробности",
        )
        nonce = await harness.runtime.core.dialogs.open(
            ivan.id, "newcase", "confirm", board_id=board.id, draft=draft.to_json()
        )
        assert await harness.runtime.core.cases.raise_case(ivan.id, nonce) is not None
    listing = (await harness.in_group(group, ivan, "/cases")).only
    assert "(20)" in listing.plain() and "Страница 1 от 2" in listing.plain()
    # health has no one on the board: in the group it is one of the smaller sectors
    assert "Здравеопазване" not in listing.plain() and "един от по-малките" in listing.plain()
    await harness.press(ivan, listing, "▶")
    assert "Страница 2 от 2" in listing.plain()
    await harness.press(ivan, listing, "Сектор")
    assert "(10)" in listing.plain() and "Образование" in listing.plain()
    await harness.press(ivan, listing, "Сектор")  # education, "other", then all again
    assert "(0)" in listing.plain()
    await harness.press(ivan, listing, "Сектор")
    assert "(20)" in listing.plain()
    # a forged filter on a sector of fewer than three counts everything, not that sector
    await harness.press_data(ivan, listing, f"v1:cl:{board.id}:0:all:health")
    assert "(20)" in listing.plain()
    stranger = harness.person("Непознат")
    refused = await harness.press_data(stranger, listing, f"v1:cl:{board.id}:0:all:all")
    assert refused.answers[-1]["show_alert"] is True
    # a page past the end (the list shrank since the button was drawn) shows the last one
    await harness.press_data(ivan, listing, f"v1:cl:{board.id}:9:all:all")
    assert "Страница 2 от 2" in listing.plain()
    assert sum(line.count("VT-") for line in listing.plain().splitlines()) == 5  # 20 = 15 + 5
    huge = await harness.press_data(ivan, listing, f"v1:cl:{board.id}:{10**30}:all:all")
    assert not [a for a in huge.answers if "Нещо се обърка" in str(a.get("text", ""))]
    assert "Страница 2 от 2" in listing.plain()  # a forged page number: the last page


async def test_a_new_case_is_active_today_and_a_quiet_one_counts_its_days(harness: Harness) -> None:
    from datetime import timedelta

    group, _, ivan = await board_with_member(harness)
    code = await raise_case(harness, group, ivan)
    await harness.dispatch()
    card = last_to(harness, group.id).plain()
    assert "активен днес" in card and "0 дни" not in card
    harness.clock.advance(timedelta(days=1, hours=1))
    one = (await harness.in_group(group, ivan, f"/case {code}")).only.plain()
    assert "1 ден без активност" in one
    harness.clock.advance(timedelta(days=2))
    listing = (await harness.in_group(group, ivan, "/cases")).only.plain()
    assert "3 дни без активност" in listing
