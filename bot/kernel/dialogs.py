"""Multi-step dialogues: one open per person, in private, saved at every answer.

PTB's own persistence writes every 60 s; ours is a row in SQLite updated in the same transaction as
the answer, so a restart (even ``kill -9``) resumes the dialogue at the step it was on.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.kernel.audit import audit
from bot.kernel.service import Service
from storage.models import DialogRecord

ABANDONED_AFTER = timedelta(days=7)


def nonce_of(started_at: datetime) -> int:
    """A short stamp of when a dialogue began (fits in callback data)."""
    return int(started_at.timestamp()) % 1_000_000


class DialogService(Service):
    async def current(self, user_id: int) -> DialogRecord | None:
        async with self._db.read() as session:
            return await session.dialogs.get(user_id)

    async def open(
        self,
        user_id: int,
        kind: str,
        step: str,
        *,
        board_id: int | None = None,
        draft: dict[str, Any] | None = None,
    ) -> int:
        """Open a dialogue; its nonce goes into its buttons, so older screens' presses are stale."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            await session.dialogs.open(user_id, kind, step, now, board_id=board_id, draft=draft)
        return nonce_of(now)

    async def advance(self, user_id: int, step: str, draft: dict[str, Any]) -> None:
        """The next step, stored; the person is answering in private, so a group's pointer to
        this chat has done its work (it is removed with the next sweep)."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            await session.dialogs.advance(user_id, step, draft, now)
            await session.privacy.pointers_now(user_id, now)

    async def close(self, user_id: int) -> None:
        """The dialogue is done (its result was saved by the capability)."""
        async with self._db.transaction() as session:
            await session.dialogs.close(user_id)

    async def cancel(self, user_id: int) -> str | None:
        """Close whatever is open; the kind that was closed, if any."""
        async with self._db.transaction() as session:
            dialog = await session.dialogs.get(user_id)
            if dialog is None:
                return None
            await session.dialogs.discard(user_id)
            await audit(
                session,
                self._clock.now(),
                user_id,
                "dialog.cancelled",
                None,
                ("dialog", dialog.kind),
            )
            return dialog.kind

    async def purge_abandoned(self) -> int:
        async with self._db.transaction() as session:
            return await session.dialogs.delete_older_than(self._clock.now() - ABANDONED_AFTER)
