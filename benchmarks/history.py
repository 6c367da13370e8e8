"""A database at the size of a large deployment, filled by bulk inserts (not the bot's own code
paths): boards, members, cases with teams and timelines, proposals and votes, actions, meetings,
escalations, outbox and audit rows, with the spread of statuses a real board has. Used by
:mod:`benchmarks.storage`."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks.world import (
    ACTION_STATUS_WEIGHTS,
    AUDIT_SUBJECT_WEIGHTS,
    AUDIT_SUBJECTS,
    CASE_STATUS_WEIGHTS,
    DAY,
    ESCALATION_KINDS,
    ESCALATION_STATUS_WEIGHTS,
    EVENT_KINDS,
    FIRST_CHAT,
    FIRST_USER,
    HISTORY_SECONDS,
    INSERT_BATCH,
    MEETING_KINDS,
    MEETING_STATUS_WEIGHTS,
    NOW,
    OUTBOX_KIND_WEIGHTS,
    OUTBOX_KINDS,
    OUTBOX_STATE_WEIGHTS,
    PEOPLE_PER_SEAT,
    PROPOSAL_STATUS_WEIGHTS,
    SEED,
    URGENCIES,
    VOTE_CHOICES,
    Sizes,
    World,
    insert,
    weighted,
)
from storage import SqliteDatabase
from storage.timeconv import to_ts


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
    statuses = weighted(rng, CASE_STATUS_WEIGHTS, sizes.cases)
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
    statuses = weighted(rng, PROPOSAL_STATUS_WEIGHTS, sizes.proposals)
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
    statuses = weighted(rng, ACTION_STATUS_WEIGHTS, sizes.actions)
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
    statuses = weighted(rng, MEETING_STATUS_WEIGHTS, sizes.meetings)
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
    statuses = weighted(rng, ESCALATION_STATUS_WEIGHTS, sizes.escalations)
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
        states = weighted(rng, OUTBOX_STATE_WEIGHTS, n)
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
    db = await SqliteDatabase.open(path)
    await db.migrate()
    async with db.read() as session:
        # Build phase only, never measured: no fsync and a large page cache to fill the file
        # fast. Every measurement below reopens with Database.open's own pragmas (WAL,
        # synchronous=NORMAL).
        await session.conn.execute("PRAGMA synchronous = OFF")
        await session.conn.execute("PRAGMA cache_size = -524288")
    users, boards, memberships = _people(sizes, world)
    counts: dict[str, int] = {}
    counts["users"] = await insert(
        db,
        "INSERT INTO users (id, language, telegram_language, private_chat_open, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        users,
    )
    counts["boards"] = await insert(
        db,
        "INSERT INTO boards (id, chat_id, title, join_code, created_by, created_at, code_prefix)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        boards,
    )
    counts["memberships"] = await insert(
        db,
        "INSERT INTO memberships (board_id, user_id, role, sector, status, display_name,"
        " conduct_version, conduct_accepted_at, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        memberships,
    )
    counts["cases"] = await insert(
        db,
        "INSERT INTO cases (id, board_id, code, label, criteria, factors, lead_sector,"
        " other_sectors, urgency, legal_basis, summary, status, raised_by, created_at,"
        " last_activity_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _cases(sizes, world),
    )
    counts["case_team"] = await insert(
        db, "INSERT INTO case_team (case_id, user_id, role) VALUES (?, ?, ?)", _team(world)
    )
    counts["case_events"] = await insert(
        db,
        "INSERT INTO case_events (case_id, at, actor_id, kind, detail) VALUES (?, ?, ?, ?, ?)",
        _events(sizes, world),
    )
    proposals, accepted = _proposals(sizes, world)
    counts["proposals"] = await insert(
        db,
        "INSERT INTO proposals (id, board_id, case_id, title, proposed_by, status, outcome_rule,"
        " quorum_percent, duration_hours, created_at, opened_at, closes_at, closed_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        proposals,
    )
    counts["votes"] = await insert(
        db,
        "INSERT INTO votes (proposal_id, user_id, choice, at) VALUES (?, ?, ?, ?)",
        _votes(sizes, world, proposals),
    )
    counts["actions"] = await insert(
        db,
        "INSERT INTO actions (id, board_id, case_id, proposal_id, title, owner_id, due_on,"
        " status, created_at, updated_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _actions(sizes, world, accepted),
    )
    counts["meetings"] = await insert(
        db,
        "INSERT INTO meetings (id, board_id, kind, status, starts_at, duration_minutes, place,"
        " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _meetings(sizes, world),
    )
    counts["escalations"] = await insert(
        db,
        "INSERT INTO escalations (id, board_id, case_id, raised_by, kind, urgency, description,"
        " status, level, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _escalations(sizes, world),
    )
    counts["outbox"] = await insert(
        db,
        "INSERT INTO outbox (board_id, chat_id, recipient_id, kind, subject_type, subject_id,"
        " payload, due_at, send_after, dedupe_key, state, attempts, reason, message_id,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _outbox(sizes, world),
    )
    counts["audit_log"] = await insert(
        db,
        "INSERT INTO audit_log (at, actor_id, action, board_id, subject_type, subject_id,"
        " chat_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        _audit(sizes, world),
    )
    await db.checkpoint()
    await db.close()
    return counts, time.perf_counter() - started
