"""The buttons of meetings."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.buttons import ScreenPress


@dataclass(frozen=True, slots=True)
class MeetingScreen(ScreenPress, prefix="mt"):
    pass
