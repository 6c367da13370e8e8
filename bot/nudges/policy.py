"""Who may do what, and where. Follow-up: each person's hours and nudges."""

from __future__ import annotations

from bot.kernel.policy import BOARD_MEMBERS, PRIVATE, Action, Rule


class NudgeAction(Action):
    # Follow-up: each person's own decent hours and nudges; a nudge's buttons check it is theirs.
    MY_SETTINGS = "my_settings", Rule(BOARD_MEMBERS, PRIVATE, command="settings")
    NUDGE_BUTTON = "nudge_button", Rule(BOARD_MEMBERS, PRIVATE)
