"""Proposals and votes: the rules (tally, quorum, outcome) and the service that applies them.

The rules are pure functions of the ballots and the people entitled to vote *now*: a member removed
mid-vote no longer counts, either way. The service re-checks the voter's role on the proposal's
board inside every transaction, so a forged or replayed button changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.actions.follow_up import action_follow_up
from bot.boards.disclosure import GroupSectors, group_sectors
from bot.cases.rules import OPEN_STATUSES, can_read_details
from bot.kernel.audit import audit
from bot.kernel.outbox import Task, group_row
from bot.kernel.policy import COORDINATORS, VOTERS, Role, role_of
from bot.kernel.service import Kernel, Service
from bot.nudges.service import NudgeService, Planned
from bot.votes.refusals import (
    CastRefusal,
    CloseRefusal,
    OpenRefusal,
    ProposeRefusal,
    RemindRefusal,
    WithdrawRefusal,
)
from bot.votes.rules import (
    BLOCK_DIALOG,
    CHOICES,
    MAX_DETAILS,
    MAX_TITLE,
    MERGE_WINDOW,
    Ballot,
    Tally,
    Voter,
    VoteRules,
    closing_time,
    is_open,
    may_vote,
    reminder_time,
    tally,
)
from bot.votes.tasks import VOTE_DEADLINE, VOTE_REMIND_TASK, CloseVote, RemindVoters
from storage import Session
from storage.models import (
    BoardRecord,
    BoardStatus,
    CaseRecord,
    MembershipRecord,
    NewOutboxItem,
    ProposalRecord,
    ProposalStatus,
    VoteRecord,
)

VOTE_POST = "vote_post"


VOTE_LIVE = "vote_live"


VOTE_RESULT = "vote_result"


VOTE_REMINDER = "vote_reminder"


# the service --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class VoteView:
    """Everything needed to show a proposal: rendered by the outbox and by handlers alike."""

    proposal: ProposalRecord
    case: CaseRecord
    board: BoardRecord
    ballots: list[VoteRecord]
    voters: list[MembershipRecord]
    tally: Tally
    names: dict[int, str] = field(default_factory=dict)
    sectors: dict[int, str] = field(default_factory=dict)

    @property
    def group_sectors(self) -> GroupSectors:
        """The sectors the group may see named: the voters' of three people or more."""
        return group_sectors(m.sector for m in self.voters)


@dataclass(frozen=True, slots=True)
class Brief:
    """A voter's brief: the vote, the reader's role, and whether the case's details show."""

    view: VoteView
    role: Role
    details: bool


@dataclass(frozen=True, slots=True)
class CastResult:
    """A counted vote (``refusal`` None), or why the press did not count."""

    refusal: CastRefusal | None
    proposal: ProposalRecord | None = None
    choice: str | None = None


