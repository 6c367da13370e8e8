"""Talking to Telegram from a handler: answer a press, edit its message, reply where the
person is, write to someone in private. Every message goes out in HTML with no link preview, cut
to Telegram's 4096 characters; private messages that show case details are remembered (so they
can be deleted later), and "message is not modified" or a query too old to answer is no error.
Call sites read ``tg.answer(query)``, ``tg.edit(query, reply)``, ``tg.send(message, reply)``."""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable

from telegram import Bot, CallbackQuery, LinkPreviewOptions, Message, ReplyParameters, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from bot.kernel.ui import DetailsOf, Reply, fit, plain_text
from handlers.render import markup

Context = ContextTypes.DEFAULT_TYPE

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def pressed(update: Update) -> CallbackQuery:
    """The pressed button (its data comes unpacked to the handler)."""
    query = update.callback_query
    assert query is not None
    return query


async def respond(update: Update, reply: Reply, *, alert: bool = False) -> None:
    """Answer where the person is: a toast/alert for a button, a message for a command."""
    query = update.callback_query
    if query is not None:
        await answer(query, reply.text, alert=alert)
        return
    message = update.effective_message
    if message is not None:
        await send(message, reply)


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
    sent = await send(message, reply, quote=True)
    recorder = _POINTERS.get(id(message.get_bot()))
    if recorder is not None and sent.chat.type != ChatType.PRIVATE:
        await recorder(sent.chat_id, sent.message_id, user_id)


async def send(message: Message, reply: Reply, *, quote: bool = False) -> Message:
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


async def answer(query: CallbackQuery, text: str | None = None, *, alert: bool = False) -> None:
    """Every press gets an answer (toasts are plain text, at most 200 characters)."""
    plain = None if text is None else plain_text(text)[:200]
    try:
        await query.answer(plain, show_alert=alert)
    except BadRequest:  # the query is too old to answer: nothing useful left to do
        return


async def edit(query: CallbackQuery, reply: Reply) -> None:
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
        await send(query.message, reply)
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
