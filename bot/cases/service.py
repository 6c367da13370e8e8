"""Cases: the five "difficult case" criteria, the factors, pseudonymous codes, raising a case.

Nothing here identifies a child: the code is random, the label and summary pass the personal-data
guard before they reach this module, and the group only ever sees the card (``CaseCard``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.cases.refusals import EditRefusal, MoveRefusal, NoteRefusal, TeamRefusal
from bot.cases.rules import (
    CAROUSEL_WINDOW_DAYS,
    CLOSING_OUTCOMES,
    COORDINATING,
    EDITABLE_STEPS,
    NEEDS_TEXT,
    NEWCASE_DIALOG,
    OPEN_STATUSES,
    TIMELINE_PAGE,
    CaseDraft,
    acting_as,
    allowed_transitions,
    can_read_details,
    is_carousel,
    may_manage,
    new_case_code,
    normalize_code,
)
from bot.kernel.audit import audit
from bot.kernel.dialogs import nonce_of
from bot.kernel.outbox import group_row, private_row
from bot.kernel.policy import Role, role_of
from bot.kernel.service import Service
from storage import Session
from storage.models import (
    ActionRecord,
    BoardRecord,
    BoardStatus,
    CaseEventRecord,
    CaseNoteRecord,
    CaseRecord,
    CaseStatus,
    NewOutboxItem,
    ProposalRecord,
    TeamRole,
    TransferRecord,
)

CASE_NOTICE = "case_notice"


CASE_CARD = "case_card"


MAX_PAGE = 100_000
"""No list has more pages than this; a forged button asking for more gets the last."""


class CaseService(Service):
    async def raise_case(self, user_id: int, nonce: int) -> CaseRecord | None:
        """Store the case from the person's open ``/newcase`` dialogue (the one whose screen
        carried ``nonce``, at its last step): the case, its team, its first timeline entry,
        the audit row and the group card. The dialogue is read and closed in the same
        transaction, so a second press of "Raise the case" finds none and makes no second case,
        whatever order the presses arrive in."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            dialog = await session.dialogs.get(user_id)
            if (
                dialog is None
                or dialog.kind != NEWCASE_DIALOG
                or dialog.step != "confirm"
                or "edit" in dialog.draft
                or dialog.board_id is None
                or nonce_of(dialog.started_at) != nonce
            ):
                return None
            board_id = dialog.board_id
            draft = CaseDraft.from_json(dialog.draft)
            board = await session.boards.get(board_id)
            role = role_of(await session.boards.membership(board_id, user_id))
            if (
                board is None
                or board.status != BoardStatus.ACTIVE
                or role not in (Role.COORDINATOR, Role.DEPUTY, Role.MEMBER)
                or not draft.is_complete()
            ):
                return None
            case = await _insert_with_fresh_code(session, board, user_id, draft, now)
            team = [(user_id, TeamRole.LEAD)]
            if draft.keyworker_id is not None:
                team.append((draft.keyworker_id, TeamRole.KEYWORKER))
            await session.cases.add_team(case.id, team)
            await session.cases.add_event(case.id, now, user_id, "raised", {})
            await session.dialogs.close(user_id)
            await audit_case(session, now, user_id, "case.raised", board, case.id)
            await self._outbox.add(session, [_card_item(board, case.id, "raised", now)], now)
        return case

    async def get(self, case_id: int | None) -> CaseRecord | None:
        if case_id is None:
            return None
        async with self._db.read() as session:
            return await session.cases.get(case_id)

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
            await audit(
                session,
                now,
                user_id,
                "case.details_read",
                case.board_id,
                ("case", case.id),
                chat_id,
            )
        return True

    async def open_page(
        self, board_id: int, status: str, sector: str, page: int, size: int
    ) -> tuple[list[CaseRecord], int, int]:
        """A page of the board's open cases with its filters ("all": none): the cases, how many
        match, and the page actually shown (a page past the end shows the last)."""
        page = min(max(page, 0), MAX_PAGE)  # a forged page number stays a number SQL takes
        statuses = OPEN_STATUSES if status == "all" else (status,)
        lead = None if sector == "all" else sector
        async with self._db.read() as session:
            cases, total = await session.cases.page_for_board(
                board_id, statuses, lead, page * size, size
            )
            last = max((total + size - 1) // size - 1, 0)
            if page > last:  # the list shrank since the button was drawn
                cases, total = await session.cases.page_for_board(
                    board_id, statuses, lead, last * size, size
                )
                page = last
        return cases, total, page

    async def team_of(self, case_id: int) -> list[tuple[int, str]]:
        async with self._db.read() as session:
            return await session.cases.team(case_id)


TimelineExtra = CaseNoteRecord | TransferRecord | ProposalRecord | ActionRecord | None
"""What an event points to: a note's text, a move, or the proposal or action it concerns."""


@dataclass(frozen=True, slots=True)
class TimelinePage:
    entries: list[tuple[CaseEventRecord, TimelineExtra]]
    page: int
    pages: int


class CaseWork(Service):
    """Changes to a case after it is raised: status, notes, transfers. Each is one transaction
    that re-checks the actor's role and team place, writes the timeline and the audit row."""

    async def _actor(self, session: Session, case: CaseRecord, user_id: int) -> frozenset[str]:
        return await acting_on(session, case, user_id)

    async def transitions_for(self, case: CaseRecord, user_id: int) -> list[CaseStatus]:
        async with self._db.read() as session:
            return allowed_transitions(case.status, await self._actor(session, case, user_id))

    async def move(
        self,
        user_id: int,
        case_id: int,
        to: CaseStatus,
        text: str | None = None,
        closing: str | None = None,
    ) -> CaseRecord | MoveRefusal:
        """``closing``: the outcome a closed case ends with (one of CLOSING_OUTCOMES), kept on
        its status event, where the statistics read it."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            case = await session.cases.get(case_id)
            if case is None:
                return MoveRefusal.GONE
            acting = await self._actor(session, case, user_id)
            if to not in allowed_transitions(case.status, acting):
                return MoveRefusal.NOT_ALLOWED if acting else MoveRefusal.GONE
            if to in NEEDS_TEXT and not text:
                return MoveRefusal.NO_WORDS
            if to == CaseStatus.CLOSED and closing not in CLOSING_OUTCOMES:
                return MoveRefusal.NO_WORDS
            note_id = None
            if text:
                kind = NEEDS_TEXT.get(to, "reason")
                note_id = await session.cases.add_note(case.id, now, user_id, kind, text)
            await session.cases.set_status(case.id, to)
            detail: dict[str, Any] = {"from": case.status, "to": to}
            if note_id is not None:
                detail["note"] = note_id
            if to == CaseStatus.CLOSED:
                detail["closing"] = closing
            await session.cases.add_event(case.id, now, user_id, "status", detail)
            board = await session.boards.get(case.board_id)
            assert board is not None
            await audit_case(session, now, user_id, f"case.status_{to}", board, case.id)
            items = [_card_item(board, case.id, f"status:{to}", now)]
            if to == CaseStatus.DECLINED:
                items.append(
                    _notice(
                        case.raised_by,
                        board.id,
                        case.id,
                        "case.declined_notice",
                        {"code": case.code},
                        now,
                        f"declined:{case.id}:{now}",
                    )
                )
            await self._outbox.add(session, items, now)
            updated = await session.cases.get(case.id)
        assert updated is not None
        return updated

    async def add_note(
        self, user_id: int, case_id: int, text: str, kind: str = "note"
    ) -> NoteRefusal | None:
        """A note, or (``kind="success"``) a small success, on the timeline."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            case = await _on_its_team(session, case_id, user_id)
            if isinstance(case, NoteRefusal):
                return case
            if kind == "success" and not may_manage(await acting_on(session, case, user_id)):
                return NoteRefusal.NOT_MANAGING  # (its coordinators and lead, checked again now)
            note_id = await session.cases.add_note(case.id, now, user_id, "note", text)
            await session.cases.add_event(case.id, now, user_id, kind, {"note": note_id})
            board = await session.boards.get(case.board_id)
            assert board is not None
            await audit_case(session, now, user_id, f"case.{kind}_added", board, case.id)
        return None

    async def record_transfer(
        self,
        user_id: int,
        case_id: int,
        moved_on: date,
        from_service: str,
        to_service: str,
        reason: str,
    ) -> bool | NoteRefusal:
        """Store a move; True when it made the case a carousel just now."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            case = await _on_its_team(session, case_id, user_id)
            if isinstance(case, NoteRefusal):
                return case
            transfer_id = await session.cases.add_transfer(
                case.id, now, user_id, moved_on, from_service, to_service, reason
            )
            await session.cases.add_event(
                case.id, now, user_id, "transfer", {"transfer": transfer_id}
            )
            board = await session.boards.get(case.board_id)
            assert board is not None
            await audit_case(session, now, user_id, "case.transfer_recorded", board, case.id)
            window = timedelta(days=CAROUSEL_WINDOW_DAYS)
            # A move may be recorded late: count the year on either side of it.
            moves = max(
                await session.cases.transfers_between(case.id, moved_on - window, moved_on),
                await session.cases.transfers_between(case.id, moved_on, moved_on + window),
            )
            flagged = is_carousel(moves) and case.carousel_at is None
            if flagged:
                await session.cases.mark_carousel(case.id, now)
                await session.cases.add_event(case.id, now, None, "carousel", {"moves": moves})
                coordinators = await session.boards.member_ids(board.id, COORDINATING)
                await self._outbox.add(
                    session,
                    [
                        _notice(
                            uid,
                            board.id,
                            case.id,
                            "case.carousel_notice",
                            {"code": case.code, "moves": moves},
                            now,
                            f"carousel:{case.id}:{uid}",
                        )
                        for uid in coordinators
                    ],
                    now,
                )
        return flagged

    async def may_manage(self, case: CaseRecord, user_id: int) -> bool:
        async with self._db.read() as session:
            return may_manage(await self._actor(session, case, user_id))

    async def edit(
        self, user_id: int, case_id: int, step: str, draft: CaseDraft
    ) -> EditRefusal | None:
        """Save one corrected field; the timeline says what changed, never the old text."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            case = await session.cases.get(case_id)
            if case is None or step not in EDITABLE_STEPS:
                return EditRefusal.GONE
            if not may_manage(await self._actor(session, case, user_id)):
                return EditRefusal.NOT_ALLOWED
            if step == "keyworker":
                if (
                    draft.keyworker_id is not None
                    and role_of(await session.boards.membership(case.board_id, draft.keyworker_id))
                    is Role.NON_MEMBER
                ):
                    return EditRefusal.NOT_A_MEMBER
                keyworkers = [] if draft.keyworker_id is None else [draft.keyworker_id]
                await session.cases.set_team_role(case.id, TeamRole.KEYWORKER, keyworkers)
            else:
                value = draft.to_json()[step]
                text = ",".join(value) if isinstance(value, list) else str(value)
                if not text and step in ("label", "summary", "urgency"):
                    return EditRefusal.EMPTY
                await session.cases.update_field(case.id, step, text)
            await session.cases.add_event(case.id, now, user_id, "edited", {"field": step})
            board = await session.boards.get(case.board_id)
            assert board is not None
            await audit_case(session, now, user_id, f"case.edited_{step}", board, case.id)
            await session.dialogs.close(user_id)
        return None

    async def add_contributor(
        self, user_id: int, case_id: int, member_id: int
    ) -> TeamRefusal | None:
        return await self._change_team(user_id, case_id, member_id, add=True)

    async def remove_contributor(
        self, user_id: int, case_id: int, member_id: int
    ) -> TeamRefusal | None:
        return await self._change_team(user_id, case_id, member_id, add=False)

    async def _change_team(
        self, user_id: int, case_id: int, member_id: int, *, add: bool
    ) -> TeamRefusal | None:
        now = self._clock.now()
        async with self._db.transaction() as session:
            case = await session.cases.get(case_id)
            if case is None:
                return TeamRefusal.GONE
            if not may_manage(await self._actor(session, case, user_id)):
                return TeamRefusal.NOT_ALLOWED
            if add:
                if (
                    role_of(await session.boards.membership(case.board_id, member_id))
                    is Role.NON_MEMBER
                ):
                    return TeamRefusal.NOT_A_MEMBER
                await session.cases.add_team(case.id, [(member_id, TeamRole.CONTRIBUTOR)])
            elif not await session.cases.remove_from_team(case.id, member_id, TeamRole.CONTRIBUTOR):
                return TeamRefusal.NOT_ON_THE_TEAM
            kind = "team_added" if add else "team_removed"
            await session.cases.add_event(case.id, now, user_id, kind, {"user": member_id})
            board = await session.boards.get(case.board_id)
            assert board is not None
            await audit_case(session, now, user_id, f"case.{kind}", board, case.id)
        return None

    async def set_lead(self, user_id: int, case_id: int, member_id: int) -> TeamRefusal | None:
        """Only coordinators name a new lead (e.g. when the lead leaves the board)."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            case = await session.cases.get(case_id)
            if case is None:
                return TeamRefusal.GONE
            if "coordinator" not in await self._actor(session, case, user_id):
                return TeamRefusal.NOT_ALLOWED
            member = role_of(await session.boards.membership(case.board_id, member_id))
            if member not in (Role.COORDINATOR, Role.DEPUTY, Role.MEMBER):
                return TeamRefusal.NOT_A_MEMBER
            await session.cases.set_team_role(case.id, "lead", [member_id])
            await session.cases.add_event(case.id, now, user_id, "team_lead", {"user": member_id})
            board = await session.boards.get(case.board_id)
            assert board is not None
            await audit_case(session, now, user_id, "case.lead_changed", board, case.id)
        return None

    async def is_coordinating(self, case: CaseRecord, user_id: int) -> bool:
        async with self._db.read() as session:
            return "coordinator" in await self._actor(session, case, user_id)

    async def mine(self, user_id: int) -> list[CaseRecord]:
        async with self._db.read() as session:
            return await session.cases.for_user(user_id, OPEN_STATUSES)

    async def timeline(self, case: CaseRecord, page: int) -> TimelinePage:
        async with self._db.read() as session:
            total = await session.cases.count_events(case.id)
            pages = max((total + TIMELINE_PAGE - 1) // TIMELINE_PAGE, 1)
            page = min(max(page, 0), pages - 1)
            events = await session.cases.events(case.id, page * TIMELINE_PAGE, TIMELINE_PAGE)
            notes = await session.cases.notes(
                [int(e.detail["note"]) for e in events if "note" in e.detail]
            )
            entries: list[tuple[CaseEventRecord, TimelineExtra]] = []
            for event in events:
                extra: TimelineExtra = None
                if "note" in event.detail:
                    extra = notes.get(int(event.detail["note"]))
                elif "transfer" in event.detail:
                    extra = await session.cases.transfer(int(event.detail["transfer"]))
                elif "proposal" in event.detail:
                    extra = await session.proposals.get(int(event.detail["proposal"]))
                elif "action" in event.detail:
                    extra = await session.actions.get(int(event.detail["action"]))
                entries.append((event, extra))
        return TimelinePage(entries, page, pages)


def _card_item(board: BoardRecord, case_id: int, event: str, now: datetime) -> NewOutboxItem:
    payload = {"case_id": case_id, "event": event}
    key = f"card:{case_id}:{event}:{now.timestamp()}"
    return group_row(board, CASE_CARD, ("case", case_id), payload, now, key)


def _notice(
    user_id: int,
    board_id: int,
    case_id: int,
    key: str,
    params: dict[str, Any],
    now: datetime,
    dedupe: str,
) -> NewOutboxItem:
    return private_row(
        user_id, board_id, "notice", ("case", case_id), {"key": key, "params": params}, now, dedupe
    )


async def acting_on(session: Session, case: CaseRecord, user_id: int) -> frozenset[str]:
    """What the person counts as on this case now (coordinator, lead), on an active board."""
    board = await session.boards.get(case.board_id)
    if board is None or board.status != BoardStatus.ACTIVE:
        return frozenset()
    role = role_of(await session.boards.membership(case.board_id, user_id))
    return acting_as(role, await session.cases.team_roles(case.id, user_id))


async def audit_case(
    session: Session, now: datetime, actor_id: int, action: str, board: BoardRecord, case_id: int
) -> None:
    """One audit row about a case: ids and the action, never text."""
    await audit(session, now, actor_id, action, board.id, ("case", case_id), actor_id)


async def _insert_with_fresh_code(
    session: Session, board: BoardRecord, user_id: int, draft: CaseDraft, now: datetime
) -> CaseRecord:
    for _ in range(20):
        code = new_case_code(board.code_prefix)
        if await session.cases.by_code(code) is None:
            return await session.cases.create(board.id, code, user_id, draft.to_json(), now)
    raise RuntimeError("no free case code after 20 tries")


async def _on_its_team(session: Session, case_id: int, user_id: int) -> CaseRecord | NoteRefusal:
    """The case, if this person may read its details now (and so write on its timeline)."""
    case = await session.cases.get(case_id)
    if case is None:
        return NoteRefusal.GONE
    role = role_of(await session.boards.membership(case.board_id, user_id))
    if not can_read_details(role, await session.cases.team_roles(case.id, user_id)):
        return NoteRefusal.NOT_ON_THE_TEAM
    return case
