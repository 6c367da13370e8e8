"""Who may do what, and where. Deciding together: proposals and votes."""

from __future__ import annotations

from bot.kernel.policy import ANY_CHAT, COORDINATORS, GROUP, PRIVATE, VOTERS, Action, Rule


class VoteAction(Action):
    # Deciding together: voters propose and vote; the proposal's own board is re-checked by
    # bot.votes in the transaction (in private the role here is the highest over all boards).
    PROPOSE = "propose", Rule(VOTERS, ANY_CHAT, command="propose")
    PROPOSE_STEP = "propose_step", Rule(VOTERS, PRIVATE)
    OPEN_VOTE = "open_vote", Rule(VOTERS, GROUP)
    VOTE = "vote", Rule(VOTERS, ANY_CHAT)
    VOTE_BRIEF = "vote_brief", Rule(VOTERS, PRIVATE)
    MANAGE_VOTE = "manage_vote", Rule(COORDINATORS, PRIVATE)
