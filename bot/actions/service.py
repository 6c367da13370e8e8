"""Actions: what the board agreed, owned by one person, due on a day, followed to the end.

``open → done / blocked / cancelled``, and ``blocked → open`` again. "Overdue" is never stored: it
is the due date against today in the board's time zone, so it can never go stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from bot.actions.follow_up import action_follow_up
from bot.actions.refusals import AssignRefusal, SnoozeRefusal, StatusRefusal
from bot.actions.rules import ACTIVE, NEXT_STATUS, ActionOp, operations
from bot.kernel.audit import audit
from bot.kernel.policy import COORDINATORS, VOTERS, Role, role_of
from bot.kernel.service import Kernel, Service
from bot.nudges.service import NudgeService
from storage import Session
from storage.models import ActionRecord, BoardStatus, CaseRecord


@dataclass(frozen=True, slots=True)
class ActionAccess:
    action: ActionRecord
    case: CaseRecord
    is_owner: bool
    is_manager: bool

    @property
    def operations(self) -> list[ActionOp]:
        return operations(self.action.status, is_owner=self.is_owner, is_manager=self.is_manager)


class ActionService(Service):
    def __init__(self, kernel: Kernel, nudges: NudgeService) -> None:
        super().__init__(kernel)
        self._nudges = nudges

    async def _access(
        self, session: Session, action_id: int | None, user_id: int
    ) -> ActionAccess | None:
        """None when the action is gone or this person is not on its board any more."""
        if action_id is None:
            return None
        action = await session.actions.get(action_id)
        if action is None:
            return None
        case = await session.cases.get(action.case_id)
        board = await session.boards.get(action.board_id)
        role = role_of(await session.boards.membership(action.board_id, user_id))
        if (
            case is None
            or board is None
            or board.status != BoardStatus.ACTIVE
            or role is Role.NON_MEMBER
        ):
            return None
        lead = "lead" in await session.cases.team_roles(case.id, user_id)
        return ActionAccess(
            action=action,
            case=case,
            is_owner=action.owner_id == user_id and role in VOTERS,
            is_manager=role in COORDINATORS or (lead and role in VOTERS),
        )

    async def access(self, action_id: int | None, user_id: int) -> ActionAccess | None:
        async with self._db.read() as session:
            return await self._access(session, action_id, user_id)

    async def for_board(self, board_id: int) -> list[tuple[ActionRecord, str, str | None]]:
        """Active actions with the case code and the owner's sector (never a name)."""
        async with self._db.read() as session:
            actions = await session.actions.for_board(board_id, ACTIVE)
            members = {m.user_id: m.sector for m in await session.boards.members(board_id)}
            codes = await session.cases.codes_of(sorted({a.case_id for a in actions}))
        return [
            (a, codes.get(a.case_id, "?"), None if a.owner_id is None else members.get(a.owner_id))
            for a in actions
        ]

    async def mine(self, user_id: int) -> tuple[list[ActionRecord], list[ActionRecord]]:
        """Actions this person owns, and actions waiting for them to name an owner."""
        async with self._db.read() as session:
            owned = await session.actions.owned_by(user_id, ACTIVE)
            waiting = await session.actions.unowned_for(user_id)
        return owned, waiting

    async def codes(self, case_ids: set[int]) -> dict[int, str]:
        async with self._db.read() as session:
            return await session.cases.codes_of(sorted(case_ids))

    async def change(
        self, user_id: int, action_id: int | None, op: str, reason: str | None = None
    ) -> ActionRecord | StatusRefusal:
        """Done, blocked (with a reason), reopened or cancelled; on the timeline and audited."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            access = await self._access(session, action_id, user_id)
            if access is None:
                return StatusRefusal.GONE
            if op not in NEXT_STATUS or op not in access.operations:
                return StatusRefusal.NOT_NOW
            if op == "blocked" and not (reason and reason.strip()):
                return StatusRefusal.NO_REASON
            action = access.action
            await session.actions.set_status(action.id, NEXT_STATUS[op], now)
            detail: dict[str, int | str] = {"action": action.id}
            if reason:
                detail["note"] = await session.cases.add_note(
                    action.case_id, now, user_id, "reason", reason.strip()
                )
            # done or cancelled: no nudge left
            return await self._changed(session, now, user_id, action, NEXT_STATUS[op], detail)

    async def assign(
        self, user_id: int, action_id: int | None, owner_id: int, due_on: date | None
    ) -> AssignRefusal | None:
        """The lead or a coordinator names the owner and the due date; the owner is told."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            access = await self._access(session, action_id, user_id)
            if access is None:
                return AssignRefusal.GONE
            if ActionOp.ASSIGN not in access.operations:
                return AssignRefusal.NOT_ALLOWED
            owner_role = role_of(await session.boards.membership(access.action.board_id, owner_id))
            if owner_role not in VOTERS:
                return AssignRefusal.OWNER_NOT_A_VOTER
            if due_on is None:
                return AssignRefusal.NO_DATE
            action = access.action
            await session.actions.assign(action.id, owner_id, due_on, now)
            detail = {"action": action.id, "user": owner_id}
            updated = await self._changed(session, now, user_id, action, "assigned", detail)
            if owner_id != user_id:
                await self._outbox.add(
                    session, await action_follow_up(session, updated, access.case, now), now
                )
        return None

    async def set_due(
        self, user_id: int, action_id: int | None, due_on: date
    ) -> AssignRefusal | None:
        """The owner may set a due date the proposal left open; managers may move it."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            access = await self._access(session, action_id, user_id)
            if access is None:
                return AssignRefusal.GONE
            action = access.action
            if not (access.is_manager or (access.is_owner and action.due_on is None)):
                return AssignRefusal.NOT_ALLOWED
            if action.status not in ACTIVE:
                return AssignRefusal.CLOSED
            await session.actions.assign(action.id, action.owner_id, due_on, now)
            await self._changed(
                session, now, user_id, action, "due", {"action": action.id}, word="due_set"
            )
        return None

    async def snooze(
        self, user_id: int, action_id: int | None, until: datetime
    ) -> SnoozeRefusal | None:
        """The owner's "remind me later": the due date and "overdue" do not change."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            access = await self._access(session, action_id, user_id)
            if access is None:
                return SnoozeRefusal.GONE
            if ActionOp.SNOOZE not in access.operations or until <= now:
                return SnoozeRefusal.NOT_NOW
            await session.actions.snooze(access.action.id, until, now)
            await session.cases.add_event(
                access.action.case_id, now, user_id, "action_snoozed", {"action": access.action.id}
            )
            await _audit(session, now, user_id, "action.snoozed", access.action)
        return None

    async def _changed(
        self,
        session: Session,
        now: datetime,
        user_id: int,
        action: ActionRecord,
        event: str,
        detail: Mapping[str, int | str],
        *,
        word: str | None = None,
    ) -> ActionRecord:
        """What every change of an action leaves: its line on the case's timeline
        (``action_<event>``), its audit row (``action.<word or event>``) and its nudges planned
        again from the row as it is now (returned)."""
        await session.cases.add_event(action.case_id, now, user_id, f"action_{event}", dict(detail))
        await _audit(session, now, user_id, f"action.{word or event}", action)
        updated = await session.actions.get(action.id)
        assert updated is not None
        await self._nudges.plan_action(session, updated)
        return updated


async def _audit(
    session: Session, now: datetime, actor_id: int, action: str, record: ActionRecord
) -> None:
    await audit(session, now, actor_id, action, record.board_id, ("action", record.id), actor_id)
