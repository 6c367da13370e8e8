"""Every benchmark in turn, each in its own process: throughput, scaling, sending, nudges,
storage, guard, stats.

Each prints its own table and writes its JSON to the results folder, as when it is run alone;
a failed one does not stop the others, but the run then exits non-zero.

    python -m benchmarks [--quick] [--only storage,nudges] [--results benchmarks/results]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ("throughput", "scaling", "sending", "nudges", "storage", "guard", "stats")
QUICK = {
    "throughput": ["--boards", "10"],
    "scaling": ["--cases", "10,1000", "--members", "20,100"],
    "sending": ["--rows", "200", "--groups", "10", "--people", "100"],
    "nudges": ["--sizes", "10000"],
    "storage": ["--scale", "0.1"],
    "guard": ["--passes", "1"],
    "stats": ["--cases", "200", "--runs", "1"],
}
"""Small sizes, to see that everything still runs (the numbers are not the ones to quote)."""
TIMEOUT_SECONDS = 15 * 60
"""Per benchmark: one that hangs is a failure, not a run that never ends."""


def run(name: str, extra: list[str], results: Path) -> tuple[int, float]:
    """One benchmark as ``python -m benchmarks.<name>``; its return code and seconds."""
    command = [
        sys.executable,
        "-m",
        f"benchmarks.{name}",
        *extra,
        "--out",
        str(results / f"{name}.json"),
    ]
    print(f"== {name}: {' '.join(command[1:])}", flush=True)
    started = time.perf_counter()
    try:
        code = subprocess.run(command, cwd=ROOT, check=False, timeout=TIMEOUT_SECONDS).returncode
    except subprocess.TimeoutExpired:
        print(f"== {name}: no result after {TIMEOUT_SECONDS} s", flush=True)
        code = -1
    elapsed = time.perf_counter() - started
    print(flush=True)
    return code, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke run")
    parser.add_argument(
        "--only",
        type=lambda text: [part.strip() for part in text.split(",") if part.strip()],
        default=list(BENCHMARKS),
        help="comma-separated, of: " + ", ".join(BENCHMARKS),
    )
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    unknown = [name for name in args.only if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark: {', '.join(unknown)}")
    results: Path = args.results.resolve()
    results.mkdir(parents=True, exist_ok=True)
    outcomes: list[tuple[str, int, float]] = []
    started = time.perf_counter()
    for name in BENCHMARKS:
        if name in args.only:
            code, elapsed = run(name, QUICK[name] if args.quick else [], results)
            outcomes.append((name, code, elapsed))
    total = time.perf_counter() - started
    print(f"{'benchmark':<12}{'seconds':>9}  result")
    for name, code, elapsed in outcomes:
        print(f"{name:<12}{elapsed:>9.1f}  {'ok' if code == 0 else f'FAILED ({code})'}")
    print(f"{'total':<12}{total:>9.1f}  results in {results}")
    return 0 if all(code == 0 for _, code, _ in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
