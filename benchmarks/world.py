"""The shape of the large deployment the storage benchmark builds: its sizes, the spread of
statuses and kinds a real board has, and the bulk-insert helpers."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storage import Database
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


def weighted(rng: random.Random, weights: dict[str, int], k: int) -> list[str]:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


async def insert(db: Database, sql: str, rows: Iterable[tuple[Any, ...]]) -> int:
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
