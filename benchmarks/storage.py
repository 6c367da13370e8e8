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
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sized
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks import nudges as nudges_benchmark
from benchmarks.nudges import machine
from storage import Database, Session
from storage.timeconv import to_ts

# The bot's own modules (statuses, sectors, page sizes) are imported where they are used, so that
# the start-up child (``--child``) loads only what opening the outbox needs.

NOW = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
HISTORY_SECONDS = 2 * 365 * 86_400
DAY = 86_400
SEED = 20260105
INSERT_BATCH = 50_000
QUERY_RUNS = 20
STARTUP_RUNS = 3
MB = 1_000_000
FIRST_USER = 500_000_000
FIRST_CHAT = -1_001_000_000_000
PEOPLE_PER_SEAT = 0.8
"""20 seats a board over 80% as many people: a quarter of the people sit on two boards."""
ROOT = Path(__file__).resolve().parent.parent

CASE_STATUS_WEIGHTS = {
    "raised": 8,
    "accepted": 8,
    "in_supervision": 10,
    "plan_agreed": 12,
    "monitoring": 18,
    "review_due": 6,
    "reopened": 3,
    "declined": 5,
    "closed": 30,
}
"""Weights over bot.cases.STATUSES: 65% of the cases are open."""
EVENT_KINDS = ("status", "note", "edited", "team_lead", "carousel", "moves")
PROPOSAL_STATUS_WEIGHTS = {
    "accepted": 45,
    "rejected": 10,
    "no_quorum": 5,
    "withdrawn": 5,
    "open": 25,
    "draft": 10,
}
VOTE_CHOICES = ("agree", "agree", "agree", "abstain", "disagree", "block")
ACTION_STATUS_WEIGHTS = {"open": 45, "blocked": 5, "done": 40, "cancelled": 10}
MEETING_STATUS_WEIGHTS = {"scheduled": 75, "polling": 15, "cancelled": 10}
MEETING_KINDS = ("supervision", "board_session", "case_conference")
ESCALATION_STATUS_WEIGHTS = {"open": 20, "acknowledged": 15, "resolved": 55, "withdrawn": 10}
ESCALATION_KINDS = ("risk", "stalled", "disagreement", "no_response", "other")
URGENCIES = ("routine", "soon", "urgent")
OUTBOX_STATE_WEIGHTS = {
    "sent": 950,
    "pending": 30,
    "cancelled": 10,
    "dropped": 5,
    "undeliverable": 5,
}
# (kind, subject type, private): what the bot really queues, by how often.
OUTBOX_KINDS = (
    ("nudge", "case", True),
    ("nudge", "action", True),
    ("case_notice", "case", True),
    ("case_card", "case", False),
    ("vote_post", "proposal", False),
    ("vote_reminder", "proposal", True),
    ("vote_result", "proposal", False),
    ("action_assign", "action", True),
    ("meeting_post", "meeting", False),
    ("meeting_reminder", "meeting", True),
    ("esc_notice", "escalation", True),
    ("digest", None, True),
)
OUTBOX_KIND_WEIGHTS = (25, 15, 10, 5, 5, 10, 5, 5, 3, 10, 2, 5)
AUDIT_SUBJECTS = (
    ("case", ("case.raised", "case.details_read", "case.status_changed", "case.note_added")),
    ("proposal", ("proposal.drafted", "proposal.voted", "proposal.closed")),
    ("action", ("action.assigned", "action.done", "action.snoozed")),
    ("escalation", ("escalation.raised", "escalation.acknowledged")),
    ("meeting", ("meeting.scheduled", "meeting.rsvp")),
    ("membership", ("board.member_approved", "board.role_changed")),
    ("board", ("board.setting_changed",)),
)
AUDIT_SUBJECT_WEIGHTS = (50, 10, 15, 2, 8, 10, 5)


