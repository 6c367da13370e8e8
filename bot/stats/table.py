"""The table a council receives: one column per sharing board and one across them, one row per
figure, every cell already suppressed. The text message, the CSV and the .xlsx are all drawn
from this one table, so none of them can show what another hides.

Within a column, cells are suppressed as in /stats (bot.stats.rules). Across columns, the
"all boards" cell is the sum of the boards' cells, so it is hidden where it would give a board's
hidden cell away by subtraction (:func:`_across_reason`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from bot.cases.rules import CLOSING_OUTCOMES, CRITERIA
from bot.stats.rules import (
    HIDDEN_COMPLEMENT,
    HIDDEN_SMALL,
    Figures,
    hidden_in_overlap,
    hidden_in_partition,
    pool_is_safe,
    shown,
)

CONCERN_KINDS = ("risk", "stalled", "disagreement", "no_response", "other")


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    """The row's catalog key (its words in the reader's language)."""
    cells: tuple[str, ...]
    """One per board, then "all boards": a number, "<5" or "…"."""


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    """The boards' titles (the last column, "all boards", is worded by the reader)."""
    rows: tuple[Row, ...]


def _section(
    cells_of: Callable[[Figures], Mapping[str, int]],
    keys: Sequence[str],
    key_of: Callable[[str], str],
    kind: str,
    total_of: Callable[[Figures], int],
) -> Callable[[Sequence[Figures], Figures, int], list[tuple[str, list[int], list[str | None]]]]:
    """Rows of one part of the table: each row's values per column and why each is hidden."""

    def rows(
        boards: Sequence[Figures], across: Figures, minimum: int
    ) -> list[tuple[str, list[int], list[str | None]]]:
        columns = [*boards, across]
        hidden: list[dict[str, str]] = []
        for f in columns:
            cells = cells_of(f)
            if kind == "partition":
                hidden.append(hidden_in_partition(cells, minimum))
            else:
                hidden.append(hidden_in_overlap(cells, total_of(f), minimum))
        out = []
        for key in keys:
            values = [cells_of(f).get(key, 0) for f in columns]
            reasons = [h.get(key) for h in hidden]
            out.append((key_of(key), values, reasons))
        return out

    return rows


def _count_row(
    key: str, value_of: Callable[[Figures], int]
) -> Callable[[Sequence[Figures], Figures, int], list[tuple[str, list[int], list[str | None]]]]:
    def rows(
        boards: Sequence[Figures], across: Figures, minimum: int
    ) -> list[tuple[str, list[int], list[str | None]]]:
        values = [value_of(f) for f in [*boards, across]]
        reasons = [HIDDEN_SMALL if 0 < v < minimum else None for v in values]
        return [(key, values, reasons)]

    return rows


SECTIONS = (
    ("count", _count_row("stats.table.raised", lambda f: f.raised)),
    ("count", _count_row("stats.table.closed", lambda f: f.closed)),
    (
        "overlap",
        _section(
            lambda f: f.criteria,
            CRITERIA,
            lambda k: f"criterion.{k}",
            "overlap",
            lambda f: f.raised,
        ),
    ),
    (
        "partition",
        _section(
            lambda f: f.outcomes,
            CLOSING_OUTCOMES,
            lambda k: f"closing.{k}",
            "partition",
            lambda f: f.closed,
        ),
    ),
    (
        "partition",
        _section(
            lambda f: f.concerns,
            CONCERN_KINDS,
            lambda k: f"escalation.kind.{k}",
            "partition",
            lambda f: sum(f.concerns.values()),
        ),
    ),
    ("count", _count_row("stats.table.moves", lambda f: f.moves)),
    ("count", _count_row("stats.table.carousel", lambda f: f.carousel)),
    ("count", _count_row("stats.table.successes", lambda f: f.successes)),
)


def _across_reason(
    values: list[int], reasons: list[str | None], minimum: int, kind: str
) -> str | None:
    """The "all boards" cell's reason to hide, given the boards' cells of its row.

    It is their sum: shown as it is when no board's cell is hidden (it then says nothing new).
    In a partition (outcomes, concerns) it is hidden whenever a board's cell is, since the
    "all boards" column has a known total of its own. Elsewhere it may stand when the hidden
    board cells it adds up are safe as a pool (:func:`pool_is_safe`)."""
    own = reasons[-1]
    hidden = [(v, r) for v, r in zip(values[:-1], reasons[:-1], strict=True) if r is not None]
    if own is not None or not hidden:
        return own
    if kind == "partition":
        return HIDDEN_COMPLEMENT
    small = sum(1 for _, r in hidden if r == HIDDEN_SMALL)
    pooled = sum(v for v, _ in hidden)
    if pool_is_safe(small, len(hidden) - small, pooled, minimum):
        return None
    return HIDDEN_COMPLEMENT


def council_table(
    titles: Sequence[str], boards: Sequence[Figures], across: Figures, minimum: int
) -> Table:
    """The table of ``boards`` (their figures, in ``titles`` order) and of all of them."""
    table: list[Row] = []
    for kind, section in SECTIONS:
        rows = section(boards, across, minimum)
        for _, values, reasons in rows:
            reasons[-1] = _across_reason(values, reasons, minimum, kind)
        for key, values, reasons in rows:
            if any(values):  # a row of zeros says nothing
                cells = tuple(shown(v, r, minimum) for v, r in zip(values, reasons, strict=True))
                table.append(Row(key, cells))
    return Table(tuple(titles), tuple(table))
