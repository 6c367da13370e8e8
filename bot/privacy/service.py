"""Data protection: erasure, export, the audit trail on request, retention, and fewer copies of
case details in chats (the bot deletes its own detail messages after the board's hours)."""

from __future__ import annotations

import csv
import io
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.kernel.audit import audit
from bot.kernel.policy import COORDINATORS, role_of
from bot.kernel.service import Service
from bot.kernel.text import spreadsheet_safe
from bot.kernel.ui import DetailsOf
from bot.privacy.refusals import EraseRefusal
from storage import Session
from storage.models import AuditRecord, CaseRecord, MinutesRecord

log = logging.getLogger(__name__)


AUDIT_PAGE = 30


OUTBOX_KEEP = timedelta(days=30)
"""Finished outbox rows are kept this long (for /pending and retries after /start)."""


POINTER_LIFETIME = timedelta(minutes=30)
"""How long a group's "continue in private" stays if the person never answers there."""


@dataclass(frozen=True, slots=True)
class Export:
    file_name: str
    content: bytes


def _case_json(case: CaseRecord) -> dict[str, Any]:
    return {
        "code": case.code,
        "label": case.label,
        "status": case.status,
        "criteria": list(case.criteria),
        "factors": list(case.factors),
        "lead_sector": case.lead_sector,
        "other_sectors": list(case.other_sectors),
        "urgency": case.urgency,
        "legal_basis": case.legal_basis,
        "summary": case.summary,
        "created_at": case.created_at.isoformat(),
        "last_activity_at": case.last_activity_at.isoformat(),
        "strengths": list(case.strengths),
        "needs": list(case.needs),
        "child_view": case.child_view,
        "child_view_on": case.child_view_on.isoformat() if case.child_view_on else None,
        "interventions": [{"intervention": k, "helped": r} for k, r in case.interventions],
    }


