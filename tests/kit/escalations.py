"""Scenarios for flow tests (escalations): the steps many tests share, pressed the way people do."""

from __future__ import annotations

from fakegram.api import SentMessage
from tests.kit import Harness, Person
from tests.kit.votes import Board

DESCRIPTION = "Детето не е идвало на училище две седмици, семейството не отговаря"


DESCRIPTION = "Детето не е идвало на училище две седмици, семейството не отговаря"


async def escalate(
    h: Harness, b: Board, person: Person, urgency: str = "Спешно", *, neutral: bool = False
) -> SentMessage:
    """Petya (or another member) raises a worry about the case, in private."""
    first = (await h.private(person, f"/escalate {b.code}")).only
    assert "112" in first.plain() and "не групата" in first.plain()
    await h.press(person, first, key="escalation.kind.risk")
    await h.press(person, first, urgency)
    screen = (await h.private(person, DESCRIPTION)).only
    assert "112" not in screen.plain()  # a middle step: the line is on the first and the last
    await h.press(person, screen, "Да, неутрален" if neutral else "Не, нищо")
    assert "112" in screen.plain()  # the last: confirm
    sent = await h.press(person, screen, "Изпрати")
    assert "изпратен лично" in str(sent.edits[-1].params["text"])
    return screen
