"""For the national expert council: a group that receives, each quarter, the suppressed figures
of every board that shares with it, and of all of them together, as a message, a CSV, an .xlsx
and a chart. A council's chat never receives a case code, a name or a title of a case: only the
table (bot.stats.table), which holds counts and nothing else.

A council registers in its own group (``/council``, by a group administrator) and gets a code;
a board's coordinator shares with ``/stats share CODE`` and stops with ``/stats share off``.
A task row per council and quarter runs on the first day of the next quarter: it queues the four
posts and plans the next quarter, in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from bot.boards.rules import new_join_code
from bot.kernel.audit import audit
from bot.kernel.outbox import Task
from bot.kernel.policy import COORDINATORS, role_of
from bot.kernel.service import Service
from bot.kernel.settings import BoardSettingsService
from bot.kernel.tasks import TaskPayload
from bot.stats.refusals import ShareRefusal
from bot.stats.rules import (
    Figures,
    figures,
    next_quarter,
    quarter_of,
    quarter_start,
)
from bot.stats.service import BoardFacts, board_facts
from bot.stats.table import Table, council_table
from storage import Session
from storage.councils import CouncilRecord
from storage.models import BoardStatus, NewOutboxItem

COUNCIL_QUARTER = "council_quarter"
COUNCIL_TABLE = "council_table"
COUNCIL_CSV = "council_csv"
COUNCIL_XLSX = "council_xlsx"
COUNCIL_CHART = "council_chart"
COUNCIL_POSTS = (COUNCIL_TABLE, COUNCIL_CSV, COUNCIL_XLSX, COUNCIL_CHART)


REPORT_AT = time(9, 0)
"""The quarter's figures go out at 09:00 on its first day after it ends (the council's zone)."""


@dataclass(frozen=True, slots=True)
class CouncilQuarter(TaskPayload, kind=COUNCIL_QUARTER):
    """Post the figures of this quarter (the one that has just ended) to this council."""

    council_id: int
    year: int
    quarter: int


@dataclass(frozen=True, slots=True)
class CouncilReport:
    council: CouncilRecord
    year: int
    quarter: int
    titles: tuple[str, ...]
    across: Figures
    table: Table
    minimum: int


@dataclass(frozen=True, slots=True)
class CouncilPost:
    """What the four posts of a quarter say, as stored in their outbox rows: the boards'
    titles, the table's rows (a catalog key and its cells) and nothing else."""

    year: int
    quarter: int
    language: str
    boards: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    minimum: int

    @classmethod
    def of(cls, report: CouncilReport) -> CouncilPost:
        return cls(
            report.year,
            report.quarter,
            report.council.language,
            report.titles,
            tuple((row.key, row.cells) for row in report.table.rows),
            report.minimum,
        )

    def payload(self) -> dict[str, object]:
        return {
            "year": self.year,
            "quarter": self.quarter,
            "language": self.language,
            "boards": list(self.boards),
            "rows": [[key, *cells] for key, cells in self.rows],
            "minimum": self.minimum,
        }

    @classmethod
    def read(cls, payload: Mapping[str, Any]) -> CouncilPost | None:
        """The post of a row, or None for one that is not one (or older than this format)."""
        try:
            return cls(
                int(payload["year"]),
                int(payload["quarter"]),
                str(payload["language"]),
                tuple(str(title) for title in payload["boards"]),
                tuple((str(r[0]), tuple(str(c) for c in r[1:])) for r in payload["rows"]),
                int(payload["minimum"]),
            )
        except (KeyError, TypeError, ValueError, IndexError):
            return None


