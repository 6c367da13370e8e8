"""Who may do what, and where. The actions a decision gives people to do."""

from __future__ import annotations

from bot.kernel.policy import BOARD_MEMBERS, GROUP, PRIVATE, VOTERS, Action, Rule


class FollowUpAction(Action):
    LIST_ACTIONS = "list_actions", Rule(BOARD_MEMBERS, GROUP, command="actions")
    MY_ACTIONS = "my_actions", Rule(BOARD_MEMBERS, PRIVATE, command="myactions")
    ACTION_STEP = "action_step", Rule(VOTERS, PRIVATE)
