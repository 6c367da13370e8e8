"""Cases: the five "difficult case" criteria, the factors, pseudonymous codes, raising a case.

Nothing here identifies a child: the code is random, the label and summary pass the personal-data
guard before they reach this module, and the group only ever sees the card (``CaseCard``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.boards import SECTORS, role_of
from bot.clock import Clock
from bot.outbox import Outbox
from bot.policy import COORDINATORS, Role
from storage import Database, Session
from storage.models import BoardRecord, CaseRecord, NewOutboxItem

CRITERIA = ("no_help_sought", "multiple_risks", "no_timely_support", "many_resources", "stalls")
"""The board's five criteria of a difficult case (shared/domain.md), in the source's order."""

FACTORS: dict[str, tuple[str, ...]] = {
    "child": (
        "sen",
        "trauma",
        "insecure_family",
        "separated",
        "other_language",
        "unaccepted",
        "older_child",
    ),
    "family": (
        "manipulative",
        "no_support",
        "mental_illness",
        "addiction",
        "conflict",
        "unpredictable",
        "hard_to_reach",
        "poverty",
        "criminal",
    ),
    "system": (
        "prof_conflict",
        "differing_views",
        "anxiety",
        "social_distance",
        "no_framework",
        "roles_undefined",
        "no_sync",
        "not_formalised",
    ),
}
ALL_FACTORS = tuple(f"{group}.{factor}" for group, items in FACTORS.items() for factor in items)
URGENCIES = ("routine", "soon", "urgent")
LEGAL_BASES = ("consent", "statutory")
OPEN_STATUSES = ("raised", "accepted", "in_supervision", "plan_agreed", "monitoring", "review_due")
CASE_CARD = "case_card"
MAX_LABEL = 40
MAX_SUMMARY = 800

_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed on phones


def new_case_code(prefix: str) -> str:
    """``VT-7K3Q``: random, never derived from anything about the child."""
    return f"{prefix}-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(4))


def normalize_code(text: str) -> str:
    """Codes are accepted case-insensitively, with or without the dash."""
    cleaned = text.strip().upper().replace(" ", "")
    if "-" not in cleaned and len(cleaned) == 6:
        cleaned = f"{cleaned[:2]}-{cleaned[2:]}"
    return cleaned


def toggle(selected: list[str], item: str) -> list[str]:
    """Multi-select buttons: pressing adds, pressing again removes, order kept stable."""
    return [s for s in selected if s != item] if item in selected else [*selected, item]


@dataclass(frozen=True, slots=True)
class CaseDraft:
    """The /newcase dialogue's answers so far (stored as JSON at every step)."""

    label: str = ""
    criteria: tuple[str, ...] = ()
    factors: tuple[str, ...] = ()
    lead_sector: str = ""
    keyworker_id: int | None = None
    urgency: str = ""
    legal_basis: str = ""
    summary: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CaseDraft:
        keyworker = data.get("keyworker_id")
        return cls(
            label=str(data.get("label", "")),
            criteria=tuple(c for c in data.get("criteria", []) if c in CRITERIA),
            factors=tuple(f for f in data.get("factors", []) if f in ALL_FACTORS),
            lead_sector=str(data.get("lead_sector", "")),
            keyworker_id=int(keyworker) if keyworker is not None else None,
            urgency=str(data.get("urgency", "")),
            legal_basis=str(data.get("legal_basis", "")),
            summary=str(data.get("summary", "")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "criteria": list(self.criteria),
            "factors": list(self.factors),
            "lead_sector": self.lead_sector,
            "keyworker_id": self.keyworker_id,
            "urgency": self.urgency,
            "legal_basis": self.legal_basis,
            "summary": self.summary,
        }

    def is_complete(self) -> bool:
        return bool(
            self.label
            and self.lead_sector in SECTORS
            and self.urgency in URGENCIES
            and self.legal_basis in LEGAL_BASES
            and self.summary
        )


STEPS = (
    "label",
    "criteria",
    "factors",
    "lead_sector",
    "keyworker",
    "urgency",
    "legal_basis",
    "summary",
    "confirm",
)
"""The /newcase dialogue, in order; "back" goes one step up this list."""


def previous_step(step: str) -> str:
    index = STEPS.index(step) if step in STEPS else 0
    return STEPS[max(index - 1, 0)]


def next_step(step: str) -> str:
    index = STEPS.index(step) if step in STEPS else 0
    return STEPS[min(index + 1, len(STEPS) - 1)]


def days_since(moment: datetime, now: datetime) -> int:
    return max((now - moment).days, 0)


def can_read_details(role: Role, team_roles: set[str]) -> bool:
    """The team and the coordinators see details; every other member sees code and status."""
    return role in COORDINATORS or (role is not Role.NON_MEMBER and bool(team_roles))


class CaseService:
    def __init__(self, db: Database, clock: Clock, outbox: Outbox) -> None:
        self._db = db
        self._clock = clock
        self._outbox = outbox

    async def raise_case(self, user_id: int, board_id: int, draft: CaseDraft) -> CaseRecord | None:
        """Store the case, its team, its first timeline entry, the audit row and the group card."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            board = await session.boards.get(board_id)
            role = role_of(await session.boards.membership(board_id, user_id))
            if (
                board is None
                or board.status != "active"
                or role not in (Role.COORDINATOR, Role.DEPUTY, Role.MEMBER)
                or not draft.is_complete()
            ):
                return None
            case = await _insert_with_fresh_code(session, board, user_id, draft, now)
            team = [(user_id, "lead")]
            if draft.keyworker_id is not None:
                team.append((draft.keyworker_id, "keyworker"))
            await session.cases.add_team(case.id, team)
            await session.cases.add_event(case.id, now, user_id, "raised", {})
            await session.dialogs.close(user_id)
            await session.audit.record(
                at=now,
                actor_id=user_id,
                action="case.raised",
                board_id=board.id,
                subject_type="case",
                subject_id=case.id,
                chat_id=user_id,
            )
            await self._outbox.add(
                session,
                [
                    NewOutboxItem(
                        chat_id=board.chat_id,
                        thread_id=board.thread_id,
                        board_id=board.id,
                        kind=CASE_CARD,
                        subject_type="case",
                        subject_id=str(case.id),
                        payload={"case_id": case.id, "event": "raised"},
                        due_at=now,
                        dedupe_key=f"card:{case.id}:raised",
                    )
                ],
                now,
            )
        return case

    async def by_code(self, code: str) -> CaseRecord | None:
        async with self._db.read() as session:
            return await session.cases.by_code(normalize_code(code))

    async def access(self, case: CaseRecord, user_id: int) -> tuple[Role, set[str]]:
        """The person's role on the case's board and their places in its team."""
        async with self._db.read() as session:
            role = role_of(await session.boards.membership(case.board_id, user_id))
            team = await session.cases.team_roles(case.id, user_id)
        return role, team

    async def read_details(self, case: CaseRecord, user_id: int, chat_id: int) -> bool:
        """Reading details is audited (ids only); False when this person may not read them."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            role = role_of(await session.boards.membership(case.board_id, user_id))
            team = await session.cases.team_roles(case.id, user_id)
            if not can_read_details(role, team):
                return False
            await session.audit.record(
                at=now,
                actor_id=user_id,
                action="case.details_read",
                board_id=case.board_id,
                subject_type="case",
                subject_id=case.id,
                chat_id=chat_id,
            )
        return True

    async def open_cases(self, board_id: int) -> list[CaseRecord]:
        async with self._db.read() as session:
            return await session.cases.for_board(board_id, OPEN_STATUSES)

    async def team_of(self, case_id: int) -> list[tuple[int, str]]:
        async with self._db.read() as session:
            return await session.cases.team(case_id)


async def _insert_with_fresh_code(
    session: Session, board: BoardRecord, user_id: int, draft: CaseDraft, now: datetime
) -> CaseRecord:
    for _ in range(20):
        code = new_case_code(board.code_prefix)
        if await session.cases.by_code(code) is None:
            return await session.cases.create(board.id, code, user_id, draft.to_json(), now)
    raise RuntimeError("no free case code after 20 tries")
