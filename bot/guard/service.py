"""The one check every free-text path uses before storing or posting anything, and the texts it
blanked, held until their author chooses.

A coordinator cannot switch the guard off: there is no setting for it. When it finds personal
data, nothing is stored: the person sees the same text with each finding replaced by a
placeholder ("[име]", "[ЕГН]") and chooses "save it like this" or "write it again". Only the
blanked text is held (one per person) meanwhile; what was typed never reaches the database.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.kernel.dialogs import nonce_of
from bot.kernel.service import Service
from storage.models import BlankedInputRecord

HELD_FOR = timedelta(days=1)
"""A blanked text nobody chose for within a day is forgotten."""


class HeldTexts(Service):
    """Blanked texts waiting for their author: one per person, used once."""

    async def hold(
        self, user_id: int, chat_id: int, origin: str, payload: dict[str, Any], body: str
    ) -> int:
        """Hold ``body`` (already blanked) for the person; the nonce goes into the buttons,
        so an older preview's buttons cannot save a newer text."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            await session.blanked.hold(user_id, chat_id, origin, payload, body, now)
        return nonce_of(now)

    async def take(self, user_id: int, nonce: int) -> BlankedInputRecord | None:
        """The held text, if these buttons are its own; it is forgotten as it is taken."""
        async with self._db.transaction() as session:
            held = await session.blanked.get(user_id)
            if held is None or nonce_of(held.created_at) != nonce:
                return None
            await session.blanked.drop(user_id)
        if self._clock.now() - held.created_at > HELD_FOR:
            return None
        return held

    async def purge(self) -> int:
        async with self._db.transaction() as session:
            return await session.blanked.drop_older_than(self._clock.now() - HELD_FOR)