@dataclass(frozen=True)
class Sizes:
    boards: int
    members_per_board: int
    cases: int
    events_per_case: int
    proposals: int
    votes_per_proposal: int
    actions: int
    meetings: int
    escalations: int
    outbox: int
    audit: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        """Everything but the per-board and per-case counts grows with ``scale``."""

        def scaled(count: int) -> int:
            return max(1, round(count * scale))

        return cls(
            boards=scaled(1_000),
            members_per_board=20,
            cases=scaled(100_000),
            events_per_case=5,
            proposals=scaled(10_000),
            votes_per_proposal=5,
            actions=scaled(50_000),
            meetings=scaled(5_000),
            escalations=scaled(2_000),
            outbox=scaled(1_000_000),
            audit=scaled(500_000),
        )


@dataclass
class World:
    """What the generator needs to remember to make rows that point at each other sensibly."""

    rng: random.Random
    members: list[list[int]] = field(default_factory=list)  # per board (index = id - 1)
    active: list[list[int]] = field(default_factory=list)
    chats: list[int] = field(default_factory=list)
    case_board: list[int] = field(default_factory=list)  # per case (index = id - 1)
    case_created: list[int] = field(default_factory=list)
    board_cases: list[list[int]] = field(default_factory=list)
    proposal_case: list[int] = field(default_factory=list)
    action_case: list[int] = field(default_factory=list)
    meeting_board: list[int] = field(default_factory=list)
    escalation_board: list[int] = field(default_factory=list)
    escalation_case: list[int | None] = field(default_factory=list)

    def board_of(self, subject_type: str, subject_id: int) -> int:
        index = subject_id - 1
        if subject_type == "case":
            return self.case_board[index]
        if subject_type == "proposal":
            return self.case_board[self.proposal_case[index] - 1]
        if subject_type == "action":
            return self.case_board[self.action_case[index] - 1]
        if subject_type == "meeting":
            return self.meeting_board[index]
        if subject_type == "escalation":
            return self.escalation_board[index]
        return subject_id  # a board

    def since(self, subject_type: str, subject_id: int) -> int:
        """When a subject's story starts (its case's creation where it has one)."""
        case: int | None = None
        if subject_type == "case":
            case = subject_id
        elif subject_type == "proposal":
            case = self.proposal_case[subject_id - 1]
        elif subject_type == "action":
            case = self.action_case[subject_id - 1]
        elif subject_type == "escalation":
            case = self.escalation_case[subject_id - 1]
        start = to_ts(NOW) - HISTORY_SECONDS
        return start if case is None else self.case_created[case - 1]

    def between(self, start: int, end: int) -> int:
        return start + int(self.rng.random() * max(1, end - start))


def _weighted(rng: random.Random, weights: dict[str, int], k: int) -> list[str]:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


async def _insert(db: Database, sql: str, rows: Iterable[tuple[Any, ...]]) -> int:
    """Big ``executemany`` batches, each in one transaction."""
    count = 0
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == INSERT_BATCH:
            async with db.transaction() as session:
                await session.conn.executemany(sql, batch)
            count += len(batch)
            batch = []
    if batch:
        async with db.transaction() as session:
            await session.conn.executemany(sql, batch)
        count += len(batch)
    return count


