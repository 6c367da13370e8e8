"""``/today`` in private: what needs me today on each of my boards, then what changed."""

from __future__ import annotations

from typing import Protocol

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.core import Core
from bot.kernel.people import Actor
from bot.kernel.policy import Action
from bot.kernel.ui import Reply
from bot.overview.cards import overview_reply
from bot.overview.service import OverviewService
from handlers.base import Context, guarded, respond
from handlers.capability import Capability
from handlers.services import HasClock, HasWords


class Services(HasClock, HasWords, Protocol):
    """What :class:`OverviewHandlers` uses of the core."""

    overview: OverviewService


class OverviewHandlers:
    def __init__(self, core: Services) -> None:
        self.core = core
        self.t = core.i18n.t

    async def today(self, update: Update, context: Context, actor: Actor) -> None:
        lang = actor.language
        pictures = await self.core.overview.today(actor.user_id)
        if not pictures:
            await respond(update, Reply(self.t(lang, "overview.no_boards")))
            return
        now = self.core.clock.now()
        for picture in pictures:
            await respond(update, overview_reply(self.core.i18n, lang, picture, now))


def build_handlers(core: Core) -> list[BaseHandler[Update, Context, None]]:
    h = OverviewHandlers(core)
    return [CommandHandler("today", guarded(core, Action.TODAY, "today", h.today))]


CAPABILITY = Capability(handlers=lambda w: build_handlers(w.core))
