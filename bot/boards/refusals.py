"""Why a board operation did not happen, one enum per operation (see bot.kernel.refusal)."""

from __future__ import annotations

from bot.kernel.refusal import Refusal


class JoinRefusal(Refusal):
    """Why a step of joining (the sector, the code of conduct) did not count."""

    OUT_OF_STEP = "error.stale_button"
    """Not in this board's joining dialogue at this step, an older code of conduct, or a board
    that is no longer active."""
    ALREADY_MEMBER = "join.already_member"
    ALREADY_PENDING = "join.already_pending"


class DecideRefusal(Refusal):
    """Why a join request was not approved or declined."""

    GONE = "error.stale_button"
    NOT_A_COORDINATOR = "deny.role"
    NO_REQUEST = "error.stale_button"


class MemberRefusal(Refusal):
    """Why a coordinator's change from a member's card (role, sector, removal, handover) did
    not happen."""

    GONE = "error.stale_button"
    """The board is not active, or the person is no longer on it."""
    NOT_ALLOWED = "deny.role"
    NO_SUCH_SECTOR = "error.stale_button"


class HandoverRefusal(Refusal):
    NOT_OFFERED = "error.stale_button"
    """No handover to this person is waiting (withdrawn, answered, or the board archived)."""
    LEFT_THE_BOARD = "error.stale_button"


class SettingRefusal(Refusal):
    GONE = "error.stale_button"
    NOT_A_COORDINATOR = "deny.role"
