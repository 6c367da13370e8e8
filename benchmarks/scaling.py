"""Flat with the board's size: ``/cases`` at 10, 1,000 and 100,000 cases, and a vote press on a
board of 20 and of 500 members, through the whole stack (the harness, the real application,
SQLite on disk). Medians of many runs, each size in the same run, so the ratios are what counts.

    python -m benchmarks.scaling [--cases 10,1000,100000] [--members 20,500]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.report import publish, stamp
from fakegram.harness import Harness
from storage.models import MembershipStatus
from tests.kit.cases import board_with_member, raise_case
from tests.kit.votes import board_with_case, open_vote

RUNS = 25
SECTORS = ("education", "social_services", "health", "police", "municipality", "ngo")
CASE_COLUMNS = (
    "board_id, label, criteria, factors, lead_sector, other_sectors, urgency, legal_basis,"
    " summary, status, raised_by, created_at, last_activity_at, carousel_at, strengths, needs,"
    " child_view, child_view_on, interventions"
)


class _Quiet(list[str]):
    def append(self, item: str) -> None:
        return None

    def extend(self, items: Any) -> None:
        return None


def _one(rows: Any) -> int:
    return int(next(iter(rows))[0])


async def _timed(run: Any) -> float:
    started = time.perf_counter()
    await run()
    return time.perf_counter() - started


async def cases_list(count: int, folder: Path) -> dict[str, Any]:
    """A board with ``count`` open cases (one raised through the dialogue, the rest copies of
    it with their own codes); the median of ``/cases`` in the group."""
    async with Harness.running(folder / f"cases-{count}.sqlite3") as h:
        h.transcript = _Quiet()
        group, maria, ivan = await board_with_member(h)
        await raise_case(h, group, ivan)
        await h.dispatch()
        async with h.db.transaction() as session:
            await session.conn.execute_fetchall(
                f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
                f" INSERT INTO cases (code, {CASE_COLUMNS})"
                f" SELECT printf('BN-%07d', i), {CASE_COLUMNS}"
                " FROM n, (SELECT * FROM cases LIMIT 1)",
                (count - 1,),
            )
        for _ in range(3):  # warm
            await h.in_group(group, maria, "/cases")
        times = [await _timed(lambda: h.in_group(group, maria, "/cases")) for _ in range(RUNS)]
        async with h.db.read() as session:
            stored = _one(await session.conn.execute_fetchall("SELECT COUNT(*) FROM cases"))
    return {"cases": stored, "median_ms": statistics.median(times) * 1000}


async def vote_press(members: int, folder: Path) -> dict[str, Any]:
    """A board of ``members`` members with an open vote; the median press, each by another
    member (a first vote or a changed one)."""
    async with Harness.running(folder / f"vote-{members}.sqlite3") as h:
        h.transcript = _Quiet()
        b = await board_with_case(h)
        extra = [h.person(f"Член {n}") for n in range(max(members - 6, 0))]
        now = h.clock.now()
        async with h.db.transaction() as session:
            board = await session.boards.by_chat(b.group.id)
            assert board is not None
            for n, person in enumerate(extra):
                await session.users.remember(person.id, "bg", True, now)
                await session.boards.add_member(
                    board.id,
                    person.id,
                    "member",
                    SECTORS[n % len(SECTORS)],
                    MembershipStatus.ACTIVE,
                    now,
                )
        vote = await open_vote(h, b)
        await h.dispatch()
        voters = [*b.voters, *extra]
        choices = ("agree", "disagree")
        times = []
        for n in range(RUNS * 2):
            person, choice = voters[n % len(voters)], choices[(n // len(voters)) % 2]
            started = time.perf_counter()
            await h.press(person, vote, key=f"vote.choice.{choice}")
            times.append(time.perf_counter() - started)
        async with h.db.read() as session:
            seated = _one(
                await session.conn.execute_fetchall(
                    "SELECT COUNT(*) FROM memberships WHERE board_id = ? AND status = 'active'",
                    (board.id,),
                )
            )
    return {"members": seated, "median_ms": statistics.median(times) * 1000}


async def main(case_counts: list[int], member_counts: list[int]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        cases = [await cases_list(count, Path(folder)) for count in case_counts]
        votes = [await vote_press(count, Path(folder)) for count in member_counts]
    return {
        "benchmark": "scaling",
        **stamp(),
        "cases": cases,
        "votes": votes,
        "cases_ratio": cases[-1]["median_ms"] / cases[0]["median_ms"],
        "votes_ratio": votes[-1]["median_ms"] / votes[0]["median_ms"],
    }


def _print(result: dict[str, Any]) -> None:
    print(f"{'open cases':>12}{'/cases ms':>12}")
    for row in result["cases"]:
        print(f"{row['cases']:>12,}{row['median_ms']:>12.2f}")
    print(f"{'members':>12}{'vote press ms':>16}")
    for row in result["votes"]:
        print(f"{row['members']:>12,}{row['median_ms']:>16.2f}")
    print(
        f"/cases at the largest size costs {result['cases_ratio']:.2f}× the smallest; a vote "
        f"press {result['votes_ratio']:.2f}× ({result['machine']}, {result['date']})"
    )


def _counts(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=_counts, default=[10, 1000, 100_000])
    parser.add_argument("--members", type=_counts, default=[20, 500])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/scaling.json"))
    args = parser.parse_args()
    publish(asyncio.run(main(args.cases, args.members)), args.out, _print)
