"""Why an operation did not happen, and what the person is told.

Every service operation that can refuse has its own ``Refusal`` subclass, listed in its
capability's ``refusals.py``: one member per reason, its value the catalog message the person
reads. So a refusal says exactly what went wrong in that operation (a closed vote is not a
withdrawn draft), a handler answers it with ``t(lang, refusal.message_key, …)``, and mypy keeps
an operation's callers to the reasons it can give.
"""

from __future__ import annotations

from enum import Enum


class Refusal(Enum):
    """The base of every operation's refusals: ``NAME = "catalog.key"``.

    Two reasons may share a message and stay two members (each gets its own value)."""

    message_key: str

    def __new__(cls, message_key: str) -> Refusal:
        member = object.__new__(cls)
        member._value_ = f"{cls.__name__}.{len(cls.__members__)}"
        member.message_key = message_key
        return member

    def __repr__(self) -> str:
        return f"<{type(self).__name__}.{self.name}: {self.message_key}>"
