"""What every capability's notices share: the recipient's language, whether someone is still
on the board, and the plain ``notice`` kind (a catalog key and its parameters). Each capability
words its own kinds in its ``notices`` module."""

from __future__ import annotations

from bot.kernel.i18n import Translator
from bot.kernel.outbox import Renderer
from bot.kernel.policy import BOARD_MEMBERS, role_of
from bot.kernel.settings import BoardSettingsService
from bot.kernel.ui import Reply
from storage import Session
from storage.models import OutboxItem

NOTICE = "notice"


async def recipient_language(
    item: OutboxItem, session: Session, settings: BoardSettingsService
) -> str:
    """A person's chosen language, else their Telegram app's; for a group, the board's."""
    if item.recipient_id is not None:
        user = await session.users.get(item.recipient_id)
        if user is not None and (user.language or user.telegram_language):
            return str(user.language or user.telegram_language)
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


async def is_board_member(session: Session, board_id: int, user_id: int) -> bool:
    """Case details go only to people still on the board (team rows outlive a departure)."""
    return role_of(await session.boards.membership(board_id, user_id)) in BOARD_MEMBERS
