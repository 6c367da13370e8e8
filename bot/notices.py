"""Outbox kinds and how each is worded at send time, in the recipient's language.

The foundation has one kind, ``notice``: a catalog key and its parameters. Later capabilities add
theirs (reminders, nudges, vote closings, digests) to ``build_renderers``.
"""

from __future__ import annotations

from bot.i18n import Translator
from bot.outbox import Renderer
from bot.settings import BoardSettingsService
from bot.ui import Reply
from storage import Session
from storage.models import OutboxItem

NOTICE = "notice"


async def recipient_language(
    item: OutboxItem, session: Session, settings: BoardSettingsService
) -> str:
    """A person's chosen language; for a group, the board's."""
    if item.recipient_id is not None:
        user = await session.users.get(item.recipient_id)
        if user is not None and user.language:
            return user.language
    if item.board_id is not None:
        return (await settings.get(session, item.board_id)).language
    return settings.defaults["language"]


def build_renderers(i18n: Translator, settings: BoardSettingsService) -> dict[str, Renderer]:
    async def notice(item: OutboxItem, session: Session) -> Reply | None:
        key = item.payload.get("key")
        if not isinstance(key, str) or not i18n.has(key):
            return None
        params = item.payload.get("params") or {}
        lang = await recipient_language(item, session, settings)
        return Reply(i18n.t(lang, key, **params))

    return {NOTICE: notice}
