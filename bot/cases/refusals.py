"""Why a case operation did not happen, one enum per operation (see bot.kernel.refusal)."""

from __future__ import annotations

from bot.kernel.refusal import Refusal


class MoveRefusal(Refusal):
    """Why a case did not move to another status."""

    GONE = "error.stale_button"
    """No such case, or the person has no part in it (not even its existence is said)."""
    NOT_ALLOWED = "deny.role"
    """Not a move this person's part in the case allows from where it stands now."""
    NO_WORDS = "error.stale_button"
    """A move that needs a few words (or, to close, an outcome) came without them."""


class NoteRefusal(Refusal):
    """Why a note, a small success or a move to another service was not written down."""

    GONE = "error.stale_button"
    NOT_ON_THE_TEAM = "case.details_refused"
    NOT_MANAGING = "deny.role"
    """A small success is for the case's coordinators and lead."""


class EditRefusal(Refusal):
    GONE = "error.stale_button"
    NOT_ALLOWED = "deny.role"
    NOT_A_MEMBER = "error.stale_button"
    """The keyworker chosen is no longer on the board."""
    EMPTY = "error.stale_button"
    """A title, summary or urgency left empty."""


class TeamRefusal(Refusal):
    """Why a change of the case's team (a contributor added or removed, a new lead) did not
    happen."""

    GONE = "error.stale_button"
    NOT_ALLOWED = "deny.role"
    NOT_A_MEMBER = "error.stale_button"
    """The person is not (or no longer) on the board, or may not lead a case (an observer)."""
    NOT_ON_THE_TEAM = "error.stale_button"


class LearnRefusal(Refusal):
    """Why a mark of what the board learns from a case, or a link between cases, was not
    kept."""

    GONE = "error.stale_button"
    """No such case, the same case twice, or another board's."""
    NOT_MANAGING = "deny.role"
    NO_SUCH_MARK = "error.stale_button"
