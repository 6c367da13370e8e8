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


def test_two_hidden_cells_whose_sum_says_nothing_leave_the_total_shown() -> None:
    """A: 2 and B: 3 stall, both hidden; together 5: each could still be anything from 1 to 4.
    With 3 and 4 (7), each would have to be 3 or 4: then "all boards" is hidden too."""

    def table_for(first: int, second: int) -> object:
        fa = figures(board(first, 10 - first), [], [], None, date(2026, 12, 1))
        fb = figures(board(second, 10 - second), [], [], None, date(2026, 12, 1))
        fall = figures(
            board(first, 10 - first) + board(second, 10 - second), [], [], None, date(2026, 12, 1)
        )
        return council_table(["A", "B"], [fa, fb], fall, 5)

    assert row(table_for(2, 3), "criterion.stalls") == ("<5", "<5", "5")
    assert row(table_for(3, 4), "criterion.stalls") == ("<5", "<5", "…")


def test_an_all_boards_outcome_is_hidden_wherever_a_boards_is() -> None:
    """The review's case: A's outcomes 1, 5, 6, 20 and B's 1, 5, 0, 20. Were "all boards"
    shown for in service (6 + 0) it would take the rest away from its total; it is hidden
    wherever a board's cell is, and shown only as a sum of shown cells."""

    def closed(closing: str, n: int) -> list[CaseFacts]:
        return [a_case(status="closed", closed_at=T0, closing=closing) for _ in range(n)]

    a = closed("in_school", 1) + closed("in_family", 5) + closed("in_service", 6)
    a += closed("improved", 20)
    b = closed("in_school", 1) + closed("in_family", 5) + closed("improved", 20)
    fa, fb = (figures(x, [], [], None, date(2026, 12, 1)) for x in (a, b))
    fall = figures(a + b, [], [], None, date(2026, 12, 1))
    table = council_table(["A", "B"], [fa, fb], fall, 5)
    for key in ("closing.in_school", "closing.in_family", "closing.in_service", "closing.improved"):
        cells = row(table, key)
        if any(not cell.isdigit() for cell in cells[:2]):
            assert not cells[2].isdigit(), (key, cells)


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
