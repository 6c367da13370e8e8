"""The buttons of an action's card and its choices."""

from __future__ import annotations

from dataclasses import dataclass

from bot.actions.rules import ActionOp, Snooze
from bot.kernel.buttons import ButtonData


@dataclass(frozen=True, slots=True)
class ActionPress(ButtonData, prefix="act"):
    action_id: int
    op: ActionOp


@dataclass(frozen=True, slots=True)
class ActionSnooze(ButtonData, prefix="asz"):
    action_id: int
    choice: Snooze


@dataclass(frozen=True, slots=True)
class ActionOwner(ButtonData, prefix="aown"):
    action_id: int
    owner_id: int


@dataclass(frozen=True, slots=True)
class ActionDue(ButtonData, prefix="adue"):
    """A due date in so many days ("7"), or "t": the owner types a day."""

    action_id: int
    owner_id: int
    choice: str


TYPED_DAY = "t"
