"""The scheduled task of escalations: an unanswered concern moves up a level at its deadline."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.tasks import TaskPayload

ESC_DEADLINE = "esc_deadline"


@dataclass(frozen=True, slots=True)
class EscalationDeadline(TaskPayload, kind=ESC_DEADLINE):
    escalation_id: int
    level: int
    round: int = 0
    """At the top level the deadline keeps coming round until someone answers."""
