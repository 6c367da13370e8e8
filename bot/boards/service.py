"""Boards and members: setting up, joining by sector, approvals, roles, handover, chat events.

The rules (who may change whose role) are plain functions; ``BoardService`` runs each user action
as one transaction that writes its audit row and any outbox rows, and returns what happened.
"""

from __future__ import annotations

from datetime import datetime

from bot.boards.disclosure import GroupSectors, of_members
from bot.boards.refusals import (
    DecideRefusal,
    HandoverRefusal,
    JoinRefusal,
    MemberRefusal,
    SettingRefusal,
)
from bot.boards.rules import (
    CONDUCT_VERSION,
    SECTORS,
    JoinDecided,
    JoinState,
    SetupResult,
    code_prefix,
    may_hand_over,
    may_remove,
    may_set_role,
    new_join_code,
)
from bot.kernel.audit import audit
from bot.kernel.outbox import private_row, task_row
from bot.kernel.policy import COORDINATORS, Role, role_of
from bot.kernel.service import Service
from bot.kernel.settings import BoardSettingsService
from storage import Session
from storage.models import (
    BoardRecord,
    BoardStatus,
    DialogRecord,
    MembershipRecord,
    MembershipStatus,
)

JOIN_REQUEST = "join_request"


JOIN_DECIDED = "join_decided"


HANDOVER_OFFER = "handover_offer"


MENU_REFRESH = "menu.refresh"
"""An outbox task: people's own "/" menus follow a change of their role, after the answer."""


