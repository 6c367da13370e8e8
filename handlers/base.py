"""The one path every command and button takes: who is acting, may they, and a safe reply.

``guarded`` resolves the actor, runs the access-policy check, refuses oversized input, and turns
any failure into one log line (update id, handler, exception class) plus a short localized apology.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sqlite3
import weakref
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol, TypeVar

from telegram import Bot, CallbackQuery, LinkPreviewOptions, Message, ReplyParameters, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import CallbackQueryHandler, ContextTypes

from bot.core import Core
from bot.kernel.buttons import ButtonData
from bot.kernel.logs import describe_exception
from bot.kernel.people import Actor
from bot.kernel.policy import VOTERS, Action, ChatKind, Denial, Role, check
from bot.kernel.refusal import Refusal
from bot.kernel.ui import MAX_MESSAGE_CHARS, Button, DetailsOf, Reply, fit, plain_text
from handlers.render import markup
from handlers.services import HasBoards, HasWords
from storage.models import BoardRecord

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
ActorHandler = Callable[[Update, Context, Actor], Awaitable[None]]
PtbCallback = Callable[[Update, Context], Coroutine[Any, Any, None]]

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


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
                    await answer_query(update.callback_query)
                return
            message = update.effective_message
            text = None if message is None else (message.text or message.caption)
            if text is not None and not _encodable(text):  # a lone surrogate from the JSON
                await respond(update, Reply(core.i18n.t(actor.language, "error.unreadable")))
                return
            if (
                update.callback_query is None
                and text is not None
                and (len(text) > MAX_MESSAGE_CHARS)
            ):
                await respond(
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
                    await respond(update, Reply(core.i18n.t(actor.language, key)), alert=True)
                    return
            await handler(update, context, actor)
        except Refused as refused:  # said where the person is: an alert for a button
            assert actor is not None
            words = core.i18n.t(actor.language, refused.message_key, **refused.params)
            await respond(update, Reply(words), alert=True)
        except Exception as exc:
            storage = storage_problem(exc)
            if storage is not None:  # the disk is full or the database read-only: say so
                log.error("storage unavailable in %s: %s", name, storage)
            else:
                log_failure(update, name, exc)
            lang = actor.language if actor else core.config.boardbot_language
            key = "error.storage" if storage is not None else "error.internal"
            try:
                await respond(update, Reply(core.i18n.t(lang, key)), alert=True)
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
    await send_reply(message, Reply(core.i18n.t(lang, "deny.anonymous")))
    return True


def pressed_query(update: Update) -> CallbackQuery:
    """The pressed button (its data comes unpacked to the handler)."""
    query = update.callback_query
    assert query is not None
    return query


class PickedBoardServices(HasBoards, Protocol):
    """What :func:`picked_board` uses of the core."""


async def picked_board(
    core: PickedBoardServices, update: Update, actor: Actor, board_id: int, roles: frozenset[Role]
) -> BoardRecord:
    """A board-picker press: the board, if the presser holds one of ``roles`` on it now (else
    :class:`Refused`)."""
    query = pressed_query(update)
    board = await core.boards.board(board_id)
    if board is None or await core.boards.role_on(board.id, actor.user_id) not in roles:
        raise Refused("deny.role")
    await answer_query(query)
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


async def respond(update: Update, reply: Reply, *, alert: bool = False) -> None:
    """Answer where the person is: a toast/alert for a button, a message for a command."""
    query = update.callback_query
    if query is not None:
        await answer_query(query, reply.text, alert=alert)
        return
    message = update.effective_message
    if message is not None:
        await send_reply(message, reply)


DetailRecorder = Callable[[int, int, DetailsOf], Awaitable[None]]
_RECORDERS: dict[int, DetailRecorder] = {}
"""By the bot object's identity (bots compare equal by token): one per running application."""


def record_details_with(bot: Bot, recorder: DetailRecorder) -> None:
    """Where this bot's private messages with case details are remembered (to delete later)."""
    _RECORDERS[id(bot)] = recorder
    weakref.finalize(bot, _RECORDERS.pop, id(bot), None)


async def _remember(bot: Bot, sent: Message | bool | None, reply: Reply) -> None:
    if reply.details_of is None or not isinstance(sent, Message):
        return
    if sent.chat.type != ChatType.PRIVATE:
        return
    recorder = _RECORDERS.get(id(bot))
    if recorder is not None:
        await recorder(sent.chat_id, sent.message_id, reply.details_of)


