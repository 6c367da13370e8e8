"""What the board learns from its cases: the figures of a period, and small counts suppressed.

The source documents ask for "policy based on data": which cases are difficult and why, where
cooperation breaks, which interventions work. Every figure here is a plain function of plain
facts (no Telegram, no SQL), so each is tested on a board whose cases are known.

Suppression: a published count below the board's minimum (default 5) shows as "<5". Where cells
add up to a total that is also shown (a partition: lead sectors, outcomes, actions by sector),
the hidden cells' sum is known, so the smallest other cells are hidden too ("…") until that sum
says nothing about any one of them (:func:`pool_is_safe`). Where a case can fall
in several cells (criteria, factors), a cell is also hidden when the cases outside it are few:
"11 of 12 cases" says which one case lacks it.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from storage.models import ActionStatus, CaseStatus


class Period(StrEnum):
    """This quarter, this year, all time."""

    QUARTER = "quarter"
    YEAR = "year"
    ALL = "all"


PERIODS = tuple(Period)


MIN_COUNT = 5
"""The default smallest count a figure shows (the board setting ``stats_min_count``)."""


HIDDEN_SMALL = "small"
"""A cell below the minimum: shown as "<5"."""


HIDDEN_COMPLEMENT = "complement"
"""A cell hidden only so that a total cannot reveal a small one: shown as "…"."""


# the facts ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CaseEvent:
    at: datetime
    kind: str
    detail: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """One case as the statistics see it: never its label, summary or people."""

    raised_at: datetime
    criteria: tuple[str, ...]
    factors: tuple[str, ...]
    lead_sector: str
    status: str
    first_supervision_at: datetime | None = None
    first_decision_at: datetime | None = None
    closed_at: datetime | None = None
    closing: str | None = None
    moves: int = 0
    carousel: bool = False
    stalled: bool = False
    strengths: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    child_view: str = ""
    interventions: tuple[tuple[str, str], ...] = ()
    successes: tuple[datetime, ...] = ()
    """When each small success was written down."""


def case_facts(
    *,
    raised_at: datetime,
    criteria: tuple[str, ...],
    factors: tuple[str, ...],
    lead_sector: str,
    status: str,
    carousel: bool,
    stalled: bool,
    events: Iterable[CaseEvent],
    strengths: tuple[str, ...] = (),
    needs: tuple[str, ...] = (),
    child_view: str = "",
    interventions: tuple[tuple[str, str], ...] = (),
) -> CaseFacts:
    """A case's milestones from its timeline: the first supervision (the move to "in
    supervision"), the first accepted decision, and its last closing with the outcome."""
    supervision = decision = closed = None
    closing = None
    moves = 0
    successes: list[datetime] = []
    for event in sorted(events, key=lambda e: e.at):
        if event.kind == "success":
            successes.append(event.at)
        if event.kind == "status" and event.detail.get("to") == CaseStatus.IN_SUPERVISION:
            supervision = supervision or event.at
        elif event.kind == "proposal_closed" and event.detail.get("outcome") == "accepted":
            decision = decision or event.at
        elif event.kind == "status" and event.detail.get("to") == CaseStatus.CLOSED:
            closed, closing = event.at, event.detail.get("closing")
        elif event.kind == "status" and event.detail.get("to") == CaseStatus.REOPENED:
            closed, closing = None, None
        elif event.kind == "transfer":
            moves += 1
    return CaseFacts(
        raised_at=raised_at,
        criteria=criteria,
        factors=factors,
        lead_sector=lead_sector,
        status=status,
        first_supervision_at=supervision,
        first_decision_at=decision,
        closed_at=closed if status == CaseStatus.CLOSED else None,
        closing=str(closing) if closing and status == CaseStatus.CLOSED else None,
        moves=moves,
        carousel=carousel,
        stalled=stalled,
        strengths=strengths,
        needs=needs,
        child_view=child_view,
        interventions=interventions,
        successes=tuple(successes),
    )


@dataclass(frozen=True, slots=True)
class ActionFacts:
    sector: str | None
    """The owner's sector; None while no one owns it."""
    due_on: date | None
    status: str
    done_on: date | None
    """The board's day the action was marked done."""


@dataclass(frozen=True, slots=True)
class ConcernFacts:
    kind: str
    raised_at: datetime


@dataclass(frozen=True, slots=True)
class SupervisionFacts:
    """A supervision that took place (its attendance recorded) and the sectors that came."""

    at: datetime
    sectors: frozenset[str]


