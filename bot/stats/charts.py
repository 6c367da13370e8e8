"""/stats as pictures: bars for criteria and factors, the days to a decision as a distribution,
outcomes by criterion. A chart never draws a suppressed count.

Two steps, so the second cannot leak what the first left out: :func:`chart_data` (pure, tested)
keeps only cells a table would show as a number, and :func:`draw` turns that into a PNG with
matplotlib. matplotlib is imported on first use (it costs about 0.5 s and 40 MB), and drawing
runs in a worker thread (the handler's ``asyncio.to_thread``), never on the event loop.
"""

from __future__ import annotations

import io
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.stats.rules import Figures, hidden_in_overlap, hidden_in_partition

BIN_DAYS = 7
"""The distribution of days to a decision, in weeks."""


MAX_BARS = 10


@dataclass(frozen=True, slots=True)
class Bars:
    """One chart: a title and (label, value) bars, or stacks of (segment, value) per label."""

    title: str
    bars: tuple[tuple[str, int], ...] = ()
    stacks: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = ()
    note: str = ""
    """Said under the chart when something was left out."""


def _shown(cells: Mapping[str, int], hidden: Mapping[str, str]) -> list[tuple[str, int]]:
    ordered = sorted(((k, n) for k, n in cells.items() if n), key=lambda kv: (-kv[1], kv[0]))
    return [(k, n) for k, n in ordered if k not in hidden]


def chart_data(f: Figures, minimum: int, words: Callable[..., str]) -> list[Bars]:
    """The charts worth drawing for these figures, with every hidden cell left out.
    ``words(key, **params)`` gives the reader's words for a catalog key."""
    charts: list[Bars] = []
    left_out = words("stats.chart_left_out")
    if f.raised >= minimum:
        for key, cells, prefix in (
            ("stats.chart_criteria", f.criteria, "criterion"),
            ("stats.chart_factors", f.factors, "factor"),
        ):
            hidden = hidden_in_overlap(cells, f.raised, minimum)
            shown = _shown(cells, hidden)[:MAX_BARS]
            if shown:
                charts.append(
                    Bars(
                        words(key),
                        tuple((words(f"{prefix}.{k}"), n) for k, n in shown),
                        note=left_out if hidden else "",
                    )
                )
    weeks = Counter(days // BIN_DAYS for days in f.decision_days)
    if len(f.decision_days) >= minimum:
        # the weeks add up to a count the text shows: hide partners of a lone small week too
        hidden_weeks = hidden_in_partition({str(w): n for w, n in weeks.items()}, minimum)
        bars = tuple(
            (words("stats.chart_week", week=w + 1), weeks[w])
            for w in sorted(weeks)
            if str(w) not in hidden_weeks
        )
        if bars:
            charts.append(
                Bars(words("stats.chart_decision"), bars, note=left_out if hidden_weeks else "")
            )
    stacks = []
    any_hidden = False
    for criterion, cells in sorted(f.outcomes_by_criterion.items()):
        if sum(cells.values()) < minimum:
            any_hidden = any_hidden or bool(cells)
            continue
        hidden = hidden_in_partition(cells, minimum)
        any_hidden = any_hidden or bool(hidden)
        segments = tuple((words(f"closing.{k}"), n) for k, n in _shown(cells, hidden))
        if segments:
            stacks.append((words(f"criterion.{criterion}"), segments))
    if stacks:
        charts.append(
            Bars(
                words("stats.chart_outcomes"),
                stacks=tuple(stacks),
                note=left_out if any_hidden else "",
            )
        )
    return charts


_LOCK = threading.Lock()
"""matplotlib's pyplot state is not thread-safe: one chart at a time."""


def draw(chart: Bars) -> bytes:
    """A PNG of one chart (about 900×500 pixels)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    with _LOCK:
        figure, axes = pyplot.subplots(figsize=(9, 5), dpi=100)
        try:
            if chart.stacks:
                _draw_stacks(axes, chart)
            else:
                labels = [label for label, _ in chart.bars][::-1]
                values = [value for _, value in chart.bars][::-1]
                drawn = axes.barh(labels, values, color="#4c72b0")
                axes.bar_label(drawn, padding=3)
                axes.set_xlabel("")
            axes.set_title(chart.title, loc="left", fontsize=13)
            axes.spines[["top", "right"]].set_visible(False)
            if chart.note:
                figure.text(0.01, 0.01, chart.note, fontsize=9, color="#555555")
            figure.tight_layout(rect=(0, 0.04, 1, 1))
            if chart.stacks:  # room for the legend under the bars
                figure.subplots_adjust(bottom=0.3)
            out = io.BytesIO()
            figure.savefig(out, format="png")
            return out.getvalue()
        finally:
            pyplot.close(figure)


def _draw_stacks(axes: object, chart: Bars) -> None:
    from matplotlib.axes import Axes

    assert isinstance(axes, Axes)
    segments = list(dict.fromkeys(name for _, parts in chart.stacks for name, _ in parts))
    colours = dict(zip(segments, _PALETTE * 3, strict=False))
    labels = [label for label, _ in chart.stacks][::-1]
    lefts = [0] * len(labels)
    for name in segments:
        values = [dict(parts).get(name, 0) for _, parts in chart.stacks][::-1]
        drawn = axes.barh(labels, values, left=lefts, label=name, color=colours[name])
        axes.bar_label(drawn, labels=[str(v) if v else "" for v in values], label_type="center")
        lefts = [a + b for a, b in zip(lefts, values, strict=True)]
    axes.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.4, -0.06), ncol=3, frameon=False)


_PALETTE = [
    "#4c72b0",
    "#55a868",
    "#c44e52",
    "#8172b2",
    "#ccb974",
    "#64b5cd",
    "#8c8c8c",
    "#e1812c",
    "#3a923a",
]