PointerRecorder = Callable[[int, int, int], Awaitable[None]]
_POINTERS: dict[int, PointerRecorder] = {}


def record_pointers_with(bot: Bot, recorder: PointerRecorder) -> None:
    """Where this bot's "continue in private" lines in groups are remembered (to remove)."""
    _POINTERS[id(bot)] = recorder
    weakref.finalize(bot, _POINTERS.pop, id(bot), None)


async def point_to_private(update: Update, reply: Reply, user_id: int) -> None:
    """Tell a group that this person's answer is waiting in private: as a reply to their
    command, so the group sees whom it is for, removed once they answer there (or later)."""
    message = update.effective_message
    if message is None:
        return
    sent = await send_reply(message, reply, quote=True)
    recorder = _POINTERS.get(id(message.get_bot()))
    if recorder is not None and sent.chat.type != ChatType.PRIVATE:
        await recorder(sent.chat_id, sent.message_id, user_id)


async def send_reply(message: Message, reply: Reply, *, quote: bool = False) -> Message:
    """Answer in the message's chat; ``quote``: as a reply to it (still sent if it is gone)."""
    sent = await message.reply_text(
        fit(reply.text),
        parse_mode=ParseMode.HTML,
        reply_markup=markup(reply.keyboard),
        link_preview_options=NO_PREVIEW,
        reply_parameters=(
            ReplyParameters(message.message_id, allow_sending_without_reply=True) if quote else None
        ),
        do_quote=None if quote else False,
    )
    await _remember(message.get_bot(), sent, reply)
    return sent


async def answer_query(
    query: CallbackQuery, text: str | None = None, *, alert: bool = False
) -> None:
    """Every press gets an answer (toasts are plain text, at most 200 characters)."""
    plain = None if text is None else plain_text(text)[:200]
    try:
        await query.answer(plain, show_alert=alert)
    except BadRequest:  # the query is too old to answer: nothing useful left to do
        return


async def edit_query_message(query: CallbackQuery, reply: Reply) -> None:
    """Replace a button's message; "message is not modified" is not an error."""
    if not _shown(query):  # deleted or too old to edit: say it in a new message
        await _send_new(query, reply)
        return
    try:
        edited = await query.edit_message_text(
            fit(reply.text),
            parse_mode=ParseMode.HTML,
            reply_markup=markup(reply.keyboard),
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
        return
    await _remember(query.get_bot(), edited, reply)


async def send_private(context: Context, user_id: int, reply: Reply) -> bool:
    """Write to someone in private; ``False`` when they blocked the bot or never started it."""
    try:
        sent = await context.bot.send_message(
            user_id,
            fit(reply.text),
            parse_mode=ParseMode.HTML,
            reply_markup=markup(reply.keyboard),
            link_preview_options=NO_PREVIEW,
        )
        await _remember(context.bot, sent, reply)
    except Forbidden:
        return False
    except BadRequest as exc:
        if "chat not found" in str(exc).lower():
            return False
        raise
    return True


async def send_below(query: CallbackQuery, reply: Reply) -> None:
    """A new message under the pressed one, which stays as it was (a brief, a document)."""
    if isinstance(query.message, Message) and _shown(query):
        await send_reply(query.message, reply)
    else:  # deleted or too old for Telegram to show us: still answered, in the person's chat
        await _send_new(query, reply)


def _shown(query: CallbackQuery) -> bool:
    """PTB builds an inaccessible message (date 0) as a ``Message`` too: ask it."""
    return query.message is not None and query.message.is_accessible


async def _send_new(query: CallbackQuery, reply: Reply) -> None:
    sent = await query.get_bot().send_message(
        query.from_user.id,
        fit(reply.text),
        parse_mode=ParseMode.HTML,
        reply_markup=markup(reply.keyboard),
        link_preview_options=NO_PREVIEW,
    )
    await _remember(query.get_bot(), sent, reply)


ADMIN_STATUSES = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


async def member_status(context: Context, chat_id: int, user_id: int) -> str | None:
    """Someone's status in a chat as Telegram says it (None when Telegram cannot tell): what
    /setup and /council check, since there is no board role before them."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return None
    return member.status
