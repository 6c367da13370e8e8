"""Scheduled tasks with typed payloads: one class per kind of task row, that writes its payload
and reads it back, so what a capability plans and what it later runs cannot drift apart.

    @dataclass(frozen=True, slots=True)
    class CloseVote(TaskPayload, kind="vote_deadline"):
        proposal_id: int

``CloseVote(7).payload()`` is the row's payload; ``CloseVote.task(run)`` is the outbox task that
reads a row back (a malformed one does nothing) and hands ``run`` the typed payload.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, ClassVar, Self

from bot.kernel.outbox import Task
from storage.models import OutboxItem


class TaskPayload:
    """The base of every task payload; subclasses are frozen dataclasses of int fields."""

    __slots__ = ()
    kind: ClassVar[str] = ""

    def __init_subclass__(cls, kind: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if kind:
            cls.kind = kind

    def payload(self) -> dict[str, int]:
        return {f.name: int(getattr(self, f.name)) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    @classmethod
    def read(cls, item: OutboxItem) -> Self | None:
        """The payload of a row of this kind, or None when it is not one (or is malformed)."""
        if item.kind != cls.kind:
            return None
        values: dict[str, int] = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            raw = item.payload.get(f.name)
            if raw is None:
                if f.default is dataclasses.MISSING:
                    return None
                continue
            try:
                values[f.name] = int(raw)
            except (TypeError, ValueError):
                return None
        return cls(**values)

    @classmethod
    def task(cls, run: Callable[[Self], Awaitable[datetime | None]]) -> tuple[str, Task]:
        """This kind and the outbox task that runs it."""

        async def run_row(item: OutboxItem) -> datetime | None:
            payload = cls.read(item)
            return None if payload is None else await run(payload)

        return cls.kind, run_row