class PrivacyService(Service):
    async def _coordinating(self, session: Session, board_id: int, user_id: int) -> bool:
        return role_of(await session.boards.membership(board_id, user_id)) in COORDINATORS

    async def _coordinated_case(
        self, session: Session, case_id: int, user_id: int, action: str
    ) -> CaseRecord | None:
        """The case, if ``user_id`` coordinates its board; the access is audited as ``action``."""
        case = await session.cases.get(case_id)
        if case is None or not await self._coordinating(session, case.board_id, user_id):
            return None
        await audit(
            session, self._clock.now(), user_id, action, case.board_id, ("case", case.id), user_id
        )
        return case

    # erasure ----------------------------------------------------------------------------------
    async def erase(
        self, user_id: int, case_id: int | None
    ) -> list[tuple[int, int]] | EraseRefusal:
        """Everything about the case goes; the audit keeps a tombstone (ids only). Returns the
        messages the bot should still try to delete from the chats."""
        now = self._clock.now()
        if case_id is None:
            return EraseRefusal.GONE
        async with self._db.transaction() as session:
            case = await session.cases.get(case_id)
            if case is None:
                return EraseRefusal.GONE
            if not await self._coordinating(session, case.board_id, user_id):
                return EraseRefusal.NOT_A_COORDINATOR
            subjects = await session.privacy.children(case.id)
            found = await session.privacy.messages_of(case.id)
            found += await session.privacy.group_messages_of(case.id, subjects)
            # a live message is its post and every edit of it: each message once
            messages = list(dict.fromkeys(found))
            await session.privacy.forget_messages(messages)
            await session.privacy.erase_case(case.id, subjects)
            await audit(
                session, now, user_id, "case.erased", case.board_id, ("case", case.id), user_id
            )
        return messages

    # export -----------------------------------------------------------------------------------
    async def export_case(self, user_id: int, case_id: int | None) -> list[Export] | None:
        """JSON (everything) and CSV (the timeline, for spreadsheets), for a coordinator."""
        if case_id is None:
            return None
        async with self._db.transaction() as session:
            case = await self._coordinated_case(session, case_id, user_id, "case.exported")
            if case is None:
                return None
            names = {
                m.user_id: m.display_name
                for m in await session.boards.members(
                    case.board_id, ("active", "suspended", "removed")
                )
            }
            events = await session.cases.events(case.id, 0, 100_000)
            note_ids = [int(e.detail["note"]) for e in events if "note" in e.detail]
            notes = await session.cases.notes(note_ids)
            data: dict[str, Any] = {
                "case": _case_json(case),
                "team": [
                    {"name": names.get(u, str(u)), "role": r}
                    for u, r in await session.cases.team(case.id)
                ],
                "timeline": [
                    {
                        "at": e.at.isoformat(),
                        "by": names.get(e.actor_id or 0, "") if e.actor_id else "boardbot",
                        "event": e.kind,
                        "text": notes[int(e.detail["note"])].body
                        if "note" in e.detail and int(e.detail["note"]) in notes
                        else "",
                    }
                    for e in events
                ],
                "related_cases": [
                    {"code": link.other_code, "kind": link.kind}
                    for link in await session.cases.links(case.id)
                ],
                "moves": [
                    {"on": on, "from": source, "to": target, "reason": reason}
                    for on, source, target, reason in await session.privacy.transfers_of(case.id)
                ],
                "actions": [
                    {
                        "title": a.title,
                        "owner": names.get(a.owner_id or 0, ""),
                        "due": a.due_on.isoformat() if a.due_on else None,
                        "status": a.status,
                    }
                    for a in await session.actions.for_case(case.id)
                ],
                "concerns": [
                    {
                        "kind": e.kind,
                        "urgency": e.urgency,
                        "status": e.status,
                        "description": e.description,
                        "outcome": e.outcome,
                    }
                    for e in await session.escalations.for_case(case.id)
                ],
                "minutes": [
                    await _minutes_json(session, m, names)
                    for m in await session.minutes.for_case(case.id)
                ],
                "proposals": [
                    {"title": p.title, "status": p.status, "result": p.result}
                    for p in await session.proposals.for_case(
                        case.id, ("open", "accepted", "rejected", "no_quorum", "withdrawn")
                    )
                ],
            }
        rows = io.StringIO()
        writer = csv.writer(rows)
        writer.writerow(["at", "by", "event", "text"])
        for entry in data["timeline"]:
            writer.writerow(
                [
                    spreadsheet_safe(entry["at"]),
                    spreadsheet_safe(entry["by"]),
                    entry["event"],
                    spreadsheet_safe(entry["text"]),
                ]
            )
        return [
            Export(f"{case.code}.json", json.dumps(data, ensure_ascii=False, indent=2).encode()),
            Export(f"{case.code}-timeline.csv", rows.getvalue().encode("utf-8-sig")),
        ]

    async def export_board(self, user_id: int, board_id: int) -> list[Export] | None:
        now = self._clock.now()
        async with self._db.transaction() as session:
            board = await session.boards.get(board_id)
            if board is None or not await self._coordinating(session, board_id, user_id):
                return None
            members = await session.boards.members(board_id)
            cases = await session.cases.for_board(
                board_id,
                (
                    "raised",
                    "accepted",
                    "in_supervision",
                    "plan_agreed",
                    "monitoring",
                    "review_due",
                    "reopened",
                    "declined",
                    "closed",
                ),
            )
            data: dict[str, Any] = {
                "board": {"title": board.title, "status": board.status},
                "members": [
                    {"name": m.display_name, "sector": m.sector, "role": m.role} for m in members
                ],
                "cases": [_case_json(case) for case in cases],
            }
            await audit(
                session, now, user_id, "board.exported", board_id, ("board", board_id), user_id
            )
        rows = io.StringIO()
        writer = csv.writer(rows)
        writer.writerow(["code", "status", "urgency", "lead_sector", "criteria", "created_at"])
        for case in data["cases"]:
            writer.writerow(
                [
                    case["code"],
                    case["status"],
                    case["urgency"],
                    case["lead_sector"],
                    len(case["criteria"]),
                    case["created_at"],
                ]
            )
        return [
            Export(
                f"board-{board.code_prefix}-{board.id}.json",
                json.dumps(data, ensure_ascii=False, indent=2).encode(),
            ),
            Export(
                f"board-{board.code_prefix}-{board.id}-cases.csv",
                rows.getvalue().encode("utf-8-sig"),
            ),
        ]

    # the audit trail --------------------------------------------------------------------------
    async def audit_of(self, user_id: int, case_id: int | None) -> list[AuditRecord] | None:
        if case_id is None:
            return None
        async with self._db.transaction() as session:
            case = await self._coordinated_case(session, case_id, user_id, "case.audit_read")
            if case is None:
                return None
            return await session.privacy.audit_of_case(case.id, case.created_at, AUDIT_PAGE)

    # retention and fewer copies ---------------------------------------------------------------
    async def retention(self) -> list[tuple[int, int]]:
        """Daily: closed cases past the board's months go, the audit past its years, finished
        outbox rows after a month. Returns messages to delete from chats."""
        now = self._clock.now()
        messages: list[tuple[int, int]] = []
        async with self._db.read() as session:
            boards = await session.boards.active()
        for board in boards:
            async with self._db.transaction() as session:
                settings = await self._settings.get(session, board.id)
                cutoff = now - timedelta(days=30 * settings.retention_months)
                for case_id in await session.privacy.expired_cases(board.id, cutoff):
                    messages += await session.privacy.messages_of(case_id)
                    await session.privacy.erase_case(case_id)
                    await audit(
                        session, now, None, "case.erased_by_retention", board.id, ("case", case_id)
                    )
                await session.privacy.purge_audit(
                    board.id, now - timedelta(days=366 * settings.audit_retention_years)
                )
        async with self._db.transaction() as session:
            await session.privacy.clean_outbox(now - OUTBOX_KEEP)
            # archived boards follow the same clock (the deployment's default months)
            months = self._settings.for_no_board().retention_months
            for board_id in await session.privacy.expired_boards(now - timedelta(days=30 * months)):
                await session.privacy.erase_board(board_id)
                await audit(
                    session, now, None, "board.erased_by_retention", board_id, ("board", board_id)
                )
        return messages

    async def remember(self, chat_id: int, message_id: int, details: DetailsOf) -> None:
        """A private message with details: to be deleted after the board's hours."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            case = await session.cases.get(details.case_id) if details.case_id else None
            board_id = case.board_id if case is not None else details.board_id
            hours = (
                (await self._settings.get(session, board_id)).detail_message_hours
                if board_id is not None
                else 24
            )
            await session.privacy.remember_message(
                chat_id, message_id, case.id if case else None, now + timedelta(hours=hours)
            )

    async def remember_pointer(self, chat_id: int, message_id: int, user_id: int) -> None:
        """A group's "I wrote to you in private": removed once the person answers there (a
        dialogue's step calls ``pointers_now``), or after :data:`POINTER_LIFETIME`."""
        async with self._db.transaction() as session:
            await session.privacy.remember_pointer(
                chat_id, message_id, user_id, self._clock.now() + POINTER_LIFETIME
            )

    async def due_deletions(self, limit: int = 50) -> list[tuple[int, int]]:
        async with self._db.read() as session:
            return await session.privacy.due_messages(self._clock.now(), limit)

    async def forget(self, messages: list[tuple[int, int]]) -> None:
        """Deleted, or gone for good: no longer to be tried."""
        async with self._db.transaction() as session:
            await session.privacy.forget_messages(messages)

    async def retry_later(self, messages: list[tuple[int, int]]) -> None:
        """Telegram was busy or unreachable: try these again in five minutes."""
        later = self._clock.now() + timedelta(minutes=5)
        async with self._db.transaction() as session:
            await session.privacy.postpone_messages(messages, later)


