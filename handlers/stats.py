"""``/stats`` in private, for a board's coordinators: the figures of a period, small counts
suppressed (bot.stats); a button per period, each press re-checked against the board."""

from __future__ import annotations

import asyncio
from typing import Protocol

from telegram import InputFile, Update
from telegram.constants import ParseMode

from bot.kernel.people import Actor
from bot.kernel.ui import Reply
from bot.stats.buttons import StatsCharts, StatsView
from bot.stats.cards import board_choice, stats_reply
from bot.stats.charts import chart_data, draw
from bot.stats.council import CouncilService
from bot.stats.notices import build_council_renderers
from bot.stats.policy import StatsAction
from bot.stats.refusals import ShareRefusal
from bot.stats.rules import Period
from bot.stats.service import StatsReport, StatsService
from handlers import tg
from handlers.base import ADMIN_STATUSES, Context, Refused, member_status
from handlers.capability import Capability, modules
from handlers.module import HandlerModule, on_command, on_press
from handlers.services import HasWords
from storage.models import BoardRecord


class Services(HasWords, Protocol):
    """What :class:`StatsHandlers` uses of the core."""

    stats: StatsService
    councils: CouncilService


class StatsHandlers(HandlerModule[Services]):
    @on_command("stats", StatsAction.STATS)
    async def stats(self, update: Update, context: Context, actor: Actor) -> None:
        lang = actor.language
        boards = await self.core.stats.boards_for(actor.user_id)
        if not boards:
            await tg.respond(update, Reply(self.t(lang, "deny.role")))
            return
        args = context.args or []
        if args and args[0].lower() == "share":
            await self.share(update, actor, boards, args[1] if len(args) > 1 else "")
            return
        if len(boards) > 1:
            await tg.respond(
                update, board_choice(self.core.i18n, lang, [(b.id, b.title) for b in boards])
            )
            return
        report = await self.core.stats.report(actor.user_id, boards[0].id, Period.QUARTER)
        if report is None:
            await tg.respond(update, Reply(self.t(lang, "deny.role")))
            return
        await tg.respond(update, stats_reply(self.core.i18n, lang, report))
        await self.send_charts(context, actor, report, say_none=False)

    @on_press(StatsView, StatsAction.STATS)
    @on_press(StatsCharts, StatsAction.STATS)
    async def stats_pressed(
        self, update: Update, context: Context, actor: Actor, press: StatsView | StatsCharts
    ) -> None:
        """Another period of the figures (in place), or their charts (below)."""
        query = tg.pressed(update)
        report = await self.core.stats.report(actor.user_id, press.board_id, press.period)
        if report is None:
            raise Refused("deny.role")
        await tg.answer(query)
        if isinstance(press, StatsCharts):
            await self.send_charts(context, actor, report)
        else:
            await tg.edit(query, stats_reply(self.core.i18n, actor.language, report))

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

    # the national expert council -------------------------------------------------------------
    async def share(
        self, update: Update, actor: Actor, boards: list[BoardRecord], code: str
    ) -> None:
        """``/stats share CODE`` shares every board this person coordinates with the council of
        CODE; ``/stats share off`` stops; ``/stats share`` says where each board shares now."""
        lang = actor.language
        if not code:
            lines = [self.t(lang, "share.how")]
            for board in boards:
                council = await self.core.councils.shared_with(board.id)
                lines.append(
                    self.t(lang, "share.state", board=board.title, council=council.title)
                    if council
                    else self.t(lang, "share.state_none", board=board.title)
                )
            await tg.respond(update, Reply("\n".join(lines)))
            return
        lines = []
        for board in boards:
            shared = await self.core.councils.share(
                actor.user_id, board.id, None if code.lower() == "off" else code
            )
            if shared is ShareRefusal.NOT_SHARED:  # one board's state among the others'
                lines.append(self.t(lang, shared.message_key, board=board.title))
            elif isinstance(shared, ShareRefusal):
                await tg.respond(update, Reply(self.t(lang, shared.message_key)))
                return
            elif shared is not None:
                lines.append(self.t(lang, "share.done", board=board.title, council=shared.title))
            else:
                lines.append(self.t(lang, "share.stopped", board=board.title))
        await tg.respond(update, Reply("\n".join(lines)))

    @on_command("council", StatsAction.COUNCIL)
    async def council(self, update: Update, context: Context, actor: Actor) -> None:
        """``/council`` in a group, by one of its administrators: the group receives the
        quarterly figures of the boards that share with it."""
        message = update.effective_message
        chat = update.effective_chat
        if message is None or chat is None:
            return
        lang = actor.language
        if await member_status(context, chat.id, actor.user_id) not in ADMIN_STATUSES:
            await tg.respond(update, Reply(self.t(lang, "council.admin_only")))
            return
        council, new = await self.core.councils.register(
            chat.id, chat.title or "", actor.user_id, lang
        )
        if council is None:
            await tg.respond(update, Reply(self.t(lang, "council.is_a_board")))
            return
        key = "council.registered" if new else "council.already"
        await tg.respond(update, Reply(self.t(lang, key, code=council.join_code)))


CAPABILITY = Capability(
    handlers=modules(StatsHandlers),
    renderers=lambda w: build_council_renderers(w.core.i18n),
    tasks=lambda w: w.core.councils.tasks(),
)
