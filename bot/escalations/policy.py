"""Who may do what, and where. Escalation: raising a worry with the coordinators."""

from __future__ import annotations

from bot.kernel.policy import BOARD_MEMBERS, PRIVATE, Action, Rule


class EscalationAction(Action):
    # Escalation: any member raises a worry, in private only; who may handle a given one (its
    # board's coordinators, or its raiser withdrawing) is decided by bot.escalations.
    ESCALATE = "escalate", Rule(BOARD_MEMBERS, PRIVATE, command="escalate")
    ESCALATE_STEP = "escalate_step", Rule(BOARD_MEMBERS, PRIVATE)
    ESCALATIONS = "escalations", Rule(BOARD_MEMBERS, PRIVATE, command="escalations")
    ESCALATION_BUTTON = "escalation_button", Rule(BOARD_MEMBERS, PRIVATE)
