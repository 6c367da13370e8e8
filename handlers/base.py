"""The one path every command and button takes: who is acting, may they, and a safe reply.

``guarded`` resolves the actor, runs the access-policy check, refuses oversized input, and turns
any failure into one log line (update id, handler, exception class) plus a short localized apology.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sqlite3
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol, TypeVar

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler

from bot.core import Core
from bot.kernel.buttons import ButtonData
from bot.kernel.i18n import Translator
from bot.kernel.logs import describe_exception
from bot.kernel.people import Actor
from bot.kernel.policy import VOTERS, Action, ChatKind, Denial, Role, check
from bot.kernel.refusal import Refusal
from bot.kernel.ui import MAX_MESSAGE_CHARS, Button, Reply
from handlers import tg
from handlers.services import HasBoards, HasWords
from handlers.tg import Context as Context
from storage.models import BoardRecord

log = logging.getLogger(__name__)

ActorHandler = Callable[[Update, Context, Actor], Awaitable[None]]
PtbCallback = Callable[[Update, Context], Coroutine[Any, Any, None]]


def chat_kind_of(update: Update) -> ChatKind | None:
    chat = update.effective_chat
    if chat is None:
        return None
    if chat.type == ChatType.PRIVATE:
        return ChatKind.PRIVATE
    if chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
        return ChatKind.GROUP
    return None


async def actor_of(core: Core, update: Update) -> Actor | None:
    user, chat, kind = update.effective_user, update.effective_chat, chat_kind_of(update)
    if user is None or chat is None or kind is None or user.is_bot:
        return None
    return await core.people.resolve(user.id, user.language_code, chat.id, kind)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def storage_problem(exc: BaseException) -> str | None:
    """ "disk full" or "read-only" when SQLite could not write; None for any other failure."""
    if not isinstance(exc, sqlite3.DatabaseError):  # OperationalError included
        return None
    text = str(exc).lower()
    if "full" in text:
        return "disk full"
    if "readonly" in text or "read-only" in text:
        return "read-only"
    return None


def log_failure(update: object, where: str, exc: BaseException) -> None:
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("update %s failed in %s: %s", update_id, where, describe_exception(exc))


class Refused(Exception):  # noqa: N818  (a refusal, not an error: nothing went wrong)
    """Raised by a handler that will not go on (a stale button, a role, an operation's refusal):
    the guard answers the person with its words, where they are, and nothing else happens."""

    def __init__(self, reason: str | Refusal, **params: object) -> None:
        super().__init__(reason)
        self.message_key = reason if isinstance(reason, str) else reason.message_key
        self.params = params

    def reply(self, i18n: Translator, lang: str) -> Reply:
        """What the person is told, in their language."""
        return Reply(i18n.t(lang, self.message_key, **self.params))


def bounded(text: str, limit: int, key: str, *, fold: bool = False) -> str:
    """A typed answer, stripped (``fold``: its white space folded to single spaces), if there is
    one within ``limit`` characters; else :class:`Refused` with ``key`` (told the limit)."""
    cleaned = " ".join(text.split()) if fold else text.strip()
    if not cleaned or len(cleaned) > limit:
        raise Refused(key, limit=limit)
    return cleaned


def guarded(core: Core, action: Action | None, name: str, handler: ActorHandler) -> PtbCallback:
    async def callback(update: Update, context: Context) -> None:
        actor: Actor | None = None
        try:
            if update.edited_message is not None or update.edited_channel_post is not None:
                return  # an edit never runs a command or a dialogue step again
            if await _refuse_anonymous(core, update):
                return
            actor = await actor_of(core, update)
            if actor is None:
                if update.callback_query is not None:  # stop the button's spinner all the same
                    await tg.answer(update.callback_query)
                return
            message = update.effective_message
            text = None if message is None else (message.text or message.caption)
            if text is not None and not _encodable(text):  # a lone surrogate from the JSON
                await tg.respond(update, Reply(core.i18n.t(actor.language, "error.unreadable")))
                return
            if (
                update.callback_query is None
                and text is not None
                and (len(text) > MAX_MESSAGE_CHARS)
            ):
                await tg.respond(
                    update,
                    Reply(core.i18n.t(actor.language, "error.too_long", limit=MAX_MESSAGE_CHARS)),
                )
                return
            if action is not None:
                denial = check(action, actor.role, actor.chat_kind)
                if (
                    denial is not None
                    and update.callback_query is None
                    and message is not None
                    and message.from_user is not None
                    and not message.from_user.is_bot
                    and chat_kind_of(update) is ChatKind.GROUP
                    and len((message.text or message.caption or "").split(maxsplit=1)) > 1
                ):  # what a person typed after a refused command may be case text: remove it
                    # (never a message of the bot's: a forged button's message is the bot's own)
                    with contextlib.suppress(TelegramError):
                        await message.delete()
                if denial is not None:
                    waiting = denial is Denial.NOT_MEMBER and actor.waiting_approval
                    key = "deny.waiting_approval" if waiting else f"deny.{denial.value}"
                    await tg.respond(update, Reply(core.i18n.t(actor.language, key)), alert=True)
                    return
            await handler(update, context, actor)
        except Refused as refused:  # said where the person is: an alert for a button
            assert actor is not None
            try:
                await tg.respond(update, refused.reply(core.i18n, actor.language), alert=True)
            except Exception as second:  # blocked meanwhile, or Telegram failing: log it only
                log_failure(update, f"{name}/refusal", second)
        except Exception as exc:
            storage = storage_problem(exc)
            if storage is not None:  # the disk is full or the database read-only: say so
                log.error("storage unavailable in %s: %s", name, storage)
            else:
                log_failure(update, name, exc)
            lang = actor.language if actor else core.config.boardbot_language
            key = "error.storage" if storage is not None else "error.internal"
            try:
                await tg.respond(update, Reply(core.i18n.t(lang, key)), alert=True)
            except Exception as second:  # never let the apology itself escape
                log_failure(update, f"{name}/apology", second)

    callback.__name__ = name
    return callback


async def _refuse_anonymous(core: Core, update: Update) -> bool:
    """A command sent "as the group" (anonymous admin) has no person behind it to act for."""
    message = update.effective_message
    if message is None or message.sender_chat is None or update.callback_query is not None:
        return False
    if not (message.text or "").startswith("/"):
        return True
    lang = core.config.boardbot_language
    await tg.send(message, Reply(core.i18n.t(lang, "deny.anonymous")))
    return True


class PickedBoardServices(HasBoards, Protocol):
    """What :func:`picked_board` uses of the core."""


async def picked_board(
    core: PickedBoardServices, update: Update, actor: Actor, board_id: int, roles: frozenset[Role]
) -> BoardRecord:
    """A board-picker press: the board, if the presser holds one of ``roles`` on it now (else
    :class:`Refused`)."""
    query = tg.pressed(update)
    board = await core.boards.board(board_id)
    if board is None or await core.boards.role_on(board.id, actor.user_id) not in roles:
        raise Refused("deny.role")
    await tg.answer(query)
    return board


class OwnerRowsServices(HasWords, HasBoards, Protocol):
    """What :func:`owner_rows` uses of the core."""


async def owner_rows(
    core: OwnerRowsServices, lang: str, board_id: int, data: Callable[[int], str]
) -> list[tuple[Button, ...]]:
    """The board's voting members as "name · sector" buttons, two to a row (who may own an
    action); ``data`` gives each person's callback data."""
    members = [m for m in await core.boards.members(board_id) if Role(m.role) in VOTERS][
        :MAX_OWNER_BUTTONS
    ]
    buttons = [
        Button(f"{m.display_name} · {core.i18n.t(lang, f'sector.{m.sector}')}", data(m.user_id))
        for m in members
    ]
    return [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]


