"""The buttons of meetings."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.buttons import ButtonData, ScreenPress, YesNo


@dataclass(frozen=True, slots=True)
class MeetingScreen(ScreenPress, prefix="mt"):
    pass


@dataclass(frozen=True, slots=True)
class MeetingBoard(ButtonData, prefix="mtb"):
    board_id: int


@dataclass(frozen=True, slots=True)
class SlotAnswer(ButtonData, prefix="msl"):
    """A time poll's answer, by its one-letter code (bot.meetings.cards.SLOT_CODES)."""

    slot_id: int
    code: str


@dataclass(frozen=True, slots=True)
class Rsvp(ButtonData, prefix="rsv"):
    """Going, maybe, not going, by its one-letter code (bot.meetings.cards.RSVP_CODES)."""

    meeting_id: int
    code: str


@dataclass(frozen=True, slots=True)
class MeetingCard(ButtonData, prefix="mtc"):
    meeting_id: int


@dataclass(frozen=True, slots=True)
class PickSlot(ButtonData, prefix="mpk"):
    """Without a slot: the poll's options to pick from."""

    meeting_id: int
    slot_id: int | None = None


@dataclass(frozen=True, slots=True)
class CancelMeeting(ButtonData, prefix="mcx"):
    meeting_id: int
    confirmed: YesNo | None = None


@dataclass(frozen=True, slots=True)
class MoveMeeting(ButtonData, prefix="mmv"):
    meeting_id: int


@dataclass(frozen=True, slots=True)
class MoveTo(ButtonData, prefix="mmy"):
    """The time typed for a move, confirmed: its fold (a repeated hour) and key, and the
    nonce of the dialogue that asked for it."""

    meeting_id: int
    fold: int
    key: str
    nonce: int


@dataclass(frozen=True, slots=True)
class EndSeries(ButtonData, prefix="mse"):
    """From an occurrence's card (to go back to it); confirmed, ends the series."""

    series_id: int
    meeting_id: int
    confirmed: YesNo | None = None
