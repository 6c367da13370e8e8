"""The buttons under a text the personal-data guard held back."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.kernel.buttons import ButtonData


class BlankedOp(StrEnum):
    SAVE = "s"
    WRITE_AGAIN = "w"


@dataclass(frozen=True, slots=True)
class BlankedChoice(ButtonData, prefix="pii"):
    """Save the blanked text, or write it again; ``nonce`` names the held text."""

    op: BlankedOp
    nonce: int
