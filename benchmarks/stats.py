"""/stats at the size of a busy board: N cases with their timelines, actions and concerns,
filled by bulk inserts; then the coordinator's /stats (the read of four statements, the
figures, the text) and its charts (matplotlib, the first one with the import), each timed
alone, as medians of several runs, and the council's table across two such boards.

    python -m benchmarks.stats [--cases 1000,10000] [--runs 5] [--out stats.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from benchmarks.nudges import machine
from bot.boards.rules import SECTORS
from bot.cases.rules import (
    ALL_FACTORS,
    CHILD_VIEWS,
    CLOSING_OUTCOMES,
    CRITERIA,
    INTERVENTIONS,
    NEEDS,
    STATUSES,
    STRENGTHS,
)
from bot.core import build_core
from bot.kernel.clock import ManualClock
from bot.kernel.config import Config
from bot.kernel.outbox import NoWaker
from bot.stats.cards import stats_reply
from bot.stats.charts import chart_data, draw
from bot.stats.council import council_report
from storage import Database, SqliteDatabase

NOW_TS = 1_796_000_000  # early December 2026
DAY = 86_400
COORDINATOR = 7001


async def fill(db: Database, board_id: int, cases: int, rng: random.Random) -> None:
    """One board, its coordinator and members, and ``cases`` cases raised over two years."""
    async with db.transaction() as session:
        await _fill(session.conn, board_id, cases, rng)


async def _fill(conn: Any, board_id: int, cases: int, rng: random.Random) -> None:
    await conn.execute(
        "INSERT INTO boards (id, chat_id, title, join_code, created_by, created_at, code_prefix)"
        " VALUES (?, ?, ?, ?, ?, ?, 'BM')",
        (board_id, -100 - board_id, f"Board {board_id}", f"j{board_id}", COORDINATOR, NOW_TS),
    )
    people = [COORDINATOR + board_id * 100 + i for i in range(20)]
    await conn.executemany(
        "INSERT INTO users (id, language, telegram_language, private_chat_open, created_at,"
        " updated_at) VALUES (?, 'bg', 'bg', 1, ?, ?) ON CONFLICT (id) DO NOTHING",
        [(p, NOW_TS, NOW_TS) for p in [COORDINATOR, *people]],
    )
    await conn.executemany(
        "INSERT INTO memberships (board_id, user_id, role, sector, status, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, 'active', ?, ?)",
        [(board_id, COORDINATOR, "coordinator", "social", NOW_TS, NOW_TS)]
        + [(board_id, p, "member", rng.choice(SECTORS), NOW_TS, NOW_TS) for p in people],
    )
    first_id = board_id * 1_000_000
    case_rows, events, actions, concerns = [], [], [], []
    for i in range(cases):
        case_id = first_id + i
        raised = NOW_TS - rng.randrange(730) * DAY
        status = rng.choice(STATUSES)
        case_rows.append(
            (
                case_id,
                board_id,
                f"BM-{board_id}-{i}",
                "label",
                ",".join(rng.sample(CRITERIA, rng.randint(1, 4))),
                ",".join(rng.sample(ALL_FACTORS, rng.randint(1, 6))),
                rng.choice(SECTORS),
                "",
                "soon",
                "consent",
                "summary",
                status,
                COORDINATOR,
                raised,
                raised + rng.randrange(60) * DAY,
                ",".join(rng.sample(STRENGTHS, rng.randint(0, 3))),
                ",".join(rng.sample(NEEDS, rng.randint(0, 3))),
                rng.choice(("", *CHILD_VIEWS)),
                ",".join(
                    f"{k}={rng.choice(('helped', 'partly', 'not'))}"
                    for k in rng.sample(INTERVENTIONS, rng.randint(0, 3))
                ),
            )
        )
        at = raised
        for kind, detail in (
            ("status", {"to": "accepted"}),
            ("status", {"to": "in_supervision"}),
            ("proposal_closed", {"outcome": "accepted"}),
            ("transfer", {}),
            ("success", {}),
        ):
            at += rng.randrange(1, 30) * DAY
            events.append((case_id, at, kind, json.dumps(detail)))
        if status == "closed":
            closing = rng.choice(CLOSING_OUTCOMES)
            events.append(
                (case_id, at + DAY, "status", json.dumps({"to": "closed", "closing": closing}))
            )
        for _ in range(3):
            due = raised + rng.randrange(120) * DAY
            done = rng.random() < 0.6
            actions.append(
                (
                    board_id,
                    case_id,
                    "action",
                    rng.choice(people),
                    time.strftime("%Y-%m-%d", time.gmtime(due)),
                    "done" if done else "open",
                    raised,
                    raised,
                    due + rng.randrange(-5, 10) * DAY if done else None,
                )
            )
        if rng.random() < 0.2:
            concerns.append(
                (
                    board_id,
                    case_id,
                    COORDINATOR,
                    rng.choice(("risk", "stalled", "no_response")),
                    raised,
                )
            )
    await conn.executemany(
        "INSERT INTO cases (id, board_id, code, label, criteria, factors, lead_sector,"
        " other_sectors, urgency, legal_basis, summary, status, raised_by, created_at,"
        " last_activity_at, strengths, needs, child_view, interventions)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        case_rows,
    )
    await conn.executemany(
        "INSERT INTO case_events (case_id, at, kind, detail) VALUES (?, ?, ?, ?)", events
    )
    await conn.executemany(
        "INSERT INTO actions (board_id, case_id, title, owner_id, due_on, status, created_at,"
        " updated_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        actions,
    )
    await conn.executemany(
        "INSERT INTO escalations (board_id, case_id, raised_by, kind, urgency, description,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, 'soon', 'x', ?, ?)",
        [(*c, c[-1]) for c in concerns],
    )


async def timed(runs: int, step: Callable[[], Awaitable[Any]]) -> float:
    """The median of ``runs`` runs, in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await step()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def measure(cases: int, runs: int, folder: Path) -> dict[str, Any]:
    from datetime import UTC, datetime

    db = await SqliteDatabase.open(folder / f"stats-{cases}.sqlite3")
    await db.migrate()
    rng = random.Random(cases)
    for board_id in (1, 2):
        await fill(db, board_id, cases, rng)
    async with db.transaction() as session:
        await session.conn.execute(
            "INSERT INTO councils (id, chat_id, title, join_code, created_by, created_at)"
            " VALUES (1, -9, 'Council', 'K-bench', ?, ?)",
            (COORDINATOR, NOW_TS),
        )
        await session.conn.executemany(
            "INSERT INTO board_councils (board_id, council_id, shared_by, shared_at)"
            " VALUES (?, 1, ?, ?)",
            [(b, COORDINATOR, NOW_TS) for b in (1, 2)],
        )
    now = datetime.fromtimestamp(NOW_TS, UTC)
    config = Config(telegram_bot_token=None, _env_file=None)  # type: ignore[call-arg]
    core = build_core(config, db, ManualClock(now), NoWaker())
    t = core.i18n

    async def stats_text() -> str:
        report = await core.stats.report(COORDINATOR, 1, "all")
        assert report is not None
        return stats_reply(t, "bg", report).text

    report = await core.stats.report(COORDINATOR, 1, "all")
    assert report is not None

    def words(key: str, **params: object) -> str:
        return str(t.t("bg", key, **params))

    started = time.perf_counter()
    first_chart = draw(chart_data(report.figures, report.minimum, words)[0])
    first_chart_ms = (time.perf_counter() - started) * 1000

    async def charts() -> int:
        drawn = [draw(c) for c in chart_data(report.figures, report.minimum, words)]
        return sum(len(png) for png in drawn)

    async def council() -> None:
        async with db.read() as session:
            found = await council_report(session, core.settings, 1, 2026, 4, now)
        assert found is not None

    result = {
        "cases": cases,
        "stats_ms": round(await timed(runs, stats_text), 1),
        "charts_ms": round(await timed(runs, charts), 1),
        "first_chart_with_import_ms": round(first_chart_ms, 1),
        "chart_bytes": len(first_chart),
        "council_two_boards_ms": round(await timed(runs, council), 1),
    }
    await db.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stats")
    parser.add_argument("--cases", default="1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for cases in (int(n) for n in args.cases.split(",")):
            results.append(asyncio.run(measure(cases, args.runs, Path(folder))))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {machine()}")
    print(f"{'cases':>8}{'/stats ms':>11}{'charts ms':>11}{'1st chart':>11}{'council ms':>12}")
    for r in results:
        print(
            f"{r['cases']:>8}{r['stats_ms']:>11}{r['charts_ms']:>11}"
            f"{r['first_chart_with_import_ms']:>11}{r['council_two_boards_ms']:>12}"
        )
    print(f"peak RSS {peak_mb:.0f} MB (matplotlib included)")
    if args.out is not None:
        args.out.write_text(
            json.dumps(
                {"machine": machine(), "peak_rss_mb": round(peak_mb), "runs": results}, indent=2
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
