"""How /stats reads: one message per board and period, every count through suppression.

Only counts, medians and ranges: no case code, no name. A count below the board's minimum shows
as "<5"; one hidden only so that a total cannot give a small one away shows as "…".
"""

from __future__ import annotations

from babel.numbers import format_decimal

from bot.cases.rules import HELPED
from bot.kernel.dates import written_day
from bot.kernel.i18n import Translator
from bot.kernel.ui import Button, Reply
from bot.stats.buttons import StatsCharts, StatsView
from bot.stats.rules import (
    ActionCounts,
    Durations,
    Period,
    hidden_in_overlap,
    hidden_in_partition,
    shown,
    shown_count,
    shown_durations,
    total_hidden,
)
from bot.stats.service import StatsReport

MAX_FACTORS = 10
"""The most common factors only: the list of every factor would not fit a phone's screen."""


def _count_lines(
    t: Translator,
    lang: str,
    cells: dict[str, int],
    hidden: dict[str, str],
    key: str,
    minimum: int,
    limit: int | None = None,
) -> list[str]:
    """One line per non-zero cell, largest first, each through its suppression mark."""
    ordered = sorted(((k, n) for k, n in cells.items() if n), key=lambda item: (-item[1], item[0]))
    return [
        t.t(
            lang,
            "stats.line",
            name=t.t(lang, f"{key}.{name}"),
            count=shown(n, hidden.get(name), minimum),
        )
        for name, n in ordered[:limit]
    ]


def _partition_lines(
    t: Translator, lang: str, cells: dict[str, int], key: str, minimum: int
) -> list[str]:
    return _count_lines(t, lang, cells, hidden_in_partition(cells, minimum), key, minimum)


def _overlap_lines(
    t: Translator,
    lang: str,
    cells: dict[str, int],
    total: int,
    key: str,
    minimum: int,
    limit: int | None = None,
) -> list[str]:
    hidden = hidden_in_overlap(cells, total, minimum)
    return _count_lines(t, lang, cells, hidden, key, minimum, limit)


def _durations_line(t: Translator, lang: str, step: str, d: Durations, minimum: int) -> str:
    published = shown_durations(d, minimum)
    name = t.t(lang, f"stats.to_{step}")
    if published is None or published.median is None:
        return str(t.t(lang, "stats.duration_few", name=name, count=shown_count(d.count, minimum)))
    return str(
        t.t(
            lang,
            "stats.duration",
            name=name,
            median=format_decimal(published.median, format="#,##0.#", locale=lang),
            low=published.low,
            high=published.high,
            count=published.count,
        )
    )


def _action_lines(
    t: Translator, lang: str, actions: dict[str, ActionCounts], minimum: int
) -> list[str]:
    """On time, late and overdue per owner's sector; each column is a partition of its total."""
    columns = ("on_time", "late", "overdue")
    hidden = {
        column: hidden_in_partition({s: getattr(c, column) for s, c in actions.items()}, minimum)
        for column in columns
    }
    totals = {column: sum(getattr(c, column) for c in actions.values()) for column in columns}
    lines = [
        t.t(
            lang,
            "stats.actions_total",
            **{column: shown_count(totals[column], minimum) for column in columns},
        )
    ]
    for sector in sorted(actions):
        counts = actions[sector]
        lines.append(
            t.t(
                lang,
                "stats.actions_sector",
                sector=t.t(lang, f"sector.{sector}"),
                **{
                    column: shown(getattr(counts, column), hidden[column].get(sector), minimum)
                    for column in columns
                },
            )
        )
    return lines


def _intervention_lines(
    t: Translator, lang: str, tried: dict[str, dict[str, int]], minimum: int
) -> list[str]:
    """How often each intervention was tried and, when often enough, how it went (each row a
    partition of its own count)."""
    lines = []
    for key, results in sorted(tried.items(), key=lambda item: -sum(item[1].values())):
        total = sum(results.values())
        name = t.t(lang, f"intervention.{key}")
        if total < minimum:
            lines.append(t.t(lang, "stats.tried_few", name=name, count=shown_count(total, minimum)))
            continue
        hidden = hidden_in_partition(results, minimum)
        lines.append(
            t.t(
                lang,
                "stats.tried",
                name=name,
                count=total,
                **{r: shown(results.get(r, 0), hidden.get(r), minimum) for r in HELPED},
            )
        )
    return lines


