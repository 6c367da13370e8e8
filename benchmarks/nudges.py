"""The outbox at scale: start-up, due selection and sending with up to a million pending rows.

Reminders and nudges are outbox rows in SQLite, never jobs in memory. For each size a fresh
database is filled with pending ``notice`` rows (5,000 private chats, due over the next 30 days);
then it measures:

* start-up in a fresh process (open, migrate, recover, next due) and that process's peak RSS,
  which must not grow with the number of rows, since none is loaded;
* one ``claim_due(now, 50)`` (median of 20, each rolled back) and whether its plan uses the
  ``outbox_due`` index;
* ``OutboxDispatcher.run()`` sending the 1,000 rows due (real renderers, a trivial sender).

Sending at Telegram's speed, with the bot's own rate limiter against a fake that enforces
Telegram's limits, is measured by :mod:`benchmarks.sending`.

    python -m benchmarks.nudges [--sizes 10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.kernel.clock import ManualClock
from bot.kernel.outbox import (
    PER_CHAT_CLAIM,
    Delivered,
    OutboxDispatcher,
    OutgoingMessage,
    Renderer,
)
from storage import Database, Session, SqliteDatabase
from storage.connection import SqliteConnection
from storage.timeconv import from_ts, to_ts

# Telegram, the renderers and the fake Bot API are imported where they are used, so that the
# start-up child (``--child``) loads only what opening the outbox needs.

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
HORIZON_SECONDS = 30 * 86_400
CHATS = 5_000
FIRST_CHAT_ID = 100_000_000
DUE_NOW = 1_000
INSERT_BATCH = 50_000
CLAIM_RUNS = 20
CLAIM_LIMIT = 50
STARTUP_RUNS = 3
SEED = 20260105
MB = 1_000_000
ROOT = Path(__file__).resolve().parent.parent

_INSERT = (
    "INSERT INTO outbox (board_id, chat_id, thread_id, recipient_id, kind, subject_type,"
    " subject_id, payload, due_at, useful_until, send_after, dedupe_key, created_at, updated_at)"
    " VALUES (NULL, ?, NULL, ?, 'notice', NULL, NULL, ?, ?, NULL, ?, ?, ?, ?)"
)
_PAYLOAD = json.dumps({"key": "demo.reminder"}, ensure_ascii=False)


class NullSender:
    """Every message is delivered at once: what is left is the outbox's own cost."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)

    async def send(self, message: OutgoingMessage) -> Delivered:
        return Delivered(next(self._ids))


async def build(path: Path, size: int) -> tuple[list[int], float]:
    """A fresh database with ``size`` pending rows; returns their due times, sorted."""
    rng = random.Random(SEED)
    start = to_ts(START)
    # Distinct seconds, so that a clock set to the k-th due time makes exactly k rows due.
    offsets = rng.sample(range(60, HORIZON_SECONDS), size)
    started = time.perf_counter()
    db = await SqliteDatabase.open(path)
    await db.migrate()
    async with db.read() as session:
        # Build phase only, never measured: no fsync and a large page cache to fill the file
        # fast. Every measurement below reopens with Database.open's own pragmas (WAL,
        # synchronous=NORMAL).
        await session.conn.execute("PRAGMA synchronous = OFF")
        await session.conn.execute("PRAGMA cache_size = -262144")
    for low in range(0, size, INSERT_BATCH):
        rows = [
            (
                FIRST_CHAT_ID + i % CHATS,
                FIRST_CHAT_ID + i % CHATS,
                _PAYLOAD,
                start + offsets[i],
                start + offsets[i],
                f"bench:nudge:{i}",
                start,
                start,
            )
            for i in range(low, min(low + INSERT_BATCH, size))
        ]
        async with db.transaction() as session:
            await session.conn.executemany(_INSERT, rows)
    await db.checkpoint()
    await db.close()
    return sorted(start + offset for offset in offsets), time.perf_counter() - started


async def child_startup(path: Path) -> dict[str, float]:
    """What a restarted bot does with its outbox before it serves anyone."""
    clock = ManualClock(START)
    started = time.perf_counter()
    db = await SqliteDatabase.open(path)
    await db.migrate()
    dispatcher = OutboxDispatcher(db, clock, NullSender(), {})
    await dispatcher.recover()
    next_due = await dispatcher.next_due()
    elapsed = time.perf_counter() - started
    await db.close()
    assert next_due is not None
    return {
        "startup_ms": elapsed * 1000,
        "peak_rss_kib": peak_rss_kib(),
    }


