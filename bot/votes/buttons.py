"""The buttons of proposals and votes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.kernel.buttons import ButtonData, ScreenPress, YesNo


class DraftOp(StrEnum):
    """The proposer's choice on a draft: open it openly, anonymously, or withdraw it."""

    OPEN = "o"
    ANONYMOUS = "a"
    WITHDRAW = "x"


@dataclass(frozen=True, slots=True)
class ProposeCase(ButtonData, prefix="ppc"):
    case_id: int


@dataclass(frozen=True, slots=True)
class ProposeScreen(ScreenPress, prefix="pp"):
    pass


@dataclass(frozen=True, slots=True)
class OpenVote(ButtonData, prefix="pro"):
    proposal_id: int
    op: DraftOp


@dataclass(frozen=True, slots=True)
class CastVote(ButtonData, prefix="vt"):
    """A choice, by its one-letter code (bot.votes.cards.CHOICE_CODES)."""

    proposal_id: int
    code: str


@dataclass(frozen=True, slots=True)
class VoteBrief(ButtonData, prefix="vbr"):
    proposal_id: int


@dataclass(frozen=True, slots=True)
class RemindVoters(ButtonData, prefix="vrm"):
    proposal_id: int


@dataclass(frozen=True, slots=True)
class CloseVote(ButtonData, prefix="vcl"):
    """Asks to close early; with ``confirmed`` set, closes."""

    proposal_id: int
    confirmed: YesNo | None = None
