"""What the board learns from a case, recorded by its coordinators and its lead: strengths and
unmet needs, whether the child's own view was heard, what was tried and whether it helped, and
links to related cases. Buttons only, no free text: each press is one transaction that re-checks
who is pressing, writes the timeline and the audit row (ids, never text)."""

from __future__ import annotations

from bot.cases.refusals import LearnRefusal
from bot.cases.rules import LINK_KINDS, can_read_details, learning_of, marked, may_manage
from bot.cases.service import acting_on, audit_case
from bot.kernel.policy import role_of
from bot.kernel.service import Service
from storage.models import CaseLinkRecord, CaseRecord


class CaseLearning(Service):
    async def may_record(self, case: CaseRecord, user_id: int) -> bool:
        async with self._db.read() as session:
            return may_manage(await acting_on(session, case, user_id))

    async def for_card(self, case: CaseRecord, user_id: int) -> tuple[bool, list[CaseLinkRecord]]:
        """For the case's card, in one read: whether this person may record what the board
        learns, and the related cases they may read too (another case's code is its team's)."""
        async with self._db.read() as session:
            may = may_manage(await acting_on(session, case, user_id))
            role = role_of(await session.boards.membership(case.board_id, user_id))
            readable = []
            for link in await session.cases.links(case.id):
                team = await session.cases.team_roles(link.other_id, user_id)
                if can_read_details(role, team):
                    readable.append(link)
        return may, readable

    async def mark(
        self, user_id: int, case_id: int, part: str, index: int
    ) -> CaseRecord | LearnRefusal:
        """One press on a strengths, needs, child's view or interventions button."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            case = await session.cases.get(case_id)
            if case is None:
                return LearnRefusal.GONE
            if not may_manage(await acting_on(session, case, user_id)):
                return LearnRefusal.NOT_MANAGING
            zone = (await self._settings.get(session, case.board_id)).timezone
            learning = marked(learning_of(case), part, index, now.astimezone(zone).date())
            if learning is None:
                return LearnRefusal.NO_SUCH_MARK
            await session.cases.set_learning(
                case.id,
                strengths=learning.strengths,
                needs=learning.needs,
                child_view=learning.child_view,
                child_view_on=learning.child_view_on,
                interventions=learning.interventions,
            )
            await session.cases.add_event(case.id, now, user_id, "learned", {"part": part})
            board = await session.boards.get(case.board_id)
            assert board is not None
            await audit_case(session, now, user_id, f"case.learned_{part}", board, case.id)
            updated = await session.cases.get(case.id)
        assert updated is not None
        return updated

    async def link(
        self, user_id: int, case_id: int, other_id: int, kind: str | None
    ) -> LearnRefusal | None:
        """Link two cases of one board as ``kind`` (or unlink them: None); the person must be
        able to manage both (a coordinator, or the lead of each)."""
        if kind is not None and kind not in LINK_KINDS:
            return LearnRefusal.NO_SUCH_MARK
        now = self._clock.now()
        async with self._db.transaction() as session:
            case = await session.cases.get(case_id)
            other = await session.cases.get(other_id)
            if case is None or other is None or case.id == other.id:
                return LearnRefusal.GONE
            if case.board_id != other.board_id:
                return LearnRefusal.GONE  # another board's case is not this board's to know
            for each in (case, other):
                if not may_manage(await acting_on(session, each, user_id)):
                    return LearnRefusal.NOT_MANAGING
            await session.cases.set_link(case.id, other.id, kind, user_id, now)
            board = await session.boards.get(case.board_id)
            assert board is not None
            action = "case.linked" if kind else "case.unlinked"
            for each, partner in ((case, other), (other, case)):
                await session.cases.add_event(
                    each.id, now, user_id, "linked" if kind else "unlinked", {"other": partner.id}
                )
                await audit_case(session, now, user_id, action, board, each.id)
        return None
