"""Chat events: the private chat blocked or restarted (boards add group events later)."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.ext import BaseHandler, ChatMemberHandler

from bot.core import Core
from handlers.base import Context, log_failure


class ChatEvents:
    def __init__(self, core: Core) -> None:
        self.core = core

    async def my_chat_member(self, update: Update, context: Context) -> None:
        try:
            change = update.my_chat_member
            if change is None or change.chat.type != "private":
                return
            status = change.new_chat_member.status
            if status in (ChatMember.BANNED, ChatMember.LEFT):
                await self.core.people.private_chat_closed(
                    change.from_user.id, self.core.clock.now()
                )
        except Exception as exc:
            log_failure(update, "my_chat_member", exc)


def build_handlers(core: Core) -> list[BaseHandler[Update, Context, None]]:
    events = ChatEvents(core)
    return [ChatMemberHandler(events.my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)]