def _people(sizes: Sizes, world: World) -> tuple[Iterator[tuple[Any, ...]], ...]:
    from bot.boards.rules import SECTORS

    rng = world.rng
    seats_per_board = sizes.members_per_board
    seats = sizes.boards * seats_per_board
    pool = max(sizes.members_per_board, int(seats * PEOPLE_PER_SEAT))
    pool -= pool % sizes.members_per_board  # whole boards wrap round: no one sits twice on one
    start = to_ts(NOW) - HISTORY_SECONDS
    users = ((FIRST_USER + i, "bg", "bg", 1, start, start) for i in range(pool))
    boards: list[tuple[Any, ...]] = []
    memberships: list[tuple[Any, ...]] = []
    for b in range(sizes.boards):
        board_id = b + 1
        chat = FIRST_CHAT - b
        seated = [
            FIRST_USER + (b * sizes.members_per_board + j) % pool
            for j in range(sizes.members_per_board)
        ]
        world.chats.append(chat)
        world.members.append(seated)
        boards.append(
            (board_id, chat, f"Board {board_id}", f"join{board_id:06d}", seated[0], start, "BD")
        )
        active: list[int] = []
        for j, user_id in enumerate(seated):
            role = {0: "coordinator", 1: "deputy", seats_per_board - 1: "observer"}.get(j, "member")
            status = "active"
            if j >= 2 and (b + j) % 23 == 0:
                status = "removed"
            elif j >= 2 and (b + j) % 29 == 0:
                status = "pending"
            if status == "active":
                active.append(user_id)
            memberships.append(
                (
                    board_id,
                    user_id,
                    role,
                    SECTORS[j % len(SECTORS)] if j < len(SECTORS) else rng.choice(SECTORS),
                    status,
                    f"Member {j}",
                    1,
                    start,
                    start,
                    start,
                )
            )
        world.active.append(active)
    return users, iter(boards), iter(memberships)


def _cases(sizes: Sizes, world: World) -> Iterator[tuple[Any, ...]]:
    from bot.boards.rules import SECTORS
    from bot.cases.rules import ALL_FACTORS, CRITERIA, STATUSES

    assert set(CASE_STATUS_WEIGHTS) == set(STATUSES), "the weights must cover bot.cases.STATUSES"
    rng = world.rng
    world.board_cases = [[] for _ in range(sizes.boards)]
    statuses = _weighted(rng, CASE_STATUS_WEIGHTS, sizes.cases)
    now = to_ts(NOW)
    for i in range(sizes.cases):
        case_id = i + 1
        board_id = rng.randrange(sizes.boards) + 1
        created = now - rng.randrange(HISTORY_SECONDS)
        world.case_board.append(board_id)
        world.case_created.append(created)
        world.board_cases[board_id - 1].append(case_id)
        yield (
            case_id,
            board_id,
            f"BD-{case_id:06d}",
            f"момче, {rng.randrange(2, 18)} г.",
            ",".join(rng.sample(CRITERIA, 2)),
            ",".join(rng.sample(ALL_FACTORS, 3)),
            rng.choice(SECTORS),
            rng.choice(SECTORS),
            rng.choice(URGENCIES),
            rng.choice(("consent", "statutory")),
            "Три смени на училище за година; няма общ план между службите.",
            statuses[i],
            rng.choice(world.active[board_id - 1]),
            created,
            world.between(created, now),
        )


def _team(world: World) -> Iterator[tuple[Any, ...]]:
    rng = world.rng
    for index, board_id in enumerate(world.case_board):
        people = rng.sample(world.active[board_id - 1], rng.randint(1, 3))
        for user_id, role in zip(people, ("lead", "keyworker", "contributor"), strict=False):
            yield (index + 1, user_id, role)


def _events(sizes: Sizes, world: World) -> Iterator[tuple[Any, ...]]:
    rng = world.rng
    now = to_ts(NOW)
    for index, board_id in enumerate(world.case_board):
        at = world.case_created[index]
        actors = world.active[board_id - 1]
        yield (index + 1, at, rng.choice(actors), "raised", "{}")
        for _ in range(sizes.events_per_case - 1):
            at = world.between(at, now)
            kind = rng.choice(EVENT_KINDS)
            yield (index + 1, at, rng.choice(actors), kind, json.dumps({"kind": kind}))


