"""Why an action operation did not happen, one enum per operation (see bot.kernel.refusal).

Most say "it changed meanwhile": the card pressed showed what the action allowed then."""

from __future__ import annotations

from bot.kernel.refusal import Refusal


class StatusRefusal(Refusal):
    """Why an action was not marked done, blocked, reopened or cancelled."""

    GONE = "action.changed_meanwhile"
    """No such action, or the person has no part in it any more."""
    NOT_NOW = "action.changed_meanwhile"
    """Not a change this person may make to the action as it stands now."""
    NO_REASON = "action.changed_meanwhile"
    """Blocked without a reason (the dialogue asks for one first)."""


class AssignRefusal(Refusal):
    """Why an owner or a due date was not set."""

    GONE = "action.changed_meanwhile"
    NOT_ALLOWED = "action.changed_meanwhile"
    OWNER_NOT_A_VOTER = "vote.owner_not_voter"
    NO_DATE = "action.changed_meanwhile"
    CLOSED = "action.changed_meanwhile"
    """Done or cancelled meanwhile: no due date to set."""


class SnoozeRefusal(Refusal):
    GONE = "action.changed_meanwhile"
    NOT_NOW = "action.changed_meanwhile"
    """Not the owner's to snooze now, or a time already past."""
