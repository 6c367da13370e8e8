"""Why a privacy operation did not happen (see bot.kernel.refusal)."""

from __future__ import annotations

from bot.kernel.refusal import Refusal


class EraseRefusal(Refusal):
    GONE = "error.stale_button"
    """No such case: erased already, perhaps by another coordinator."""
    NOT_A_COORDINATOR = "deny.role"
