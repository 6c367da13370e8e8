"""Who may do what, and where. The personal-data guard's own button."""

from __future__ import annotations

from bot.kernel.policy import ANY_CHAT, EVERYONE, Action, Rule


class GuardAction(Action):
    # "Save it like this" under a text the guard blanked: only its author's press finds it.
    BLANKED_TEXT = "blanked_text", Rule(EVERYONE, ANY_CHAT)
