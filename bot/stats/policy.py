"""Who may do what, and where. What the board learns: its figures and the council."""

from __future__ import annotations

from bot.kernel.policy import COORDINATORS, EVERYONE, GROUP, PRIVATE, Action, Role, Rule


class StatsAction(Action):
    # What the board learns: its figures, small counts suppressed, to its coordinators only.
    STATS = "stats", Rule(COORDINATORS, PRIVATE, command="stats")
    # A council's group registers itself: its administrators (getChatMember, as for /setup).
    COUNCIL = (
        "council",
        Rule(EVERYONE, GROUP, command="council", listed_for=frozenset({Role.NON_MEMBER})),
    )
