"""``/stats`` in private, for a board's coordinators: the figures of a period, small counts
suppressed (bot.stats); a button per period, each press re-checked against the board."""

from __future__ import annotations

import asyncio
from typing import Protocol

from telegram import InputFile, Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CommandHandler

from bot.core import Core
from bot.kernel.people import Actor
from bot.kernel.policy import Action
from bot.kernel.ui import Reply
from bot.stats.buttons import StatsCharts, StatsView
from bot.stats.cards import board_choice, stats_reply
from bot.stats.charts import chart_data, draw
from bot.stats.rules import Period
from bot.stats.service import StatsReport, StatsService
from handlers.base import (
    Context,
    answer_query,
    button,
    edit_query_message,
    guarded,
    pressed_query,
    respond,
)
from handlers.capability import Capability
from handlers.services import HasWords


class Services(HasWords, Protocol):
    """What :class:`StatsHandlers` uses of the core."""

    stats: StatsService


class StatsHandlers:
    def __init__(self, core: Services) -> None:
        self.core = core
        self.t = core.i18n.t

    async def stats(self, update: Update, context: Context, actor: Actor) -> None:
        lang = actor.language
        boards = await self.core.stats.boards_for(actor.user_id)
        if not boards:
            await respond(update, Reply(self.t(lang, "deny.role")))
            return
        if len(boards) > 1:
            await respond(
                update, board_choice(self.core.i18n, lang, [(b.id, b.title) for b in boards])
            )
            return
        report = await self.core.stats.report(actor.user_id, boards[0].id, Period.QUARTER)
        if report is None:
            await respond(update, Reply(self.t(lang, "deny.role")))
            return
        await respond(update, stats_reply(self.core.i18n, lang, report))
        await self.send_charts(context, actor, report, say_none=False)

    async def stats_pressed(
        self, update: Update, context: Context, actor: Actor, press: StatsView
    ) -> None:
        query = pressed_query(update)
        report = await self.core.stats.report(actor.user_id, press.board_id, press.period)
        if report is None:
            await answer_query(query, self.t(actor.language, "deny.role"), alert=True)
            return
        await answer_query(query)
        await edit_query_message(query, stats_reply(self.core.i18n, actor.language, report))

    async def charts_pressed(
        self, update: Update, context: Context, actor: Actor, press: StatsCharts
    ) -> None:
        query = pressed_query(update)
        report = await self.core.stats.report(actor.user_id, press.board_id, press.period)
        if report is None:
            await answer_query(query, self.t(actor.language, "deny.role"), alert=True)
            return
        await answer_query(query)
        await self.send_charts(context, actor, report)

    async def send_charts(
        self, context: Context, actor: Actor, report: StatsReport, *, say_none: bool = True
    ) -> None:
        """Each chart as a picture, drawn in a worker thread (matplotlib is slow and blocking),
        to the coordinator's private chat only; ``say_none``: say so when there is none."""
        lang = actor.language

        def words(key: str, **params: object) -> str:
            return str(self.core.i18n.t(lang, key, **params))

        charts = chart_data(report.figures, report.minimum, words)
        if not charts:
            if say_none:
                await context.bot.send_message(actor.user_id, self.t(lang, "stats.no_charts"))
            return
        for chart in charts:
            png = await asyncio.to_thread(draw, chart)
            caption = self.t(
                lang, "stats.charts_caption", title=chart.title, board=report.board.title
            )
            await context.bot.send_photo(
                actor.user_id,
                InputFile(png, filename="chart.png"),
                caption=caption,
                parse_mode=ParseMode.HTML,
            )


def build_handlers(core: Core) -> list[BaseHandler[Update, Context, None]]:
    h = StatsHandlers(core)
    return [
        CommandHandler("stats", guarded(core, Action.STATS, "stats", h.stats)),
        button(core, StatsView, Action.STATS, "stats_view", h.stats_pressed),
        button(core, StatsCharts, Action.STATS, "stats_charts", h.charts_pressed),
    ]


CAPABILITY = Capability(handlers=lambda w: build_handlers(w.core))