class VoteService(Service):
    def __init__(self, kernel: Kernel, nudges: NudgeService) -> None:
        super().__init__(kernel)
        self._nudges = nudges

    def tasks(self) -> dict[str, Task]:
        """What the outbox runs for votes at its time."""
        return dict(
            [
                CloseVote.task(lambda p: self.run_deadline_task(p.proposal_id)),
                RemindVoters.task(lambda p: self.run_reminder_task(p.proposal_id)),
            ]
        )

    # reading ----------------------------------------------------------------------------------
    async def get(self, proposal_id: int | None) -> ProposalRecord | None:
        if proposal_id is None:
            return None
        async with self._db.read() as session:
            return await session.proposals.get(proposal_id)

    async def view(self, proposal_id: int | None) -> VoteView | None:
        if proposal_id is None:
            return None
        async with self._db.read() as session:
            return await view_of(session, proposal_id)

    async def brief(self, user_id: int, proposal_id: int | None, chat_id: int) -> Brief | None:
        """The decision brief for a voter; every opening is audited (ids only). The case's
        details (criteria, factors, block reasons) come only to those who may read them on
        ``/case``: proposing a vote on a case must not open its file to every voter."""
        if proposal_id is None:
            return None
        now = self._clock.now()
        async with self._db.transaction() as session:
            view = await view_of(session, proposal_id)
            if view is None or view.proposal.status == ProposalStatus.DRAFT:
                return None
            role = role_of(await session.boards.membership(view.board.id, user_id))
            if not may_vote(role):
                return None
            details = can_read_details(role, await session.cases.team_roles(view.case.id, user_id))
            await _audit(session, now, user_id, "proposal.brief_read", view, chat_id)
            if details:
                await audit(
                    session,
                    now,
                    user_id,
                    "case.details_read",
                    view.board.id,
                    ("case", view.case.id),
                    chat_id,
                )
        return Brief(view, role, details)

    async def role_on(self, board_id: int, user_id: int) -> Role:
        async with self._db.read() as session:
            return role_of(await session.boards.membership(board_id, user_id))

    # proposing --------------------------------------------------------------------------------
    async def propose(
        self,
        user_id: int,
        case_id: int,
        title: str,
        *,
        details: str = "",
        owner_id: int | None = None,
        due_on: date | None = None,
        board_id: int | None = None,
    ) -> ProposalRecord | ProposeRefusal:
        """A draft on an open case; ``board_id`` (a group's board) must be the case's."""
        now = self._clock.now()
        title = " ".join(title.split())
        if not title or len(title) > MAX_TITLE or len(details) > MAX_DETAILS:
            return ProposeRefusal.BAD_TEXT
        async with self._db.transaction() as session:
            case = await session.cases.get(case_id)
            if case is None or (board_id is not None and case.board_id != board_id):
                return ProposeRefusal.CASE_GONE
            board = await session.boards.get(case.board_id)
            role = role_of(await session.boards.membership(case.board_id, user_id))
            if board is None or board.status != BoardStatus.ACTIVE or not may_vote(role):
                return ProposeRefusal.NOT_A_VOTER
            if case.status not in OPEN_STATUSES:
                return ProposeRefusal.CASE_NOT_OPEN
            if owner_id is not None and not may_vote(
                role_of(await session.boards.membership(case.board_id, owner_id))
            ):
                return ProposeRefusal.OWNER_NOT_A_VOTER
            rules = await self._settings.get(session, board.id)
            proposal = await session.proposals.create(
                board_id=board.id,
                case_id=case.id,
                title=title,
                details=details.strip(),
                proposed_by=user_id,
                outcome_rule=rules.vote_outcome_rule,
                quorum_percent=rules.vote_quorum_percent,
                every_sector=rules.vote_every_sector,
                duration_hours=rules.vote_duration_hours,
                owner_id=owner_id,
                due_on=due_on,
                now=now,
            )
            await audit(
                session, now, user_id, "proposal.drafted", board.id, ("proposal", proposal.id), None
            )
        return proposal

    async def open(
        self, user_id: int, proposal_id: int, *, anonymous: bool, message_id: int | None = None
    ) -> ProposalRecord | OpenRefusal:
        """The proposer opens the vote. With ``message_id`` (the group message pressed) that
        message becomes the live vote; without, the outbox posts it to the group."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            proposal = await session.proposals.get(proposal_id)
            if proposal is None:
                return OpenRefusal.GONE
            if proposal.proposed_by != user_id:
                return OpenRefusal.NOT_THE_PROPOSER
            board = await session.boards.get(proposal.board_id)
            role = role_of(await session.boards.membership(proposal.board_id, user_id))
            if board is None or board.status != BoardStatus.ACTIVE or not may_vote(role):
                return OpenRefusal.NOT_A_VOTER
            case = await session.cases.get(proposal.case_id)
            if case is None or case.status not in OPEN_STATUSES:
                return OpenRefusal.CASE_NOT_OPEN
            rules = await self._settings.get(session, board.id)
            await session.proposals.set_rules(  # the board's rules as the vote opens
                proposal.id,
                outcome_rule=rules.vote_outcome_rule,
                quorum_percent=rules.vote_quorum_percent,
                every_sector=rules.vote_every_sector,
                duration_hours=rules.vote_duration_hours,
            )
            closes = closing_time(now, rules.vote_duration_hours)
            opened = await session.proposals.open(
                proposal.id, anonymous=anonymous, message_id=message_id, now=now, closes_at=closes
            )
            if not opened:
                return OpenRefusal.ALREADY_OPEN
            await session.cases.add_event(
                proposal.case_id, now, user_id, "proposal_opened", {"proposal": proposal.id}
            )
            view = await view_of(session, proposal.id)
            assert view is not None
            await _audit(session, now, user_id, "proposal.opened", view, board.chat_id)
            items = [
                _group_item(board, VOTE_DEADLINE, proposal.id, closes, f"deadline:{proposal.id}"),
                _group_item(
                    board,
                    VOTE_REMIND_TASK,
                    proposal.id,
                    reminder_time(now, closes),
                    f"remindtask:{proposal.id}",
                ),
            ]
            if message_id is None:
                items.append(_group_item(board, VOTE_POST, proposal.id, now, post_key(proposal.id)))
            await self._outbox.add(session, items, now)
            return view.proposal

    async def withdraw_draft(self, user_id: int, proposal_id: int) -> WithdrawRefusal | None:
        async with self._db.transaction() as session:
            proposal = await session.proposals.get(proposal_id)
            if proposal is None:
                return WithdrawRefusal.GONE
            if proposal.proposed_by != user_id:
                return WithdrawRefusal.NOT_THE_PROPOSER
            if not await session.proposals.withdraw_draft(proposal.id, self._clock.now()):
                return WithdrawRefusal.NOT_A_DRAFT
        return None

    # voting -----------------------------------------------------------------------------------
    async def cast(
        self, user_id: int, proposal_id: int | None, choice: str, reason: str | None = None
    ) -> CastResult:
        """One vote each, changeable until the close; a block counts once its reason is saved."""
        now = self._clock.now()
        if choice not in CHOICES or proposal_id is None:
            return CastResult(CastRefusal.NO_SUCH_VOTE)
        if choice == "block" and not (reason and reason.strip()):
            return CastResult(CastRefusal.BLOCK_WITHOUT_REASON)
        async with self._db.transaction() as session:
            proposal = await session.proposals.get(proposal_id)
            if proposal is None or proposal.status == ProposalStatus.DRAFT:
                return CastResult(CastRefusal.NO_SUCH_VOTE)
            if not is_open(proposal, now):
                return CastResult(CastRefusal.CLOSED, proposal)  # closed (or closing)
            board = await session.boards.get(proposal.board_id)
            role = role_of(await session.boards.membership(proposal.board_id, user_id))
            if board is None or board.status != BoardStatus.ACTIVE or role is Role.NON_MEMBER:
                return CastResult(CastRefusal.NOT_ON_THE_BOARD, proposal)
            if not may_vote(role):
                return CastResult(CastRefusal.NOT_A_VOTER, proposal)
            if choice != "block":  # a different choice withdraws a block still waiting for words
                dialog = await session.dialogs.get(user_id)
                if (
                    dialog is not None
                    and dialog.kind == BLOCK_DIALOG
                    and dialog.draft.get("proposal_id") == proposal.id
                ):
                    await session.dialogs.close(user_id)
            previous = await session.proposals.vote_of(proposal.id, user_id)
            if previous is not None and previous.choice == choice and choice != "block":
                return CastResult(CastRefusal.SAME_AGAIN, proposal, choice)  # a double press
            await session.proposals.put_vote(
                proposal.id, user_id, choice, reason.strip() if reason else None, now
            )
            await audit(
                session, now, user_id, "proposal.voted", board.id, ("proposal", proposal.id), None
            )
            await self._outbox.add_merged(
                session,
                _group_item(board, VOTE_LIVE, proposal.id, now, f"live:{proposal.id}"),
                now,
                MERGE_WINDOW,
            )
        return CastResult(None, proposal, choice)

    async def my_vote(self, user_id: int, proposal_id: int) -> VoteRecord | None:
        async with self._db.read() as session:
            return await session.proposals.vote_of(proposal_id, user_id)

    # reminding --------------------------------------------------------------------------------
    async def remind_non_voters(
        self, proposal_id: int, by_user: int | None = None
    ) -> int | RemindRefusal:
        """A private reminder to each voter who has not voted, once per vote: how many."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            view = await view_of(session, proposal_id)
            if view is None or view.proposal.status != ProposalStatus.OPEN:
                return RemindRefusal.NOT_OPEN
            if (
                by_user is not None
                and role_of(await session.boards.membership(view.board.id, by_user))
                not in COORDINATORS
            ):
                return RemindRefusal.NOT_A_COORDINATOR
            voted = {ballot.user_id for ballot in view.ballots}
            suffix = "" if by_user is None else ":asked"  # the coordinator's own, once each
            keys = {
                member.user_id: f"remind:{proposal_id}:{member.user_id}{suffix}"
                for member in view.voters
                if member.user_id not in voted
            }
            already = await session.outbox.existing_keys(list(keys.values()))
            reminders = [
                Planned(
                    user_id,
                    now,
                    key,
                    {"proposal_id": proposal_id},
                    useful_until=view.proposal.closes_at,
                    subject=("proposal", proposal_id),
                    kind=VOTE_REMINDER,
                )
                for user_id, key in keys.items()
                if key not in already
            ]
            await self._nudges.queue(session, view.board.id, reminders)
            if by_user is not None:
                await _audit(session, now, by_user, "proposal.reminded", view, by_user)
        return len(reminders)

    async def run_reminder_task(self, proposal_id: int) -> datetime | None:
        await self.remind_non_voters(proposal_id)
        return None

    # closing ----------------------------------------------------------------------------------
    async def close(
        self, proposal_id: int | None, by_user: int | None = None
    ) -> ProposalRecord | CloseRefusal:
        """Close at the deadline (``by_user`` None) or early by a coordinator; once only."""
        now = self._clock.now()
        if proposal_id is None:
            return CloseRefusal.GONE
        async with self._db.transaction() as session:
            view = await view_of(session, proposal_id)
            if view is None:
                return CloseRefusal.GONE
            proposal = view.proposal
            if (
                by_user is not None
                and role_of(await session.boards.membership(view.board.id, by_user))
                not in COORDINATORS
            ):
                return CloseRefusal.NOT_A_COORDINATOR
            if proposal.status != ProposalStatus.OPEN:
                return CloseRefusal.ALREADY_CLOSED
            if by_user is None and proposal.closes_at is not None and now < proposal.closes_at:
                return CloseRefusal.NOT_YET  # woken early: the deadline row is retried
            result = view.tally
            record = result.to_json()
            if proposal.anonymous:  # reasons stay, unlinked from the people who gave them
                record["reasons"] = [
                    b.reason for b in view.ballots if b.choice == "block" and b.reason
                ]
            await session.proposals.close(proposal.id, result.outcome, record, now, by_user)
            if proposal.anonymous:
                await session.proposals.seal_votes(proposal.id)
            await session.outbox.cancel_for_subject(
                "proposal",
                str(proposal.id),
                [VOTE_DEADLINE, VOTE_REMIND_TASK, VOTE_REMINDER],
                "closed",
                now,
            )
            await session.cases.add_event(
                proposal.case_id,
                now,
                by_user,
                "proposal_closed",
                {"proposal": proposal.id, "outcome": result.outcome},
            )
            await _audit(session, now, by_user, f"proposal.{result.outcome}", view, None)
            # the live message shows the result; the result row says only what is new (an
            # action), or everything when the live message could not be posted (see notices)
            items = [
                _group_item(view.board, VOTE_LIVE, proposal.id, now, f"live:{proposal.id}:final"),
                _group_item(view.board, VOTE_RESULT, proposal.id, now, f"result:{proposal.id}"),
            ]
            if result.outcome == "accepted":
                owner = proposal.owner_id
                if owner is not None and not may_vote(
                    role_of(await session.boards.membership(view.board.id, owner))
                ):
                    owner = None  # left the board meanwhile: the lead is asked instead
                action = await session.actions.create(
                    board_id=view.board.id,
                    case_id=proposal.case_id,
                    proposal_id=proposal.id,
                    title=proposal.title,
                    owner_id=owner,
                    due_on=proposal.due_on,
                    now=now,
                )
                await session.cases.add_event(
                    proposal.case_id, now, None, "action_created", {"action": action.id}
                )
                await self._nudges.plan_action(session, action)
                items += await action_follow_up(session, action, view.case, now)
            await self._outbox.add(session, items, now)
            closed = await session.proposals.get(proposal.id)
        assert closed is not None
        return closed

    async def run_deadline_task(self, proposal_id: int) -> datetime | None:
        """Close at the deadline; woken early, say when to run again."""
        if await self.close(proposal_id) is CloseRefusal.NOT_YET:
            proposal = await self.get(proposal_id)
            return None if proposal is None else proposal.closes_at
        return None


