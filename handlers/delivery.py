"""The outbox's sender: one Bot API call, its errors mapped to what the dispatcher should do."""

from __future__ import annotations

import warnings
from datetime import timedelta

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.outbox import (
    ChatMoved,
    Delivered,
    DeliveryResult,
    OutgoingMessage,
    RetryLater,
    Undeliverable,
)
from bot.ui import fit
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
            sent = await self._bot.send_message(
                chat_id=message.chat_id,
                text=fit(message.reply.text),
                parse_mode=ParseMode.HTML,
                reply_markup=markup(message.reply.keyboard),
                message_thread_id=message.thread_id,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        except RetryAfter as exc:
            return RetryLater("retry_after", retry_after_seconds(exc))
        except Forbidden:
            return Undeliverable("forbidden")
        except ChatMigrated as exc:
            return ChatMoved(exc.new_chat_id)
        except BadRequest:
            return Undeliverable("bad_request")
        except NetworkError:  # TimedOut included: back off and try again
            return RetryLater("network")
        return Delivered(sent.message_id)
