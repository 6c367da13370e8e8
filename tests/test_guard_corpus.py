"""The personal-data guard on its corpus (tests/data/guard_corpus): precision and recall per
kind, and false alarms on hard negatives, held to the targets the board needs. The table is
printed, so ``pytest -s -k guard_corpus`` shows it per file and per category."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bot.guard.pii import PiiKind, find_personal_data

FOLDER = Path(__file__).parent / "data" / "guard_corpus"
STRICT = {PiiKind.EGN, PiiKind.LNCH, PiiKind.PHONE, PiiKind.EMAIL}
MIN_RECALL = {kind: 0.98 if kind in STRICT else 0.92 for kind in PiiKind}
MIN_PRECISION = dict.fromkeys(PiiKind, 0.95)
MAX_FALSE_ALARMS = 0.02
SETS = {
    "dev": ("positives_dev", "negatives_dev"),
    "holdout": ("positives_holdout", "negatives_holdout"),
    "attack": ("attack",),
}
# The attack set was written to break the guard; a few of its forms are left out of scope
# (a surname alone that no list knows, a year of birth spelled out in words): its targets are
# the independent measure's, a little lower for birth dates and addresses.
RELAXED = {"attack": {PiiKind.BIRTH_DATE: 0.90, PiiKind.ADDRESS: 0.90, PiiKind.NAME: 0.90}}


def load(names: tuple[str, ...]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name in names:
        for line in (FOLDER / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def test_the_corpus_is_large_half_hard_negatives_and_well_formed() -> None:
    rows = [row for names in SETS.values() for row in load(names)]
    assert len(rows) >= 1500
    negatives = [row for row in rows if not row["pii"]]
    assert len(negatives) >= len(rows) / 2 - 100
    valid = {kind.value for kind in PiiKind}
    for row in rows:
        assert set(row) == {"text", "lang", "category", "pii"}
        assert row["lang"] in ("bg", "en")
        for item in row["pii"]:
            assert item["kind"] in valid
            assert item["value"] in row["text"]


@pytest.mark.parametrize("which", list(SETS))
def test_precision_recall_and_false_alarms_meet_the_targets(which: str) -> None:
    rows = load(SETS[which])
    tp: Counter[PiiKind] = Counter()
    fp: Counter[PiiKind] = Counter()
    fn: Counter[PiiKind] = Counter()
    alarms = 0
    for row in rows:
        expected = {PiiKind(item["kind"]) for item in row["pii"]}
        found = {f.kind for f in find_personal_data(row["text"])}
        if not expected and found:
            alarms += 1
        for kind in PiiKind:
            if kind in found and kind in expected:
                tp[kind] += 1
            elif kind in found:
                fp[kind] += 1
            elif kind in expected:
                fn[kind] += 1
    negatives = sum(1 for row in rows if not row["pii"])
    failures: list[str] = []
    lines = [f"{which}: {'kind':11} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7}"]
    for kind in PiiKind:
        precision = tp[kind] / (tp[kind] + fp[kind]) if tp[kind] + fp[kind] else 1.0
        recall = tp[kind] / (tp[kind] + fn[kind]) if tp[kind] + fn[kind] else 1.0
        lines.append(
            f"{which}: {kind.value:11} {tp[kind]:4} {fp[kind]:4} {fn[kind]:4}"
            f" {precision:9.3f} {recall:7.3f}"
        )
        floor = RELAXED.get(which, {}).get(kind, MIN_RECALL[kind])
        if recall < floor:
            failures.append(f"{kind.value} recall {recall:.3f} < {floor}")
        if precision < MIN_PRECISION[kind]:
            failures.append(f"{kind.value} precision {precision:.3f} < {MIN_PRECISION[kind]}")
    rate = alarms / negatives
    lines.append(f"{which}: false alarms on hard negatives {alarms}/{negatives} = {rate:.3f}")
    print("\n" + "\n".join(lines))
    if rate > MAX_FALSE_ALARMS:
        failures.append(f"false alarms {rate:.3f} > {MAX_FALSE_ALARMS}")
    assert not failures, "; ".join(failures)
