"""The buttons of cases."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.buttons import ScreenPress


@dataclass(frozen=True, slots=True)
class NewCaseScreen(ScreenPress, prefix="nc"):
    pass
