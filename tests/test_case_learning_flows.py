"""What the board learns from a case, end to end: strengths, needs, the child's view and what
was tried, saved by buttons; small successes; links between related cases by code."""

from __future__ import annotations

import json

from tests.kit import Group, Harness
from tests.kit.boards import join, join_and_approve
from tests.kit.cases import a_case, raise_case


async def test_the_coordinator_records_what_the_board_learns(harness: Harness) -> None:
    maria, _ivan, code = await a_case(harness)
    card = (await harness.private(maria, f"/case {code}")).only
    await harness.press(maria, card, key="button.learn")
    assert "Какво научаваме от" in card.plain()
    await harness.press(maria, card, key="learn.part.strengths")
    await harness.press(maria, card, key="strength.trusted_adult")
    saved = await harness.press(maria, card, key="strength.school_attached")
    assert saved.toast == "Записано."
    assert "☑ доверен възрастен" in [b["text"] for b in card.buttons()]
    await harness.press(maria, card, key="strength.trusted_adult")  # pressed again: unmarked
    await harness.press(maria, card, key="button.back")
    await harness.press(maria, card, key="learn.part.needs")
    await harness.press(maria, card, key="need.housing")
    await harness.press(maria, card, key="button.back")
    await harness.press(maria, card, key="learn.part.child_view")
    await harness.press(maria, card, key="child_view.yes")
    await harness.press(maria, card, key="button.back")
    await harness.press(maria, card, key="learn.part.interventions")
    await harness.press(maria, card, key="intervention.mediator")  # tried
    await harness.press(maria, card, key="intervention.mediator")  # helped
    for _ in range(3):  # tried, helped, partly
        await harness.press(maria, card, key="intervention.family_conference")
    async with harness.db.read() as session:
        case = await session.cases.by_code(code)
    assert case is not None
    assert case.strengths == ("school_attached",) and case.needs == ("housing",)
    assert case.child_view == "yes" and case.child_view_on is not None
    assert case.interventions == (("family_conference", "partly"), ("mediator", "helped"))
    details = (await harness.private(maria, f"/case {code}")).only.plain()
    assert "Силни страни: връзка с училището" in details
    assert "Нужди: жилище" in details and "Мнението на детето: да, изслушано (" in details
    assert "семейна групова среща (отчасти), медиатор (помогна)" in details
    audit = (await harness.private(maria, f"/audit {code}")).only.plain()
    assert "отбелязано: Силни страни" in audit
    exported = await harness.private(maria, f"/export {code}")
    document = exported.messages[0].document
    assert document is not None
    data = json.loads(document[1])["case"]
    assert data["strengths"] == ["school_attached"] and data["child_view"] == "yes"
    assert {"intervention": "mediator", "helped": "helped"} in data["interventions"]


async def test_someone_who_may_not_record_changes_nothing(harness: Harness) -> None:
    maria, _ivan, code = await a_case(harness)
    petya = harness.person("Петя")
    group_id = next(m.chat_id for m in harness.api.messages if m.chat_id < 0)
    await join_and_approve(harness, Group(group_id, "Борд ВТ"), maria, petya)
    card = (await harness.private(maria, f"/case {code}")).only
    await harness.press(maria, card, key="button.learn")
    await harness.press(maria, card, key="learn.part.needs")
    data = next(b["callback_data"] for b in card.buttons() if "жилище" in b["text"])
    refused = await harness.press_data(petya, card, data)
    assert refused.answers[-1]["show_alert"] is True
    forged = await harness.press_data(maria, card, data.rsplit(":", 1)[0] + ":999")
    assert forged.answers[-1]["show_alert"] is True
    async with harness.db.read() as session:
        case = await session.cases.by_code(code)
    assert case is not None and case.needs == ()