def _proposals(sizes: Sizes, world: World) -> tuple[list[tuple[Any, ...]], list[int]]:
    """The proposals (and which of them were accepted, to become actions)."""
    rng = world.rng
    now = to_ts(NOW)
    statuses = _weighted(rng, PROPOSAL_STATUS_WEIGHTS, sizes.proposals)
    rows: list[tuple[Any, ...]] = []
    accepted: list[int] = []
    for i in range(sizes.proposals):
        proposal_id = i + 1
        case_id = rng.randrange(sizes.cases) + 1
        board_id = world.case_board[case_id - 1]
        created = world.between(world.case_created[case_id - 1], now)
        status = statuses[i]
        opened = None if status == "draft" else created + 3600
        closes = None if opened is None else opened + 72 * 3600
        closed = closes if status not in ("draft", "open") else None
        world.proposal_case.append(case_id)
        if status == "accepted":
            accepted.append(proposal_id)
        rows.append(
            (
                proposal_id,
                board_id,
                case_id,
                "Общ план с училището и семейството",
                rng.choice(world.active[board_id - 1]),
                status,
                rng.choice(("consent", "majority")),
                50,
                72,
                created,
                opened,
                closes,
                closed,
            )
        )
    return rows, accepted


def _votes(
    sizes: Sizes, world: World, proposals: list[tuple[Any, ...]]
) -> Iterator[tuple[Any, ...]]:
    rng = world.rng
    for row in proposals:
        if row[5] == "draft":
            continue
        voters = world.active[row[1] - 1]
        for user_id in rng.sample(voters, min(sizes.votes_per_proposal, len(voters))):
            yield (row[0], user_id, rng.choice(VOTE_CHOICES), row[10])


def _actions(sizes: Sizes, world: World, accepted: list[int]) -> Iterator[tuple[Any, ...]]:
    rng = world.rng
    now = to_ts(NOW)
    statuses = _weighted(rng, ACTION_STATUS_WEIGHTS, sizes.actions)
    today = NOW.date()
    for i in range(sizes.actions):
        proposal_id = accepted[i] if i < len(accepted) else None
        if proposal_id is not None:
            case_id = world.proposal_case[proposal_id - 1]
        else:
            case_id = rng.randrange(sizes.cases) + 1
        board_id = world.case_board[case_id - 1]
        created = world.between(world.case_created[case_id - 1], now)
        owner = None if rng.random() < 0.15 else rng.choice(world.active[board_id - 1])
        due: date | None = None
        if rng.random() < 0.8:
            due = today + timedelta(days=rng.randrange(-60, 90))
        status = statuses[i]
        world.action_case.append(case_id)
        yield (
            i + 1,
            board_id,
            case_id,
            proposal_id,
            "Среща с класния ръководител",
            owner,
            None if due is None else due.isoformat(),
            status,
            created,
            created,
            created if status in ("done", "cancelled") else None,
        )


def _meetings(sizes: Sizes, world: World) -> Iterator[tuple[Any, ...]]:
    rng = world.rng
    now = to_ts(NOW)
    statuses = _weighted(rng, MEETING_STATUS_WEIGHTS, sizes.meetings)
    for i in range(sizes.meetings):
        board_id = rng.randrange(sizes.boards) + 1
        world.meeting_board.append(board_id)
        status = statuses[i]
        starts = None if status == "polling" else now + rng.randrange(-180 * DAY, 60 * DAY)
        created = now - rng.randrange(200 * DAY)
        yield (
            i + 1,
            board_id,
            rng.choice(MEETING_KINDS),
            status,
            starts,
            90,
            "Общината, зала 3",
            world.members[board_id - 1][0],
            created,
            created,
        )


def _escalations(sizes: Sizes, world: World) -> Iterator[tuple[Any, ...]]:
    rng = world.rng
    now = to_ts(NOW)
    statuses = _weighted(rng, ESCALATION_STATUS_WEIGHTS, sizes.escalations)
    for i in range(sizes.escalations):
        board_id = rng.randrange(sizes.boards) + 1
        cases = world.board_cases[board_id - 1]
        case_id = rng.choice(cases) if cases and rng.random() < 0.7 else None
        world.escalation_board.append(board_id)
        world.escalation_case.append(case_id)
        created = now - rng.randrange(120 * DAY)
        yield (
            i + 1,
            board_id,
            case_id,
            rng.choice(world.active[board_id - 1]),
            rng.choice(ESCALATION_KINDS),
            rng.choice(URGENCIES),
            "Няма отговор от службата от три седмици.",
            statuses[i],
            rng.randrange(3),
            created,
            created,
        )