class BoardService(Service):
    async def refresh_menus_later(
        self, user_ids: list[int] | None = None, *, board_id: int | None = None
    ) -> None:
        """Queue the menus of these people (or of a board's coordinators and deputies) to be
        set again: a call to Telegram per person, made by the outbox, never while the person
        waits for the answer; kept in the database, so a restart does not forget it."""
        now = self._clock.now()
        users = list(dict.fromkeys(user_ids or []))
        row = task_row(MENU_REFRESH, {"users": users, "board": board_id}, now, None)
        async with self._db.transaction() as session:
            await self._outbox.add(session, [row], now)

    # reading ----------------------------------------------------------------------------------
    async def board(self, board_id: int) -> BoardRecord | None:
        async with self._db.read() as session:
            return await session.boards.get(board_id)

    async def by_chat(self, chat_id: int) -> BoardRecord | None:
        async with self._db.read() as session:
            return await session.boards.by_chat(chat_id)

    async def by_join_code(self, code: str) -> BoardRecord | None:
        async with self._db.read() as session:
            board = await session.boards.by_join_code(code)
        return board if board is not None and board.status == BoardStatus.ACTIVE else None

    async def role_on(self, board_id: int, user_id: int) -> Role:
        async with self._db.read() as session:
            board = await session.boards.get(board_id)
            if board is None or board.status != BoardStatus.ACTIVE:
                return Role.NON_MEMBER
            return role_of(await session.boards.membership(board_id, user_id))

    async def boards_of(self, user_id: int) -> list[tuple[BoardRecord, Role]]:
        async with self._db.read() as session:
            memberships = await session.boards.memberships_of(user_id)
            boards = await session.boards.many([m.board_id for m in memberships])
        roles = {m.board_id: Role(m.role) for m in memberships}
        return [(board, roles[board.id]) for board in boards]

    async def last_board(self, user_id: int) -> int | None:
        async with self._db.read() as session:
            user = await session.users.get(user_id)
        return None if user is None else user.last_board_id

    async def remember_board(self, user_id: int, board_id: int) -> None:
        async with self._db.transaction() as session:
            await session.users.set_last_board(user_id, board_id, self._clock.now())

    async def members(
        self, board_id: int, statuses: tuple[str, ...] = ("active",)
    ) -> list[MembershipRecord]:
        async with self._db.read() as session:
            return await session.boards.members(board_id, statuses)

    async def membership(self, board_id: int, user_id: int) -> MembershipRecord | None:
        async with self._db.read() as session:
            return await session.boards.membership(board_id, user_id)

    async def group_sectors(self, board_id: int) -> GroupSectors:
        """Which sectors the board's group may see named (none of fewer than three people)."""
        return of_members(await self.members(board_id))

    # setting up -------------------------------------------------------------------------------
    async def setup(
        self,
        *,
        chat_id: int,
        title: str,
        thread_id: int | None,
        user_id: int,
        display_name: str,
    ) -> SetupResult:
        """Register the group as a board with the caller as coordinator; idempotent."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            board = await session.boards.by_chat(chat_id)
            if board is not None and board.status == BoardStatus.ACTIVE:
                coordinator = await _coordinator(session, board.id)
                if coordinator is not None:
                    return SetupResult(board, coordinator.user_id, created=False)
                # The coordinator left the group and no deputy could stand in: a group
                # administrator names themselves, so the board is never left without one.
                action = "board.coordinator_restored"
            elif board is None:
                board = await session.boards.create(
                    chat_id,
                    title,
                    now,
                    thread_id=thread_id,
                    join_code=new_join_code(),
                    created_by=user_id,
                    code_prefix=code_prefix(title),
                )
                action = "board.setup"
            else:
                # The bot was removed and added again: the board comes back with its data, but
                # nobody else keeps access, since leaves in the meantime went unseen.
                await session.boards.set_status(board.id, BoardStatus.ACTIVE, now)
                await session.boards.update_place(board.id, title=title, thread_id=thread_id)
                for member in await session.boards.members(board.id, ("active", "pending")):
                    if member.user_id != user_id:
                        await session.boards.set_member_status(
                            board.id, member.user_id, MembershipStatus.SUSPENDED, now
                        )
                board = await session.boards.get(board.id)
                assert board is not None
                action = "board.reactivated"
            existing = await session.boards.membership(board.id, user_id)
            await session.boards.add_member(
                board.id,
                user_id,
                Role.COORDINATOR.value,
                existing.sector if existing else "other",
                MembershipStatus.ACTIVE,
                now,
                display_name=display_name,
                conduct_version=CONDUCT_VERSION,
            )
            await self._demote_other_coordinators(session, board.id, user_id, now)
            await session.boards.set_handover(board.id, None)
            await session.users.set_last_board(user_id, board.id, now)
            await _audit(session, now, user_id, action, board, "board", board.id)
        return SetupResult(board, user_id, created=True)

    async def _demote_other_coordinators(
        self, session: Session, board_id: int, keep: int, now: datetime
    ) -> None:
        for member in await session.boards.members(board_id):
            if member.role == Role.COORDINATOR and member.user_id != keep:
                await session.boards.set_member_role(board_id, member.user_id, "deputy", now)

    # joining ----------------------------------------------------------------------------------
    async def start_join(self, board: BoardRecord, user_id: int) -> JoinState:
        """Open the join dialogue (sector, then code of conduct) unless already in or waiting."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            state = JoinState(board, await session.boards.membership(board.id, user_id))
            if not state.is_member and not state.is_pending:
                await session.dialogs.open(user_id, "join", "sector", now, board_id=board.id)
        return state

    async def choose_sector(self, user_id: int, board_id: int, sector: str) -> JoinRefusal | None:
        if sector not in SECTORS:
            return JoinRefusal.OUT_OF_STEP
        now = self._clock.now()
        async with self._db.transaction() as session:
            dialog = await _join_dialog(session, user_id, board_id)
            if dialog is None:
                return JoinRefusal.OUT_OF_STEP
            await session.dialogs.advance(user_id, "conduct", {"sector": sector}, now)
            await session.privacy.pointers_now(user_id, now)  # the group's pointer: done
        return None

    async def accept_conduct(
        self, user_id: int, board_id: int, version: int, display_name: str
    ) -> JoinRefusal | None:
        """The join request is stored and the coordinators are told, in one transaction."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            dialog = await _join_dialog(session, user_id, board_id)
            board = await session.boards.get(board_id)
            if (
                dialog is None
                or dialog.step != "conduct"
                or version != CONDUCT_VERSION
                or board is None
                or board.status != BoardStatus.ACTIVE
            ):
                return JoinRefusal.OUT_OF_STEP
            existing = await session.boards.membership(board_id, user_id)
            if existing is not None and existing.status in (
                MembershipStatus.ACTIVE,
                MembershipStatus.PENDING,
            ):
                await session.dialogs.close(user_id)
                if existing.status == MembershipStatus.ACTIVE:
                    return JoinRefusal.ALREADY_MEMBER
                return JoinRefusal.ALREADY_PENDING
            await session.boards.add_member(
                board_id,
                user_id,
                Role.MEMBER.value,
                str(dialog.draft.get("sector", "other")),
                MembershipStatus.PENDING,
                now,
                display_name=display_name,
                conduct_version=version,
            )
            await session.dialogs.close(user_id)
            await session.users.set_last_board(user_id, board_id, now)
            await _audit(session, now, user_id, "member.join_requested", board, "user", user_id)
            deciders = [
                m for m in await session.boards.members(board_id) if Role(m.role) in COORDINATORS
            ]
            await self._outbox.add(
                session,
                [
                    private_row(
                        decider.user_id,
                        board_id,
                        JOIN_REQUEST,
                        ("membership", f"{board_id}:{user_id}"),
                        {"board_id": board_id, "user_id": user_id},
                        now,
                        f"join:{board_id}:{user_id}:{decider.user_id}:{now.timestamp()}",
                    )
                    for decider in deciders
                ],
                now,
            )
        return None

    async def decline_conduct(self, user_id: int, board_id: int) -> JoinRefusal | None:
        async with self._db.transaction() as session:
            dialog = await _join_dialog(session, user_id, board_id)
            if dialog is None:
                return JoinRefusal.OUT_OF_STEP
            await session.dialogs.close(user_id)
        return None

    async def decide_join(
        self, actor_id: int, board_id: int, user_id: int, approve: bool
    ) -> JoinDecided | DecideRefusal:
        """Approve or decline a pending join, re-checking the decider's role in the transaction."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            board = await session.boards.get(board_id)
            if board is None or board.status != BoardStatus.ACTIVE:
                return DecideRefusal.GONE
            actor = role_of(await session.boards.membership(board_id, actor_id))
            if actor not in COORDINATORS:
                return DecideRefusal.NOT_A_COORDINATOR
            changed = await session.boards.set_member_status(
                board_id,
                user_id,
                MembershipStatus.ACTIVE if approve else MembershipStatus.DECLINED,
                now,
                decided_by=actor_id,
                expected=(MembershipStatus.PENDING,),
            )
            member = await session.boards.membership(board_id, user_id)
            if member is None:
                return DecideRefusal.NO_REQUEST
            if not changed:
                return JoinDecided(member, now=False)
            action = "member.approved" if approve else "member.declined"
            await _audit(session, now, actor_id, action, board, "user", user_id)
            await self._outbox.add(
                session,
                [
                    private_row(
                        user_id,
                        board_id,
                        JOIN_DECIDED,
                        ("membership", f"{board_id}:{user_id}"),
                        {"board_id": board_id, "approved": approve},
                        now,
                        f"joined:{board_id}:{user_id}:{now.timestamp()}",
                    )
                ],
                now,
            )
        return JoinDecided(member, now=True)

    # roles ------------------------------------------------------------------------------------
    async def set_role(
        self, actor_id: int, board_id: int, user_id: int, new: Role
    ) -> MemberRefusal | None:
        """None also when the person has that role already: the press did what it says."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            pair = await _roles_on_active_board(session, board_id, actor_id, user_id)
            if pair is None:
                return MemberRefusal.GONE
            board, actor, target = pair
            if not may_set_role(actor, target, new):
                return MemberRefusal.NOT_ALLOWED
            if target is new:
                return None
            await session.boards.set_member_role(board_id, user_id, new.value, now)
            await _withdraw_handover(session, board, user_id)
            await _audit(session, now, actor_id, f"member.role_{new.value}", board, "user", user_id)
        return None

    async def remove(self, actor_id: int, board_id: int, user_id: int) -> MemberRefusal | None:
        now = self._clock.now()
        async with self._db.transaction() as session:
            pair = await _roles_on_active_board(session, board_id, actor_id, user_id)
            if pair is None:
                return MemberRefusal.GONE
            board, actor, target = pair
            if not may_remove(actor, target):
                return MemberRefusal.NOT_ALLOWED
            await session.boards.set_member_status(
                board_id, user_id, MembershipStatus.REMOVED, now, decided_by=actor_id
            )
            await _withdraw_handover(session, board, user_id)
            await _audit(session, now, actor_id, "member.removed", board, "user", user_id)
        return None

    async def set_sector(
        self, actor_id: int, board_id: int, user_id: int, sector: str
    ) -> MemberRefusal | None:
        """A member's sector, set by a coordinator or deputy (their own too): sectors decide the
        quorum rules and every count by sector, so nobody moves themselves."""
        if sector not in SECTORS:
            return MemberRefusal.NO_SUCH_SECTOR
        now = self._clock.now()
        async with self._db.transaction() as session:
            board = await session.boards.get(board_id)
            if board is None or board.status != BoardStatus.ACTIVE:
                return MemberRefusal.GONE
            if role_of(await session.boards.membership(board_id, actor_id)) not in COORDINATORS:
                return MemberRefusal.NOT_ALLOWED
            target = await session.boards.membership(board_id, user_id)
            if target is None or target.status != MembershipStatus.ACTIVE:
                return MemberRefusal.GONE
            await session.boards.set_member_sector(board_id, user_id, sector, now)
            await _audit(session, now, actor_id, "member.sector_changed", board, "user", user_id)
        return None

    async def offer_handover(
        self, actor_id: int, board_id: int, user_id: int
    ) -> MemberRefusal | None:
        now = self._clock.now()
        async with self._db.transaction() as session:
            pair = await _roles_on_active_board(session, board_id, actor_id, user_id)
            if pair is None:
                return MemberRefusal.GONE
            board, actor, target = pair
            if not may_hand_over(actor, target):
                return MemberRefusal.NOT_ALLOWED
            await session.boards.set_handover(board_id, user_id)
            await _audit(session, now, actor_id, "board.handover_offered", board, "user", user_id)
            await self._outbox.add(
                session,
                [
                    private_row(
                        user_id,
                        board_id,
                        HANDOVER_OFFER,
                        ("board", board_id),
                        {"board_id": board_id, "from": actor_id},
                        now,
                        f"handover:{board_id}:{user_id}:{now.timestamp()}",
                    )
                ],
                now,
            )
        return None

    async def answer_handover(
        self, user_id: int, board_id: int, accept: bool
    ) -> HandoverRefusal | None:
        """The named person confirms (becomes coordinator; the old one becomes deputy) or not."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            board = await session.boards.get(board_id)
            if board is None or board.status != BoardStatus.ACTIVE or board.handover_to != user_id:
                return HandoverRefusal.NOT_OFFERED
            if role_of(await session.boards.membership(board_id, user_id)) is Role.NON_MEMBER:
                await session.boards.set_handover(board_id, None)
                return HandoverRefusal.LEFT_THE_BOARD
            await session.boards.set_handover(board_id, None)
            if accept:
                for member in await session.boards.members(board_id):
                    if member.role == Role.COORDINATOR:
                        await session.boards.set_member_role(
                            board_id, member.user_id, Role.DEPUTY.value, now
                        )
                await session.boards.set_member_role(board_id, user_id, Role.COORDINATOR.value, now)
            action = "board.handover_accepted" if accept else "board.handover_declined"
            await _audit(session, now, user_id, action, board, "user", user_id)
        return None

    # chat events ------------------------------------------------------------------------------
    async def bot_removed(self, chat_id: int) -> BoardRecord | None:
        """Archive the board (data kept) and cancel what it still had to send."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            board = await session.boards.by_chat(chat_id)
            if board is None or board.status != BoardStatus.ACTIVE:
                return None
            await session.boards.set_status(board.id, BoardStatus.ARCHIVED, now)
            await session.boards.set_handover(board.id, None)
            await session.outbox.cancel_for_board(board.id, "board_archived", now)
            await _audit(session, now, None, "board.archived", board, "board", board.id)
        return board

    async def chat_migrated(self, old_chat_id: int, new_chat_id: int) -> bool:
        now = self._clock.now()
        async with self._db.transaction() as session:
            board = await session.boards.by_chat(old_chat_id)
            if board is None:
                return False
            await session.boards.move_chat(old_chat_id, new_chat_id)
            await session.outbox.move_chat(old_chat_id, new_chat_id, now)
            await _audit(session, now, None, "board.chat_migrated", board, "board", board.id)
        return True

    async def member_left(self, chat_id: int, user_id: int) -> bool:
        """Leaving or being removed from the group ends access at once; rejoining needs approval.

        If the coordinator leaves, the longest-serving deputy takes over, so that join requests
        and decisions still reach someone; with no deputy, a group administrator's /setup does.
        """
        now = self._clock.now()
        async with self._db.transaction() as session:
            board = await session.boards.by_chat(chat_id)
            if board is None:
                return False
            member = await session.boards.membership(board.id, user_id)
            changed = await session.boards.set_member_status(
                board.id,
                user_id,
                MembershipStatus.SUSPENDED,
                now,
                expected=(MembershipStatus.ACTIVE, MembershipStatus.PENDING),
            )
            if not changed:
                return False
            await _audit(session, now, None, "member.suspended", board, "user", user_id)
            await _withdraw_handover(session, board, user_id)
            if member is not None and member.role == Role.COORDINATOR:
                await session.boards.set_member_role(board.id, user_id, Role.MEMBER.value, now)
                deputy = await session.boards.senior_deputy(board.id)
                if deputy is not None:
                    await session.boards.set_member_role(
                        board.id, deputy.user_id, Role.COORDINATOR.value, now
                    )
                    await _audit(
                        session,
                        now,
                        None,
                        "board.deputy_took_over",
                        board,
                        "user",
                        deputy.user_id,
                    )
        return True

    async def change_setting(
        self, actor_id: int, board_id: int, key: str, raw: str, settings: BoardSettingsService
    ) -> SettingRefusal | None:
        """A coordinator's change, with the role checked inside the same transaction."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            board = await session.boards.get(board_id)
            if board is None or board.status != BoardStatus.ACTIVE:
                return SettingRefusal.GONE
            if role_of(await session.boards.membership(board_id, actor_id)) not in COORDINATORS:
                return SettingRefusal.NOT_A_COORDINATOR
            await settings.change(
                session, board_id, key, raw, actor_id=actor_id, now=now, chat_id=board.chat_id
            )
        return None


