"""The buttons of /stats: a board and a period (bot.stats.rules.PERIODS)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.buttons import ButtonData
from bot.stats.rules import Period


@dataclass(frozen=True, slots=True)
class StatsView(ButtonData, prefix="st"):
    board_id: int
    period: Period


@dataclass(frozen=True, slots=True)
class StatsCharts(ButtonData, prefix="stc"):
    """Send the period's charts as pictures."""

    board_id: int
    period: Period
