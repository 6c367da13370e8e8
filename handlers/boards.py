"""Boards and members: /setup, /join (and its deep link), approvals, /members, roles, handover,
/pending, /boardsettings, and the group's membership events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import ChatMember, ChatMemberRestricted, Message, Update, User
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError
from telegram.ext import (
    BaseHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.boards.buttons import (
    BoardPick,
    Conduct,
    DecidedFrom,
    HandoverAnswer,
    JoinDecision,
    JoinSector,
    MemberCard,
    MemberOp,
    MemberRole,
    MemberSector,
    OwnSector,
    Purpose,
    SettingPick,
    SettingValue,
)
from bot.boards.rules import CONDUCT_VERSION, SECTORS
from bot.core import Core
from bot.kernel.buttons import YesNo
from bot.kernel.i18n import Html, escape
from bot.kernel.outcome import Outcome
from bot.kernel.people import Actor
from bot.kernel.policy import Action, ChatKind, Role, check
from bot.kernel.settings import CHOICES, SPECS, SettingError
from bot.kernel.text import isolated_name
from bot.kernel.ui import Button, Keyboard, Reply
from handlers.base import (
    Context,
    answer_query,
    button,
    edit_query_message,
    guarded,
    log_failure,
    pressed_query,
    respond,
    send_private,
    send_reply,
)
from handlers.deeplinks import DeepLinks
from handlers.dialogs import DialogRouter, guard_text
from handlers.menus import refresh_many, refresh_private_menu
from storage.models import (
    BoardRecord,
    BoardStatus,
    EscalationStatus,
    MembershipRecord,
    MembershipStatus,
)

MAX_TITLE = 64
MAX_MEMBER_BUTTONS = 90
"""Telegram refuses very large inline keyboards; a board is far smaller than this."""
ADMIN_STATUSES = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


def full_name(user: User | None) -> str:
    """The person's Telegram name, cleaned and isolated for printing (bot.kernel.text)."""
    return "" if user is None else isolated_name(user.full_name)


