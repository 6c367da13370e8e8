"""``/today`` in private: what needs me today on each of my boards, then what changed."""

from __future__ import annotations

from typing import Protocol

from telegram import Update

from bot.kernel.people import Actor
from bot.kernel.ui import Reply
from bot.overview.cards import overview_reply
from bot.overview.policy import OverviewAction
from bot.overview.service import OverviewService
from handlers import tg
from handlers.base import Context
from handlers.capability import Capability, modules
from handlers.module import HandlerModule, on_command
from handlers.services import HasClock, HasWords


class Services(HasClock, HasWords, Protocol):
    """What :class:`OverviewHandlers` uses of the core."""

    overview: OverviewService


class OverviewHandlers(HandlerModule[Services]):
    @on_command("today", OverviewAction.TODAY)
    async def today(self, update: Update, context: Context, actor: Actor) -> None:
        lang = actor.language
        pictures = await self.core.overview.today(actor.user_id)
        if not pictures:
            await tg.respond(update, Reply(self.t(lang, "overview.no_boards")))
            return
        now = self.core.clock.now()
        for picture in pictures:
            await tg.respond(update, overview_reply(self.core.i18n, lang, picture, now))


CAPABILITY = Capability(handlers=modules(OverviewHandlers))