# the period ---------------------------------------------------------------------------------------
def period_start(period: str, today: date) -> date | None:
    """The first day of this quarter, this year, or None for all time."""
    if period == "quarter":
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    if period == "year":
        return date(today.year, 1, 1)
    return None


def within(moment: datetime | None, start: datetime | None, end: datetime | None = None) -> bool:
    """In [start, end): None for either bound is open."""
    return (
        moment is not None and (start is None or moment >= start) and (end is None or moment < end)
    )


def quarter_of(day: date) -> tuple[int, int]:
    """(year, quarter 1–4)."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * (quarter - 1) + 1, 1)


def next_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


# the figures --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Durations:
    """Days from raising to a step, over the cases that reached it."""

    count: int
    median: float | None
    low: int | None
    high: int | None


def durations(days: Sequence[int]) -> Durations:
    if not days:
        return Durations(0, None, None, None)
    return Durations(len(days), statistics.median(days), min(days), max(days))


@dataclass(frozen=True, slots=True)
class ActionCounts:
    on_time: int = 0
    late: int = 0
    overdue: int = 0


@dataclass(frozen=True, slots=True)
class Figures:
    raised: int
    closed: int
    open_now: int
    criteria: dict[str, int]
    factors: dict[str, int]
    lead_sectors: dict[str, int]
    to_supervision: Durations
    to_decision: Durations
    to_closure: Durations
    moves: int
    carousel: int
    stalled: int
    actions: dict[str, ActionCounts]
    concerns: dict[str, int]
    outcomes: dict[str, int]
    outcomes_by_criterion: dict[str, dict[str, int]] = field(default_factory=dict)
    strengths: dict[str, int] = field(default_factory=dict)
    needs: dict[str, int] = field(default_factory=dict)
    child_view: dict[str, int] = field(default_factory=dict)
    """Cases raised in the period by whether the child was heard ("" for not recorded)."""
    interventions: dict[str, dict[str, int]] = field(default_factory=dict)
    """Per intervention, over cases raised in the period: how often it helped, partly, not."""
    successes: int = 0
    supervisions: int = 0
    """Supervisions held in the period (their attendance recorded)."""
    sector_presence: dict[str, int] = field(default_factory=dict)
    """Per sector, at how many of those supervisions someone from it was present."""
    decision_days: tuple[int, ...] = ()
    """Days from raising to the first accepted decision, one per case that reached it (for the
    distribution chart, which suppresses its own small weeks)."""


OPEN = frozenset(
    {"raised", "accepted", "in_supervision", "plan_agreed", "monitoring", "review_due", "reopened"}
)


def _days(start: datetime, end: datetime | None) -> int | None:
    return None if end is None else max((end - start) // timedelta(days=1), 0)


def figures(
    cases: Sequence[CaseFacts],
    actions: Sequence[ActionFacts],
    concerns: Sequence[ConcernFacts],
    start: datetime | None,
    today: date,
    end: datetime | None = None,
    supervisions: Sequence[SupervisionFacts] = (),
) -> Figures:
    """The period's figures. Cases raised in the period give the criteria, factors, lead
    sectors and the times to each step; cases closed in it give the outcomes; actions due in
    it give on time, late and overdue; what is open or stalled is counted as of now."""
    raised = [c for c in cases if within(c.raised_at, start, end)]
    closed = [c for c in cases if within(c.closed_at, start, end)]
    day_start = None if start is None else start.date()
    day_end = None if end is None else end.date()

    def reached(step: str) -> list[int]:
        out = []
        for case in raised:
            days = _days(case.raised_at, getattr(case, step))
            if days is not None:
                out.append(days)
        return out

    by_sector: dict[str, Counter[str]] = {}
    for action in actions:
        if (
            action.due_on is None
            or action.status == ActionStatus.CANCELLED
            or action.sector is None
        ):
            continue
        if day_start is not None and action.due_on < day_start:
            continue
        if day_end is not None and action.due_on >= day_end:
            continue
        if action.status == ActionStatus.DONE and action.done_on is not None:
            kind = "on_time" if action.done_on <= action.due_on else "late"
        elif action.due_on < today:
            kind = "overdue"
        else:
            continue  # not due yet
        by_sector.setdefault(action.sector, Counter())[kind] += 1
    decision_days = reached("first_decision_at")
    held = [s for s in supervisions if within(s.at, start, end)]
    tried: dict[str, Counter[str]] = {}
    for case in raised:
        for intervention, result in case.interventions:
            tried.setdefault(intervention, Counter())[result] += 1
    by_criterion: dict[str, Counter[str]] = {}
    for case in closed:
        for criterion in case.criteria:
            by_criterion.setdefault(criterion, Counter())[case.closing or "other"] += 1
    return Figures(
        raised=len(raised),
        closed=len(closed),
        open_now=sum(1 for c in cases if c.status in OPEN),
        criteria=dict(Counter(c for case in raised for c in case.criteria)),
        factors=dict(Counter(f for case in raised for f in case.factors)),
        lead_sectors=dict(Counter(case.lead_sector for case in raised)),
        to_supervision=durations(reached("first_supervision_at")),
        to_decision=durations(decision_days),
        to_closure=durations(reached("closed_at")),
        moves=sum(c.moves for c in raised),
        carousel=sum(1 for c in raised if c.carousel),
        stalled=sum(1 for c in cases if c.stalled and c.status in OPEN),
        actions={
            sector: ActionCounts(n["on_time"], n["late"], n["overdue"])
            for sector, n in by_sector.items()
        },
        concerns=dict(Counter(c.kind for c in concerns if within(c.raised_at, start, end))),
        outcomes=dict(Counter(case.closing or "other" for case in closed)),
        outcomes_by_criterion={k: dict(v) for k, v in by_criterion.items()},
        strengths=dict(Counter(k for case in raised for k in case.strengths)),
        needs=dict(Counter(k for case in raised for k in case.needs)),
        child_view=dict(Counter(case.child_view for case in raised)),
        interventions={k: dict(v) for k, v in tried.items()},
        successes=sum(1 for c in cases for at in c.successes if within(at, start, end)),
        decision_days=tuple(sorted(decision_days)),
        supervisions=len(held),
        sector_presence=dict(Counter(sector for s in held for sector in s.sectors)),
    )


# suppression --------------------------------------------------------------------------------------
def pool_is_safe(small: int, complement: int, pooled: int, minimum: int) -> bool:
    """Whether hidden cells whose sum the reader knows (a total minus the shown cells) still
    tell nothing more than their marks: each "<5" could be anything from 1 to minimum - 1, and
    each "…" (known to be at least the minimum) takes more than one value.

    Two hidden cells or more; the sum large enough that every small cell can be as large as
    minimum - 1 while the others are as small as they can be; and, with only small cells
    hidden (each at most minimum - 1), small enough that each can be as small as 1."""
    if small + complement < 2:
        return False
    if pooled < small + complement * minimum + minimum - 2:
        return False
    return complement >= 1 or pooled <= (small - 1) * (minimum - 1) + 1


def hidden_in_partition(cells: Mapping[str, int], minimum: int) -> dict[str, str]:
    """Which cells of a partition (cells that add up to a shown total) to hide, and why.

    Every cell from 1 to ``minimum - 1`` is hidden ("<5"); then, while the hidden ones could be
    worked out from the total (:func:`pool_is_safe`), the smallest shown cell is hidden with
    them ("…")."""
    hidden = {k: HIDDEN_SMALL for k, n in cells.items() if 0 < n < minimum}

    def safe() -> bool:
        small = sum(1 for why in hidden.values() if why == HIDDEN_SMALL)
        pooled = sum(cells[k] for k in hidden)
        return pool_is_safe(small, len(hidden) - small, pooled, minimum)

    while hidden and not safe():
        shown = [k for k, n in cells.items() if n > 0 and k not in hidden]
        if not shown:
            break
        hidden[min(shown, key=lambda k: (cells[k], k))] = HIDDEN_COMPLEMENT
    return hidden


def hidden_in_overlap(cells: Mapping[str, int], total: int, minimum: int) -> dict[str, str]:
    """Cells a case may share with others (criteria, factors): a cell is hidden when it is
    small or when the cases outside it are ("all but 2" points at two cases)."""
    hidden: dict[str, str] = {}
    for key, n in cells.items():
        if 0 < n < minimum:
            hidden[key] = HIDDEN_SMALL
        elif 0 < total - n < minimum:
            hidden[key] = HIDDEN_COMPLEMENT
    return hidden


def total_hidden(total: int, minimum: int) -> bool:
    return 0 < total < minimum


def shown(n: int, reason: str | None, minimum: int) -> str:
    """A count as published: the number, "<5", or "…"."""
    if reason == HIDDEN_SMALL:
        return f"<{minimum}"
    if reason == HIDDEN_COMPLEMENT:
        return "…"
    return str(n)


def shown_count(n: int, minimum: int) -> str:
    """A count that stands alone."""
    return shown(n, HIDDEN_SMALL if total_hidden(n, minimum) else None, minimum)


def shown_durations(d: Durations, minimum: int) -> Durations | None:
    """A median and range only over enough cases: the low and the high are single cases."""
    return d if d.count >= minimum else None