def peak_rss_kib() -> float:
    """This process's peak resident set, in KiB.

    Linux's ``ru_maxrss`` is not used where ``/proc`` is there: a child starts with its parent's
    RSS at fork as a floor (a bare ``python -c`` started from a 300 MB parent reports 300 MB),
    which here would show the parent's list of due times, not the start-up. ``VmHWM`` is the
    high-water mark of this process's own memory since it was exec'd.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return float(line.split()[1])


async def startup(path: Path) -> dict[str, float]:
    """Median start-up and the largest peak RSS over a few fresh processes."""
    runs = []
    for _ in range(STARTUP_RUNS):
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "benchmarks.nudges",
            "--child",
            str(path),
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
        )
        out, _ = await proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"start-up child failed with {proc.returncode}")
        runs.append(json.loads(out))
    return {
        "startup_ms": statistics.median(r["startup_ms"] for r in runs),
        "peak_rss_mb": max(r["peak_rss_kib"] for r in runs) * 1024 / MB,
    }


def renderers(db: Database) -> dict[str, Renderer]:
    """The real ``notice`` renderer (catalog key, recipient's language) as the bot has it."""
    from bot.kernel.i18n import Translator
    from bot.kernel.notices import build_renderers
    from bot.kernel.settings import BoardSettingsService

    settings = BoardSettingsService({"timezone": "Europe/Sofia", "language": "bg"}, db)
    return build_renderers(Translator(), settings)


async def claim_alone(db: Database, now: datetime) -> tuple[float, list[str]]:
    """Median time of one claim of 50 (rolled back each time) and the claim's query plan."""
    timings: list[float] = []
    statements: list[str] = []
    async with db.read() as session:
        for _ in range(CLAIM_RUNS):
            await session.conn.execute("BEGIN IMMEDIATE")
            started = time.perf_counter()
            claimed = await session.outbox.claim_due(now, CLAIM_LIMIT, per_chat=PER_CHAT_CLAIM)
            timings.append(time.perf_counter() - started)
            await _raw(session).rollback()
            assert len(claimed) == CLAIM_LIMIT, len(claimed)
        # Once more, traced: the statement exactly as the repository runs it (values bound in),
        # not a copy of it that could drift.
        await _raw(session).set_trace_callback(statements.append)
        await session.conn.execute("BEGIN IMMEDIATE")
        await session.outbox.claim_due(now, CLAIM_LIMIT, per_chat=PER_CHAT_CLAIM)
        await _raw(session).rollback()
        await _raw(session).set_trace_callback(None)  # type: ignore[arg-type]  # sqlite3 takes None
        claim_sql = next(s for s in statements if s.startswith("UPDATE outbox SET state = 'send"))
        plan = await session.conn.execute_fetchall(f"EXPLAIN QUERY PLAN {claim_sql}")
    return statistics.median(timings), [str(row[3]) for row in plan]


async def due_selection(path: Path, due: list[int]) -> dict[str, Any]:
    db = await SqliteDatabase.open(path)
    try:
        clock = ManualClock(from_ts(due[DUE_NOW - 1]))
        claim, plan = await claim_alone(db, clock.now())
        dispatcher = OutboxDispatcher(db, clock, NullSender(), renderers(db))
        started = time.perf_counter()
        report = await dispatcher.run()
        elapsed = time.perf_counter() - started
        async with db.read() as session:
            rows = await session.conn.execute_fetchall(
                "SELECT state, COUNT(*) FROM outbox GROUP BY state"
            )
    finally:
        await db.close()
    states = {str(row[0]): int(row[1]) for row in rows}
    if report.sent != DUE_NOW or states.get("sent") != DUE_NOW:
        raise AssertionError(f"expected {DUE_NOW} sent, got {report} and {states}")
    return {
        "claim_50_ms": claim * 1000,
        "claim_plan": plan,
        "index_used": any("outbox_due" in step for step in plan),
        "send_due_s": elapsed,
        "sent": report.sent,
    }


async def one_size(size: int, folder: Path) -> dict[str, Any]:
    path = folder / f"nudges-{size}.sqlite3"
    due, build_s = await build(path, size)
    row: dict[str, Any] = {
        "pending": size,
        "build_s": build_s,
        "db_mb": path.stat().st_size / MB,
    }
    row.update(await startup(path))
    row.update(await due_selection(path, due))
    path.unlink()
    return row


def machine() -> str:
    return (
        f"{platform.platform()}, {platform.python_implementation()} "
        f"{platform.python_version()}, SQLite {_sqlite_version()}, {os.cpu_count()} cores"
    )


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


async def main(sizes: list[int]) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sorted(sizes):
            rows.append(await one_size(size, Path(folder)))
    return {"benchmark": "nudges", "machine": machine(), "rows": rows}


def _print(result: dict[str, Any]) -> None:
    print(
        f"{'pending':>10}{'db MB':>9}{'start-up ms':>13}{'peak RSS MB':>13}"
        f"{'claim 50 ms':>13}{'send 1000 due s':>17}{'index used':>12}"
    )
    for row in result["rows"]:
        print(
            f"{row['pending']:>10,}{row['db_mb']:>9.1f}{row['startup_ms']:>13.1f}"
            f"{row['peak_rss_mb']:>13.1f}{row['claim_50_ms']:>13.2f}{row['send_due_s']:>17.2f}"
            f"{'yes' if row['index_used'] else 'NO':>12}"
        )
    print("claim plan: " + " / ".join(result["rows"][-1]["claim_plan"]))
    print(result["machine"])


def _sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def _raw(session: Session) -> aiosqlite.Connection:
    """The aiosqlite connection under a session (these measurements are of SQLite's)."""
    conn = session.conn
    assert isinstance(conn, SqliteConnection)
    return conn.raw


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=_sizes, default=list(DEFAULT_SIZES))
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/nudges.json"))
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(asyncio.run(child_startup(args.child))))
        sys.exit(0)
    outcome = asyncio.run(main(args.sizes))
    _print(outcome)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(outcome, indent=2))
