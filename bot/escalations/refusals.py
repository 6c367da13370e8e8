"""Why an escalation operation did not happen, one enum per operation (see bot.kernel.refusal)."""

from __future__ import annotations

from bot.kernel.refusal import Refusal


class RaiseRefusal(Refusal):
    BAD_TEXT = "error.stale_button"
    """A kind, urgency or text the dialogue never sends (it checks the words first)."""
    NOT_A_MEMBER = "deny.role"
    CASE_GONE = "error.stale_button"
    """The case is gone, or is another board's."""


class HandleRefusal(Refusal):
    """Why a coordinator's answer to a concern (or its withdrawal) did not happen."""

    GONE = "error.stale_button"
    NOT_ALLOWED = "deny.role"
    """Not a coordinator of its board, the person who raised it (nobody answers their own
    concern), or, to withdraw it, anyone else."""
    CLOSED = "escalation.already"
    """Resolved or withdrawn already; or, to acknowledge, acknowledged already."""
    NO_WORDS = "escalation.already"
    """A reply or a resolution without its words (the dialogue asks for them first)."""
