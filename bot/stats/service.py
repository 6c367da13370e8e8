"""The statistics' one read: a board's cases, milestones, actions and concerns, for a
coordinator of that board (re-checked on every call: /stats and each period button)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from bot.cases.rules import is_stalled
from bot.kernel.policy import COORDINATORS, Role, role_of
from bot.kernel.service import Service
from bot.kernel.settings import BoardSettings
from bot.stats.rules import (
    PERIODS,
    ActionFacts,
    CaseEvent,
    CaseFacts,
    ConcernFacts,
    Figures,
    Period,
    SupervisionFacts,
    case_facts,
    figures,
    period_start,
)
from storage import Session
from storage.models import BoardRecord, BoardStatus


@dataclass(frozen=True, slots=True)
class StatsReport:
    board: BoardRecord
    period: Period
    start: date | None
    today: date
    figures: Figures
    minimum: int
    """The smallest count shown (the board's ``stats_min_count``)."""


class StatsService(Service):
    async def boards_for(self, user_id: int) -> list[BoardRecord]:
        """The active boards this person coordinates (or deputises for)."""
        async with self._db.read() as session:
            memberships = await session.boards.memberships_of(user_id)
            ids = [m.board_id for m in memberships if Role(m.role) in COORDINATORS]
            return await session.boards.many(ids)

    async def report(self, user_id: int, board_id: int, period: str) -> StatsReport | None:
        """None unless the person coordinates this active board (and the period is known)."""
        if period not in PERIODS:
            return None
        now = self._clock.now()
        async with self._db.read() as session:
            board = await session.boards.get(board_id)
            if board is None or board.status != BoardStatus.ACTIVE:
                return None
            if role_of(await session.boards.membership(board_id, user_id)) not in COORDINATORS:
                return None
            settings = await self._settings.get(session, board_id)
            facts = await board_facts(session, board_id, now, settings)
        zone = settings.timezone
        today = now.astimezone(zone).date()
        start_day = period_start(period, today)
        start = (
            None if start_day is None else datetime.combine(start_day, datetime.min.time(), zone)
        )
        return StatsReport(
            board=board,
            period=Period(period),
            start=start_day,
            today=today,
            figures=figures(
                facts.cases,
                facts.actions,
                facts.concerns,
                start,
                today,
                supervisions=facts.supervisions,
            ),
            minimum=settings.stats_min_count,
        )


@dataclass(frozen=True, slots=True)
class BoardFacts:
    """A board's cases, actions and concerns as the statistics see them (no text, no names)."""

    cases: list[CaseFacts]
    actions: list[ActionFacts]
    concerns: list[ConcernFacts]
    supervisions: list[SupervisionFacts]


async def board_facts(
    session: Session, board_id: int, now: datetime, settings: BoardSettings
) -> BoardFacts:
    """Four statements (storage.stats), turned into facts."""
    cases = await session.stats.cases(board_id)
    events = await session.stats.events(board_id)
    actions = await session.stats.actions(board_id)
    concerns = await session.stats.concerns(board_id)
    supervisions = await session.stats.supervisions(board_id)
    zone = settings.timezone
    by_case: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in events:
        by_case[event.case_id].append(CaseEvent(event.at, event.kind, event.detail))
    return BoardFacts(
        cases=[
            case_facts(
                raised_at=case.created_at,
                criteria=case.criteria,
                factors=case.factors,
                lead_sector=case.lead_sector,
                status=case.status,
                carousel=case.carousel,
                stalled=is_stalled(case.status, case.last_activity_at, now, settings.stall_days),
                events=by_case[case.id],
                strengths=case.strengths,
                needs=case.needs,
                child_view=case.child_view,
                interventions=case.interventions,
            )
            for case in cases
        ],
        actions=[
            ActionFacts(
                sector=a.owner_sector,
                due_on=a.due_on,
                status=a.status,
                done_on=None if a.closed_at is None else a.closed_at.astimezone(zone).date(),
            )
            for a in actions
        ],
        concerns=[ConcernFacts(c.kind, c.created_at) for c in concerns],
        supervisions=[SupervisionFacts(m.starts_at, m.sectors) for m in supervisions],
    )