def _subject_id(sizes: Sizes, rng: random.Random, subject_type: str | None) -> int | None:
    counts = {
        "case": sizes.cases,
        "proposal": sizes.proposals,
        "action": sizes.actions,
        "meeting": sizes.meetings,
        "escalation": sizes.escalations,
        "board": sizes.boards,
        "membership": sizes.boards,
    }
    return None if subject_type is None else rng.randrange(counts[subject_type]) + 1


def _outbox(sizes: Sizes, world: World) -> Iterator[tuple[Any, ...]]:
    rng = world.rng
    now = to_ts(NOW)
    payload = json.dumps({"key": "nudge.case_stalled", "code": "BD-000001"}, ensure_ascii=False)
    for low in range(0, sizes.outbox, INSERT_BATCH):
        n = min(INSERT_BATCH, sizes.outbox - low)
        kinds = rng.choices(OUTBOX_KINDS, weights=OUTBOX_KIND_WEIGHTS, k=n)
        states = _weighted(rng, OUTBOX_STATE_WEIGHTS, n)
        for offset in range(n):
            i = low + offset
            kind, subject_type, private = kinds[offset]
            subject_id = _subject_id(sizes, rng, subject_type)
            if subject_type is None or subject_id is None:
                board_id = rng.randrange(sizes.boards) + 1
            else:
                board_id = world.board_of(subject_type, subject_id)
            recipient = rng.choice(world.members[board_id - 1]) if private else None
            state = states[offset]
            if state == "pending":  # from a day overdue to a month ahead
                due = now + rng.randrange(-DAY, 30 * DAY)
            else:
                due = now - rng.randrange(365 * DAY)
            yield (
                board_id,
                world.chats[board_id - 1] if recipient is None else recipient,
                recipient,
                kind,
                subject_type,
                None if subject_id is None else str(subject_id),
                payload,
                due,
                due,
                f"bench:{kind}:{subject_type}:{subject_id}:{i}",
                state,
                0 if state == "pending" else 1,
                "forbidden" if state == "undeliverable" else None,
                1_000 + i if state == "sent" else None,
                due - DAY,
                due,
            )


def _audit(sizes: Sizes, world: World) -> Iterator[tuple[Any, ...]]:
    rng = world.rng
    now = to_ts(NOW)
    for low in range(0, sizes.audit, INSERT_BATCH):
        n = min(INSERT_BATCH, sizes.audit - low)
        subjects = rng.choices(AUDIT_SUBJECTS, weights=AUDIT_SUBJECT_WEIGHTS, k=n)
        for subject_type, actions in subjects:
            subject_id = _subject_id(sizes, rng, subject_type)
            assert subject_id is not None
            board_id = world.board_of(subject_type, subject_id)
            members = world.members[board_id - 1]
            yield (
                world.between(world.since(subject_type, subject_id), now),
                rng.choice(members),
                rng.choice(actions),
                board_id,
                subject_type,
                str(subject_id) if subject_type != "membership" else f"{board_id}:{members[0]}",
                rng.choice((None, world.chats[board_id - 1])),
            )


