"""The buttons of escalations."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.buttons import ScreenPress


@dataclass(frozen=True, slots=True)
class EscalateScreen(ScreenPress, prefix="es"):
    pass