async def _roles_on_active_board(
    session: Session, board_id: int, actor_id: int, user_id: int
) -> tuple[BoardRecord, Role, Role] | None:
    """The board and both people's roles, or None when the board or the target is gone."""
    board = await session.boards.get(board_id)
    if board is None or board.status != BoardStatus.ACTIVE:
        return None
    target = role_of(await session.boards.membership(board_id, user_id))
    if target is Role.NON_MEMBER:
        return None
    return board, role_of(await session.boards.membership(board_id, actor_id)), target


async def _coordinator(session: Session, board_id: int) -> MembershipRecord | None:
    return next(
        (m for m in await session.boards.members(board_id) if m.role == Role.COORDINATOR),
        None,
    )


async def _withdraw_handover(session: Session, board: BoardRecord, user_id: int) -> None:
    """An offer to someone whose place on the board changed is no longer valid."""
    current = await session.boards.get(board.id)
    if current is not None and current.handover_to == user_id:
        await session.boards.set_handover(board.id, None)


async def _audit(
    session: Session,
    now: datetime,
    actor_id: int | None,
    action: str,
    board: BoardRecord,
    subject_type: str,
    subject_id: int,
) -> None:
    await audit(session, now, actor_id, action, board.id, (subject_type, subject_id), board.chat_id)


async def _join_dialog(session: Session, user_id: int, board_id: int) -> DialogRecord | None:
    """This person's open join dialogue for this board, if that is the one open."""
    dialog = await session.dialogs.get(user_id)
    if dialog is None or dialog.kind != "join" or dialog.board_id != board_id:
        return None
    return dialog
