"""The personal-data guard's speed and size, in a fresh process on one core.

Texts of 300 characters are cut from the guard's corpus (tests/data/guard_corpus: case notes
with and without personal data, as board members type them), and ``find_personal_data`` runs
over them: the rate per second (best of five passes, one core), for all of them and for those
without and with personal data apart. The lexicon (given names, word lists, places) is loaded
once: its time and the memory it holds (``tracemalloc``), and the process's peak RSS.

    python -m benchmarks.guard [--passes 5]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

from benchmarks.nudges import machine

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "guard_corpus"
LENGTH = 300


def texts_of(names: tuple[str, ...]) -> list[str]:
    """The corpus rows of these files, joined and cut into texts of 300 characters."""
    rows: list[str] = []
    for name in names:
        for line in (CORPUS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line)["text"])
    texts: list[str] = []
    buffer = ""
    for row in rows * 3:
        buffer += row + " "
        if len(buffer) >= LENGTH:
            texts.append(buffer[:LENGTH])
            buffer = ""
    return texts


def rate(texts: list[str], passes: int) -> float:
    from bot.guard.pii import find_personal_data

    best = 0.0
    for _ in range(passes):
        started = time.perf_counter()
        for text in texts:
            find_personal_data(text)
        best = max(best, len(texts) / (time.perf_counter() - started))
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.guard")
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    tracemalloc.start()
    started = time.perf_counter()
    from bot.guard.pii import find_personal_data
    from bot.guard.pii.lexicon import lexicon

    lexicon()
    find_personal_data("майката Йоана")  # every detector's lists, loaded once
    load_ms = (time.perf_counter() - started) * 1000
    lexicon_mb = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()

    sets = {
        "all": texts_of(
            ("positives_dev", "negatives_dev", "positives_holdout", "negatives_holdout")
        ),
        "without personal data": texts_of(("negatives_dev", "negatives_holdout")),
        "with personal data": texts_of(("positives_dev", "positives_holdout")),
    }
    rates = {name: rate(texts, args.passes) for name, texts in sets.items()}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {machine()}")
    print(
        f"lexicon: loaded in {load_ms:.0f} ms, {lexicon_mb:.1f} MB held; peak RSS {peak_mb:.0f} MB"
    )
    print(f"{'texts of 300 characters':<28}{'count':>7}{'per second':>12}{'µs each':>9}")
    for name, texts in sets.items():
        print(f"{name:<28}{len(texts):>7}{rates[name]:>12.0f}{1e6 / rates[name]:>9.0f}")
    result: dict[str, Any] = {
        "machine": machine(),
        "load_ms": round(load_ms, 1),
        "lexicon_mb": round(lexicon_mb, 2),
        "peak_rss_mb": round(peak_mb, 1),
        "texts_per_second": {name: round(value) for name, value in rates.items()},
    }
    if args.out is not None:
        args.out.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
