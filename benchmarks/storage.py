"""The database at the size of a large deployment: its file, its start-up, its heaviest lists.

A fresh database is filled (bulk inserts, not the bot's own code paths) with 1,000 boards of 20
members (20,000 memberships over the eight sectors, some people on two boards), 100,000 cases
(mostly open, a team of one to three, five timeline events each), 10,000 proposals with five
votes each, 50,000 actions, 5,000 meetings, 2,000 escalations, 1,000,000 outbox rows (mostly
sent) and 500,000 audit rows. Then it measures:

* the size of the file;
* start-up in a fresh process (open, migrate, recover, next due) and that process's peak RSS;
* the heaviest list queries, each through the real repository method the bot calls (median of
  20 on a warm connection), for the busiest board, person and case there is;
* each query's plan (``EXPLAIN QUERY PLAN`` of the statements exactly as the repository ran
  them): ``index`` when every table is reached through an index, ``SCAN`` when one is read
  whole.

    python -m benchmarks.storage [--scale 0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sized
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import aiosqlite

from benchmarks import nudges as nudges_benchmark
from benchmarks.history import build
from benchmarks.nudges import machine
from benchmarks.world import MB, NOW, QUERY_RUNS, ROOT, STARTUP_RUNS, Sizes
from storage import Database, Session, SqliteDatabase
from storage.connection import SqliteConnection
from storage.timeconv import to_ts


# start-up ---------------------------------------------------------------------------------------
async def child_startup(path: Path) -> dict[str, float]:
    """What a restarted bot does with its database before it serves anyone (as in the outbox
    benchmark: open, migrate, recover, next due)."""
    return await nudges_benchmark.child_startup(path)


async def startup(path: Path) -> dict[str, float]:
    """Median start-up (inside the process, and the whole process) and the largest peak RSS."""
    runs: list[dict[str, float]] = []
    for _ in range(STARTUP_RUNS):
        started = time.perf_counter()
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "benchmarks.storage",
            "--child",
            str(path),
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
        )
        out, _ = await proc.communicate()
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            raise RuntimeError(f"start-up child failed with {proc.returncode}")
        runs.append({**json.loads(out), "process_ms": wall * 1000})
    return {
        "startup_ms": statistics.median(r["startup_ms"] for r in runs),
        "process_ms": statistics.median(r["process_ms"] for r in runs),
        "peak_rss_mb": max(r["peak_rss_kib"] for r in runs) * 1024 / MB,
    }


# the list queries -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Query:
    name: str
    call: str
    run: Callable[[Session], Awaitable[Sized]]
    writes: bool = False  # run inside BEGIN IMMEDIATE … ROLLBACK


@dataclass(frozen=True)
class Picks:
    """The busiest board, people and case of the data set: the heaviest lists there are."""

    board: int
    case_user: int
    action_owner: int
    coordinator: int
    meeting_user: int
    member_boards: list[int]
    escalation_user: int
    coordinator_boards: list[int]
    case: int
    case_since: datetime


async def _one_int(session: Session, sql: str, params: tuple[Any, ...] = ()) -> int:
    rows = list(await session.conn.execute_fetchall(sql, params))
    return int(rows[0][0])


async def picks(db: Database) -> Picks:
    from bot.actions.rules import ACTIVE
    from bot.cases.rules import OPEN_STATUSES
    from bot.kernel.policy import COORDINATORS, Role

    open_marks = ", ".join("?" for _ in OPEN_STATUSES)
    active_marks = ", ".join("?" for _ in ACTIVE)
    async with db.read() as session:
        board = await _one_int(
            session,
            f"SELECT board_id FROM cases WHERE status IN ({open_marks})"
            " GROUP BY board_id ORDER BY COUNT(*) DESC, board_id LIMIT 1",
            tuple(OPEN_STATUSES),
        )
        case_user = await _one_int(
            session,
            "SELECT t.user_id FROM case_team t JOIN cases c ON c.id = t.case_id"
            f" WHERE c.status IN ({open_marks})"
            " GROUP BY t.user_id ORDER BY COUNT(*) DESC, t.user_id LIMIT 1",
            tuple(OPEN_STATUSES),
        )
        owner = await _one_int(
            session,
            "SELECT owner_id FROM actions WHERE owner_id IS NOT NULL"
            f" AND status IN ({active_marks})"
            " GROUP BY owner_id ORDER BY COUNT(*) DESC, owner_id LIMIT 1",
            tuple(ACTIVE),
        )
        coordinator = await _one_int(
            session,
            "SELECT m.user_id FROM memberships m WHERE m.status = 'active'"
            " AND m.role IN ('coordinator', 'deputy') GROUP BY m.user_id ORDER BY COUNT(*) DESC,"
            " (SELECT COUNT(*) FROM case_team t WHERE t.user_id = m.user_id AND t.role = 'lead')"
            " DESC, m.user_id LIMIT 1",
        )
        # The boards as the bot finds them (upcoming_for, escalations' listing): the person's
        # active memberships, for whoever has the most upcoming meetings or open escalations.
        meeting_user = await _one_int(
            session,
            "SELECT m.user_id FROM memberships m JOIN meetings g ON g.board_id = m.board_id"
            " WHERE m.status = 'active' AND (g.status = 'polling' OR (g.status = 'scheduled'"
            " AND g.starts_at + g.duration_minutes * 60 > ?))"
            " GROUP BY m.user_id ORDER BY COUNT(*) DESC, m.user_id LIMIT 1",
            (to_ts(NOW),),
        )
        escalation_user = await _one_int(
            session,
            "SELECT m.user_id FROM memberships m JOIN escalations e ON e.board_id = m.board_id"
            " WHERE m.status = 'active' AND m.role IN ('coordinator', 'deputy')"
            " AND e.status IN ('open', 'acknowledged')"
            " GROUP BY m.user_id ORDER BY COUNT(*) DESC, m.user_id LIMIT 1",
        )
        attends = await session.boards.memberships_of(meeting_user)
        coordinates = await session.boards.memberships_of(escalation_user)
        case = await _one_int(
            session,
            "SELECT case_id FROM (SELECT case_id FROM actions UNION ALL"
            " SELECT case_id FROM proposals UNION ALL"
            " SELECT case_id FROM escalations WHERE case_id IS NOT NULL)"
            " GROUP BY case_id ORDER BY COUNT(*) DESC, case_id LIMIT 1",
        )
        record = await session.cases.get(case)
        assert record is not None
    return Picks(
        board=board,
        case_user=case_user,
        action_owner=owner,
        coordinator=coordinator,
        meeting_user=meeting_user,
        member_boards=[m.board_id for m in attends],
        escalation_user=escalation_user,
        coordinator_boards=[m.board_id for m in coordinates if Role(m.role) in COORDINATORS],
        case=case,
        case_since=record.created_at,
    )


async def _page(session: Session, board_id: int, statuses: tuple[str, ...]) -> Sized:
    from handlers.case_lists import PAGE_SIZE

    cases, _ = await session.cases.page_for_board(board_id, statuses, None, 0, PAGE_SIZE)
    return cases


def queries(p: Picks) -> list[Query]:
    from bot.actions.rules import ACTIVE
    from bot.cases.rules import OPEN_STATUSES, TIMELINE_PAGE
    from bot.kernel.outbox import BATCH_SIZE, PER_CHAT_CLAIM
    from bot.privacy.service import AUDIT_PAGE
    from handlers.case_lists import PAGE_SIZE
    from storage.privacy import PrivacyRepository

    found = [
        Query(
            "a board's open cases",
            f"cases.for_board({p.board}, OPEN_STATUSES)",
            lambda s: s.cases.for_board(p.board, OPEN_STATUSES),
        ),
        Query(
            "a page of a board's open cases (/cases)",
            f"cases.page_for_board({p.board}, OPEN_STATUSES, None, 0, {PAGE_SIZE})",
            lambda s: _page(s, p.board, OPEN_STATUSES),
        ),
        Query(
            "one person's cases",
            f"cases.for_user({p.case_user}, OPEN_STATUSES)",
            lambda s: s.cases.for_user(p.case_user, OPEN_STATUSES),
        ),
        Query(
            "a board's active actions",
            f"actions.for_board({p.board}, ACTIVE)",
            lambda s: s.actions.for_board(p.board, ACTIVE),
        ),
        Query(
            "one person's actions",
            f"actions.owned_by({p.action_owner}, ACTIVE)",
            lambda s: s.actions.owned_by(p.action_owner, ACTIVE),
        ),
        Query(
            "actions waiting for an owner",
            f"actions.unowned_for({p.coordinator})",
            lambda s: s.actions.unowned_for(p.coordinator),
        ),
        Query(
            "upcoming meetings",
            f"meetings.upcoming({p.member_boards}, now)",
            lambda s: s.meetings.upcoming(p.member_boards, NOW),
        ),
        Query(
            "open escalations on boards",
            f"escalations.open_on({p.coordinator_boards})",
            lambda s: s.escalations.open_on(p.coordinator_boards),
        ),
        Query(
            "outbox claim (rolled back)",
            f"outbox.claim_due(now, {BATCH_SIZE}, per_chat={PER_CHAT_CLAIM})",
            lambda s: s.outbox.claim_due(NOW, BATCH_SIZE, per_chat=PER_CHAT_CLAIM),
            writes=True,
        ),
        Query(
            "a case's timeline page",
            f"cases.events({p.case}, 0, {TIMELINE_PAGE})",
            lambda s: s.cases.events(p.case, 0, TIMELINE_PAGE),
        ),
    ]
    if hasattr(PrivacyRepository, "audit_of_case"):
        found.append(
            Query(
                "a case's audit",
                f"privacy.audit_of_case({p.case}, created, {AUDIT_PAGE})",
                lambda s: getattr(s.privacy, "audit_of_case")(  # noqa: B009  # may be absent
                    p.case, p.case_since, AUDIT_PAGE
                ),
            )
        )
    return found


_FULL_SCAN = re.compile(r"^SCAN (?!CONSTANT ROW|\(subquery)")


def verdict(steps: list[str]) -> str:
    """``SCAN`` when a table (or the whole of one of its indexes) is read from end to end;
    ``index`` when every table is reached through a search of an index or the primary key."""
    return "SCAN" if any(_FULL_SCAN.match(step) for step in steps) else "index"


async def measure(db: Database, query: Query) -> dict[str, Any]:
    timings: list[float] = []
    rows = 0
    statements: list[str] = []
    gc.collect()  # not the build's garbage collected during a timed run
    async with db.read() as session:
        for _ in range(QUERY_RUNS + 1):
            if query.writes:
                await session.conn.execute("BEGIN IMMEDIATE")
            started = time.perf_counter()
            result = await query.run(session)
            timings.append(time.perf_counter() - started)
            if query.writes:
                await _raw(session).rollback()
            rows = len(result)
        # Once more, traced: the statements exactly as the repository runs them (values bound
        # in), not copies of them that could drift.
        await _raw(session).set_trace_callback(statements.append)
        if query.writes:
            await session.conn.execute("BEGIN IMMEDIATE")
        await query.run(session)
        if query.writes:
            await _raw(session).rollback()
        await _raw(session).set_trace_callback(None)  # type: ignore[arg-type]  # sqlite3 takes None
        plans: list[dict[str, Any]] = []
        for sql in statements:
            if sql.split(None, 1)[0].upper() not in {"SELECT", "UPDATE", "WITH", "DELETE"}:
                continue
            plan = await session.conn.execute_fetchall(f"EXPLAIN QUERY PLAN {sql}")
            steps = [str(row[3]) for row in plan]
            plans.append({"sql": sql, "plan": steps, "verdict": verdict(steps)})
    first, runs = timings[0], timings[1:]
    return {
        "name": query.name,
        "call": query.call,
        "rows": rows,
        "first_ms": first * 1000,
        "median_ms": statistics.median(runs) * 1000,
        "max_ms": max(runs) * 1000,
        "statements": plans,
        "verdict": "SCAN" if any(p["verdict"] == "SCAN" for p in plans) else "index",
    }


async def table_sizes(db: Database) -> dict[str, float]:
    """MB per table and index, where this SQLite has the ``dbstat`` table."""
    async with db.read() as session:
        try:
            rows = await session.conn.execute_fetchall(
                "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
            )
        except Exception:  # built without SQLITE_ENABLE_DBSTAT_VTAB
            return {}
    return {str(row[0]): int(row[1]) / MB for row in rows}


async def main(scale: float) -> dict[str, Any]:
    sizes = Sizes.at(scale)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "storage.sqlite3"
        counts, build_s = await build(path, sizes)
        db_mb = path.stat().st_size / MB
        started = await startup(path)
        db = await SqliteDatabase.open(path)
        try:
            chosen = await picks(db)
            measured = [await measure(db, query) for query in queries(chosen)]
            by_table = await table_sizes(db)
        finally:
            await db.close()
    return {
        "benchmark": "storage",
        "scale": scale,
        "machine": machine(),
        "sizes": asdict(sizes),
        "rows": counts,
        "build_s": build_s,
        "db_mb": db_mb,
        "mb_by_table": by_table,
        "startup": started,
        "picks": {**asdict(chosen), "case_since": chosen.case_since.isoformat()},
        "queries": measured,
    }


def _print(result: dict[str, Any]) -> None:
    rows = result["rows"]
    print(
        f"{rows['boards']:,} boards, {rows['memberships']:,} memberships, {rows['cases']:,} cases"
        f" ({rows['case_team']:,} team, {rows['case_events']:,} events), {rows['proposals']:,}"
        f" proposals ({rows['votes']:,} votes), {rows['actions']:,} actions,"
        f" {rows['meetings']:,} meetings, {rows['escalations']:,} escalations,"
        f" {rows['outbox']:,} outbox, {rows['audit_log']:,} audit; built in"
        f" {result['build_s']:.0f} s"
    )
    start = result["startup"]
    print(f"{'measure':<36}{'call':<48}{'rows':>6}{'median':>12}{'max':>10}  plan")
    print(f"{'database size':<36}{'':<48}{'':>6}{result['db_mb']:>9.1f} MB")
    print(
        f"{'start-up in a fresh process':<36}{'open, migrate, recover, next_due':<48}{'':>6}"
        f"{start['startup_ms']:>9.1f} ms"
    )
    print(f"{'  whole process (python to exit)':<36}{'':<48}{'':>6}{start['process_ms']:>9.1f} ms")
    print(f"{'  peak RSS (VmHWM)':<36}{'':<48}{'':>6}{start['peak_rss_mb']:>9.1f} MB")
    for q in result["queries"]:
        call = q["call"] if len(q["call"]) <= 46 else q["call"][:45] + "…"
        print(
            f"{q['name']:<36}{call:<48}{q['rows']:>6}{q['median_ms']:>9.2f} ms"
            f"{q['max_ms']:>7.2f} ms  {q['verdict']}"
        )
    for q in result["queries"]:
        for statement in q["statements"]:
            if statement["verdict"] == "SCAN":
                print(f"SCAN in {q['call']}: {' / '.join(statement['plan'])}")
                print(f"  {statement['sql']}")
    print(
        f"scale {result['scale']}; queries: median of {QUERY_RUNS} on a warm connection"
        f" (the file was just written, so in the page cache); {result['machine']}"
    )


def _raw(session: Session) -> aiosqlite.Connection:
    """The aiosqlite connection under a session (these measurements are of SQLite's)."""
    conn = session.conn
    assert isinstance(conn, SqliteConnection)
    return conn.raw


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/storage.json"))
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(asyncio.run(child_startup(args.child))))
        sys.exit(0)
    outcome = asyncio.run(main(args.scale))
    _print(outcome)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(outcome, indent=2, ensure_ascii=False))
