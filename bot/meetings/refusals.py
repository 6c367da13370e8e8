"""Why a meeting operation did not happen, one enum per operation (see bot.kernel.refusal)."""

from __future__ import annotations

from bot.kernel.refusal import Refusal


class CreateRefusal(Refusal):
    """Why a meeting, a time poll or a series of board sessions was not set up."""

    TIME_PASSED = "meeting.time_passed"
    """A time chosen while the set-up was open has passed (or, from a forged press, the kind,
    the number of times, the pattern, the end day or the place is not one the bot offers)."""
    NOT_A_COORDINATOR = "deny.role"


class AnswerRefusal(Refusal):
    """Why an answer to a time poll or an RSVP did not count."""

    GONE = "error.stale_button"
    CLOSED = "meeting.answers_closed"
    """The poll is decided, or the meeting cancelled or begun."""
    NOT_A_MEMBER = "deny.not_member"
    SAME_AGAIN = "meeting.answer_same"
    """A double press: that answer is already counted."""


class PickRefusal(Refusal):
    GONE = "error.stale_button"
    NOT_A_COORDINATOR = "deny.role"
    CLOSED = "meeting.answers_closed"
    """The poll was decided already."""
    SLOT_PASSED = "meeting.slot_passed"


class ChangeRefusal(Refusal):
    """Why a coordinator's move or cancellation of a meeting (or end of a series) did not
    happen."""

    GONE = "error.stale_button"
    NOT_A_COORDINATOR = "deny.role"
    CLOSED = "meeting.answers_closed"
    """Cancelled (or ended) already, or not scheduled at a time."""
    PAST = "when.past"
    SAME_TIME = "meeting.same_time"