async def view_of(session: Session, proposal_id: int) -> VoteView | None:
    proposal = await session.proposals.get(proposal_id)
    if proposal is None:
        return None
    case = await session.cases.get(proposal.case_id)
    board = await session.boards.get(proposal.board_id)
    if case is None or board is None:
        return None
    members = await session.boards.members(board.id)
    voters = [m for m in members if Role(m.role) in VOTERS]
    ballots = await session.proposals.votes(proposal.id)
    if proposal.status in (ProposalStatus.OPEN, ProposalStatus.DRAFT):
        counted = tally(
            [Ballot(b.user_id, b.choice) for b in ballots],
            [Voter(m.user_id, m.sector) for m in voters],
            VoteRules(proposal.outcome_rule, proposal.quorum_percent, proposal.every_sector),
            (case.lead_sector, *case.other_sectors),
        )
    else:
        counted = Tally.from_json(proposal.result)
    return VoteView(
        proposal=proposal,
        case=case,
        board=board,
        ballots=ballots,
        voters=voters,
        tally=counted,
        names={m.user_id: m.display_name for m in members},
        sectors={m.user_id: m.sector for m in members},
    )


def post_key(proposal_id: int) -> str:
    """The dedupe key of the outbox row that posted a vote (its message id lives there)."""
    return f"post:{proposal_id}"


def _group_item(
    board: BoardRecord, kind: str, proposal_id: int, due: datetime, key: str
) -> NewOutboxItem:
    return group_row(board, kind, ("proposal", proposal_id), {"proposal_id": proposal_id}, due, key)


async def _audit(
    session: Session,
    now: datetime,
    actor_id: int | None,
    action: str,
    view: VoteView,
    chat_id: int | None,
) -> None:
    await audit(
        session, now, actor_id, action, view.board.id, ("proposal", view.proposal.id), chat_id
    )
