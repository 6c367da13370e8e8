"""The outbox's sender: one Bot API call, its errors mapped to what the dispatcher should do."""

from __future__ import annotations

import warnings
from datetime import timedelta

from telegram import Bot, InputFile, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.kernel.outbox import (
    ChatMoved,
    Delivered,
    DeliveryResult,
    OutgoingMessage,
    RetryLater,
    Undeliverable,
)
from bot.kernel.ui import MAX_CAPTION_CHARS, fit
from handlers.render import markup


def retry_after_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramSender:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, message: OutgoingMessage) -> DeliveryResult:
        try:
            return Delivered(await self._call(message))
        except RetryAfter as exc:
            return RetryLater("retry_after", retry_after_seconds(exc))
        except Forbidden:
            return Undeliverable("forbidden")
        except ChatMigrated as exc:
            return ChatMoved(exc.new_chat_id)
        except BadRequest as exc:
            if message.edit_message_id is not None and "not modified" in str(exc).lower():
                return Delivered(message.edit_message_id)
            return Undeliverable("bad_request")
        except NetworkError:  # TimedOut included: back off and try again
            return RetryLater("network")

    async def _call(self, message: OutgoingMessage) -> int:
        """One Bot API call: an edit (always with its keyboard: an edit without it would drop
        the buttons), a document with its caption, or a message. Returns the message id."""
        if message.edit_message_id is not None and message.edit_caption:
            await self._bot.edit_message_caption(
                chat_id=message.chat_id,
                message_id=message.edit_message_id,
                caption=fit(message.reply.text, MAX_CAPTION_CHARS),
                parse_mode=ParseMode.HTML,
                reply_markup=markup(message.reply.keyboard),
            )
            return message.edit_message_id
        if message.edit_message_id is not None:
            await self._bot.edit_message_text(
                chat_id=message.chat_id,
                message_id=message.edit_message_id,
                text=fit(message.reply.text),
                parse_mode=ParseMode.HTML,
                reply_markup=markup(message.reply.keyboard),
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
            return message.edit_message_id
        if message.document is not None and message.photo:
            name, content = message.document
            sent = await self._bot.send_photo(
                chat_id=message.chat_id,
                photo=InputFile(content, filename=name),
                caption=fit(message.reply.text, MAX_CAPTION_CHARS),
                parse_mode=ParseMode.HTML,
                reply_markup=markup(message.reply.keyboard),
                message_thread_id=message.thread_id,
            )
            return sent.message_id
        if message.document is not None:
            name, content = message.document
            sent = await self._bot.send_document(
                chat_id=message.chat_id,
                document=InputFile(content, filename=name),
                caption=fit(message.reply.text, MAX_CAPTION_CHARS),
                parse_mode=ParseMode.HTML,
                reply_markup=markup(message.reply.keyboard),
                message_thread_id=message.thread_id,
            )
            return sent.message_id
        sent = await self._bot.send_message(
            chat_id=message.chat_id,
            text=fit(message.reply.text),
            parse_mode=ParseMode.HTML,
            reply_markup=markup(message.reply.keyboard),
            message_thread_id=message.thread_id,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )
        return sent.message_id
