"""The buttons of minutes."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.buttons import ButtonData, ScreenPress


@dataclass(frozen=True, slots=True)
class MinutesScreen(ScreenPress, prefix="mw"):
    """Also the question's number: a button of an earlier question is refused."""

    number: int


@dataclass(frozen=True, slots=True)
class MinutesSheet(ButtonData, prefix="mns"):
    meeting_id: int


@dataclass(frozen=True, slots=True)
class Attendance(ButtonData, prefix="mnp"):
    """Without a person: the list to tick; with one: mark them present or absent."""

    meeting_id: int
    user_id: int | None = None


@dataclass(frozen=True, slots=True)
class MinuteTaker(ButtonData, prefix="mnt"):
    """Without a person: the voters to choose from; with one: name them."""

    meeting_id: int
    user_id: int | None = None


@dataclass(frozen=True, slots=True)
class RecordMinutes(ButtonData, prefix="mnr"):
    meeting_id: int
    case_id: int


@dataclass(frozen=True, slots=True)
class ReadMinutes(ButtonData, prefix="mnv"):
    minutes_id: int


@dataclass(frozen=True, slots=True)
class ApproveMinutes(ButtonData, prefix="mnok"):
    minutes_id: int


@dataclass(frozen=True, slots=True)
class AmendMinutes(ButtonData, prefix="mnam"):
    minutes_id: int
