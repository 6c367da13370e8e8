"""The board's cases as a list: /cases in the group (codes, statuses and counts only), paged and
filtered by status and sector with buttons."""

from __future__ import annotations

from typing import Protocol

from telegram import Update

from bot.boards.rules import SECTORS
from bot.cases.buttons import (
    CaseList,
)
from bot.cases.cards import list_line
from bot.cases.policy import CaseAction
from bot.cases.rules import (
    OPEN_STATUSES,
    is_stalled,
)
from bot.kernel.people import Actor
from bot.kernel.policy import ChatKind, check
from bot.kernel.ui import Button, Reply
from handlers import tg
from handlers.base import Context, Refused
from handlers.module import HandlerModule, on_command, on_press
from handlers.services import (
    HasBoards,
    HasCases,
    HasClock,
    HasSettings,
    HasWords,
)
from storage.models import BoardRecord

PAGE_SIZE = 15


def next_filter(options: tuple[str, ...], current: str) -> str:
    """A filter button cycles: all → each option in turn → all."""
    if current not in options:
        return options[0]
    index = options.index(current) + 1
    return options[index] if index < len(options) else "all"


class Services(HasBoards, HasCases, HasClock, HasWords, HasSettings, Protocol):
    """What :class:`CaseListHandlers` uses of the core."""


class CaseListHandlers(HandlerModule[Services]):
    @on_command("cases", CaseAction.LIST_CASES)
    async def list_cases(self, update: Update, context: Context, actor: Actor) -> None:
        assert actor.board is not None
        await tg.respond(update, await self.cases_reply(actor, actor.board, 0, "all", "all"))

    async def cases_reply(
        self, actor: Actor, board: BoardRecord, page: int, status: str, sector: str
    ) -> Reply:
        """One page of the board's open cases, with filters: codes and counts only."""
        lang = actor.language
        now = self.core.clock.now()
        stall_days = (await self.core.settings.of(board.id)).stall_days
        shown = await self.core.boards.group_sectors(board.id)
        if sector not in shown.filters():
            sector = "all"  # a smaller sector's count would be one person's cases
        cases, total, page = await self.core.cases.open_page(
            board.id, status, sector, page, PAGE_SIZE
        )
        pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        lines = [self.t(lang, "cases.title", board=board.title, count=total)]
        if status != "all" or sector != "all":
            lines.append(
                self.t(
                    lang,
                    "cases.filtered",
                    status=self.t(lang, f"case_status.{status}") if status != "all" else "—",
                    sector=self.t(lang, f"sector.{sector}") if sector != "all" else "—",
                )
            )
        lines += [
            list_line(
                self.core.i18n,
                lang,
                case,
                now,
                stalled=is_stalled(case.status, case.last_activity_at, now, stall_days),
                shown=shown,
            )
            for case in cases
        ]
        if not total:
            lines.append(self.t(lang, "cases.none"))
        if pages > 1:
            lines.append(self.t(lang, "cases.page", page=page + 1, pages=pages))

        def go(p: int, st: str, se: str) -> str:
            return CaseList(board.id, p, st, se).pack()

        rows: list[tuple[Button, ...]] = []
        nav = []
        if page > 0:
            nav.append(Button("◀", go(page - 1, status, sector)))
        if page + 1 < pages:
            nav.append(Button("▶", go(page + 1, status, sector)))
        if nav:
            rows.append(tuple(nav))
        next_status = next_filter(OPEN_STATUSES, status)
        sector_filters = shown.filters()
        status_now = self.t(lang, f"case_status.{status}")
        everything = self.t(lang, "case_status.all")
        sector_now = self.t(lang, f"sector.{sector}") if sector != "all" else everything
        filters = [
            Button(
                f"{self.t(lang, 'cases.filter_status')}: {status_now}", go(0, next_status, sector)
            )
        ]
        if sector_filters:  # only sectors of three or more (bot.boards.disclosure)
            filters.append(
                Button(
                    f"{self.t(lang, 'cases.filter_sector')}: {sector_now}",
                    go(0, status, next_filter(sector_filters, sector)),
                )
            )
        rows.append(tuple(filters))
        if status != "all" or sector != "all":
            rows.append((Button(self.t(lang, "cases.filter_clear"), go(0, "all", "all")),))
        return Reply("\n".join(lines), tuple(rows))

    @on_press(CaseList, CaseAction.VIEW_CASE)
    async def cases_pressed(
        self, update: Update, context: Context, actor: Actor, press: CaseList
    ) -> None:
        query = tg.pressed(update)
        board_id, page = press.board_id, press.page
        status = press.status
        sector = press.sector
        board = await self.core.boards.board(board_id)
        valid = (status == "all" or status in OPEN_STATUSES) and (
            sector == "all" or sector in SECTORS
        )
        if board is None or not valid:
            raise Refused("error.stale_button")
        role = await self.core.boards.role_on(board.id, actor.user_id)
        in_its_group = query.message is not None and query.message.chat.id == board.chat_id
        if not in_its_group or check(CaseAction.LIST_CASES, role, ChatKind.GROUP) is not None:
            raise Refused("deny.not_member")
        await tg.answer(query)
        await tg.edit(query, await self.cases_reply(actor, board, page, status, sector))