async def test_a_small_success_is_guarded_and_goes_on_the_timeline(harness: Harness) -> None:
    maria, _ivan, code = await a_case(harness)
    card = (await harness.private(maria, f"/case {code}")).only
    await harness.press(maria, card, key="button.learn")
    await harness.press(maria, card, key="button.success")
    assert "Какъв е малкият успех" in card.plain()
    held = await harness.private(maria, "Иванка Петрова дойде на училище три дни подред")
    assert "малкият успех" not in held.only.plain()  # a name: the guard holds it back
    await harness.private(maria, "/cancel")
    card = (await harness.private(maria, f"/case {code}")).only
    await harness.press(maria, card, key="button.learn")
    await harness.press(maria, card, key="button.success")
    saved = await harness.private(maria, "Три дни подред на училище.")
    assert "🌱 Малкият успех" in saved.only.plain()
    card = (await harness.private(maria, f"/case {code}")).only
    timeline = await harness.press(maria, card, key="button.timeline")
    text = str(timeline.edits[-1].params["text"])
    assert "🌱 записа малък успех" in text and "Три дни подред на училище." in text


async def test_two_cases_are_linked_by_code_and_unlinked(harness: Harness) -> None:
    maria, ivan, code = await a_case(harness)
    group_id = next(m.chat_id for m in harness.api.messages if m.chat_id < 0)
    other = await raise_case(harness, Group(group_id, "Борд ВТ"), ivan)
    usage = await harness.private(maria, f"/link {code}")
    assert "/link" in usage.only.plain()
    screen = (await harness.private(maria, f"/link {code} {other}")).only
    await harness.press(maria, screen, key="link.twin")
    assert f"{code} и {other}: близнаци, настанени поотделно" in screen.plain()
    details = (await harness.private(maria, f"/case {other}")).only.plain()
    assert f"Свързани случаи: {code} (близнаци, настанени поотделно)" in details
    # Ivan leads both (he raised them) and may link; a stranger may not even see the screen
    stranger = harness.person("Непознат")
    refused = await harness.private(stranger, f"/link {code} {other}")
    assert "близнак" not in refused.only.plain()
    screen = (await harness.private(ivan, f"/link {code} {other}")).only
    await harness.press(ivan, screen, key="button.unlink")
    assert "премахната" in screen.plain()
    details = (await harness.private(maria, f"/case {other}")).only.plain()
    assert "Свързани случаи" not in details


async def test_erasing_a_case_takes_what_was_learned_and_its_links(harness: Harness) -> None:
    maria, ivan, code = await a_case(harness)
    group_id = next(m.chat_id for m in harness.api.messages if m.chat_id < 0)
    other = await raise_case(harness, Group(group_id, "Борд ВТ"), ivan)
    card = (await harness.private(maria, f"/case {code}")).only
    await harness.press(maria, card, key="button.learn")
    await harness.press(maria, card, key="learn.part.needs")
    await harness.press(maria, card, key="need.mental_health")
    screen = (await harness.private(maria, f"/link {code} {other}")).only
    await harness.press(maria, screen, key="link.sibling")
    asked = (await harness.private(maria, f"/erase {code}")).only
    await harness.press(maria, asked, "Да, изтрий")
    async with harness.db.read() as session:
        rows = await session.conn.execute_fetchall(
            "SELECT strengths, needs, child_view, child_view_on, interventions FROM cases"
            " WHERE status = 'erased'"
        )
        links = await session.conn.execute_fetchall("SELECT COUNT(*) FROM case_links")
    assert [tuple(r) for r in rows] == [("", "", "", None, "")]
    assert links[0][0] == 0
    details = (await harness.private(maria, f"/case {other}")).only.plain()
    assert "Свързани случаи" not in details


async def test_a_link_shows_only_to_those_who_may_read_the_other_case(harness: Harness) -> None:
    """Petya is on the team of the first case only: she does not learn the second's code."""
    maria, ivan, code = await a_case(harness)
    group_id = next(m.chat_id for m in harness.api.messages if m.chat_id < 0)
    group = Group(group_id, "Борд ВТ")
    other = await raise_case(harness, group, ivan)
    petya = harness.person("Петя")
    await join(harness, group, petya)
    await harness.dispatch()
    request = [m for m in harness.api.messages if m.chat_id == maria.id][-1]
    await harness.press(maria, request, "Одобри")
    team = (await harness.private(maria, f"/team {code}")).only
    await harness.press(maria, team, "Петя")
    screen = (await harness.private(maria, f"/link {other} {code}")).only
    await harness.press(maria, screen, key="link.twin")
    assert (
        f"Свързани случаи: {other}" in (await harness.private(maria, f"/case {code}")).only.plain()
    )
    seen = (await harness.private(petya, f"/case {code}")).only.plain()
    assert "Екип:" in seen and other not in seen
