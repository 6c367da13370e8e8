"""The council's table (bot.stats.table): a board's hidden cell is never given away by the
"all boards" column, nor the "all boards" column's own by its total."""

from __future__ import annotations

from datetime import date

from bot.stats.rules import ActionFacts, CaseFacts, ConcernFacts, figures
from bot.stats.table import council_table
from tests.kit.stats import T0, a_case


def board(stalling: int, others: int) -> list[CaseFacts]:
    return [a_case(criteria=("multiple_risks", "stalls")) for _ in range(stalling)] + [
        a_case() for _ in range(others)
    ]


def row(table: object, key: str) -> tuple[str, ...]:
    return next(r.cells for r in table.rows if r.key == key)  # type: ignore[attr-defined]


def test_a_small_cell_of_one_board_hides_the_all_boards_cell() -> None:
    """Board A: 7 cases stall; board B: 2. "All boards: 9" minus A's 7 would give B's 2."""
    a, b = board(7, 7), board(2, 8)
    no_actions: list[ActionFacts] = []
    no_concerns: list[ConcernFacts] = []
    fa = figures(a, no_actions, no_concerns, None, date(2026, 12, 1))
    fb = figures(b, no_actions, no_concerns, None, date(2026, 12, 1))
    fall = figures(a + b, no_actions, no_concerns, None, date(2026, 12, 1))
    table = council_table(["A", "B"], [fa, fb], fall, 5)
    assert row(table, "criterion.stalls") == ("7", "<5", "…")
    assert row(table, "criterion.multiple_risks") == ("14", "10", "24")
    assert row(table, "stats.table.raised") == ("14", "10", "24")


def test_two_hidden_cells_that_reach_the_minimum_leave_the_total_shown() -> None:
    """A: 3 and B: 4 stall, both hidden; together 7: "all boards: 7" gives neither away."""
    fa = figures(board(3, 7), [], [], None, date(2026, 12, 1))
    fb = figures(board(4, 6), [], [], None, date(2026, 12, 1))
    fall = figures(board(3, 7) + board(4, 6), [], [], None, date(2026, 12, 1))
    table = council_table(["A", "B"], [fa, fb], fall, 5)
    assert row(table, "criterion.stalls") == ("<5", "<5", "7")


def test_the_all_boards_outcomes_are_closed_under_their_own_total() -> None:
    """Closed cases: A 6 in school + 1 worse, B 6 in school. A's 1 hides; "all: 1 worse" is
    small itself; so "all: 12 in school" is hidden too, or "closed 13" minus 12 gives it."""

    def closed(closing: str) -> CaseFacts:
        return a_case(status="closed", closed_at=T0, closing=closing)

    a = [closed("in_school") for _ in range(6)] + [closed("worse")]
    b = [closed("in_school") for _ in range(6)]
    fa, fb = (figures(x, [], [], None, date(2026, 12, 1)) for x in (a, b))
    fall = figures(a + b, [], [], None, date(2026, 12, 1))
    table = council_table(["A", "B"], [fa, fb], fall, 5)
    assert row(table, "closing.worse") == ("<5", "0", "<5")
    assert row(table, "closing.in_school")[2] == "…"
    assert row(table, "stats.table.closed") == ("7", "6", "13")
