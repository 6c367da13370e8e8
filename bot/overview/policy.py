"""Who may do what, and where. The overview: what needs me today."""

from __future__ import annotations

from bot.kernel.policy import BOARD_MEMBERS, PRIVATE, Action, Rule


class OverviewAction(Action):
    # What needs me today: each person's own part, the whole board for coordinators.
    TODAY = "today", Rule(BOARD_MEMBERS, PRIVATE, command="today")
