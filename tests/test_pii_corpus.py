"""Precision and recall of the personal-data guard on a corpus of realistic case notes.

A text counts as a true positive for a kind when the checker reports that kind and the
corpus says the kind is present; the table is printed so `pytest -s` shows it.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bot.guard.pii import PiiKind, find_personal_data

CORPUS = Path(__file__).parent / "data" / "pii_corpus.jsonl"
STRICT = {PiiKind.EGN, PiiKind.LNCH, PiiKind.PHONE, PiiKind.EMAIL}
MIN_RECALL = {k: 0.98 if k in STRICT else 0.90 for k in PiiKind}
MIN_PRECISION = {k: 0.95 if k in STRICT else 0.90 for k in PiiKind}


def load_corpus() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with CORPUS.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def test_corpus_is_large_and_well_formed() -> None:
    rows = load_corpus()
    assert len(rows) >= 320
    valid = {k.value for k in PiiKind}
    positives: Counter[str] = Counter()
    for row in rows:
        assert set(row) == {"text", "lang", "expect"}
        assert row["lang"] in ("bg", "en")
        assert isinstance(row["text"], str)
        assert row["text"]
        assert set(row["expect"]) <= valid
        positives.update(set(row["expect"]))
    for kind in PiiKind:
        assert positives[kind.value] >= 30, kind
    assert sum(1 for row in rows if not row["expect"]) >= 100
    assert {row["lang"] for row in rows} == {"bg", "en"}


def test_precision_and_recall_per_kind_meet_the_targets() -> None:
    tp: Counter[PiiKind] = Counter()
    fp: Counter[PiiKind] = Counter()
    fn: Counter[PiiKind] = Counter()
    misses: list[str] = []
    for row in load_corpus():
        expected = {PiiKind(k) for k in row["expect"]}
        found = {f.kind for f in find_personal_data(row["text"])}
        for kind in PiiKind:
            if kind in found and kind in expected:
                tp[kind] += 1
            elif kind in found:
                fp[kind] += 1
                misses.append(f"  FP {kind.value:10} {row['text']}")
            elif kind in expected:
                fn[kind] += 1
                misses.append(f"  FN {kind.value:10} {row['text']}")

    failures: list[str] = []
    lines = [f"{'kind':11} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}"]
    for kind in PiiKind:
        precision = tp[kind] / (tp[kind] + fp[kind]) if tp[kind] + fp[kind] else 1.0
        recall = tp[kind] / (tp[kind] + fn[kind]) if tp[kind] + fn[kind] else 1.0
        counts = f"{tp[kind]:4} {fp[kind]:4} {fn[kind]:4}"
        lines.append(f"{kind.value:11} {counts} {precision:10.3f} {recall:8.3f}")
        if precision < MIN_PRECISION[kind]:
            failures.append(f"{kind.value}: precision {precision:.3f} < {MIN_PRECISION[kind]}")
        if recall < MIN_RECALL[kind]:
            failures.append(f"{kind.value}: recall {recall:.3f} < {MIN_RECALL[kind]}")
    print("\n" + "\n".join(lines + misses))
    if failures:
        pytest.fail("; ".join(failures))
