"""Proposals and their votes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from storage.connection import Connection
from storage.models import ProposalRecord, ProposalStatus, VoteRecord
from storage.rows import Forgetting, Reader
from storage.timeconv import from_ts, to_ts

_proposal = Reader(ProposalRecord)
_COLUMNS = _proposal.columns


class ProposalRepository:
    def __init__(self, conn: Connection, forgetting: Forgetting) -> None:
        self._conn = conn
        self._forgetting = forgetting

    async def create(
        self,
        *,
        board_id: int,
        case_id: int,
        title: str,
        details: str,
        proposed_by: int,
        outcome_rule: str,
        quorum_percent: int,
        every_sector: bool,
        duration_hours: int,
        owner_id: int | None,
        due_on: date | None,
        now: datetime,
    ) -> ProposalRecord:
        row = await self._conn.fetch_one(
            "INSERT INTO proposals (board_id, case_id, title, details, proposed_by,"
            " outcome_rule, quorum_percent, every_sector, duration_hours, owner_id, due_on,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            f" RETURNING {_COLUMNS}",
            (
                board_id,
                case_id,
                title,
                details,
                proposed_by,
                outcome_rule,
                quorum_percent,
                int(every_sector),
                duration_hours,
                owner_id,
                None if due_on is None else due_on.isoformat(),
                to_ts(now),
            ),
        )
        assert row is not None
        return _proposal(row)

    async def get(self, proposal_id: int) -> ProposalRecord | None:
        row = await self._conn.point_one(
            f"SELECT {_COLUMNS} FROM proposals WHERE id = ?", (proposal_id,)
        )
        return None if row is None else _proposal(row)

    async def open(
        self,
        proposal_id: int,
        *,
        anonymous: bool,
        message_id: int | None,
        now: datetime,
        closes_at: datetime,
    ) -> bool:
        """A draft becomes a running vote; False if it was no longer a draft (a double press)."""
        cur = await self._conn.execute(
            "UPDATE proposals SET status = 'open', anonymous = ?, message_id = ?, opened_at = ?,"
            " closes_at = ? WHERE id = ? AND status = 'draft'",
            (int(anonymous), message_id, to_ts(now), to_ts(closes_at), proposal_id),
        )
        return cur.rowcount == 1

    async def set_rules(
        self,
        proposal_id: int,
        *,
        outcome_rule: str,
        quorum_percent: int,
        every_sector: bool,
        duration_hours: int,
    ) -> None:
        await self._conn.execute(
            "UPDATE proposals SET outcome_rule = ?, quorum_percent = ?, every_sector = ?,"
            " duration_hours = ? WHERE id = ? AND status = 'draft'",
            (outcome_rule, quorum_percent, int(every_sector), duration_hours, proposal_id),
        )

    async def withdraw_draft(self, proposal_id: int, now: datetime) -> bool:
        cur = await self._conn.execute(
            "UPDATE proposals SET status = 'withdrawn', closed_at = ?"
            " WHERE id = ? AND status = 'draft'",
            (to_ts(now), proposal_id),
        )
        return cur.rowcount == 1

    async def close(
        self,
        proposal_id: int,
        status: ProposalStatus,
        result: dict[str, Any],
        now: datetime,
        closed_by: int | None,
    ) -> bool:
        """Only a running vote closes, once."""
        cur = await self._conn.execute(
            "UPDATE proposals SET status = ?, result = ?, closed_at = ?, closed_by = ?"
            " WHERE id = ? AND status = 'open'",
            (status, json.dumps(result), to_ts(now), closed_by, proposal_id),
        )
        return cur.rowcount == 1

    async def for_case(self, case_id: int, statuses: Sequence[str]) -> list[ProposalRecord]:
        marks = ", ".join("?" for _ in statuses)
        return [
            _proposal(row)
            for row in await self._conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM proposals WHERE case_id = ? AND status IN ({marks})"
                " ORDER BY id",
                (case_id, *statuses),
            )
        ]

    # votes ------------------------------------------------------------------------------------
    async def open_with_turnout(
        self, board_ids: Sequence[int], voter_id: int, voter_roles: Sequence[str]
    ) -> list[tuple[ProposalRecord, int, bool]]:
        """Open votes on these boards, soonest to close first: each with how many of those who
        may vote now have voted (as the vote's own tally counts) and whether ``voter_id`` has."""
        if not board_ids:
            return []
        marks = ", ".join("?" for _ in board_ids)
        roles = ", ".join("?" for _ in voter_roles)
        columns = ", ".join(f"p.{column.strip()}" for column in _COLUMNS.split(","))
        return [
            (_proposal(row), row["voted"], bool(row["mine"]))
            for row in await self._conn.execute_fetchall(
                f"SELECT {columns},"
                " (SELECT COUNT(*) FROM votes v JOIN memberships m ON m.user_id = v.user_id"
                " AND m.board_id = p.board_id WHERE v.proposal_id = p.id AND m.status = 'active'"
                f" AND m.role IN ({roles})) AS voted,"
                " (SELECT COUNT(*) FROM votes v WHERE v.proposal_id = p.id AND v.user_id = ?)"
                " AS mine"
                f" FROM proposals p WHERE p.board_id IN ({marks}) AND p.status = 'open'"
                " ORDER BY p.closes_at, p.id",
                (*voter_roles, voter_id, *board_ids),
            )
        ]

    async def votes(self, proposal_id: int) -> list[VoteRecord]:
        return [
            VoteRecord(row["user_id"], row["choice"], row["reason"], from_ts(row["at"]))
            for row in await self._conn.point(
                "SELECT user_id, choice, reason, at FROM votes WHERE proposal_id = ?"
                " ORDER BY at, user_id",
                (proposal_id,),
            )
        ]

    async def vote_of(self, proposal_id: int, user_id: int) -> VoteRecord | None:
        row = await self._conn.point_one(
            "SELECT user_id, choice, reason, at FROM votes WHERE proposal_id = ? AND user_id = ?",
            (proposal_id, user_id),
        )
        return None if row is None else VoteRecord(row[0], row[1], row[2], from_ts(row[3]))

    async def put_vote(
        self, proposal_id: int, user_id: int, choice: str, reason: str | None, now: datetime
    ) -> None:
        await self._conn.write(
            "INSERT INTO votes (proposal_id, user_id, choice, reason, at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (proposal_id, user_id)"
            " DO UPDATE SET choice = excluded.choice, reason = excluded.reason, at = excluded.at",
            (proposal_id, user_id, choice, reason, to_ts(now)),
        )

    async def seal_votes(self, proposal_id: int) -> None:
        """An anonymous vote, once closed, keeps who took part but not how they voted (nor who
        gave which reason: the reasons are kept with the tally)."""
        await self._conn.execute(
            "UPDATE votes SET choice = 'sealed', reason = NULL WHERE proposal_id = ?",
            (proposal_id,),
        )
        self._forgetting.mark()
