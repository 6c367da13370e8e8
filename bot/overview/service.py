"""The overview's reads: every board a person is on, in one read, then one write that
remembers they looked (so the next "what changed" starts there)."""

from __future__ import annotations

from datetime import datetime

from bot.actions.rules import ACTIVE
from bot.cases.rules import OPEN_STATUSES
from bot.kernel.policy import COORDINATORS, VOTERS, Role
from bot.kernel.service import Service
from bot.overview.rules import (
    BoardPicture,
    OpenVote,
    actions_first,
    cases_needing_a_look,
    summed_changes,
    upcoming,
)
from bot.votes.rules import may_vote
from storage import Session
from storage.models import BoardStatus, CaseRecord, MembershipStatus


class OverviewService(Service):
    async def today(self, user_id: int) -> list[BoardPicture]:
        """One picture per active board the person is an active member of, and each board's
        "last looked" moved to now, in one read and one write."""
        now = self._clock.now()
        pictures: list[BoardPicture] = []
        async with self._db.read() as session:
            for membership in await session.boards.memberships_of(user_id):
                picture = await self._picture(
                    session, membership.board_id, user_id, membership.role, now
                )
                if picture is not None:
                    pictures.append(picture)
        if pictures:
            async with self._db.transaction() as session:
                await session.overview.mark_seen([p.board_id for p in pictures], user_id, now)
        return pictures

    async def _picture(
        self, session: Session, board_id: int, user_id: int, role: str, now: datetime
    ) -> BoardPicture | None:
        board = await session.boards.get(board_id)
        if board is None or board.status != BoardStatus.ACTIVE:
            return None
        settings = await self._settings.get(session, board_id)
        today = now.astimezone(settings.timezone).date()
        coordinating = Role(role) in COORDINATORS
        everyone = await session.boards.members(
            board_id,
            (
                MembershipStatus.ACTIVE,
                MembershipStatus.PENDING,
                MembershipStatus.SUSPENDED,
                MembershipStatus.REMOVED,
            ),
        )
        names = {m.user_id: m.display_name for m in everyone}  # an owner who left, too
        members = [
            m for m in everyone if m.status in (MembershipStatus.ACTIVE, MembershipStatus.PENDING)
        ]
        if coordinating:
            cases = await session.cases.for_board(board_id, OPEN_STATUSES)
            actions = await session.actions.for_board(board_id, ACTIVE)
            concerns = tuple(await session.escalations.open_on([board_id]))
            pending = tuple(m for m in members if m.status == MembershipStatus.PENDING)
        else:
            cases = [
                c
                for c in await session.cases.for_user(user_id, OPEN_STATUSES)
                if c.board_id == board_id
            ]
            actions = [
                a for a in await session.actions.owned_by(user_id, ACTIVE) if a.board_id == board_id
            ]
            concerns, pending = (), ()
        votes = [
            OpenVote(proposal, voted, mine)
            for proposal, voted, mine in await session.proposals.open_with_turnout(
                [board_id], user_id, sorted(VOTERS)
            )
            if coordinating or (not mine and may_vote(Role(role)))
        ]
        since = await session.overview.seen_at(board_id, user_id)
        rows = (
            await session.cases.changes_since(
                board_id, since, user_id, team_of=None if coordinating else user_id
            )
            if since is not None
            else []
        )
        changes = summed_changes(rows)
        shown_actions = actions_first(actions, today)
        codes = _codes(cases) | {case_id: code for case_id, code, _, _ in rows}
        missing = {a.case_id for a in shown_actions} | {v.proposal.case_id for v in votes}
        missing -= set(codes)
        codes.update(await session.cases.codes_of(sorted(missing)))
        return BoardPicture(
            board_id=board_id,
            title=board.title,
            zone=settings.timezone,
            coordinating=coordinating,
            today=today,
            since=since,
            pending=pending,
            concerns=concerns,
            cases=tuple(cases),
            needs_look=tuple(cases_needing_a_look(cases, now, settings.stall_days)),
            actions=tuple(shown_actions),
            votes=tuple(votes),
            meetings=tuple(upcoming(await session.meetings.upcoming([board_id], now), now)),
            changes=tuple(changes),
            codes=codes,
            names=names,
            voters=sum(
                1 for m in members if m.status == MembershipStatus.ACTIVE and Role(m.role) in VOTERS
            ),
        )


def _codes(cases: list[CaseRecord]) -> dict[int, str]:
    return {c.id: c.code for c in cases}
