"""The board's figures (bot.stats.rules) on boards whose cases are known, and suppression on
tables where a naive total would give a hidden cell away."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.stats.rules import (
    HIDDEN_COMPLEMENT,
    HIDDEN_SMALL,
    ActionFacts,
    CaseEvent,
    ConcernFacts,
    SupervisionFacts,
    case_facts,
    durations,
    figures,
    hidden_in_overlap,
    hidden_in_partition,
    period_start,
    pool_is_safe,
    shown,
    shown_count,
)
from tests.kit.stats import T0, a_case


def day(n: int) -> datetime:
    return T0 + timedelta(days=n)


def test_a_cases_milestones_come_from_its_timeline() -> None:
    events = [
        CaseEvent(day(3), "status", {"from": "raised", "to": "accepted"}),
        CaseEvent(day(10), "status", {"to": "in_supervision"}),
        CaseEvent(day(12), "proposal_closed", {"outcome": "rejected"}),
        CaseEvent(day(20), "proposal_closed", {"outcome": "accepted"}),
        CaseEvent(day(25), "transfer", {}),
        CaseEvent(day(40), "status", {"to": "closed", "closing": "worse"}),
        CaseEvent(day(41), "status", {"to": "reopened"}),
        CaseEvent(day(50), "status", {"to": "in_supervision"}),
        CaseEvent(day(60), "status", {"to": "closed", "closing": "in_school"}),
    ]
    facts = case_facts(
        raised_at=T0,
        criteria=("stalls",),
        factors=("child.trauma",),
        lead_sector="social",
        status="closed",
        carousel=False,
        stalled=False,
        events=reversed(events),  # the order they arrive in does not matter
    )
    assert facts.first_supervision_at == day(10)
    assert facts.first_decision_at == day(20)
    assert (facts.closed_at, facts.closing) == (day(60), "in_school")  # the last closing counts
    assert facts.moves == 1


def test_a_reopened_case_is_not_closed() -> None:
    events = [
        CaseEvent(day(5), "status", {"to": "closed", "closing": "improved"}),
        CaseEvent(day(6), "status", {"to": "reopened"}),
    ]
    facts = case_facts(
        raised_at=T0,
        criteria=(),
        factors=(),
        lead_sector="social",
        status="reopened",
        carousel=False,
        stalled=False,
        events=events,
    )
    assert facts.closed_at is None and facts.closing is None


def test_the_figures_of_a_board_with_known_cases() -> None:
    cases = [
        a_case(
            criteria=("multiple_risks", "stalls"),
            factors=("child.trauma",),
            first_supervision_at=day(10),
            first_decision_at=day(14),
            closed_at=day(30),
            closing="in_school",
            status="closed",
        ),
        a_case(first_supervision_at=day(4), moves=2, carousel=True),
        a_case(lead_sector="social", first_supervision_at=day(7), stalled=True),
        a_case(raised_at=day(-200), lead_sector="health", status="closed", closed_at=day(-100)),
    ]
    actions = [
        ActionFacts("education", date(2026, 10, 10), "done", date(2026, 10, 9)),  # on time
        ActionFacts("education", date(2026, 10, 10), "done", date(2026, 10, 12)),  # late
        ActionFacts("social", date(2026, 10, 20), "open", None),  # overdue on 1.11
        ActionFacts("social", date(2026, 12, 20), "open", None),  # not due yet
        ActionFacts(None, date(2026, 10, 5), "open", None),  # no owner: not counted by sector
        ActionFacts("health", date(2026, 3, 1), "done", date(2026, 3, 1)),  # before the period
    ]
    concerns = [ConcernFacts("no_response", day(2)), ConcernFacts("risk", day(-300))]
    start = datetime(2026, 10, 1, tzinfo=UTC)
    f = figures(cases, actions, concerns, start, date(2026, 11, 1))
    assert (f.raised, f.closed, f.open_now) == (3, 1, 2)
    assert f.criteria == {"multiple_risks": 3, "stalls": 1}
    assert f.factors == {"child.trauma": 1}
    assert f.lead_sectors == {"education": 2, "social": 1}
    assert (f.to_supervision.count, f.to_supervision.median) == (3, 7)
    assert (f.to_supervision.low, f.to_supervision.high) == (4, 10)
    assert (f.to_decision.count, f.to_decision.median) == (1, 14)
    assert (f.to_closure.count, f.to_closure.median) == (1, 30)
    assert (f.moves, f.carousel, f.stalled) == (2, 1, 1)
    assert f.actions["education"].on_time == 1 and f.actions["education"].late == 1
    assert f.actions["social"].overdue == 1 and "health" not in f.actions
    assert f.concerns == {"no_response": 1}
    assert f.outcomes == {"in_school": 1}
    assert f.outcomes_by_criterion == {
        "multiple_risks": {"in_school": 1},
        "stalls": {"in_school": 1},
    }
    everything = figures(cases, actions, concerns, None, date(2026, 11, 1))
    assert everything.raised == 4 and everything.closed == 2 and everything.concerns["risk"] == 1


def test_periods_start_on_the_quarter_and_the_year() -> None:
    assert period_start("quarter", date(2026, 12, 3)) == date(2026, 10, 1)
    assert period_start("quarter", date(2026, 3, 31)) == date(2026, 1, 1)
    assert period_start("year", date(2026, 12, 3)) == date(2026, 1, 1)
    assert period_start("all", date(2026, 12, 3)) is None


def test_a_median_of_an_even_count_and_no_cases() -> None:
    assert durations([1, 2, 3, 10]).median == 2.5
    assert durations([]).median is None


def test_one_small_cell_takes_the_next_smallest_with_it() -> None:
    """Lead sectors 12 + 7 + 2 = 21, total shown: hiding only the 2 gives it away as 21-12-7."""
    cells = {"education": 12, "social": 7, "health": 2}
    hidden = hidden_in_partition(cells, 5)
    assert hidden == {"health": HIDDEN_SMALL, "social": HIDDEN_COMPLEMENT}
    assert [shown(n, hidden.get(k), 5) for k, n in cells.items()] == ["12", "…", "<5"]


def test_two_small_cells_that_add_up_to_less_than_the_minimum_take_a_third() -> None:
    """1 + 2 = 3 hidden under a total: "the other two add up to 3" is still a small count; with
    the 6 hidden too, 1 + 2 + 6 = 9 and "…" ≥ 5 leave "<5" + "<5" ≤ 4: each at most 3, which
    says more than "<5"; so the 20 goes as well."""
    hidden = hidden_in_partition({"a": 20, "b": 6, "c": 1, "d": 2}, 5)
    assert set(hidden) == {"a", "b", "c", "d"}


def test_a_small_cell_and_one_just_over_the_minimum_are_not_enough() -> None:
    """Outcomes 1, 5 and 20 under a shown total of 26: hiding the 1 and the 5 ("<5", "…")
    leaves 26 - 20 = 6, and "…" ≥ 5 makes the "<5" a 1. The 20 must go too."""
    hidden = hidden_in_partition({"in_school": 1, "in_family": 5, "improved": 20}, 5)
    assert set(hidden) == {"in_school", "in_family", "improved"}
    safe = hidden_in_partition({"in_school": 1, "in_family": 5, "improved": 9, "worse": 30}, 5)
    assert set(safe) == {"in_school", "in_family", "improved"}  # 15: "<5" anywhere in 1..4


def test_no_small_cell_hides_nothing() -> None:
    assert hidden_in_partition({"a": 5, "b": 9, "c": 0}, 5) == {}


def test_a_shared_cell_is_hidden_when_the_cases_outside_it_are_few() -> None:
    """12 cases, 11 with "multiple risks": the one without is singled out."""
    hidden = hidden_in_overlap({"multiple_risks": 11, "stalls": 3, "many_resources": 6}, 12, 5)
    assert hidden == {"multiple_risks": HIDDEN_COMPLEMENT, "stalls": HIDDEN_SMALL}


def test_a_lone_count_below_the_minimum_reads_less_than() -> None:
    assert [shown_count(n, 5) for n in (0, 1, 4, 5)] == ["0", "<5", "<5", "5"]


@given(st.dictionaries(st.sampled_from("abcdefgh"), st.integers(min_value=0, max_value=30)))
def test_no_hidden_cell_can_be_worked_out_from_the_total(cells: dict[str, int]) -> None:
    minimum = 5
    hidden = hidden_in_partition(cells, minimum)
    assert all(0 < cells[k] < minimum for k, why in hidden.items() if why == HIDDEN_SMALL)
    assert all(k in hidden for k, n in cells.items() if 0 < n < minimum)
    if hidden:
        pooled = sum(cells[k] for k in hidden)
        # the total minus the shown cells is the pool: never one cell, never a small count,
        # unless nothing was left to hide alongside
        left = [k for k, n in cells.items() if n > 0 and k not in hidden]
        small = sum(1 for why in hidden.values() if why == HIDDEN_SMALL)
        assert pool_is_safe(small, len(hidden) - small, pooled, minimum) or not left


def test_strengths_needs_the_childs_view_and_what_helped_are_counted() -> None:
    cases = [
        a_case(
            strengths=("trusted_adult",),
            needs=("housing", "income"),
            child_view="yes",
            interventions=(("mediator", "helped"),),
            successes=(day(3), day(-400)),
        ),
        a_case(needs=("housing",), interventions=(("mediator", "not"),)),
    ]
    f = figures(cases, [], [], T0, date(2026, 11, 1))
    assert f.strengths == {"trusted_adult": 1} and f.needs == {"housing": 2, "income": 1}
    assert f.child_view == {"yes": 1, "": 1}
    assert f.interventions == {"mediator": {"helped": 1, "not": 1}}
    assert f.successes == 1  # the one before the period is not counted


def test_successes_come_from_the_timeline() -> None:
    facts = case_facts(
        raised_at=T0,
        criteria=(),
        factors=(),
        lead_sector="social",
        status="accepted",
        carousel=False,
        stalled=False,
        events=[CaseEvent(day(2), "success", {"note": 1}), CaseEvent(day(4), "success", {})],
        interventions=(("mediator", "partly"),),
    )
    assert facts.successes == (day(2), day(4)) and facts.interventions == (("mediator", "partly"),)


def test_sectors_present_at_supervisions_count_each_meeting_once() -> None:
    held = [
        SupervisionFacts(day(5), frozenset({"education", "social"})),
        SupervisionFacts(day(20), frozenset({"education"})),
        SupervisionFacts(day(-100), frozenset({"health"})),  # before the period
    ]
    f = figures([], [], [], T0, date(2026, 11, 1), supervisions=held)
    assert f.supervisions == 2 and f.sector_presence == {"education": 2, "social": 1}


@given(st.integers(0, 4), st.integers(0, 4), st.integers(0, 80))
def test_a_safe_pool_leaves_every_small_cell_anywhere_from_1_to_4(
    small: int, complement: int, pooled: int
) -> None:
    """Brute force over what the reader could try: if the pool is called safe, each "<5" cell
    can really be each of 1..4 with the others within their marks, summing to the pool."""
    from itertools import product

    if not pool_is_safe(small, complement, pooled, 5) or small == 0:
        return
    for value in range(1, 5):
        rest = pooled - value
        fits = any(
            sum(others) <= rest
            and (complement > 0 or sum(others) == rest)
            and rest - sum(others) >= 5 * complement
            for others in product(range(1, 5), repeat=small - 1)
        )
        assert fits, (small, complement, pooled, value)
