"""Working on a case: lifecycle by role, notes, moves between services, timeline, /mycases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.cases.rules import CLOSING_OUTCOMES, allowed_transitions, is_carousel, is_stalled
from tests.kit import Group, Harness
from tests.kit.boards import join_and_approve, last_to
from tests.kit.cases import a_case


# rules ------------------------------------------------------------------------------------------
def test_only_coordination_accepts_or_declines_a_raised_case() -> None:
    assert allowed_transitions("raised", frozenset({"coordinator"})) == ["accepted", "declined"]
    assert allowed_transitions("raised", frozenset({"lead"})) == []
    assert "monitoring" in allowed_transitions("plan_agreed", frozenset({"lead"}))
    assert allowed_transitions("closed", frozenset({"lead"})) == []


def test_two_moves_in_a_year_make_a_carousel_and_quiet_cases_stall() -> None:
    assert (is_carousel(1), is_carousel(2)) == (False, True)
    now = datetime(2026, 11, 23, tzinfo=UTC)
    assert is_stalled("accepted", now - timedelta(days=21), now, 21)
    assert not is_stalled("closed", now - timedelta(days=90), now, 21)


# flows ------------------------------------------------------------------------------------------
async def status_of(h: Harness, code: str) -> str:
    case = await h.runtime.core.cases.by_code(code)
    assert case is not None
    return case.status


async def test_the_coordinator_accepts_from_the_details_card(harness: Harness) -> None:
    maria, ivan, code = await a_case(harness)
    card = (await harness.private(maria, f"/case {code}")).only
    pressed = await harness.press(maria, card, "Приеми")
    assert pressed.toast == f"{code}: статусът е „приет“."
    assert await status_of(harness, code) == "accepted"
    leads_view = (await harness.private(ivan, f"/case {code}")).only
    assert not any("Приеми" in b["text"] for b in leads_view.buttons())


async def test_a_lead_cannot_accept_even_with_forged_data(harness: Harness) -> None:
    _, ivan, code = await a_case(harness)
    card = (await harness.private(ivan, f"/case {code}")).only
    case = await harness.runtime.core.cases.by_code(code)
    assert case is not None
    forged = await harness.press_data(ivan, card, f"v1:cst:{case.id}:accepted")
    assert forged.answers[-1]["show_alert"] is True
    assert await status_of(harness, code) == "raised"


async def test_declining_asks_a_reason_in_private_and_tells_the_raiser(harness: Harness) -> None:
    maria, ivan, code = await a_case(harness)
    card = (await harness.private(maria, f"/case {code}")).only
    await harness.press(maria, card, "Откажи случая")
    refused = await harness.private(maria, "Иван Петров вече работи по това")
    assert "име на човек" in refused.only.plain()
    assert await status_of(harness, code) == "raised"
    done = await harness.private(maria, "Вече се води от друг борд")
    assert "отказан" in done.only.plain()
    assert await status_of(harness, code) == "declined"
    await harness.dispatch()
    assert "не беше приет" in last_to(harness, ivan.id).plain()
    timeline_owner = (await harness.private(ivan, f"/case {code}")).only
    timeline = await harness.press(ivan, timeline_owner, "Хронология")
    assert "Вече се води от друг борд" in str(timeline.edits[-1].params["text"])


async def test_a_note_is_guarded_then_kept_on_the_timeline(harness: Harness) -> None:
    _, ivan, code = await a_case(harness)
    refused = await harness.private(ivan, f"/note {code} майката е на 0888 123 456")
    assert "телефонен номер" in refused.only.plain()
    saved = await harness.private(ivan, f"/note {code} Училището предлага ресурсен учител")
    assert "записана" in saved.only.plain()
    card = (await harness.private(ivan, f"/case {code}")).only
    timeline = await harness.press(ivan, card, "Хронология")
    text = str(timeline.edits[-1].params["text"])
    assert "Училището предлага ресурсен учител" in text
    assert "0888" not in text


async def test_a_second_move_within_a_year_flags_a_carousel_and_tells_the_coordinator(
    harness: Harness,
) -> None:
    maria, ivan, code = await a_case(harness)

    async def move(day: str, source: str, target: str) -> str:
        await harness.private(ivan, f"/transfer {code}")
        await harness.private(ivan, day)
        await harness.private(ivan, source)
        await harness.private(ivan, target)
        return (await harness.private(ivan, "Няма места")).only.plain()

    first = await move("10.03.2026", "приемно семейство", "ЦНСТ")
    assert "въртележка" not in first
    await harness.dispatch()
    second = await move("20.10.2026", "ЦНСТ", "кризисен център")
    assert "въртележка" in second
    await harness.dispatch()
    assert "преместван 2 пъти" in last_to(harness, maria.id).plain()
    listing = await harness.private(ivan, "/mycases")
    assert "🎠" in listing.only.plain()


async def test_a_move_in_the_future_or_no_date_is_asked_again(harness: Harness) -> None:
    _, ivan, code = await a_case(harness)
    await harness.private(ivan, f"/transfer {code}")
    for bad in ("утре", "31.02", "някой ден"):
        reply = await harness.private(ivan, bad)
        assert "Не разбрах датата" in reply.only.plain()
    dialog = await harness.runtime.core.dialogs.current(ivan.id)
    assert dialog is not None and dialog.step == "date"


async def test_someone_outside_the_team_cannot_note_or_move_a_case(harness: Harness) -> None:
    maria, _ivan, code = await a_case(harness)
    group_id = next(m.chat_id for m in harness.api.messages if m.chat_id < 0)
    petya = harness.person("Петя")
    await join_and_approve(harness, Group(group_id, "Борд ВТ"), maria, petya)
    note = await harness.private(petya, f"/note {code} нещо")
    move = await harness.private(petya, f"/transfer {code}")
    assert "Няма такъв случай" in note.only.plain()
    assert "Няма такъв случай" in move.only.plain()


async def test_quiet_cases_are_marked_stalled_in_the_list(harness: Harness) -> None:
    _maria, ivan, _code = await a_case(harness)
    group_id = next(m.chat_id for m in harness.api.messages if m.chat_id < 0)
    group = Group(group_id, "Борд ВТ")
    fresh = await harness.in_group(group, ivan, "/cases")
    assert "⏸" not in fresh.only.plain()
    harness.clock.advance(timedelta(days=22))
    quiet = await harness.in_group(group, ivan, "/cases")
    assert "⏸" in quiet.only.plain() and "22 дни" in quiet.only.plain()


async def test_the_lead_corrects_a_field_and_the_timeline_says_what_changed(
    harness: Harness,
) -> None:
    _, ivan, code = await a_case(harness)
    menu = (await harness.private(ivan, f"/editcase {code}")).only
    await harness.press(ivan, menu, key="edit_field.urgency")
    saved = await harness.press(ivan, menu, key="urgency.routine")
    text = str(saved.edits[-1].params["text"])
    assert "Записано" in text and "рутинен" in text
    timeline = await harness.press(ivan, menu, "Хронология")
    assert "Иван: поправи „Спешност“" in timeline.edited_text()


async def test_a_corrected_label_passes_the_guard_and_criteria_save_on_next(
    harness: Harness,
) -> None:
    _, ivan, code = await a_case(harness)
    menu = (await harness.private(ivan, f"/editcase {code}")).only
    await harness.press(ivan, menu, key="edit_field.label")
    refused = await harness.private(ivan, "Петър Иванов")
    assert "име на човек" in refused.only.plain()
    saved = await harness.private(ivan, "момиче, 9 г.")
    assert "момиче, 9 г." in saved.only.plain()
    menu = (await harness.private(ivan, f"/editcase {code}")).only
    await harness.press(ivan, menu, key="edit_field.criteria")
    await harness.press(ivan, menu, key="criterion.many_resources")
    await harness.press(ivan, menu, "Напред")
    case = await harness.runtime.core.cases.by_code(code)
    assert case is not None
    assert case.criteria == ("multiple_risks", "stalls", "many_resources")
    assert case.label == "момиче, 9 г."


async def test_the_team_grows_and_shrinks_and_access_follows(harness: Harness) -> None:
    maria, ivan, code = await a_case(harness)
    group_id = next(m.chat_id for m in harness.api.messages if m.chat_id < 0)
    petya = harness.person("Петя")
    await join_and_approve(harness, Group(group_id, "Борд ВТ"), maria, petya)
    assert "Няма такъв случай" in (await harness.private(petya, f"/editcase {code}")).only.plain()
    team = (await harness.private(ivan, f"/team {code}")).only
    await harness.press(ivan, team, "➕ Петя")
    assert "Петя — участник" in team.plain()
    details = await harness.private(petya, f"/case {code}")
    assert "Резюме" in details.only.plain()
    await harness.press(ivan, team, "➖ Петя")
    card_only = await harness.private(petya, f"/case {code}")
    assert "Резюме" not in card_only.only.plain()
    forged = await harness.press_data(petya, card_only.only, "v1:tadd:1:100003")
    assert forged.answers[-1]["show_alert"] is True


async def test_the_group_is_told_of_a_status_change_with_the_card_only(harness: Harness) -> None:
    maria, _, code = await a_case(harness)
    card = (await harness.private(maria, f"/case {code}")).only
    await harness.press(maria, card, "Приеми")
    await harness.dispatch()
    group_id = next(m.chat_id for m in harness.api.messages if m.chat_id < 0)
    posted = last_to(harness, group_id).plain()
    assert posted.startswith("🔄 Промяна по случай:")
    assert "приет" in posted and "септември" not in posted


async def test_case_text_typed_after_a_private_only_command_in_the_group_is_deleted(
    harness: Harness,
) -> None:
    _, ivan, code = await a_case(harness)
    group_id = next(m.chat_id for m in harness.api.messages if m.chat_id < 0)
    reply = await harness.in_group(Group(group_id, "Борд ВТ"), ivan, f"/note {code} тайна бележка")
    assert len(reply.deletions) == 1
    assert "личния чат" in reply.only.plain()


async def test_a_case_of_another_board_is_not_shown_in_this_group(harness: Harness) -> None:
    _maria, ivan, code = await a_case(harness)
    other = harness.group("Друг борд")
    harness.make_admin(other, ivan)
    await harness.in_group(other, ivan, "/setup Друг борд")
    shown = await harness.in_group(other, ivan, f"/case {code}")
    assert code not in shown.texts[0]
    async with harness.db.read() as session:
        first = await session.boards.by_chat(
            next(m.chat_id for m in harness.api.messages if m.chat_id < 0)
        )
    assert first is not None
    listing = (await harness.in_group(other, ivan, "/cases")).only
    forged = await harness.press_data(ivan, listing, f"v1:cl:{first.id}:0:all:all")
    assert forged.answers[-1]["show_alert"] is True
    assert code not in listing.plain()


async def test_an_older_screens_button_cannot_change_the_draft_open_now(
    harness: Harness,
) -> None:
    _, ivan, code = await a_case(harness)
    menu = (await harness.private(ivan, f"/editcase {code}")).only
    await harness.press(ivan, menu, key="edit_field.urgency")
    old_screen = menu
    harness.clock.advance(timedelta(seconds=5))
    other_menu = (await harness.private(ivan, f"/editcase {code}")).only
    await harness.press(ivan, other_menu, key="edit_field.summary")
    stale = await harness.press(ivan, old_screen, key="urgency.routine")
    assert stale.answers[-1]["show_alert"] is True
    case = await harness.runtime.core.cases.by_code(code)
    assert case is not None and case.urgency == "urgent"


async def test_editing_other_sectors_starts_from_the_saved_ones(harness: Harness) -> None:
    _, ivan, code = await a_case(harness)
    menu = (await harness.private(ivan, f"/editcase {code}")).only
    await harness.press(ivan, menu, key="edit_field.other_sectors")
    assert "☑ Здравеопазване" in [b["text"] for b in menu.buttons()]
    await harness.press(ivan, menu, "НПО")
    await harness.press(ivan, menu, "Напред")
    case = await harness.runtime.core.cases.by_code(code)
    assert case is not None and case.other_sectors == ("health", "ngo")


async def test_a_move_recorded_late_still_makes_a_carousel(harness: Harness) -> None:
    _maria, ivan, code = await a_case(harness)
    case = await harness.runtime.core.cases.by_code(code)
    assert case is not None
    work = harness.runtime.core.casework
    first = await work.record_transfer(ivan.id, case.id, date(2026, 6, 1), "А", "Б", "—")
    late = await work.record_transfer(ivan.id, case.id, date(2026, 3, 1), "В", "А", "—")
    assert (first, late) == (False, True)


async def test_codes_typed_in_cyrillic_look_alike_letters_are_found(harness: Harness) -> None:
    _, ivan, code = await a_case(harness)
    cyrillic = code.translate(str.maketrans("ABEKMHOPCTXY", "АВЕКМНОРСТХУ"))
    reply = await harness.private(ivan, f"/case {cyrillic.lower()}")
    assert code in reply.only.plain()


async def test_a_coordinator_names_a_new_lead_and_the_old_one_loses_lead_powers(
    harness: Harness,
) -> None:
    maria, ivan, code = await a_case(harness)
    team = (await harness.private(maria, f"/team {code}")).only
    await harness.press(maria, team, "👑 Мария")
    assert "Мария — водещ" in team.plain() and "Иван — водещ" not in team.plain()
    leads_menu = await harness.private(ivan, f"/editcase {code}")
    assert "Няма такъв случай" in leads_menu.only.plain()
    ivans_team = (await harness.private(ivan, f"/team {code}")).only
    forged = await harness.press_data(ivan, ivans_team, f"v1:tlead:1:{ivan.id}")
    assert forged.answers[-1]["show_alert"] is True


async def test_starting_a_note_says_an_unfinished_newcase_was_set_aside(harness: Harness) -> None:
    _, ivan, code = await a_case(harness)
    await harness.private(ivan, "/newcase")
    await harness.private(ivan, "момиче, 9 г.")
    asked = await harness.private(ivan, f"/note {code}")
    assert asked.only.plain().startswith("ℹ️ Незавършеният ви разговор е прекратен")
    again = await harness.private(ivan, f"/note {code}")
    assert not again.only.plain().startswith("ℹ️")


async def test_someone_with_two_roles_on_the_team_is_listed_once(harness: Harness) -> None:
    maria, ivan, code = await a_case(harness)
    case = await harness.runtime.core.cases.by_code(code)
    assert case is not None
    async with harness.db.transaction() as session:  # Ivan leads and is the keyworker too
        await session.cases.add_team(case.id, [(ivan.id, "keyworker")])
    card = (await harness.private(maria, f"/case {code}")).only.plain()
    assert "Екип: Иван (водещ, ключов специалист)" in card


async def test_the_112_line_stands_on_the_card_the_note_and_the_brief(harness: Harness) -> None:
    from tests.kit.votes import board_with_case as board
    from tests.kit.votes import open_vote, proposal_id

    b = await board(harness)
    card = (await harness.private(b.ivan, f"/case {b.code}")).messages[-1]
    assert "112" in card.plain()
    noted = (await harness.private(b.ivan, f"/note {b.code} Разговор с училището")).only
    assert "записана" in noted.plain() and "112" in noted.plain()
    await open_vote(harness, b)
    brief = (await harness.private(b.petya, f"/start brief_{await proposal_id(harness)}")).only
    assert "112" in brief.plain()


async def test_closing_a_case_asks_its_outcome_first_then_the_words(harness: Harness) -> None:
    maria, ivan, code = await a_case(harness)
    card = (await harness.private(maria, f"/case {code}")).only
    await harness.press(maria, card, "Приеми")
    await harness.press(maria, card, key="case_action.closed")
    assert "Къде е детето сега" in card.plain()
    assert len(card.buttons()) == len(CLOSING_OUTCOMES) + 1  # the outcomes and "back"
    # a forged outcome, and a member who may not close, change nothing
    forged = await harness.press_data(maria, card, card.buttons()[0]["callback_data"][:-2] + "zz")
    assert forged.answers[-1]["show_alert"] is True
    refused = await harness.press(ivan, card, key="closing.in_school")
    assert refused.answers[-1]["show_alert"] is True
    await harness.press(maria, card, key="closing.in_school")
    assert "Напишете изхода" in card.plain()
    done = await harness.private(maria, "Посещава редовно; семейството работи с центъра.")
    assert "закрит" in done.only.plain()
    async with harness.db.read() as session:
        case = await session.cases.by_code(code)
        assert case is not None and case.status == "closed"
        events = await session.cases.events(case.id, 0, 100)
    [closed] = [e for e in events if e.kind == "status" and e.detail.get("to") == "closed"]
    assert closed.detail["closing"] == "in_school"
    card = (await harness.private(maria, f"/case {code}")).only
    timeline = await harness.press(maria, card, key="button.timeline")
    assert "закри случая: „Остава в училище“" in str(timeline.edits[-1].params["text"])
