"""Why a minutes operation did not happen, one enum per operation (see bot.kernel.refusal)."""

from __future__ import annotations

from bot.kernel.refusal import Refusal


class TakerRefusal(Refusal):
    GONE = "error.stale_button"
    NOT_A_COORDINATOR = "deny.role"
    NOT_A_VOTER = "minutes.taker_not_voter"
    ALREADY_NAMED = "minutes.taker_named"
    """Named already: the press is answered as done."""


class AttendanceRefusal(Refusal):
    GONE = "error.stale_button"
    """No such meeting, or not held (yet)."""
    NOT_A_RECORDER = "minutes.not_allowed"
    APPROVED = "minutes.already_approved"
    """Minutes of the meeting are approved: their text depends on who was there."""
    NOT_A_MEMBER = "error.stale_button"


class BeginRefusal(Refusal):
    GONE = "error.stale_button"
    NOT_A_RECORDER = "minutes.not_allowed"
    NOT_ON_THE_AGENDA = "error.stale_button"
    APPROVED = "minutes.already_approved"


class DraftRefusal(Refusal):
    """Why an answer, a review date or an action did not go into the draft."""

    TOO_LONG = "minutes.too_long"
    NO_SUCH_FIELD = "error.stale_button"
    GONE = "error.stale_button"
    NOT_A_RECORDER = "minutes.not_allowed"
    APPROVED = "minutes.already_approved"
    ENTRY_GONE = "error.stale_button"
    """The action to take out is not in the draft (a second press)."""


class ApproveRefusal(Refusal):
    GONE = "error.stale_button"
    NOT_A_COORDINATOR = "minutes.not_allowed"
    APPROVED = "minutes.already_approved"
    """Approved already, perhaps by another coordinator at the same moment."""
    INCOMPLETE = "minutes.incomplete"


class AmendRefusal(Refusal):
    GONE = "error.stale_button"
    TOO_LONG = "minutes.too_long"
    NOT_A_RECORDER = "minutes.not_allowed"
    NOT_APPROVED = "error.stale_button"
    """Only approved minutes take amendments; a draft is still edited."""
