"""What a council's chat receives each quarter, worded at send time in the council's language:
the table as a message, the same table as CSV and .xlsx (headers in the reader's language), and
one chart across the boards. All four are drawn from one suppressed table (bot.stats.table):
counts, "<5" and "…", never a case code, a name or a case's title."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable

from bot.kernel.i18n import Translator
from bot.kernel.outbox import Document, Renderer
from bot.kernel.text import spreadsheet_safe
from bot.kernel.ui import Reply
from bot.stats.charts import Bars, draw
from bot.stats.council import (
    COUNCIL_CHART,
    COUNCIL_CSV,
    COUNCIL_TABLE,
    COUNCIL_XLSX,
    CouncilPost,
)
from bot.stats.table import Row, Table
from storage import Session
from storage.models import OutboxItem


def table_rows(
    table: Table, words: Callable[[str], str], all_boards: str, figure: str
) -> list[list[str]]:
    """The table as rows of text: a header, then one row per figure."""
    rows = [[figure, *table.columns, all_boards]]
    rows += [[words(row.key), *row.cells] for row in table.rows]
    return [[spreadsheet_safe(cell) for cell in row] for row in rows]  # a title "=…" is text


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


def build_council_renderers(i18n: Translator) -> dict[str, Renderer]:
    """The four posts, each from its row's payload alone (the table the quarter's task worked
    out once), so none can show what another hides, and no database read is needed."""
    t = i18n

    def heading(post: CouncilPost) -> str:
        return str(
            t.t(
                post.language,
                "council.title",
                quarter=post.quarter,
                year=post.year,
                boards=len(post.boards),
            )
        )

    def rows_of(post: CouncilPost) -> list[list[str]]:
        lang = post.language
        table = Table(post.boards, tuple(Row(key, cells) for key, cells in post.rows))
        return table_rows(
            table,
            lambda key: str(t.t(lang, key)),
            str(t.t(lang, "council.all_boards")),
            str(t.t(lang, "council.figure")),
        )

    async def message(item: OutboxItem, session: Session) -> Reply | None:
        post = CouncilPost.read(item.payload)
        if post is None:
            return None
        lang = post.language
        lines = [heading(post)]
        lines += [
            t.t(lang, "council.board_line", number=i + 1, board=title)
            for i, title in enumerate(post.boards)
        ]
        lines.append("")
        for key, cells in post.rows:
            numbered = " · ".join(f"№{i + 1} {cell}" for i, cell in enumerate(cells[:-1]))
            lines.append(
                t.t(lang, "council.row", figure=t.t(lang, key), cells=numbered, all=cells[-1])
            )
        if not post.rows:
            lines.append(t.t(lang, "council.nothing"))
        lines += ["", t.t(lang, "stats.legend", minimum=post.minimum)]
        return Reply("\n".join(str(line) for line in lines))

    async def csv_file(item: OutboxItem, session: Session) -> Document | None:
        post = CouncilPost.read(item.payload)
        if post is None:
            return None
        name = f"council-{post.year}-Q{post.quarter}.csv"
        return Document(name, csv_bytes(rows_of(post)), Reply(heading(post)))

    async def xlsx_file(item: OutboxItem, session: Session) -> Document | None:
        post = CouncilPost.read(item.payload)
        if post is None:
            return None
        name = f"council-{post.year}-Q{post.quarter}.xlsx"
        content = xlsx_bytes(rows_of(post), f"{post.year} Q{post.quarter}")
        return Document(name, content, Reply(heading(post)))

    async def chart(item: OutboxItem, session: Session) -> Document | None:
        """The criteria across every sharing board: only cells the table shows as numbers."""
        post = CouncilPost.read(item.payload)
        if post is None:
            return None
        lang = post.language
        bars = tuple(
            (str(t.t(lang, key)), int(cells[-1]))
            for key, cells in post.rows
            if key.startswith("criterion.") and cells[-1].isdigit()
        )
        if not bars:
            return None
        title = str(t.t(lang, "council.chart", quarter=post.quarter, year=post.year))
        png = await asyncio.to_thread(draw, Bars(title, bars))
        return Document(f"council-{post.year}-Q{post.quarter}.png", png, Reply(title), photo=True)

    return {
        COUNCIL_TABLE: message,
        COUNCIL_CSV: csv_file,
        COUNCIL_XLSX: xlsx_file,
        COUNCIL_CHART: chart,
    }
