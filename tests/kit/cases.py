"""Scenarios for flow tests (cases): the steps many tests share, pressed the way people do."""

from __future__ import annotations

from tests.kit import Group, Harness, Person
from tests.kit.boards import join_and_approve, set_up_board

LABEL = "момче, 14 г., ОУ"


SUMMARY = "Отказва училище от септември; трима специалисти, без общ план."


async def board_with_member(h: Harness) -> tuple[Group, Person, Person]:
    group, maria = await set_up_board(h)
    ivan = h.person("Иван")
    await join_and_approve(h, group, maria, ivan)
    return group, maria, ivan


async def raise_case(h: Harness, group: Group, person: Person) -> str:
    """From the group to a raised case, pressing what a person would press."""
    invited = await h.in_group(group, person, "/newcase")
    payload = invited.only.buttons()[0]["url"].split("?start=")[1]
    first = await h.private(person, f"/start {payload}")
    assert "1/9" in first.only.plain()
    criteria = await h.private(person, LABEL)
    screen = criteria.only
    assert "112" not in screen.plain()  # the 112 line: on the first screen and the last only
    await h.press(person, screen, key="criterion.multiple_risks")
    await h.press(person, screen, key="criterion.stalls")
    await h.press(person, screen, "Напред")
    await h.press(person, screen, key="factor.child.trauma")
    await h.press(person, screen, "Напред")
    await h.press(person, screen, "Образование")
    await h.press(person, screen, "Здравеопазване")
    await h.press(person, screen, "Напред")
    await h.press(person, screen, "Иван")
    await h.press(person, screen, key="urgency.urgent")
    await h.press(person, screen, "съгласие")
    confirm = await h.private(person, SUMMARY)
    assert "Критерии: 2 от 5" in confirm.only.plain() and "112" in confirm.only.plain()
    factors = h.runtime.core.i18n.t("bg", "factor.child.trauma")
    assert f"Фактори: {factors}" in confirm.only.plain()  # by name, not "Фактори: 1"
    created = await h.press(person, confirm.only, "Подай случая")
    assert created.toast is not None
    return created.toast.split()[1]


async def a_case(h: Harness) -> tuple[Person, Person, str]:
    """A board (Мария coordinates), Иван a member, and the case Иван raised: its code."""
    group, maria = await set_up_board(h)
    ivan = h.person("Иван")
    await join_and_approve(h, group, maria, ivan)
    code = await raise_case(h, group, ivan)
    return maria, ivan, code
