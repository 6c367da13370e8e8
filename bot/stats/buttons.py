"""The buttons of /stats: a board and a period (bot.stats.rules.PERIODS)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.kernel.buttons import ButtonData


class Period(StrEnum):
    QUARTER = "quarter"
    YEAR = "year"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class StatsView(ButtonData, prefix="st"):
    board_id: int
    period: Period
