"""Why a statistics operation did not happen (see bot.kernel.refusal)."""

from __future__ import annotations

from bot.kernel.refusal import Refusal


class ShareRefusal(Refusal):
    """Why a board's figures did not start (or stop) going to an expert council."""

    BOARD_GONE = "error.stale_button"
    NOT_A_COORDINATOR = "deny.role"
    NO_SUCH_COUNCIL = "share.bad_code"
    NOT_SHARED = "share.state_none"
    """Asked to stop, and the board shares with no council."""
