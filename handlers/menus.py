"""Each person's own "/" menu in their private chat, following their role.

The default private menu is a newcomer's; once someone's role on a board changes, their chat gets
its own menu (a coordinator sees /pending and /boardsettings, an observer does not). The change
queues an outbox task (``BoardService.refresh_menus_later``); the calls to Telegram are made here,
by the outbox, after the person has had their answer.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Protocol

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.kernel.outbox import Task
from bot.kernel.policy import COORDINATORS, ChatKind, Role, commands_for, highest
from handlers.services import HasBoards, HasPeople, HasWords
from storage.models import OutboxItem

log = logging.getLogger(__name__)


class RefreshPrivateMenuServices(HasWords, HasPeople, HasBoards, Protocol):
    """What :func:`refresh_private_menu` uses of the core."""


async def refresh_private_menu(bot: Bot, core: RefreshPrivateMenuServices, user_id: int) -> None:
    """Best effort: a menu that fails to update must not undo or hide the change itself."""
    try:
        roles = [role for _, role in await core.boards.boards_of(user_id)]
        scope = BotCommandScopeChat(user_id)
        if not roles:
            await bot.delete_my_commands(scope=scope)
            return
        lang = await core.people.language_of(user_id)
        commands = [
            BotCommand(name, core.i18n.t(lang, f"cmd.{name}"))
            for name in commands_for(highest(roles), ChatKind.PRIVATE)
        ]
        await bot.set_my_commands(commands, scope=scope)
    except TelegramError as exc:
        log.warning("menu update failed: %s", type(exc).__name__)


class RefreshManyServices(HasWords, HasPeople, HasBoards, Protocol):
    """What :func:`refresh_many` uses of the core."""


async def refresh_many(bot: Bot, core: RefreshManyServices, user_ids: list[int]) -> None:
    for user_id in dict.fromkeys(user_ids):
        await refresh_private_menu(bot, core, user_id)


class MenuTaskServices(HasWords, HasPeople, HasBoards, Protocol):
    """What the menu task uses of the core."""


def menu_task(bot: Bot, core: MenuTaskServices) -> Task:
    """The outbox task behind ``BoardService.refresh_menus_later``: the people named, then the
    coordinators and deputies of the board named."""

    async def run(item: OutboxItem) -> datetime | None:
        users = [int(user) for user in item.payload.get("users", [])]
        board = item.payload.get("board")
        if board is not None:
            members = await core.boards.members(int(board))
            users += [m.user_id for m in members if Role(m.role) in COORDINATORS]
        await refresh_many(bot, core, users)
        return None

    return run


__all__ = ["menu_task", "refresh_many", "refresh_private_menu"]
