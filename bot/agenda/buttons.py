"""The buttons of the agenda."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.buttons import ButtonData


@dataclass(frozen=True, slots=True)
class AgendaAdd(ButtonData, prefix="agc"):
    """Put the case on the next meeting's agenda."""

    case_id: int


@dataclass(frozen=True, slots=True)
class WrittenUpdate(ButtonData, prefix="agu"):
    """Can't come: send a written update on the case to the minute-taker."""

    meeting_id: int
    case_id: int
