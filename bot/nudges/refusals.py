"""Why a nudges operation did not happen (see bot.kernel.refusal)."""

from __future__ import annotations

from bot.kernel.refusal import Refusal


class PrefRefusal(Refusal):
    NO_SUCH_CHOICE = "error.stale_button"
    """Not a preference, or not a value the settings screen offers (a forged press)."""
