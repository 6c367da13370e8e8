"""Why a vote operation did not happen, one enum per operation (see bot.kernel.refusal)."""

from __future__ import annotations

from bot.kernel.refusal import Refusal


class ProposeRefusal(Refusal):
    BAD_TEXT = "vote.bad_title"
    """An empty or too long title, or too long details (the dialogue checks them first)."""
    CASE_GONE = "case.not_found"
    """No such case, or not on the group's board."""
    NOT_A_VOTER = "deny.role"
    CASE_NOT_OPEN = "vote.case_not_open"
    OWNER_NOT_A_VOTER = "vote.owner_not_voter"
    """The person chosen to carry the action no longer votes on the board."""


class OpenRefusal(Refusal):
    GONE = "error.stale_button"
    NOT_THE_PROPOSER = "vote.only_proposer"
    NOT_A_VOTER = "deny.role"
    CASE_NOT_OPEN = "vote.case_not_open"
    ALREADY_OPEN = "vote.already_open"


class WithdrawRefusal(Refusal):
    GONE = "error.stale_button"
    NOT_THE_PROPOSER = "vote.only_proposer"
    NOT_A_DRAFT = "vote.already_open"


class CastRefusal(Refusal):
    """Why a vote did not count."""

    NO_SUCH_VOTE = "error.stale_button"
    """An unknown or forged choice, or a proposal that is not (or no longer) there."""
    BLOCK_WITHOUT_REASON = "error.stale_button"
    """The dialogue asks for the reason first; a forged press without one."""
    CLOSED = "vote.closed"
    NOT_ON_THE_BOARD = "error.stale_button"
    NOT_A_VOTER = "vote.not_a_voter"
    """An observer: they read, they do not vote."""
    SAME_AGAIN = "vote.same_again"
    """A double press: the same choice is already counted."""


class RemindRefusal(Refusal):
    NOT_OPEN = "vote.closed"
    NOT_A_COORDINATOR = "deny.role"


class CloseRefusal(Refusal):
    GONE = "error.stale_button"
    NOT_A_COORDINATOR = "deny.role"
    ALREADY_CLOSED = "vote.closed"
    NOT_YET = "vote.closed"
    """The deadline task woke before the deadline: it runs again then (never shown)."""