def stats_reply(t: Translator, lang: str, report: StatsReport) -> Reply:
    f, minimum = report.figures, report.minimum
    since = written_day(report.start) if report.start else None
    lines = [
        t.t(
            lang,
            "stats.title",
            board=report.board.title,
            period=t.t(lang, f"stats.period.{report.period}"),
        ),
        t.t(lang, "stats.since", start=since, end=written_day(report.today))
        if since
        else t.t(lang, "stats.until", end=written_day(report.today)),
        t.t(
            lang,
            "stats.cases",
            raised=shown_count(f.raised, minimum),
            closed=shown_count(f.closed, minimum),
            open=shown_count(f.open_now, minimum),
        ),
        t.t(
            lang,
            "stats.movement",
            stalled=shown_count(f.stalled, minimum),
            moves=shown_count(f.moves, minimum),
            carousel=shown_count(f.carousel, minimum),
        ),
    ]
    small_total = total_hidden(f.raised, minimum)
    if f.raised and not small_total:
        lines += ["", t.t(lang, "stats.criteria_head")]
        lines += _overlap_lines(t, lang, f.criteria, f.raised, "criterion", minimum)
        if f.factors:
            lines += ["", t.t(lang, "stats.factors_head")]
            lines += _overlap_lines(t, lang, f.factors, f.raised, "factor", minimum, MAX_FACTORS)
        lines += ["", t.t(lang, "stats.lead_head")]
        lines += _partition_lines(t, lang, f.lead_sectors, "sector", minimum)
        if f.strengths:
            lines += ["", t.t(lang, "stats.strengths_head")]
            lines += _overlap_lines(t, lang, f.strengths, f.raised, "strength", minimum)
        if f.needs:
            lines += ["", t.t(lang, "stats.needs_head")]
            lines += _overlap_lines(t, lang, f.needs, f.raised, "need", minimum)
        heard = {k or "unknown": n for k, n in f.child_view.items()}
        lines += ["", t.t(lang, "stats.child_view_head")]
        lines += _partition_lines(t, lang, heard, "child_view", minimum)
        if f.interventions:
            lines += ["", t.t(lang, "stats.interventions_head")]
            lines += _intervention_lines(t, lang, f.interventions, minimum)
    elif f.raised:
        lines += ["", t.t(lang, "stats.too_few", minimum=minimum)]
    lines += ["", t.t(lang, "stats.time_head")]
    lines += [
        _durations_line(t, lang, "supervision", f.to_supervision, minimum),
        _durations_line(t, lang, "decision", f.to_decision, minimum),
        _durations_line(t, lang, "closure", f.to_closure, minimum),
    ]
    lines.append(t.t(lang, "stats.successes", count=shown_count(f.successes, minimum)))
    if f.supervisions:
        lines += [
            "",
            t.t(lang, "stats.supervisions_head", count=shown_count(f.supervisions, minimum)),
        ]
        if f.supervisions >= minimum:
            lines += _overlap_lines(t, lang, f.sector_presence, f.supervisions, "sector", minimum)
    if f.actions:
        lines += ["", t.t(lang, "stats.actions_head")]
        lines += _action_lines(t, lang, f.actions, minimum)
    if f.concerns:
        lines += ["", t.t(lang, "stats.concerns_head")]
        lines += _partition_lines(t, lang, f.concerns, "escalation.kind", minimum)
    if f.outcomes:
        lines += ["", t.t(lang, "stats.outcomes_head")]
        if total_hidden(f.closed, minimum):
            lines.append(t.t(lang, "stats.too_few", minimum=minimum))
        else:
            lines += _partition_lines(t, lang, f.outcomes, "closing", minimum)
            broken_down = {
                criterion: cells
                for criterion, cells in sorted(f.outcomes_by_criterion.items())
                if sum(cells.values()) >= minimum  # fewer closed cases: not broken down
            }
            if broken_down:
                lines.append(t.t(lang, "stats.outcome_by_head"))
            for criterion, cells in broken_down.items():
                hidden = hidden_in_partition(cells, minimum)
                parts = ", ".join(
                    f"{t.t(lang, f'closing.{k}')} {shown(n, hidden.get(k), minimum)}"
                    for k, n in sorted(cells.items(), key=lambda item: (-item[1], item[0]))
                )
                lines.append(
                    t.t(
                        lang,
                        "stats.outcome_by",
                        criterion=t.t(lang, f"criterion.{criterion}"),
                        parts=parts,
                    )
                )
    lines += ["", t.t(lang, "stats.legend", minimum=minimum)]
    buttons = tuple(
        Button(
            ("• " if period == report.period else "") + t.t(lang, f"stats.period.{period}"),
            StatsView(report.board.id, period).pack(),
        )
        for period in Period
    )
    charts = Button(
        t.t(lang, "button.stats_charts"), StatsCharts(report.board.id, report.period).pack()
    )
    return Reply("\n".join(str(line) for line in lines), (buttons, (charts,)))


def board_choice(t: Translator, lang: str, boards: list[tuple[int, str]]) -> Reply:
    """A coordinator of several boards picks one first."""
    rows = tuple(
        (Button(title, StatsView(board_id, Period.QUARTER).pack()),) for board_id, title in boards
    )
    return Reply(t.t(lang, "stats.pick_board"), rows)
