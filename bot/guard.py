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

from bot.kernel.clock import Clock
from bot.kernel.dialogs import nonce_of
from bot.kernel.i18n import Translator
from bot.pii import Finding, PiiKind, blank, find_personal_data
from storage import Database
from storage.models import BlankedInputRecord

HELD_FOR = timedelta(days=1)
"""A blanked text nobody chose for within a day is forgotten."""
MAX_ROUNDS = 3


def screen(text: str) -> list[Finding]:
    """What in ``text`` looks like personal data; empty when it may be stored."""
    return find_personal_data(text)


def blanked(i18n: Translator, lang: str, text: str, findings: list[Finding]) -> str:
    """The text with every finding replaced by its placeholder, screened again until nothing
    is left (a placeholder can join two fragments into something that looks like a name)."""
    result = text
    current = findings
    for _ in range(MAX_ROUNDS):
        if not current:
            return result
        result = blank(result, current, lambda kind: i18n.t(lang, f"pii.placeholder.{kind.value}"))
        current = screen(result)
    if current:  # still something: blank every word that was flagged, to be safe
        result = blank(result, current, lambda kind: i18n.t(lang, "pii.placeholder.name"))
    return result


def kinds_named(i18n: Translator, lang: str, findings: list[Finding]) -> str:
    """'ЕГН, телефон': each kind found once, in order."""
    kinds: list[PiiKind] = []
    for finding in findings:
        if finding.kind not in kinds:
            kinds.append(finding.kind)
    return ", ".join(i18n.t(lang, f"pii.kind.{kind.value}") for kind in kinds)


class HeldTexts:
    """Blanked texts waiting for their author: one per person, used once."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

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
