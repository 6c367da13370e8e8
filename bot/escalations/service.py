"""Private escalation: a worried member reaches the coordinators, and it is not lost.

Never through the group. Unacknowledged, it climbs a level at its deadline — coordinator, then
deputy, then the board's external contact (who sees code, kind and urgency, never the text) — by
outbox task rows, so a restart loses no deadline. Urgent ones ignore quiet hours.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from bot.agenda.service import AgendaService
from bot.cases.rules import COORDINATING
from bot.escalations.refusals import HandleRefusal, RaiseRefusal
from bot.escalations.rules import HANDLING, KINDS, MAX_TEXT, URGENCIES, deadline
from bot.escalations.tasks import ESC_DEADLINE, EscalationDeadline
from bot.kernel.audit import audit
from bot.kernel.outbox import Task
from bot.kernel.policy import BOARD_MEMBERS, COORDINATORS, Role, role_of
from bot.kernel.service import Kernel, Service
from bot.nudges.service import NudgeService, Planned
from storage import Session
from storage.models import BoardStatus, EscalationRecord, EscalationStatus, NewOutboxItem

COORDINATOR_LEVEL, DEPUTY_LEVEL, EXTERNAL_LEVEL = 0, 1, 2


ESC_NOTICE = "esc_notice"


ESC_EXTERNAL = "esc_external"


ESC_UPDATE = "esc_update"


@dataclass(frozen=True, slots=True)
class EscalationAccess:
    escalation: EscalationRecord
    coordinating: bool
    raiser: bool


async def _access_in(session: Session, user_id: int, escalation_id: int) -> EscalationAccess | None:
    """The coordinators of its board and the person who raised it; nobody else."""
    escalation = await session.escalations.get(escalation_id)
    if escalation is None:
        return None
    role = role_of(await session.boards.membership(escalation.board_id, user_id))
    coordinating = role in COORDINATORS
    raiser = escalation.raised_by == user_id and role is not Role.NON_MEMBER
    if not (coordinating or raiser):
        return None
    return EscalationAccess(escalation, coordinating, raiser)


# the service --------------------------------------------------------------------------------------
class EscalationService(Service):
    def __init__(self, kernel: Kernel, nudges: NudgeService, agenda: AgendaService) -> None:
        super().__init__(kernel)
        self._nudges = nudges
        self._agenda = agenda

    async def _private(
        self,
        session: Session,
        escalation: EscalationRecord,
        recipients: list[int],
        kind: str,
        key: str,
        payload: dict[str, int | str] | None = None,
    ) -> list[NewOutboxItem]:
        """Rows to people in private: urgent ones now, the rest at a decent hour for each."""
        return await self._nudges.rows(
            session,
            escalation.board_id,
            [
                Planned(
                    user_id,
                    self._clock.now(),
                    f"{key}:{user_id}",
                    {"escalation_id": escalation.id, **(payload or {})},
                    subject=("escalation", escalation.id),
                    urgent=escalation.urgency == "urgent",
                    kind=kind,
                )
                for user_id in recipients
            ],
        )

    async def _reachable(self, session: Session, users: list[int]) -> list[int]:
        reachable = []
        for user_id in users:
            user = await session.users.get(user_id)
            if user is not None and user.private_chat_open:
                reachable.append(user_id)
        return reachable

    async def _people_at(
        self, session: Session, escalation: EscalationRecord, level: int
    ) -> list[int]:
        board_id = escalation.board_id
        if level == COORDINATOR_LEVEL:
            people = await session.boards.member_ids(board_id, COORDINATING)
        elif level == DEPUTY_LEVEL:
            people = await session.boards.member_ids(board_id, ("deputy",))
        else:
            contact = await session.escalations.external_contact(board_id)
            people = [] if contact is None else [contact]
        return [p for p in people if p != escalation.raised_by]

    async def _level_items(
        self, session: Session, escalation: EscalationRecord, level: int, round_: int = 0
    ) -> tuple[int, list[NewOutboxItem]]:
        """Who is told at ``level``: a level nobody there can be reached at is skipped at once.
        If nobody can be reached at any level, the coordinators' rows are queued all the same
        (they go out when a coordinator opens the chat again) and the level does not move."""
        for candidate in range(level, EXTERNAL_LEVEL + 1):
            people = await self._people_at(session, escalation, candidate)
            if await self._reachable(session, people):
                break
        else:
            candidate = COORDINATOR_LEVEL
            people = await self._people_at(session, escalation, COORDINATOR_LEVEL)
        kind = ESC_EXTERNAL if candidate == EXTERNAL_LEVEL else ESC_NOTICE
        key = f"esc:{escalation.id}:{candidate}:{round_}"
        return candidate, await self._private(session, escalation, people, kind, key)

    async def raise_concern(
        self,
        user_id: int,
        board_id: int,
        *,
        case_id: int | None,
        kind: str,
        urgency: str,
        description: str,
        neutral_line: bool,
    ) -> EscalationRecord | RaiseRefusal:
        now = self._clock.now()
        text = description.strip()
        if kind not in KINDS or urgency not in URGENCIES or not text or len(text) > MAX_TEXT:
            return RaiseRefusal.BAD_TEXT
        async with self._db.transaction() as session:
            role = role_of(await session.boards.membership(board_id, user_id))
            board = await session.boards.get(board_id)
            if board is None or board.status != BoardStatus.ACTIVE or role not in BOARD_MEMBERS:
                return RaiseRefusal.NOT_A_MEMBER
            case = None if case_id is None else await session.cases.get(case_id)
            if case_id is not None and (case is None or case.board_id != board_id):
                return RaiseRefusal.CASE_GONE
            escalation = await session.escalations.create(
                board_id=board_id,
                case_id=case_id,
                raised_by=user_id,
                kind=kind,
                urgency=urgency,
                description=text,
                neutral_line=neutral_line and case is not None,
                level=COORDINATOR_LEVEL,
                now=now,
            )
            level, items = await self._level_items(session, escalation, COORDINATOR_LEVEL)
            if level != COORDINATOR_LEVEL:
                await session.escalations.set_state(escalation.id, now, level=level)
            if case is not None:
                await session.cases.add_event(
                    case.id,
                    now,
                    user_id,
                    "escalation",
                    {"escalation": escalation.id},
                    activity=False,
                )
                if neutral_line:
                    items.append(
                        NewOutboxItem(
                            chat_id=board.chat_id,
                            thread_id=board.thread_id,
                            board_id=board.id,
                            kind="notice",
                            payload={
                                "key": "escalation.neutral_line",
                                "params": {"code": case.code},
                            },
                            due_at=now,
                            dedupe_key=f"escneutral:{escalation.id}",
                        )
                    )
            items += await self._deadline_item(session, escalation, level, now)
            await _audit(session, now, user_id, "escalation.raised", escalation)
            await self._outbox.add(session, items, now)
            stored = await session.escalations.get(escalation.id)
        assert stored is not None
        return stored

    async def _deadline_item(
        self,
        session: Session,
        escalation: EscalationRecord,
        level: int,
        now: datetime,
        round_: int = 0,
    ) -> list[NewOutboxItem]:
        """The next deadline; at the top level it keeps coming round until someone answers."""
        settings = await self._settings.get(session, escalation.board_id)
        return [
            NewOutboxItem(
                chat_id=0,
                board_id=escalation.board_id,
                kind=ESC_DEADLINE,
                subject_type="escalation",
                subject_id=str(escalation.id),
                payload=EscalationDeadline(escalation.id, level, round_).payload(),
                due_at=deadline(escalation.urgency, now, settings),
                dedupe_key=f"escdeadline:{escalation.id}:{level}:{round_}",
            )
        ]

    def tasks(self) -> dict[str, Task]:
        """What the outbox runs for escalations at its time: the next step of an unanswered one."""
        return dict(
            [
                EscalationDeadline.task(
                    lambda p: self.run_deadline(p.escalation_id, p.level, p.round)
                )
            ]
        )

    async def run_deadline(
        self, escalation_id: int, level: int, round_: int = 0
    ) -> datetime | None:
        """Still unacknowledged at its deadline: up one level (once), or, at the top, the same
        people once more, until someone answers."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            escalation = await session.escalations.get(escalation_id)
            if (
                escalation is None
                or escalation.status != EscalationStatus.OPEN
                or escalation.level != level
            ):
                return None
            target = min(level + 1, EXTERNAL_LEVEL)
            reached, items = await self._level_items(session, escalation, target, round_ + 1)
            new_level = max(reached, level)  # nobody reachable higher up: it stays, re-sent
            if new_level != level:
                await session.escalations.set_state(escalation.id, now, level=new_level)
            items += await self._deadline_item(session, escalation, new_level, now, round_ + 1)
            await audit(
                session,
                now,
                None,
                f"escalation.level_{new_level}",
                escalation.board_id,
                ("escalation", escalation.id),
            )
            await self._outbox.add(session, items, now)
        return None

    # reading ----------------------------------------------------------------------------------
    async def access(self, user_id: int, escalation_id: int | None) -> EscalationAccess | None:
        """The coordinators of its board and the person who raised it; nobody else."""
        if escalation_id is None:
            return None
        async with self._db.read() as session:
            return await _access_in(session, user_id, escalation_id)

    async def read(
        self, user_id: int, escalation_id: int | None, chat_id: int
    ) -> EscalationAccess | None:
        """The card in full is a read of the concern's details: allowed as :meth:`access`
        says, and audited (ids only) like every other read of details."""
        if escalation_id is None:
            return None
        async with self._db.transaction() as session:
            access = await _access_in(session, user_id, escalation_id)
            if access is None:
                return None
            escalation = access.escalation
            await audit(
                session,
                self._clock.now(),
                user_id,
                "escalation.details_read",
                escalation.board_id,
                ("escalation", escalation.id),
                chat_id,
            )
        return access

    async def replies(self, escalation_id: int) -> list[tuple[datetime, int, str]]:
        async with self._db.read() as session:
            return await session.escalations.replies(escalation_id)

    async def listing(self, user_id: int) -> tuple[list[EscalationRecord], list[EscalationRecord]]:
        """Open ones on boards this person coordinates, and the ones they raised."""
        async with self._db.read() as session:
            boards = [
                m.board_id
                for m in await session.boards.memberships_of(user_id)
                if Role(m.role) in COORDINATORS
            ]
            return (
                await session.escalations.open_on(boards),
                await session.escalations.raised_by(user_id),
            )

    # handling ---------------------------------------------------------------------------------
    async def act(
        self, user_id: int, escalation_id: int | None, op: str, text: str | None = None
    ) -> HandleRefusal | None:
        """acknowledge, reply, supervision, resolve (coordinators) or withdraw (the raiser)."""
        now = self._clock.now()
        if escalation_id is None or op not in HANDLING:
            return HandleRefusal.GONE
        async with self._db.transaction() as session:
            escalation = await session.escalations.get(escalation_id)
            if escalation is None:
                return HandleRefusal.GONE
            role = role_of(await session.boards.membership(escalation.board_id, user_id))
            if op == "withdraw":
                if escalation.raised_by != user_id:
                    return HandleRefusal.NOT_ALLOWED
            elif role not in COORDINATORS or escalation.raised_by == user_id:
                return HandleRefusal.NOT_ALLOWED  # nobody answers their own concern
            if escalation.status in (EscalationStatus.RESOLVED, EscalationStatus.WITHDRAWN):
                return HandleRefusal.CLOSED
            if op in ("reply", "resolve") and not (text and text.strip()):
                return HandleRefusal.NO_WORDS
            payload: dict[str, int | str] = {"event": op}
            if op == "acknowledge":
                if escalation.status == EscalationStatus.ACKNOWLEDGED:
                    return HandleRefusal.CLOSED
                await _acknowledge(session, escalation.id, now, user_id)
            elif op == "reply":
                assert text is not None
                payload["reply_id"] = await session.escalations.add_reply(
                    escalation.id, now, user_id, text.strip()
                )
                if escalation.status == EscalationStatus.OPEN:  # answering is acknowledging
                    await _acknowledge(session, escalation.id, now, user_id)
            elif op == "supervision":
                if escalation.case_id is not None:
                    await session.cases.add_event(
                        escalation.case_id,
                        now,
                        user_id,
                        "escalation_supervision",
                        {"escalation": escalation.id},
                    )
                    case = await session.cases.get(escalation.case_id)
                    if case is not None:  # onto the next agenda, if there is a meeting ahead
                        await self._agenda.place(session, case, user_id, now, user_id)
                await _acknowledge(session, escalation.id, now, user_id)
            elif op == "resolve":
                assert text is not None
                await session.escalations.set_state(
                    escalation.id, now, status=EscalationStatus.RESOLVED, outcome=text.strip()
                )
            else:  # withdraw
                await session.escalations.set_state(
                    escalation.id, now, status=EscalationStatus.WITHDRAWN
                )
            await session.outbox.cancel_for_subject(
                "escalation", str(escalation.id), [ESC_DEADLINE], op, now
            )
            items: list[NewOutboxItem] = []
            if op == "withdraw":
                people = await self._people_at(session, escalation, COORDINATOR_LEVEL)
                items = await self._private(
                    session, escalation, people, ESC_UPDATE, f"escwd:{escalation.id}", payload
                )
            else:
                stamp = f"{op}:{payload.get('reply_id', '')}"
                items = await self._private(
                    session,
                    escalation,
                    [escalation.raised_by],
                    ESC_UPDATE,
                    f"escupd:{escalation.id}:{stamp}",
                    payload,
                )
            await _audit(session, now, user_id, f"escalation.{op}", escalation)
            await self._outbox.add(session, items, now)
        return None

    # the external contact ---------------------------------------------------------------------
    async def invite_external(self, user_id: int, board_id: int) -> str | None:
        """A one-time deep-link token for the board's external contact (coordinator only)."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            membership = await session.boards.membership(board_id, user_id)
            if role_of(membership) is not Role.COORDINATOR:
                return None
            token = secrets.token_urlsafe(12).replace("-", "x").replace("_", "y")
            await session.escalations.set_invite(board_id, token)
            await audit(
                session,
                now,
                user_id,
                "escalation.external_invited",
                board_id,
                ("board", board_id),
                user_id,
            )
        return token

    async def accept_external(self, user_id: int, token: str) -> int | None:
        now = self._clock.now()
        async with self._db.transaction() as session:
            board_id = await session.escalations.accept_invite(token, user_id)
            if board_id is not None:
                await audit(
                    session,
                    now,
                    user_id,
                    "escalation.external_registered",
                    board_id,
                    ("board", board_id),
                    user_id,
                )
        return board_id


async def _acknowledge(session: Session, escalation_id: int, now: datetime, user_id: int) -> None:
    """Acknowledged by this coordinator: the deadline to answer it is met."""
    await session.escalations.set_state(
        escalation_id, now, status=EscalationStatus.ACKNOWLEDGED, acknowledged_by=user_id
    )


async def _audit(
    session: Session, now: datetime, actor_id: int, action: str, escalation: EscalationRecord
) -> None:
    await audit(
        session, now, actor_id, action, escalation.board_id, ("escalation", escalation.id), actor_id
    )
