"""Why an agenda operation did not happen, one enum per operation (see bot.kernel.refusal)."""

from __future__ import annotations

from bot.kernel.refusal import Refusal


class AgendaRefusal(Refusal):
    """Why a case did not go onto (or off) the next meeting's agenda."""

    CASE_GONE = "error.stale_button"
    NOT_ALLOWED = "agenda.not_allowed"
    CASE_CLOSED = "agenda.case_closed"
    NO_MEETING = "agenda.no_meeting"


class UpdateRefusal(Refusal):
    """Why a written update for an agenda case was not kept."""

    BAD_TEXT = "agenda.update_too_long"
    GONE = "error.stale_button"
    """No such meeting or case, the meeting cancelled, or the case no longer on its agenda."""
    NOT_ON_THE_TEAM = "case.details_refused"
    MINUTES_APPROVED = "agenda.update_closed"
    """The case's minutes are approved: the update would change them."""