class CouncilService(Service):
    async def register(
        self, chat_id: int, title: str, user_id: int, language: str
    ) -> tuple[CouncilRecord | None, bool]:
        """The group as a council (None if it is a board's group); True when new."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            if await session.boards.by_chat(chat_id) is not None:
                return None, False
            existing = await session.councils.by_chat(chat_id)
            if existing is not None:
                return existing, False
            council = await session.councils.create(
                chat_id, title, "K-" + new_join_code()[:8], language, user_id, now
            )
            await audit(
                session, now, user_id, "council.registered", None, ("council", council.id), chat_id
            )
            return council, True

    async def shared_with(self, board_id: int) -> CouncilRecord | None:
        async with self._db.read() as session:
            return await session.councils.council_of(board_id)

    async def share(
        self, user_id: int, board_id: int, code: str | None
    ) -> CouncilRecord | ShareRefusal | None:
        """Share the board's quarterly figures with the council of ``code``: that council. With
        ``code`` None: stop sharing (None)."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            board = await session.boards.get(board_id)
            if board is None or board.status != BoardStatus.ACTIVE:
                return ShareRefusal.BOARD_GONE
            if role_of(await session.boards.membership(board_id, user_id)) not in COORDINATORS:
                return ShareRefusal.NOT_A_COORDINATOR
            if code is None:
                stopped = await session.councils.unshare(board_id)
                action = "board.council_unshared"
                council = None
                if not stopped:
                    return ShareRefusal.NOT_SHARED
            else:
                council = await session.councils.by_code(code.strip())
                if council is None:
                    return ShareRefusal.NO_SUCH_COUNCIL
                await session.councils.share(board_id, council.id, user_id, now)
                action = "board.council_shared"
                await self._outbox.add(session, [self._next_quarter_row(council, now)], now)
            await audit(
                session,
                now,
                user_id,
                action,
                board_id,
                ("council", None if council is None else council.id),
            )
        return council

    def _next_quarter_row(self, council: CouncilRecord, now: datetime) -> NewOutboxItem:
        """The task for the quarter under way, due when it ends (one per council and quarter)."""
        zone = self._settings.for_no_board().timezone
        year, quarter = quarter_of(now.astimezone(zone).date())
        return self._quarter_row(council, year, quarter)

    def _quarter_row(self, council: CouncilRecord, year: int, quarter: int) -> NewOutboxItem:
        zone = self._settings.for_no_board().timezone
        after = quarter_start(*next_quarter(year, quarter))
        return NewOutboxItem(
            chat_id=0,
            kind=COUNCIL_QUARTER,
            subject_type="council",
            subject_id=str(council.id),
            payload=CouncilQuarter(council.id, year, quarter).payload(),
            due_at=datetime.combine(after, REPORT_AT, tzinfo=zone),
            dedupe_key=f"councilq:{council.id}:{year}Q{quarter}",
        )

    def tasks(self) -> dict[str, Task]:
        return dict([CouncilQuarter.task(self.run_quarter)])

    async def run_quarter(self, due: CouncilQuarter) -> datetime | None:
        """The quarter has ended: queue its four posts (if any board shares) and plan the next."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            council = await session.councils.get(due.council_id)
            if council is None:
                return None
            boards = await session.councils.boards_of(council.id)
            if not boards:
                return None  # nobody shares any more: sharing again plans the next quarter
            key = f"council:{council.id}:{due.year}Q{due.quarter}"
            found = await council_report(
                session, self._settings, council.id, due.year, due.quarter, now
            )
            # the table is worked out once, here: the four posts carry the same cells
            posted = {} if found is None else CouncilPost.of(found).payload()
            items = [
                NewOutboxItem(
                    chat_id=council.chat_id,
                    kind=kind,
                    subject_type="council",
                    subject_id=str(council.id),
                    payload=posted,
                    due_at=now,
                    dedupe_key=f"{key}:{kind}",
                )
                for kind in (COUNCIL_POSTS if found is not None else ())
            ]
            year, quarter = next_quarter(due.year, due.quarter)
            items.append(self._quarter_row(council, year, quarter))
            await self._outbox.add(session, items, now)
        return None


async def council_report(
    session: Session,
    settings: BoardSettingsService,
    council_id: int,
    year: int,
    quarter: int,
    now: datetime,
) -> CouncilReport | None:
    """The council's table for a quarter, recomputed from the database when it is posted (a
    past quarter: the same figures each time)."""
    council = await session.councils.get(council_id)
    if council is None:
        return None
    zone = settings.for_no_board().timezone
    start = datetime.combine(quarter_start(year, quarter), time(0), tzinfo=zone)
    end = datetime.combine(quarter_start(*next_quarter(year, quarter)), time(0), tzinfo=zone)
    today = now.astimezone(zone).date()
    titles: list[str] = []
    per_board: list[Figures] = []
    together = BoardFacts([], [], [], [])
    minimum = 0
    for board_id in await session.councils.boards_of(council.id):
        board = await session.boards.get(board_id)
        if board is None:
            continue
        board_settings = await settings.get(session, board_id)
        facts = await board_facts(session, board_id, now, board_settings)
        titles.append(board.title)
        per_board.append(
            figures(
                facts.cases, facts.actions, facts.concerns, start, today, end, facts.supervisions
            )
        )
        together.cases.extend(facts.cases)
        together.actions.extend(facts.actions)
        together.concerns.extend(facts.concerns)
        together.supervisions.extend(facts.supervisions)
        minimum = max(minimum, board_settings.stats_min_count)
    if not titles:
        return None
    across = figures(
        together.cases,
        together.actions,
        together.concerns,
        start,
        today,
        end,
        together.supervisions,
    )
    return CouncilReport(
        council=council,
        year=year,
        quarter=quarter,
        titles=tuple(titles),
        across=across,
        table=council_table(titles, per_board, across, minimum),
        minimum=minimum,
    )
