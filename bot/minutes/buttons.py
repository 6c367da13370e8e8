"""The buttons of minutes."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.buttons import ScreenPress


@dataclass(frozen=True, slots=True)
class MinutesScreen(ScreenPress, prefix="mw"):
    """Also the question's number: a button of an earlier question is refused."""

    number: int
