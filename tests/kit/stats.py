"""Scenarios for the statistics' tests: cases as facts, and a board with known cases."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.cases.rules import CaseDraft
from bot.stats.rules import CaseFacts
from tests.kit import Harness

T0 = datetime(2026, 10, 1, 9, tzinfo=UTC)


def a_case(**kw: object) -> CaseFacts:
    """One case as the statistics see it: raised at T0, multiple risks, led by education."""
    base: dict[str, object] = {
        "raised_at": T0,
        "criteria": ("multiple_risks",),
        "factors": (),
        "lead_sector": "education",
        "status": "accepted",
    }
    base.update(kw)
    return CaseFacts(**base)  # type: ignore[arg-type]


async def seven_cases(harness: Harness, board_id: int, raiser: int) -> list[str]:
    """Seven cases: six led by education (all with multiple risks), one by health."""
    codes = []
    for i in range(7):
        draft = CaseDraft(
            label=f"случай {i}",
            criteria=("multiple_risks", "stalls") if i < 2 else ("multiple_risks",),
            factors=("child.trauma",),
            lead_sector="health" if i == 6 else "education",
            urgency="soon",
            legal_basis="consent",
            summary="без подробности",
        )
        nonce = await harness.runtime.core.dialogs.open(
            raiser, "newcase", "confirm", board_id=board_id, draft=draft.to_json()
        )
        case = await harness.runtime.core.cases.raise_case(raiser, nonce)
        assert case is not None
        codes.append(case.code)
    return codes
