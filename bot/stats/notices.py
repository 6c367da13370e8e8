"""What a council's chat receives each quarter, worded at send time in the council's language:
the table as a message, the same table as CSV and .xlsx (headers in the reader's language), and
one chart across the boards. All four are drawn from one suppressed table (bot.stats.table):
counts, "<5" and "…", never a case code, a name or a case's title."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable

from bot.kernel.clock import Clock
from bot.kernel.i18n import Translator
from bot.kernel.outbox import Document, Renderer
from bot.kernel.settings import BoardSettingsService
from bot.kernel.ui import Reply
from bot.stats.charts import Bars, draw
from bot.stats.council import (
    COUNCIL_CHART,
    COUNCIL_CSV,
    COUNCIL_TABLE,
    COUNCIL_XLSX,
    CouncilReport,
    council_report,
)
from bot.stats.table import Table
from storage import Session
from storage.models import OutboxItem


def table_rows(
    table: Table, words: Callable[[str], str], all_boards: str, figure: str
) -> list[list[str]]:
    """The table as rows of text: a header, then one row per figure."""
    rows = [[figure, *table.columns, all_boards]]
    rows += [[words(row.key), *row.cells] for row in table.rows]
    return rows


def csv_bytes(rows: list[list[str]]) -> bytes:
    """UTF-8 with a byte-order mark, so a spreadsheet opens Cyrillic right."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows: list[list[str]], sheet: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    page = book.active
    assert page is not None
    page.title = sheet[:31]
    for row in rows:
        # counts as numbers, "<5" and "…" as text, so a spreadsheet can still add up
        page.append([int(cell) if cell.isdigit() else cell for cell in row])
    for cell in page[1]:
        cell.font = Font(bold=True)
    page.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_council_renderers(
    i18n: Translator, settings: BoardSettingsService, clock: Clock
) -> dict[str, Renderer]:
    t = i18n

    async def report(item: OutboxItem, session: Session) -> CouncilReport | None:
        payload = item.payload
        return await council_report(
            session,
            settings,
            int(payload.get("council_id", 0)),
            int(payload.get("year", 0)),
            int(payload.get("quarter", 0)),
            clock.now(),
        )

    def heading(found: CouncilReport) -> str:
        return str(
            t.t(
                found.council.language,
                "council.title",
                quarter=found.quarter,
                year=found.year,
                boards=len(found.titles),
            )
        )

    def rows_of(found: CouncilReport) -> list[list[str]]:
        lang = found.council.language
        return table_rows(
            found.table,
            lambda key: str(t.t(lang, key)),
            str(t.t(lang, "council.all_boards")),
            str(t.t(lang, "council.figure")),
        )

    async def message(item: OutboxItem, session: Session) -> Reply | None:
        found = await report(item, session)
        if found is None:
            return None
        lang = found.council.language
        lines = [heading(found)]
        lines += [
            t.t(lang, "council.board_line", number=i + 1, board=title)
            for i, title in enumerate(found.titles)
        ]
        lines.append("")
        for row in found.table.rows:
            cells = " · ".join(f"{i + 1}: {cell}" for i, cell in enumerate(row.cells[:-1]))
            lines.append(
                t.t(lang, "council.row", figure=t.t(lang, row.key), cells=cells, all=row.cells[-1])
            )
        if not found.table.rows:
            lines.append(t.t(lang, "council.nothing"))
        lines += ["", t.t(lang, "stats.legend", minimum=found.minimum)]
        return Reply("\n".join(str(line) for line in lines))

    async def csv_file(item: OutboxItem, session: Session) -> Document | None:
        found = await report(item, session)
        if found is None:
            return None
        name = f"council-{found.year}-Q{found.quarter}.csv"
        return Document(name, csv_bytes(rows_of(found)), Reply(heading(found)))

    async def xlsx_file(item: OutboxItem, session: Session) -> Document | None:
        found = await report(item, session)
        if found is None:
            return None
        name = f"council-{found.year}-Q{found.quarter}.xlsx"
        content = xlsx_bytes(rows_of(found), f"{found.year} Q{found.quarter}")
        return Document(name, content, Reply(heading(found)))

    async def chart(item: OutboxItem, session: Session) -> Document | None:
        """The criteria across every sharing board: only cells the table shows as numbers."""
        found = await report(item, session)
        if found is None:
            return None
        lang = found.council.language
        bars = tuple(
            (str(t.t(lang, row.key)), int(row.cells[-1]))
            for row in found.table.rows
            if row.key.startswith("criterion.") and row.cells[-1].isdigit()
        )
        if not bars:
            return None
        title = str(t.t(lang, "council.chart", quarter=found.quarter, year=found.year))
        png = await asyncio.to_thread(draw, Bars(title, bars))
        return Document(f"council-{found.year}-Q{found.quarter}.png", png, Reply(title), photo=True)

    return {
        COUNCIL_TABLE: message,
        COUNCIL_CSV: csv_file,
        COUNCIL_XLSX: xlsx_file,
        COUNCIL_CHART: chart,
    }