MAX_OWNER_BUTTONS = 40


MAX_MEMBER_BUTTONS = 90
"""Telegram refuses very large inline keyboards; a board is far smaller than this."""


BUTTON_ACTIONS: dict[str, Action] = {}
"""Each callback prefix and the access-policy action it is checked against (for the docs' table
and the test that presses every button as every role)."""


P = TypeVar("P", bound=ButtonData)
PressHandler = Callable[[Update, Context, Actor, P], Awaitable[None]]
"""Handles one kind of button, given its data already unpacked and checked."""


class ButtonHandler(CallbackQueryHandler[Context, None]):
    """A button's handler that knows its prefix (``v1:<prefix>:…``), so it can be routed
    (handlers.routing)."""

    def __init__(self, prefix: str, callback: Any, pattern: str) -> None:
        super().__init__(callback, pattern=pattern)
        self.prefix = prefix


def button(
    core: Core,
    kind: type[P],
    action: Action,
    name: str,
    handler: PressHandler[P],
) -> ButtonHandler:
    """A button handler for one kind of button, behind the same guard as every command. Data
    that does not unpack as that kind (forged, older, cut short) is answered as stale."""
    BUTTON_ACTIONS[kind.prefix] = action

    async def unpacked(update: Update, context: Context, actor: Actor) -> None:
        query = update.callback_query
        assert query is not None
        press = kind.unpack(query.data)
        if press is None:
            raise Refused("error.stale_button")
        await handler(update, context, actor, press)

    return ButtonHandler(
        kind.prefix,
        guarded(core, action, name, unpacked),
        pattern=rf"^v1:{re.escape(kind.prefix)}(:|$)",
    )


ADMIN_STATUSES = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


async def member_status(context: Context, chat_id: int, user_id: int) -> str | None:
    """Someone's status in a chat as Telegram says it (None when Telegram cannot tell): what
    /setup and /council check, since there is no board role before them."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return None
    return member.status