async def _minutes_json(
    session: Session, minutes: MinutesRecord, names: dict[int, str]
) -> dict[str, Any]:
    """One meeting's minutes on the case, with the sectors' views, actions, updates and
    amendments."""
    meeting = await session.meetings.get(minutes.meeting_id)
    return {
        "meeting": None
        if meeting is None or meeting.starts_at is None
        else meeting.starts_at.isoformat(),
        "status": minutes.status,
        "question": minutes.question,
        "summary": minutes.summary,
        "views": [
            {"sector": v.sector, "problem": v.problem, "todo": v.todo, "who": v.who}
            for v in await session.minutes.views(minutes.id)
        ],
        "clash": minutes.clash,
        "decision": minutes.decision,
        "next_review": None if minutes.next_review is None else minutes.next_review.isoformat(),
        "actions": [
            {
                "title": a.title,
                "owner": names.get(a.owner_id or 0, ""),
                "due": None if a.due_on is None else a.due_on.isoformat(),
            }
            for a in await session.minutes.actions(minutes.id)
        ],
        "written_updates": [
            {"by": names.get(u.author_id, ""), "text": u.body}
            for u in await session.agenda.updates(minutes.meeting_id, minutes.case_id)
        ],
        "amendments": [
            {"at": a.at.isoformat(), "by": names.get(a.author_id, ""), "text": a.body}
            for a in await session.minutes.amendments(minutes.id)
        ],
    }
