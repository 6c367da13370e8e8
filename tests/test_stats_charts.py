"""/stats as pictures: what a chart may draw (never a suppressed count), and that the PNG is a
real picture of a sensible size."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from PIL import Image

from bot.kernel.i18n import Translator
from bot.stats.charts import chart_data, draw
from bot.stats.rules import CaseFacts, figures

T0 = datetime(2026, 10, 1, 9, tzinfo=UTC)
WORDS = Translator(strict=True)


def words(key: str, **params: object) -> str:
    return str(WORDS.t("en", key, **params))


def board(n: int, decision_days: list[int]) -> list[CaseFacts]:
    """``n`` cases with multiple risks, the first two also stalling; the listed days to a
    decision; closed: the first worse, the next five improved, nine in the family, the rest in
    school."""
    cases = []
    for i in range(n):
        decided = T0 + timedelta(days=decision_days[i]) if i < len(decision_days) else None
        cases.append(
            CaseFacts(
                raised_at=T0,
                criteria=("multiple_risks", "stalls") if i < 2 else ("multiple_risks",),
                factors=("child.trauma",) if i % 2 else ("family.poverty",),
                lead_sector="education",
                status="closed",
                first_decision_at=decided,
                closed_at=T0 + timedelta(days=30),
                closing="worse"
                if i == 0
                else "improved"
                if i <= 5
                else "in_family"
                if i <= 14
                else "in_school",
            )
        )
    return cases


def test_a_chart_never_draws_a_cell_the_table_hides() -> None:
    days = [0] * 7 + [7] * 8 + [14] * 12 + [22]  # weeks: 7, 8, 12 and one case
    f = figures(board(28, days), [], [], None, date(2026, 12, 1))
    charts = {c.title: c for c in chart_data(f, 5, words)}
    criteria = charts["Criteria (cases raised)"]
    assert ("Multiple risks", 28) in criteria.bars
    assert not any(label.startswith("The case stalls") for label, _ in criteria.bars)  # 2: <5
    assert criteria.note  # and it says something was left out
    decision = charts["Time to the first accepted decision (weeks from raising)"]
    # week 4 holds one case: not drawn, and with the total known, weeks 1 and 2 go with it
    assert decision.bars == (("week 3", 12),) and decision.note
    outcomes = charts["Outcomes at closing, by criterion"]
    [(criterion, segments)] = outcomes.stacks  # "stalls" has 2 closed cases: no stack
    assert criterion == "Multiple risks"
    # 1 worse, 5 improved, 9 in the family, 13 in school under a known total: the 1 is not
    # drawn, nor the 5 and the 9 that keep it from being worked out
    assert segments == (("Stays in school", 13),)


def test_too_few_cases_draw_nothing() -> None:
    f = figures(board(3, [1, 2, 3]), [], [], None, date(2026, 12, 1))
    assert chart_data(f, 5, words) == []


def test_the_png_is_a_picture_of_a_phone_friendly_size() -> None:
    f = figures(board(12, [1, 2, 3, 4, 5, 6]), [], [], None, date(2026, 12, 1))
    for chart in chart_data(f, 5, words):
        png = draw(chart)
        assert 5_000 < len(png) < 300_000
        with Image.open(io.BytesIO(png)) as picture:
            assert picture.format == "PNG" and picture.size == (900, 500)
