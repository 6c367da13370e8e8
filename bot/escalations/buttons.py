"""The buttons of escalations."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.kernel.buttons import ButtonData, ScreenPress


@dataclass(frozen=True, slots=True)
class EscalateScreen(ScreenPress, prefix="es"):
    pass


@dataclass(frozen=True, slots=True)
class EscalateBoard(ButtonData, prefix="esb"):
    """Which board the concern is for, when the person sits on several."""

    board_id: int


class EscalationOp(StrEnum):
    ACKNOWLEDGE = "ack"
    REPLY = "rep"
    SUPERVISION = "sup"
    RESOLVE = "res"
    WITHDRAW = "wd"
    VIEW = "v"

    @property
    def verb(self) -> str:
        """The name the service and the catalogs know the step by."""
        return _VERBS[self]


_VERBS = {
    EscalationOp.ACKNOWLEDGE: "acknowledge",
    EscalationOp.REPLY: "reply",
    EscalationOp.SUPERVISION: "supervision",
    EscalationOp.RESOLVE: "resolve",
    EscalationOp.WITHDRAW: "withdraw",
    EscalationOp.VIEW: "view",
}


@dataclass(frozen=True, slots=True)
class EscalationPress(ButtonData, prefix="esa"):
    escalation_id: int
    op: EscalationOp


@dataclass(frozen=True, slots=True)
class InviteExternal(ButtonData, prefix="esx"):
    """A coordinator makes an invitation link for the board's external contact."""

    board_id: int