async def build(path: Path, sizes: Sizes) -> tuple[dict[str, int], float]:
    """The whole database; returns the rows per table and the seconds it took."""
    world = World(random.Random(SEED))
    started = time.perf_counter()
    db = await Database.open(path)
    await db.migrate()
    async with db.read() as session:
        # Build phase only, never measured: no fsync and a large page cache to fill the file
        # fast. Every measurement below reopens with Database.open's own pragmas (WAL,
        # synchronous=NORMAL).
        await session.conn.execute("PRAGMA synchronous = OFF")
        await session.conn.execute("PRAGMA cache_size = -524288")
    users, boards, memberships = _people(sizes, world)
    counts: dict[str, int] = {}
    counts["users"] = await _insert(
        db,
        "INSERT INTO users (id, language, telegram_language, private_chat_open, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        users,
    )
    counts["boards"] = await _insert(
        db,
        "INSERT INTO boards (id, chat_id, title, join_code, created_by, created_at, code_prefix)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        boards,
    )
    counts["memberships"] = await _insert(
        db,
        "INSERT INTO memberships (board_id, user_id, role, sector, status, display_name,"
        " conduct_version, conduct_accepted_at, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        memberships,
    )
    counts["cases"] = await _insert(
        db,
        "INSERT INTO cases (id, board_id, code, label, criteria, factors, lead_sector,"
        " other_sectors, urgency, legal_basis, summary, status, raised_by, created_at,"
        " last_activity_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _cases(sizes, world),
    )
    counts["case_team"] = await _insert(
        db, "INSERT INTO case_team (case_id, user_id, role) VALUES (?, ?, ?)", _team(world)
    )
    counts["case_events"] = await _insert(
        db,
        "INSERT INTO case_events (case_id, at, actor_id, kind, detail) VALUES (?, ?, ?, ?, ?)",
        _events(sizes, world),
    )
    proposals, accepted = _proposals(sizes, world)
    counts["proposals"] = await _insert(
        db,
        "INSERT INTO proposals (id, board_id, case_id, title, proposed_by, status, outcome_rule,"
        " quorum_percent, duration_hours, created_at, opened_at, closes_at, closed_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        proposals,
    )
    counts["votes"] = await _insert(
        db,
        "INSERT INTO votes (proposal_id, user_id, choice, at) VALUES (?, ?, ?, ?)",
        _votes(sizes, world, proposals),
    )
    counts["actions"] = await _insert(
        db,
        "INSERT INTO actions (id, board_id, case_id, proposal_id, title, owner_id, due_on,"
        " status, created_at, updated_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _actions(sizes, world, accepted),
    )
    counts["meetings"] = await _insert(
        db,
        "INSERT INTO meetings (id, board_id, kind, status, starts_at, duration_minutes, place,"
        " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _meetings(sizes, world),
    )
    counts["escalations"] = await _insert(
        db,
        "INSERT INTO escalations (id, board_id, case_id, raised_by, kind, urgency, description,"
        " status, level, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _escalations(sizes, world),
    )
    counts["outbox"] = await _insert(
        db,
        "INSERT INTO outbox (board_id, chat_id, recipient_id, kind, subject_type, subject_id,"
        " payload, due_at, send_after, dedupe_key, state, attempts, reason, message_id,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _outbox(sizes, world),
    )
    counts["audit_log"] = await _insert(
        db,
        "INSERT INTO audit_log (at, actor_id, action, board_id, subject_type, subject_id,"
        " chat_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        _audit(sizes, world),
    )
    await db.checkpoint()
    await db.close()
    return counts, time.perf_counter() - started


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


def queries(p: Picks) -> list[Query]:
    from bot.actions.rules import ACTIVE
    from bot.cases.rules import OPEN_STATUSES, TIMELINE_PAGE
    from bot.kernel.outbox import BATCH_SIZE
    from bot.privacy.service import AUDIT_PAGE
    from storage.privacy import PrivacyRepository

    found = [
        Query(
            "a board's open cases",
            f"cases.for_board({p.board}, OPEN_STATUSES)",
            lambda s: s.cases.for_board(p.board, OPEN_STATUSES),
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
            f"outbox.claim_due(now, {BATCH_SIZE})",
            lambda s: s.outbox.claim_due(NOW, BATCH_SIZE),
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
                await session.conn.rollback()
            rows = len(result)
        # Once more, traced: the statements exactly as the repository runs them (values bound
        # in), not copies of them that could drift.
        await session.conn.set_trace_callback(statements.append)
        if query.writes:
            await session.conn.execute("BEGIN IMMEDIATE")
        await query.run(session)
        if query.writes:
            await session.conn.rollback()
        await session.conn.set_trace_callback(None)  # type: ignore[arg-type]  # sqlite3 takes None
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
        db = await Database.open(path)
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
