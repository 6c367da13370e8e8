"""The buttons of data protection."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.buttons import ButtonData


@dataclass(frozen=True, slots=True)
class EraseConfirm(ButtonData, prefix="ers"):
    """Carries the case's code too (without "-"): a press must name the case it erases."""

    case_id: int
    code: str


@dataclass(frozen=True, slots=True)
class ExportBoard(ButtonData, prefix="exb"):
    board_id: int
