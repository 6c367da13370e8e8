"""Boards: /setup, /join (and its deep link), approvals, /pending, and the group's membership
events. Managing members and the board's settings: :mod:`handlers.members`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from telegram import ChatMember, ChatMemberRestricted, Message, Update, User
from telegram.constants import ChatMemberStatus
from telegram.ext import (
    ChatMemberHandler,
    MessageHandler,
    filters,
)

from bot.boards.buttons import (
    Conduct,
    DecidedFrom,
    JoinDecision,
    JoinSector,
    OwnSector,
)
from bot.boards.notices import build_board_renderers
from bot.boards.policy import BoardAction
from bot.boards.refusals import JoinRefusal
from bot.boards.rules import CONDUCT_VERSION, SECTORS
from bot.kernel.buttons import YesNo
from bot.kernel.people import Actor
from bot.kernel.policy import ChatKind, Role, check
from bot.kernel.refusal import Refusal
from bot.kernel.text import isolated_name
from bot.kernel.ui import Button, Keyboard, Reply
from handlers import members, tg
from handlers.base import (
    ADMIN_STATUSES,
    MAX_MEMBER_BUTTONS,
    Context,
    Refused,
    log_failure,
    member_status,
)
from handlers.capability import Capability, HandlerList, Wiring, modules
from handlers.dialogs import guard_text
from handlers.module import HandlerModule, on_command, on_deep_link, on_press, on_resume
from handlers.services import (
    HasBoards,
    HasClock,
    HasEscalations,
    HasHeld,
    HasNudges,
    HasPeople,
    HasWords,
)
from storage.models import (
    BoardRecord,
    EscalationStatus,
)

MAX_TITLE = 64


def full_name(user: User | None) -> str:
    """The person's Telegram name, cleaned and isolated for printing (bot.kernel.text)."""
    return "" if user is None else isolated_name(user.full_name)


class Services(
    HasClock, HasWords, HasPeople, HasBoards, HasNudges, HasEscalations, HasHeld, Protocol
):
    """What :class:`BoardHandlers` uses of the core."""


