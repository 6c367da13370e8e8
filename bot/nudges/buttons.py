"""The buttons of nudges and of /settings."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.kernel.buttons import ButtonData


class NudgeOp(StrEnum):
    SNOOZE_ASK = "s"
    SNOOZE = "z"
    DONE = "d"
    OPEN = "o"


@dataclass(frozen=True, slots=True)
class NudgePress(ButtonData, prefix="ndg"):
    """A button under a private nudge; ``choice`` is the snooze chosen (with ``SNOOZE``)."""

    nudge_id: int
    op: NudgeOp
    choice: str | None = None


class Pref(StrEnum):
    QUIET_START = "quiet_start"
    QUIET_END = "quiet_end"
    QUIET_WEEKENDS = "quiet_weekends"
    MUTED = "muted"


@dataclass(frozen=True, slots=True)
class PrefPick(ButtonData, prefix="prf"):
    """Open the choices of one of the person's settings."""

    field: Pref


@dataclass(frozen=True, slots=True)
class PrefValue(ButtonData, prefix="prfv"):
    """Set one of the person's settings (a time comes as "HHMM": data cannot carry ":")."""

    field: Pref
    value: str
