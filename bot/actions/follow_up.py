"""Who is asked to carry an action once it exists (an accepted vote, approved minutes): its
owner is told, or, with none, the case's lead (else the coordinators) is asked to name one."""

from __future__ import annotations

from datetime import datetime

from bot.cases.rules import COORDINATING
from bot.kernel.outbox import private_row
from bot.kernel.policy import role_of
from bot.votes.rules import may_vote
from storage import Session
from storage.models import (
    ActionRecord,
    CaseRecord,
    NewOutboxItem,
    TeamRole,
)

ACTION_ASSIGN = "action_assign"


ACTION_OWNED = "action_owned"


async def action_follow_up(
    session: Session, action: ActionRecord, case: CaseRecord, now: datetime
) -> list[NewOutboxItem]:
    """Who must hear about an action next: its owner (and its due date if still open), or the
    case's lead, asked to name an owner; without a lead, the coordinators."""
    if action.owner_id is not None:
        targets = [action.owner_id]
        kind = ACTION_OWNED
    else:
        targets = [
            user_id
            for user_id, role in await session.cases.team(case.id)
            if role == TeamRole.LEAD
            and may_vote(role_of(await session.boards.membership(action.board_id, user_id)))
        ]
        if not targets:
            targets = await session.boards.member_ids(action.board_id, COORDINATING)
        kind = ACTION_ASSIGN
    return [
        private_row(
            user_id,
            action.board_id,
            kind,
            ("action", action.id),
            {"action_id": action.id},
            now,
            f"{kind}:{action.id}:{user_id}:{int(now.timestamp())}",
        )
        for user_id in targets
    ]