class BoardHandlers(HandlerModule[Services]):
    def link(self, context: Context, payload: str, *, group: bool = False) -> str:
        kind = "startgroup" if group else "start"
        return f"https://t.me/{context.bot.username}?{kind}={payload}"

    # /setup -----------------------------------------------------------------------------------
    @on_command("setup", BoardAction.SETUP)
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
            await tg.send(message, Reply(self.t(lang, "setup.private"), ((button,),)))
            return
        status = await member_status(context, chat.id, actor.user_id)
        if status not in ADMIN_STATUSES:
            await tg.send(message, Reply(self.t(lang, "setup.not_admin")))
            return
        title = (" ".join(context.args or []) or chat.title or "").strip()[:MAX_TITLE]
        if await guard_text(self.core, message, actor, title, "setup", {}):
            return
        await self._set_up(update, context, actor, message, title)

    @on_resume("setup")
    async def resume_setup(
        self, update: Update, context: Context, actor: Actor, payload: dict[str, Any], text: str
    ) -> None:
        """The board's title, blanked and saved by the admin who typed it, in its group."""
        query = update.callback_query
        chat = update.effective_chat
        if query is None or not isinstance(query.message, Message) or chat is None:
            return
        status = await member_status(context, chat.id, actor.user_id)
        if status not in ADMIN_STATUSES:
            await tg.send(query.message, Reply(self.t(actor.language, "setup.not_admin")))
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
        if not result.created:
            coordinator = await self.core.boards.membership(board.id, result.coordinator_id)
            name = coordinator.display_name if coordinator else "—"
            await tg.send(
                message, Reply(self.t(lang, "setup.already", board=board.title, coordinator=name))
            )
            return
        await self.core.boards.refresh_menus_later([actor.user_id])
        lines = [
            self.t(
                lang, "setup.done", board=board.title, coordinator=full_name(update.effective_user)
            )
        ]
        bot_status = await member_status(context, chat.id, context.bot.id)
        if bot_status != ChatMemberStatus.ADMINISTRATOR:
            lines.append(self.t(lang, "setup.make_me_admin"))
        join_button = Button(
            self.t(lang, "button.join_link"), url=self.link(context, f"join_{board.join_code}")
        )
        keyboard: list[tuple[Button, ...]] = [(join_button,)]
        panel = self.coordinator_panel(lang, board, context)
        if not await tg.send_private(context, actor.user_id, panel):
            lines.append(self.t(lang, "setup.open_private"))
            keyboard.append(
                (
                    Button(
                        self.t(lang, "button.open_private"),
                        url=self.link(context, f"coord_{board.join_code}"),
                    ),
                )
            )
        await tg.send(message, Reply("\n\n".join(lines), tuple(keyboard)))

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

    @on_deep_link("coord")
    async def _coordinator_link(
        self, update: Update, context: Context, actor: Actor, code: str
    ) -> None:
        board = await self.core.boards.by_join_code(code)
        if board is None or await self.core.boards.role_on(board.id, actor.user_id) not in (
            Role.COORDINATOR,
            Role.DEPUTY,
        ):
            await tg.respond(update, Reply(self.t(actor.language, "join.bad_link")))
            return
        await tg.respond(update, self.coordinator_panel(actor.language, board, context))

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

    @on_command("join", BoardAction.JOIN)
    async def join(self, update: Update, context: Context, actor: Actor) -> None:
        message = update.effective_message
        if message is None:
            return
        lang = actor.language
        board = actor.board
        if board is None:
            await tg.send(message, Reply(self.t(lang, "join.no_board")))
            return
        refusal = await self._start_join(actor, board)
        if refusal is not None:
            await tg.send(message, refusal)
            return
        if await tg.send_private(context, actor.user_id, self.sector_question(lang, board)):
            await tg.point_to_private(
                update, Reply(self.t(lang, "join.continue_private")), actor.user_id
            )
            return
        button = Button(
            self.t(lang, "button.open_private"), url=self.link(context, f"join_{board.join_code}")
        )
        await tg.send(message, Reply(self.t(lang, "join.open_private"), ((button,),)))

    @on_deep_link("join")
    async def _join_link(self, update: Update, context: Context, actor: Actor, code: str) -> None:
        lang = actor.language
        board = await self.core.boards.by_join_code(code)
        if board is None:
            await tg.respond(update, Reply(self.t(lang, "join.bad_link")))
            return
        refusal = await self._start_join(actor, board)
        if refusal is not None:
            await tg.respond(update, refusal)
            return
        await tg.respond(update, self.sector_question(lang, board))

    async def _start_join(self, actor: Actor, board: BoardRecord) -> Reply | None:
        """Open the join dialogue; the answer instead when already in or waiting."""
        state = await self.core.boards.start_join(board, actor.user_id)
        if not (state.is_member or state.is_pending):
            return None
        key = "join.already_member" if state.is_member else "join.already_pending"
        return Reply(self.t(actor.language, key, board=board.title))

    @on_press(JoinSector, BoardAction.JOIN_STEP)
    async def sector_pressed(
        self, update: Update, context: Context, actor: Actor, press: JoinSector
    ) -> None:
        query = tg.pressed(update)
        board_id, sector = press.board_id, press.sector
        lang = actor.language
        board = await self.core.boards.board(board_id)
        if (
            board is None
            or await self.core.boards.choose_sector(actor.user_id, board.id, sector) is not None
        ):
            raise Refused("error.stale_button")
        await tg.answer(query, self.t(lang, f"sector.{sector}"))
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
        await tg.edit(query, Reply(text, keyboard))

    @on_press(Conduct, BoardAction.JOIN_STEP)
    async def conduct_pressed(
        self, update: Update, context: Context, actor: Actor, press: Conduct
    ) -> None:
        query = tg.pressed(update)
        board_id, version = press.board_id, press.version
        answer = press.answer
        lang = actor.language
        board = await self.core.boards.board(board_id)
        if board is None:
            raise Refused("error.stale_button")
        if answer is YesNo.NO:
            refusal = await self.core.boards.decline_conduct(actor.user_id, board.id)
            key = "join.conduct_refused"
        else:
            refusal = await self.core.boards.accept_conduct(
                actor.user_id, board.id, version, full_name(update.effective_user)
            )
            key = "join.requested"
        if refusal is JoinRefusal.OUT_OF_STEP:
            raise Refused(refusal.message_key)
        if refusal is not None:  # already a member, or already asked: said in the message
            key = refusal.message_key
        await tg.answer(query)
        await tg.edit(query, Reply(self.t(lang, key, board=board.title)))

    @on_press(JoinDecision, BoardAction.DECIDE_JOIN)
    async def decision_pressed(
        self, update: Update, context: Context, actor: Actor, press: JoinDecision
    ) -> None:
        query = tg.pressed(update)
        board_id, user_id = press.board_id, press.user_id
        answer = press.answer
        lang = actor.language
        decided = await self.core.boards.decide_join(
            actor.user_id, board_id, user_id, approve=answer is YesNo.YES
        )
        if isinstance(decided, Refusal):
            raise Refused(decided.message_key)
        member = decided.member
        key = {"active": "join.status_active", "declined": "join.status_declined"}.get(
            member.status, "join.status_other"
        )
        status_text = self.t(lang, key, name=member.display_name)
        if not decided.now:
            await tg.answer(query, self.t(lang, "join.already_decided"), alert=True)
        else:
            await self.core.boards.refresh_menus_later([user_id])  # stored before the answer
            await tg.answer(query, status_text)
        from_pending_list = press.source is DecidedFrom.PENDING
        await tg.edit(
            query, await self.pending_reply(actor) if from_pending_list else Reply(status_text)
        )

    # /pending ---------------------------------------------------------------------------------
    @on_command("pending", BoardAction.PENDING)
    async def pending(self, update: Update, context: Context, actor: Actor) -> None:
        await tg.respond(update, await self.pending_reply(actor))

    async def pending_reply(self, actor: Actor) -> Reply:
        """Everything waiting on this person, on every board they coordinate, in one message."""
        lang = actor.language
        lines = [self.t(lang, "pending.title")]
        rows: list[tuple[Button, ...]] = []
        for board, role in await self.core.boards.boards_of(actor.user_id):
            if check(BoardAction.PENDING, role, ChatKind.PRIVATE) is not None:
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
                    await self.core.boards.refresh_menus_later([m.user_id for m in members])
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
                board = await self.core.boards.by_chat(change.chat.id)
                await self.core.boards.refresh_menus_later(
                    [new.user.id], board_id=None if board is None else board.id
                )
        except Exception as exc:
            log_failure(update, "boards.chat_member", exc)

    async def migrated(self, update: Update, context: Context) -> None:
        try:
            message: Message | None = update.effective_message
            if message is not None and message.migrate_to_chat_id:
                await self.core.boards.chat_migrated(message.chat.id, message.migrate_to_chat_id)
        except Exception as exc:
            log_failure(update, "boards.migrated", exc)


def build_handlers(wiring: Wiring) -> HandlerList:
    h = BoardHandlers(wiring.core, wiring.dialogs, wiring.deep_links)
    return [
        ChatMemberHandler(h.my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
        ChatMemberHandler(h.chat_member, ChatMemberHandler.CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, h.migrated),
        *h.build_handlers(wiring.core),
        *modules(members.MemberHandlers)(wiring),
    ]


CAPABILITY = Capability(
    handlers=build_handlers,
    renderers=lambda w: build_board_renderers(w.core.i18n, w.core.settings),
)
