"""The buttons of cases."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.kernel.buttons import ButtonData, ScreenPress
from storage.models import CaseStatus


@dataclass(frozen=True, slots=True)
class NewCaseScreen(ScreenPress, prefix="nc"):
    pass


@dataclass(frozen=True, slots=True)
class NewCaseBoard(ButtonData, prefix="ncb"):
    board_id: int


@dataclass(frozen=True, slots=True)
class CaseDetails(ButtonData, prefix="case"):
    case_id: int


@dataclass(frozen=True, slots=True)
class CaseList(ButtonData, prefix="cl"):
    """A page of the group's case list, with its status and sector filters ("all": none)."""

    board_id: int
    page: int
    status: str
    sector: str


@dataclass(frozen=True, slots=True)
class EditField(ButtonData, prefix="ced"):
    case_id: int
    step: str


@dataclass(frozen=True, slots=True)
class TeamAdd(ButtonData, prefix="tadd"):
    case_id: int
    user_id: int


@dataclass(frozen=True, slots=True)
class TeamRemove(ButtonData, prefix="trm"):
    case_id: int
    user_id: int


@dataclass(frozen=True, slots=True)
class TeamLead(ButtonData, prefix="tlead"):
    case_id: int
    user_id: int


@dataclass(frozen=True, slots=True)
class CaseMove(ButtonData, prefix="cst"):
    """Move the case to another status of its lifecycle."""

    case_id: int
    to: CaseStatus


@dataclass(frozen=True, slots=True)
class CaseClosing(ButtonData, prefix="cclo"):
    """Close the case with this outcome (``bot.cases.rules.CLOSING_OUTCOMES``)."""

    case_id: int
    outcome: str


@dataclass(frozen=True, slots=True)
class CaseNote(ButtonData, prefix="cnote"):
    case_id: int


@dataclass(frozen=True, slots=True)
class CaseTransfer(ButtonData, prefix="ctr"):
    case_id: int


@dataclass(frozen=True, slots=True)
class Timeline(ButtonData, prefix="tl"):
    case_id: int
    page: int


class LearnPart(StrEnum):
    """A screen of what the board learns from a case (bot.cases.learning)."""

    MENU = "m"
    STRENGTHS = "s"
    NEEDS = "n"
    CHILD_VIEW = "v"
    INTERVENTIONS = "i"

    @property
    def field(self) -> str:
        """The part's name in bot.cases.rules (``marked``) and the catalogs."""
        return _FIELDS[self]


_FIELDS = {
    LearnPart.MENU: "menu",
    LearnPart.STRENGTHS: "strengths",
    LearnPart.NEEDS: "needs",
    LearnPart.CHILD_VIEW: "child_view",
    LearnPart.INTERVENTIONS: "interventions",
}


@dataclass(frozen=True, slots=True)
class CaseLearn(ButtonData, prefix="clr"):
    """Open one screen of what the board learns from the case."""

    case_id: int
    part: LearnPart


@dataclass(frozen=True, slots=True)
class CaseMark(ButtonData, prefix="cmk"):
    """Toggle (strengths, needs), choose (the child's view) or cycle (an intervention)."""

    case_id: int
    part: LearnPart
    index: int


@dataclass(frozen=True, slots=True)
class CaseLinkKind(ButtonData, prefix="clk"):
    """Link two cases as a kind: an index of ``LINK_KINDS``; ``len(LINK_KINDS)`` unlinks them."""

    case_id: int
    other_id: int
    kind: int


@dataclass(frozen=True, slots=True)
class CaseSuccess(ButtonData, prefix="csu"):
    """Write down a small success on the case's timeline."""

    case_id: int