class BoardHandlers:
    def __init__(self, core: Core, deep_links: DeepLinks) -> None:
        self.core = core
        self.t = core.i18n.t
        deep_links.register("join", self._join_link)
        deep_links.register("coord", self._coordinator_link)

    def link(self, context: Context, payload: str, *, group: bool = False) -> str:
        kind = "startgroup" if group else "start"
        return f"https://t.me/{context.bot.username}?{kind}={payload}"

    # /setup -----------------------------------------------------------------------------------
    async def setup(self, update: Update, context: Context, actor: Actor) -> None:
        message = update.effective_message
        chat = update.effective_chat
        if message is None or chat is None:
            return
        lang = actor.language
        if actor.chat_kind is ChatKind.PRIVATE:
            button = Button(
                self.t(lang, "setup.add_to_group"), url=self.link(context, "setup", group=True)
            )
            await send_reply(message, Reply(self.t(lang, "setup.private"), ((button,),)))
            return
        status = await self._member_status(context, chat.id, actor.user_id)
        if status not in ADMIN_STATUSES:
            await send_reply(message, Reply(self.t(lang, "setup.not_admin")))
            return
        title = (" ".join(context.args or []) or chat.title or "").strip()[:MAX_TITLE]
        if await guard_text(self.core, message, actor, title, "setup", {}):
            return
        await self._set_up(update, context, actor, message, title)

    async def resume_setup(
        self, update: Update, context: Context, actor: Actor, payload: dict[str, Any], text: str
    ) -> None:
        """The board's title, blanked and saved by the admin who typed it, in its group."""
        query = update.callback_query
        chat = update.effective_chat
        if query is None or not isinstance(query.message, Message) or chat is None:
            return
        status = await self._member_status(context, chat.id, actor.user_id)
        if status not in ADMIN_STATUSES:
            await send_reply(query.message, Reply(self.t(actor.language, "setup.not_admin")))
            return
        await self._set_up(update, context, actor, query.message, text[:MAX_TITLE])

    async def _set_up(
        self, update: Update, context: Context, actor: Actor, message: Message, title: str
    ) -> None:
        chat = message.chat
        lang = actor.language
        result = await self.core.boards.setup(
            chat_id=chat.id,
            title=title or str(chat.id),
            thread_id=message.message_thread_id if message.is_topic_message else None,
            user_id=actor.user_id,
            display_name=full_name(update.effective_user),
        )
        board = result.board
        if result.outcome is Outcome.ALREADY:
            coordinator = await self.core.boards.membership(board.id, result.coordinator_id)
            name = coordinator.display_name if coordinator else "—"
            await send_reply(
                message, Reply(self.t(lang, "setup.already", board=board.title, coordinator=name))
            )
            return
        await refresh_private_menu(context.bot, self.core, actor.user_id)
        lines = [
            self.t(
                lang, "setup.done", board=board.title, coordinator=full_name(update.effective_user)
            )
        ]
        bot_status = await self._member_status(context, chat.id, context.bot.id)
        if bot_status != ChatMemberStatus.ADMINISTRATOR:
            lines.append(self.t(lang, "setup.make_me_admin"))
        join_button = Button(
            self.t(lang, "button.join_link"), url=self.link(context, f"join_{board.join_code}")
        )
        keyboard: list[tuple[Button, ...]] = [(join_button,)]
        panel = self.coordinator_panel(lang, board, context)
        if not await send_private(context, actor.user_id, panel):
            lines.append(self.t(lang, "setup.open_private"))
            keyboard.append(
                (
                    Button(
                        self.t(lang, "button.open_private"),
                        url=self.link(context, f"coord_{board.join_code}"),
                    ),
                )
            )
        await send_reply(message, Reply("\n\n".join(lines), tuple(keyboard)))

    def coordinator_panel(self, lang: str, board: BoardRecord, context: Context) -> Reply:
        text = self.t(
            lang,
            "setup.panel",
            board=board.title,
            link=self.link(context, f"join_{board.join_code}"),
        )
        return Reply(
            text, self.sector_keyboard(lang, lambda sector: OwnSector(board.id, sector).pack())
        )

    async def _coordinator_link(
        self, update: Update, context: Context, actor: Actor, code: str
    ) -> None:
        board = await self.core.boards.by_join_code(code)
        if board is None or await self.core.boards.role_on(board.id, actor.user_id) not in (
            Role.COORDINATOR,
            Role.DEPUTY,
        ):
            await respond(update, Reply(self.t(actor.language, "join.bad_link")))
            return
        await respond(update, self.coordinator_panel(actor.language, board, context))

    async def _member_status(self, context: Context, chat_id: int, user_id: int) -> str | None:
        try:
            member = await context.bot.get_chat_member(chat_id, user_id)
        except TelegramError:
            return None
        return member.status

    # joining ----------------------------------------------------------------------------------
    def sector_keyboard(self, lang: str, data: Callable[[str], str]) -> Keyboard:
        """The sectors two to a row; ``data`` gives each sector's callback data."""
        buttons = [Button(self.t(lang, f"sector.{sector}"), data(sector)) for sector in SECTORS]
        return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))

    def sector_question(self, lang: str, board: BoardRecord) -> Reply:
        return Reply(
            self.t(lang, "join.pick_sector", board=board.title),
            self.sector_keyboard(lang, lambda sector: JoinSector(board.id, sector).pack()),
        )

    async def join(self, update: Update, context: Context, actor: Actor) -> None:
        message = update.effective_message
        if message is None:
            return
        lang = actor.language
        board = actor.board
        if board is None:
            await send_reply(message, Reply(self.t(lang, "join.no_board")))
            return
        refusal = await self._start_join(actor, board)
        if refusal is not None:
            await send_reply(message, refusal)
            return
        if await send_private(context, actor.user_id, self.sector_question(lang, board)):
            await send_reply(message, Reply(self.t(lang, "join.continue_private")))
            return
        button = Button(
            self.t(lang, "button.open_private"), url=self.link(context, f"join_{board.join_code}")
        )
        await send_reply(message, Reply(self.t(lang, "join.open_private"), ((button,),)))

    async def _join_link(self, update: Update, context: Context, actor: Actor, code: str) -> None:
        lang = actor.language
        board = await self.core.boards.by_join_code(code)
        if board is None:
            await respond(update, Reply(self.t(lang, "join.bad_link")))
            return
        refusal = await self._start_join(actor, board)
        if refusal is not None:
            await respond(update, refusal)
            return
        await respond(update, self.sector_question(lang, board))

    async def _start_join(self, actor: Actor, board: BoardRecord) -> Reply | None:
        """Open the join dialogue; the answer instead when already in or waiting."""
        state = await self.core.boards.start_join(board, actor.user_id)
        if not (state.is_member or state.is_pending):
            return None
        key = "join.already_member" if state.is_member else "join.already_pending"
        return Reply(self.t(actor.language, key, board=board.title))

    async def sector_pressed(
        self, update: Update, context: Context, actor: Actor, press: JoinSector
    ) -> None:
        query = pressed_query(update)
        board_id, sector = press.board_id, press.sector
        lang = actor.language
        board = await self.core.boards.board(board_id)
        if (
            board is None
            or await self.core.boards.choose_sector(actor.user_id, board.id, sector)
            is not Outcome.DONE
        ):
            await answer_query(query, self.t(lang, "error.stale_button"), alert=True)
            return
        await answer_query(query, self.t(lang, f"sector.{sector}"))
        text = "\n\n".join(
            [self.t(lang, "conduct.title", board=board.title), self.t(lang, "conduct.text")]
        )
        keyboard = (
            (
                Button(
                    self.t(lang, "button.accept"),
                    Conduct(board.id, CONDUCT_VERSION, YesNo.YES).pack(),
                ),
                Button(
                    self.t(lang, "button.refuse"),
                    Conduct(board.id, CONDUCT_VERSION, YesNo.NO).pack(),
                ),
            ),
        )
        await edit_query_message(query, Reply(text, keyboard))

    async def conduct_pressed(
        self, update: Update, context: Context, actor: Actor, press: Conduct
    ) -> None:
        query = pressed_query(update)
        board_id, version = press.board_id, press.version
        answer = press.answer
        lang = actor.language
        board = await self.core.boards.board(board_id)
        if board is None:
            await answer_query(query, self.t(lang, "error.stale_button"), alert=True)
            return
        if answer is YesNo.NO:
            outcome = await self.core.boards.decline_conduct(actor.user_id, board.id)
            key = "join.conduct_refused"
        else:
            outcome = await self.core.boards.accept_conduct(
                actor.user_id, board.id, version, full_name(update.effective_user)
            )
            key = "join.requested"
            if outcome is Outcome.ALREADY:
                member = await self.core.boards.membership(board.id, actor.user_id)
                active = member is not None and member.status == MembershipStatus.ACTIVE
                key = "join.already_member" if active else "join.already_pending"
        if outcome is Outcome.STALE:
            await answer_query(query, self.t(lang, "error.stale_button"), alert=True)
            return
        await answer_query(query)
        await edit_query_message(query, Reply(self.t(lang, key, board=board.title)))

    async def decision_pressed(
        self, update: Update, context: Context, actor: Actor, press: JoinDecision
    ) -> None:
        query = pressed_query(update)
        board_id, user_id = press.board_id, press.user_id
        answer = press.answer
        lang = actor.language
        outcome, member = await self.core.boards.decide_join(
            actor.user_id, board_id, user_id, approve=answer is YesNo.YES
        )
        if outcome is Outcome.NOT_ALLOWED:
            await answer_query(query, self.t(lang, "deny.role"), alert=True)
            return
        if outcome is Outcome.NOT_FOUND or member is None:
            await answer_query(query, self.t(lang, "error.stale_button"), alert=True)
            return
        key = {"active": "join.status_active", "declined": "join.status_declined"}.get(
            member.status, "join.status_other"
        )
        status_text = self.t(lang, key, name=member.display_name)
        if outcome is Outcome.ALREADY:
            await answer_query(query, self.t(lang, "join.already_decided"), alert=True)
        else:
            await answer_query(query, status_text)
            await refresh_private_menu(context.bot, self.core, user_id)
        from_pending_list = press.source is DecidedFrom.PENDING
        await edit_query_message(
            query, await self.pending_reply(actor) if from_pending_list else Reply(status_text)
        )

    # /members ---------------------------------------------------------------------------------
    async def members(self, update: Update, context: Context, actor: Actor) -> None:
        if actor.chat_kind is ChatKind.GROUP:
            assert actor.board is not None  # the policy let a board member through
            await respond(update, await self.members_reply(actor, actor.board, manage=False))
            return
        await self.with_board(update, actor, Purpose.MEMBERS, Action.MEMBERS)

    async def members_reply(self, actor: Actor, board: BoardRecord, *, manage: bool) -> Reply:
        lang = actor.language
        members = await self.core.boards.members(board.id)
        lines = [self.t(lang, "members.title", board=board.title, count=len(members))]
        for sector in SECTORS:
            in_sector = [m for m in members if m.sector == sector]
            if not in_sector:
                continue
            names = ", ".join(self.member_label(lang, m) for m in in_sector)
            lines.append(
                self.t(
                    lang,
                    "members.sector_line",
                    sector=self.t(lang, f"sector.{sector}"),
                    names=Html(names),
                )
            )
        keyboard: Keyboard = ()
        if manage:
            lines.append(self.t(lang, "members.manage_hint"))
            keyboard = tuple(
                (
                    Button(
                        f"⚙ {m.display_name or m.user_id}",
                        MemberCard(board.id, m.user_id).pack(),
                    ),
                )
                for m in members
                if m.role != Role.COORDINATOR.value  # changed only by a handover
            )[:MAX_MEMBER_BUTTONS]
        return Reply("\n".join(lines), keyboard)

    def member_label(self, lang: str, member: MembershipRecord) -> str:
        name = escape(member.display_name or str(member.user_id))
        if member.role == Role.MEMBER.value:
            return name
        return f"{name} ({escape(self.t(lang, f'role.{member.role}'))})"

    # choosing a board in private --------------------------------------------------------------
    async def with_board(
        self, update: Update, actor: Actor, purpose: Purpose, action: Action
    ) -> None:
        """Run ``purpose`` on the board in question; ask which when the person is on several."""
        lang = actor.language
        boards = [
            board
            for board, role in await self.core.boards.boards_of(actor.user_id)
            if check(action, role, ChatKind.PRIVATE) is None
        ]
        if not boards:
            await respond(update, Reply(self.t(lang, "deny.role")), alert=True)
            return
        if len(boards) == 1:
            await self.run_purpose(update, actor, purpose, boards[0])
            return
        last = await self.core.boards.last_board(actor.user_id)
        boards.sort(key=lambda b: b.id != last)
        keyboard = tuple(
            (
                Button(
                    ("✓ " if b.id == last else "") + b.title,
                    BoardPick(purpose, b.id).pack(),
                ),
            )
            for b in boards
        )
        await respond(update, Reply(self.t(lang, "boards.pick"), keyboard))

    async def pick_pressed(
        self, update: Update, context: Context, actor: Actor, press: BoardPick
    ) -> None:
        query = pressed_query(update)
        purpose = press.purpose
        board_id = press.board_id
        action = Action.MEMBERS if purpose is Purpose.MEMBERS else Action.BOARD_SETTINGS
        board = await self.core.boards.board(board_id)
        if board is None:
            await answer_query(query, self.t(actor.language, "error.stale_button"), alert=True)
            return
        role = await self.core.boards.role_on(board.id, actor.user_id)
        if check(action, role, ChatKind.PRIVATE) is not None:
            await answer_query(query, self.t(actor.language, "deny.role"), alert=True)
            return
        await self.core.boards.remember_board(actor.user_id, board.id)
        await answer_query(query)
        await self.run_purpose(update, actor, purpose, board)

    async def run_purpose(
        self, update: Update, actor: Actor, purpose: Purpose, board: BoardRecord
    ) -> None:
        if purpose is Purpose.MEMBERS:
            role = await self.core.boards.role_on(board.id, actor.user_id)
            manage = check(Action.MANAGE_MEMBER, role, ChatKind.PRIVATE) is None
            reply = await self.members_reply(actor, board, manage=manage)
        else:
            reply = await self.settings_reply(actor, board)
        await self._show(update, reply)

    async def _show(self, update: Update, reply: Reply) -> None:
        if update.callback_query is not None:
            await edit_query_message(update.callback_query, reply)
        elif update.effective_message is not None:
            await send_reply(update.effective_message, reply)

    # managing one member ----------------------------------------------------------------------
    async def member_card(
        self, actor: Actor, board: BoardRecord, member: MembershipRecord, actor_role: Role
    ) -> Reply:
        lang = actor.language
        text = self.t(
            lang,
            "members.card",
            name=member.display_name or str(member.user_id),
            sector=self.t(lang, f"sector.{member.sector}"),
            role=self.t(lang, f"role.{member.role}"),
            board=board.title,
        )
        rows: list[tuple[Button, ...]] = [
            (
                Button(
                    self.t(lang, "button.change_sector"),
                    MemberSector(board.id, member.user_id).pack(),
                ),
            )
        ]
        if member.role != Role.COORDINATOR.value:
            rows.append(
                tuple(
                    Button(
                        self.t(lang, f"role.{role.value}"),
                        MemberRole(board.id, member.user_id, MemberOp(role.value)).pack(),
                    )
                    for role in (Role.DEPUTY, Role.MEMBER, Role.OBSERVER)
                    if role.value != member.role
                )
            )
            rows.append(
                (
                    Button(
                        self.t(lang, "button.remove"),
                        MemberRole(board.id, member.user_id, MemberOp.REMOVE).pack(),
                    ),
                )
            )
            if actor_role is Role.COORDINATOR:
                rows.append(
                    (
                        Button(
                            self.t(lang, "button.hand_over"),
                            MemberRole(board.id, member.user_id, MemberOp.HAND_OVER).pack(),
                        ),
                    )
                )
        rows.append(
            (Button(self.t(lang, "button.back"), BoardPick(Purpose.MEMBERS, board.id).pack()),)
        )
        return Reply(text, tuple(rows))

    async def member_pressed(
        self, update: Update, context: Context, actor: Actor, press: MemberCard
    ) -> None:
        query = pressed_query(update)
        loaded = await self._load_member(actor, press.board_id, press.user_id)
        if loaded is None:
            await answer_query(query, self.t(actor.language, "error.stale_button"), alert=True)
            return
        board, member, role = loaded
        if check(Action.MANAGE_MEMBER, role, ChatKind.PRIVATE) is not None:
            await answer_query(query, self.t(actor.language, "deny.role"), alert=True)
            return
        await answer_query(query)
        await edit_query_message(query, await self.member_card(actor, board, member, role))

    async def member_sector_pressed(
        self, update: Update, context: Context, actor: Actor, press: MemberSector
    ) -> None:
        """A coordinator changes a member's sector: the sectors first, then the change."""
        query = pressed_query(update)
        lang = actor.language
        loaded = await self._load_member(actor, press.board_id, press.user_id)
        if loaded is None:
            await answer_query(query, self.t(lang, "error.stale_button"), alert=True)
            return
        board, member, _ = loaded
        sector = press.sector
        if not sector:
            await answer_query(query)
            keyboard = tuple(
                (
                    Button(
                        self.t(lang, f"sector.{s}"),
                        MemberSector(board.id, member.user_id, s).pack(),
                    ),
                )
                for s in SECTORS
            )
            name = member.display_name or str(member.user_id)
            await edit_query_message(
                query, Reply(self.t(lang, "members.pick_sector", name=name), keyboard)
            )
            return
        outcome = await self.core.boards.set_sector(actor.user_id, board.id, member.user_id, sector)
        if outcome is Outcome.NOT_ALLOWED:
            await answer_query(query, self.t(lang, "deny.role"), alert=True)
            return
        if outcome is not Outcome.DONE:
            await answer_query(query, self.t(lang, "error.stale_button"), alert=True)
            return
        await answer_query(
            query, self.t(lang, "members.sector_saved", sector=self.t(lang, f"sector.{sector}"))
        )
        changed = await self.core.boards.membership(board.id, member.user_id)
        role = await self.core.boards.role_on(board.id, actor.user_id)
        if changed is not None:
            await edit_query_message(query, await self.member_card(actor, board, changed, role))

    async def role_pressed(
        self, update: Update, context: Context, actor: Actor, press: MemberRole
    ) -> None:
        query = pressed_query(update)
        lang = actor.language
        operation = press.op
        loaded = await self._load_member(actor, press.board_id, press.user_id)
        if loaded is None:
            await answer_query(query, self.t(lang, "error.stale_button"), alert=True)
            return
        board, member, _ = loaded
        boards = self.core.boards
        if operation is MemberOp.REMOVE:
            outcome = await boards.remove(actor.user_id, board.id, member.user_id)
            done_key = "members.removed"
        elif operation is MemberOp.HAND_OVER:
            outcome = await boards.offer_handover(actor.user_id, board.id, member.user_id)
            done_key = "handover.offered"
        else:
            outcome = await boards.set_role(
                actor.user_id, board.id, member.user_id, Role(operation.value)
            )
            done_key = "members.role_changed"
        if outcome is Outcome.NOT_ALLOWED:
            await answer_query(query, self.t(lang, "deny.role"), alert=True)
            return
        if outcome in (Outcome.STALE, Outcome.NOT_FOUND):
            await answer_query(query, self.t(lang, "error.stale_button"), alert=True)
            return
        name = member.display_name or str(member.user_id)
        await refresh_private_menu(context.bot, self.core, member.user_id)
        await answer_query(
            query,
            self.t(
                lang,
                done_key,
                name=name,
                role=self.t(lang, f"role.{operation}")
                if operation in {r.value for r in Role}
                else "",
            ),
        )
        role = await boards.role_on(board.id, actor.user_id)
        reply = await self.members_reply(
            actor, board, manage=check(Action.MANAGE_MEMBER, role, ChatKind.PRIVATE) is None
        )
        await edit_query_message(query, reply)

    async def _load_member(
        self, actor: Actor, board_id: int | None, user_id: int | None
    ) -> tuple[BoardRecord, MembershipRecord, Role] | None:
        if board_id is None or user_id is None:
            return None
        board = await self.core.boards.board(board_id)
        member = await self.core.boards.membership(board_id, user_id)
        if (
            board is None
            or board.status != BoardStatus.ACTIVE
            or member is None
            or (member.status != MembershipStatus.ACTIVE)
        ):
            return None
        return board, member, await self.core.boards.role_on(board_id, actor.user_id)

    async def handover_pressed(
        self, update: Update, context: Context, actor: Actor, press: HandoverAnswer
    ) -> None:
        query = pressed_query(update)
        board_id = press.board_id
        answer = press.answer
        lang = actor.language
        board = await self.core.boards.board(board_id)
        accept = answer is YesNo.YES
        if (
            board is None
            or await self.core.boards.answer_handover(actor.user_id, board.id, accept=accept)
            is not Outcome.DONE
        ):
            await answer_query(query, self.t(lang, "error.stale_button"), alert=True)
            return
        key = "handover.accepted" if accept else "handover.refused"
        await answer_query(query)
        await self._refresh_board_menus(context, board.id)
        await edit_query_message(query, Reply(self.t(lang, key, board=board.title)))

    async def own_sector_pressed(
        self, update: Update, context: Context, actor: Actor, press: OwnSector
    ) -> None:
        query = pressed_query(update)
        board_id, sector = press.board_id, press.sector
        lang = actor.language
        if board_id is None:
            await answer_query(query, self.t(lang, "error.stale_button"), alert=True)
            return
        outcome = await self.core.boards.set_sector(actor.user_id, board_id, actor.user_id, sector)
        if outcome is Outcome.NOT_ALLOWED:
            await answer_query(query, self.t(lang, "deny.role"), alert=True)
            return
        if outcome is not Outcome.DONE:
            await answer_query(query, self.t(lang, "error.stale_button"), alert=True)
            return
        await answer_query(
            query, self.t(lang, "members.sector_saved", sector=self.t(lang, f"sector.{sector}"))
        )

    # /pending ---------------------------------------------------------------------------------
    async def pending(self, update: Update, context: Context, actor: Actor) -> None:
        await respond(update, await self.pending_reply(actor))

    async def pending_reply(self, actor: Actor) -> Reply:
        """Everything waiting on this person, on every board they coordinate, in one message."""
        lang = actor.language
        lines = [self.t(lang, "pending.title")]
        rows: list[tuple[Button, ...]] = []
        for board, role in await self.core.boards.boards_of(actor.user_id):
            if check(Action.PENDING, role, ChatKind.PRIVATE) is not None:
                continue
            for member in await self.core.boards.members(board.id, ("pending",)):
                lines.append(
                    self.t(
                        lang,
                        "pending.join_line",
                        board=board.title,
                        name=member.display_name,
                        sector=self.t(lang, f"sector.{member.sector}"),
                    )
                )
                label = (member.display_name or str(member.user_id))[:20]
                rows.append(
                    tuple(
                        Button(
                            f"{mark} {label}",
                            JoinDecision(
                                board.id, member.user_id, answer, DecidedFrom.PENDING
                            ).pack(),
                        )
                        for mark, answer in (("✅", YesNo.YES), ("✖", YesNo.NO))
                    )
                )
            unreachable = await self.core.nudges.unreachable(board.id)
            names = (
                {m.user_id: m.display_name for m in await self.core.boards.members(board.id)}
                if unreachable
                else {}
            )
            for user_id, waiting in unreachable:
                lines.append(
                    self.t(
                        lang,
                        "pending.unreachable",
                        board=board.title,
                        name=names.get(user_id, str(user_id)),
                        count=waiting,
                    )
                )
        concerns, _ = await self.core.escalations.listing(actor.user_id)
        unanswered = [e for e in concerns if e.status == EscalationStatus.OPEN]
        if unanswered:
            lines.append(self.t(lang, "pending.escalations", count=len(unanswered)))
        if len(lines) == 1:
            lines.append(self.t(lang, "pending.nothing"))
        return Reply("\n".join(lines[:60]), tuple(rows[: MAX_MEMBER_BUTTONS // 2]))

    # /boardsettings ---------------------------------------------------------------------------
    async def board_settings(self, update: Update, context: Context, actor: Actor) -> None:
        await self.with_board(update, actor, Purpose.SETTINGS, Action.BOARD_SETTINGS)

    async def settings_reply(self, actor: Actor, board: BoardRecord) -> Reply:
        lang = actor.language
        current = await self.core.settings.text_values_of(board.id)
        rows = tuple(
            (
                Button(
                    f"{self.t(lang, f'setting.{key}')}: "
                    f"{self.setting_value(lang, key, current[key])}",
                    SettingPick(board.id, key).pack(),
                ),
            )
            for key in SPECS
        )
        return Reply(self.t(lang, "settings.title", board=board.title), rows)

    def setting_value(self, lang: str, key: str, raw: str) -> str:
        if key == "vote_outcome_rule":
            return self.t(lang, f"vote_rule.{raw}")
        if key in ("quiet_weekends", "vote_every_sector"):
            return self.t(lang, "settings.yes" if raw == "true" else "settings.no")
        if key == "digest_weekday" and raw.isdigit():
            return self.t(lang, f"weekday.{raw}")
        if key == "language":
            return self.t(lang, f"language.{raw}")
        return raw

    async def _settings_board(
        self, update: Update, actor: Actor, board_id: int | None
    ) -> BoardRecord | None:
        query = update.callback_query
        assert query is not None
        board = None if board_id is None else await self.core.boards.board(board_id)
        if board is None or board.status != BoardStatus.ACTIVE:
            await answer_query(query, self.t(actor.language, "error.stale_button"), alert=True)
            return None
        role = await self.core.boards.role_on(board.id, actor.user_id)
        if check(Action.BOARD_SETTINGS, role, ChatKind.PRIVATE) is not None:
            await answer_query(query, self.t(actor.language, "deny.role"), alert=True)
            return None
        return board

    async def setting_pressed(
        self, update: Update, context: Context, actor: Actor, press: SettingPick
    ) -> None:
        query = pressed_query(update)
        key = press.key
        board = await self._settings_board(update, actor, press.board_id)
        if board is None:
            return
        if key not in CHOICES:
            await answer_query(query, self.t(actor.language, "error.stale_button"), alert=True)
            return
        lang = actor.language
        buttons = [
            Button(
                self.setting_value(lang, key, option),
                SettingValue(board.id, key, index).pack(),
            )
            for index, option in enumerate(CHOICES[key])
        ]
        keyboard = (
            *(tuple(buttons[i : i + 3]) for i in range(0, len(buttons), 3)),
            (
                Button(
                    self.t(lang, "button.back"),
                    BoardPick(Purpose.SETTINGS, board.id).pack(),
                ),
            ),
        )
        await answer_query(query)
        await edit_query_message(
            query,
            Reply(self.t(lang, "settings.choose", name=self.t(lang, f"setting.{key}")), keyboard),
        )

    async def setting_value_pressed(
        self, update: Update, context: Context, actor: Actor, press: SettingValue
    ) -> None:
        query = pressed_query(update)
        key = press.key
        index = press.index
        board = await self._settings_board(update, actor, press.board_id)
        if board is None:
            return
        lang = actor.language
        if key not in CHOICES or index is None or not 0 <= index < len(CHOICES[key]):
            await answer_query(query, self.t(lang, "error.stale_button"), alert=True)
            return
        raw = CHOICES[key][index]
        try:
            outcome = await self.core.boards.change_setting(
                actor.user_id, board.id, key, raw, self.core.settings
            )
        except SettingError as exc:
            await answer_query(query, self.t(lang, f"settings.bad.{exc.reason}"), alert=True)
            return
        if outcome is not Outcome.DONE:
            await answer_query(query, self.t(lang, "deny.role"), alert=True)
            return
        await answer_query(
            query,
            self.t(
                lang,
                "settings.saved",
                name=self.t(lang, f"setting.{key}"),
                value=self.setting_value(lang, key, raw),
            ),
        )
        await edit_query_message(query, await self.settings_reply(actor, board))

    # chat events ------------------------------------------------------------------------------
    async def my_chat_member(self, update: Update, context: Context) -> None:
        try:
            change = update.my_chat_member
            if change is None or change.new_chat_member.status not in (
                ChatMember.LEFT,
                ChatMember.BANNED,
            ):
                return
            if change.chat.type == "private":  # blocked: the bot can no longer write first
                await self.core.people.private_chat_closed(
                    change.from_user.id, self.core.clock.now()
                )
            else:
                board = await self.core.boards.bot_removed(change.chat.id)
                if board is not None:
                    members = await self.core.boards.members(board.id)
                    await refresh_many(context.bot, self.core, [m.user_id for m in members])
        except Exception as exc:
            log_failure(update, "boards.my_chat_member", exc)

    async def chat_member(self, update: Update, context: Context) -> None:
        try:
            change = update.chat_member
            if change is None:
                return
            new = change.new_chat_member
            gone = new.status in (ChatMember.LEFT, ChatMember.BANNED) or (
                isinstance(new, ChatMemberRestricted) and not new.is_member
            )
            if gone and await self.core.boards.member_left(change.chat.id, new.user.id):
                await refresh_private_menu(context.bot, self.core, new.user.id)
                board = await self.core.boards.by_chat(change.chat.id)
                if board is not None:
                    await self._refresh_board_menus(context, board.id)
        except Exception as exc:
            log_failure(update, "boards.chat_member", exc)

    async def _refresh_board_menus(self, context: Context, board_id: int) -> None:
        """After the coordinator changes: everyone who coordinates or deputises."""
        members = await self.core.boards.members(board_id)
        await refresh_many(
            context.bot,
            self.core,
            [m.user_id for m in members if m.role in (Role.COORDINATOR.value, Role.DEPUTY.value)],
        )

    async def migrated(self, update: Update, context: Context) -> None:
        try:
            message: Message | None = update.effective_message
            if message is not None and message.migrate_to_chat_id:
                await self.core.boards.chat_migrated(message.chat.id, message.migrate_to_chat_id)
        except Exception as exc:
            log_failure(update, "boards.migrated", exc)


def build_handlers(
    core: Core, deep_links: DeepLinks, router: DialogRouter
) -> list[BaseHandler[Update, Context, None]]:
    h = BoardHandlers(core, deep_links)
    router.register_resume("setup", h.resume_setup)

    return [
        ChatMemberHandler(h.my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
        ChatMemberHandler(h.chat_member, ChatMemberHandler.CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, h.migrated),
        CommandHandler("setup", guarded(core, Action.SETUP, "setup", h.setup)),
        CommandHandler("join", guarded(core, Action.JOIN, "join", h.join)),
        CommandHandler("members", guarded(core, Action.MEMBERS, "members", h.members)),
        CommandHandler("pending", guarded(core, Action.PENDING, "pending", h.pending)),
        CommandHandler(
            "boardsettings", guarded(core, Action.BOARD_SETTINGS, "boardsettings", h.board_settings)
        ),
        button(core, JoinSector, Action.JOIN_STEP, "join_sector", h.sector_pressed),
        button(core, Conduct, Action.JOIN_STEP, "join_conduct", h.conduct_pressed),
        button(core, JoinDecision, Action.DECIDE_JOIN, "join_decision", h.decision_pressed),
        button(core, BoardPick, Action.MEMBERS, "board_pick", h.pick_pressed),
        button(core, MemberCard, Action.MANAGE_MEMBER, "member_card", h.member_pressed),
        button(core, MemberRole, Action.MANAGE_MEMBER, "member_role", h.role_pressed),
        button(core, MemberSector, Action.MANAGE_MEMBER, "member_sector", h.member_sector_pressed),
        button(core, HandoverAnswer, Action.ANSWER_HANDOVER, "handover", h.handover_pressed),
        button(core, OwnSector, Action.OWN_SECTOR, "own_sector", h.own_sector_pressed),
        button(core, SettingPick, Action.BOARD_SETTINGS, "setting", h.setting_pressed),
        button(core, SettingValue, Action.BOARD_SETTINGS, "setting_value", h.setting_value_pressed),
    ]
