"""Who may do what, and where. The minutes of a meeting."""

from __future__ import annotations

from bot.kernel.policy import BOARD_MEMBERS, PRIVATE, Action, Rule


class MinutesAction(Action):
    MINUTES = "minutes", Rule(BOARD_MEMBERS, PRIVATE, command="minutes")
    MINUTES_STEP = "minutes_step", Rule(BOARD_MEMBERS, PRIVATE)
