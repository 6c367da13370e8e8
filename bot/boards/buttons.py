"""The buttons of boards: joining, the members and their cards, handovers, settings."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.kernel.buttons import ButtonData, YesNo


class Purpose(StrEnum):
    """What a board picker is for, when a person sits on several boards."""

    MEMBERS = "m"
    SETTINGS = "s"


class MemberOp(StrEnum):
    """What a coordinator does from a member's card."""

    DEPUTY = "deputy"
    MEMBER = "member"
    OBSERVER = "observer"
    REMOVE = "remove"
    HAND_OVER = "coord"


class DecidedFrom(StrEnum):
    PENDING = "p"
    """The decision was taken from the /pending list, which is shown again."""


@dataclass(frozen=True, slots=True)
class JoinSector(ButtonData, prefix="join"):
    board_id: int
    sector: str


@dataclass(frozen=True, slots=True)
class OwnSector(ButtonData, prefix="mysec"):
    board_id: int
    sector: str


@dataclass(frozen=True, slots=True)
class Conduct(ButtonData, prefix="cond"):
    board_id: int
    version: int
    answer: YesNo


@dataclass(frozen=True, slots=True)
class JoinDecision(ButtonData, prefix="appr"):
    board_id: int
    user_id: int
    answer: YesNo
    source: DecidedFrom | None = None


@dataclass(frozen=True, slots=True)
class BoardPick(ButtonData, prefix="pick"):
    purpose: Purpose
    board_id: int


@dataclass(frozen=True, slots=True)
class MemberCard(ButtonData, prefix="mem"):
    board_id: int
    user_id: int


@dataclass(frozen=True, slots=True)
class MemberRole(ButtonData, prefix="role"):
    board_id: int
    user_id: int
    op: MemberOp


@dataclass(frozen=True, slots=True)
class MemberSector(ButtonData, prefix="msec"):
    """Without a sector: the sectors to choose from."""

    board_id: int
    user_id: int
    sector: str | None = None


@dataclass(frozen=True, slots=True)
class HandoverAnswer(ButtonData, prefix="hand"):
    board_id: int
    answer: YesNo


@dataclass(frozen=True, slots=True)
class SettingPick(ButtonData, prefix="set"):
    board_id: int
    key: str


@dataclass(frozen=True, slots=True)
class SettingValue(ButtonData, prefix="setv"):
    board_id: int
    key: str
    index: int
