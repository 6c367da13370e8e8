"""Members and settings of a board, for its coordinators in private: /members, a member's card
(role, sector, suspension, removal), handing the coordinator's role over, one's own sector,
and /boardsettings."""

from __future__ import annotations

from typing import Protocol

from telegram import Update

from bot.boards.buttons import (
    BoardPick,
    HandoverAnswer,
    MemberCard,
    MemberOp,
    MemberRole,
    MemberSector,
    OwnSector,
    Purpose,
    SettingPick,
    SettingValue,
)
from bot.boards.policy import BoardAction
from bot.boards.rules import SECTORS
from bot.kernel.buttons import YesNo
from bot.kernel.i18n import Html, escape
from bot.kernel.people import Actor
from bot.kernel.policy import Action, ChatKind, Role, check
from bot.kernel.settings import CHOICES, SPECS, SettingError
from bot.kernel.ui import Button, Keyboard, Reply
from handlers import tg
from handlers.base import MAX_MEMBER_BUTTONS, Context, Refused
from handlers.module import HandlerModule, on_command, on_press
from handlers.services import HasBoards, HasPeople, HasSettings, HasWords
from storage.models import (
    BoardRecord,
    BoardStatus,
    MembershipRecord,
    MembershipStatus,
)


class Services(HasWords, HasSettings, HasPeople, HasBoards, Protocol):
    """What :class:`MemberHandlers` uses of the core."""


class MemberHandlers(HandlerModule[Services]):
    # /members ---------------------------------------------------------------------------------
    @on_command("members", BoardAction.MEMBERS)
    async def members(self, update: Update, context: Context, actor: Actor) -> None:
        if actor.chat_kind is ChatKind.GROUP:
            assert actor.board is not None  # the policy let a board member through
            await tg.respond(update, await self.members_reply(actor, actor.board, manage=False))
            return
        await self.with_board(update, actor, Purpose.MEMBERS, BoardAction.MEMBERS)

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
                if m.role != Role.COORDINATOR  # changed only by a handover
            )[:MAX_MEMBER_BUTTONS]
        return Reply("\n".join(lines), keyboard)

    def member_label(self, lang: str, member: MembershipRecord) -> str:
        name = escape(member.display_name or str(member.user_id))
        if member.role == Role.MEMBER:
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
            await tg.respond(update, Reply(self.t(lang, "deny.role")), alert=True)
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
        await tg.respond(update, Reply(self.t(lang, "boards.pick"), keyboard))

    @on_press(BoardPick, BoardAction.MEMBERS)
    async def pick_pressed(
        self, update: Update, context: Context, actor: Actor, press: BoardPick
    ) -> None:
        query = tg.pressed(update)
        purpose = press.purpose
        board_id = press.board_id
        action = BoardAction.MEMBERS if purpose is Purpose.MEMBERS else BoardAction.BOARD_SETTINGS
        board = await self.core.boards.board(board_id)
        if board is None:
            raise Refused("error.stale_button")
        role = await self.core.boards.role_on(board.id, actor.user_id)
        if check(action, role, ChatKind.PRIVATE) is not None:
            raise Refused("deny.role")
        await self.core.boards.remember_board(actor.user_id, board.id)
        await tg.answer(query)
        await self.run_purpose(update, actor, purpose, board)

    async def run_purpose(
        self, update: Update, actor: Actor, purpose: Purpose, board: BoardRecord
    ) -> None:
        if purpose is Purpose.MEMBERS:
            role = await self.core.boards.role_on(board.id, actor.user_id)
            manage = check(BoardAction.MANAGE_MEMBER, role, ChatKind.PRIVATE) is None
            reply = await self.members_reply(actor, board, manage=manage)
        else:
            reply = await self.settings_reply(actor, board)
        await self._show(update, reply)

    async def _show(self, update: Update, reply: Reply) -> None:
        if update.callback_query is not None:
            await tg.edit(update.callback_query, reply)
        elif update.effective_message is not None:
            await tg.send(update.effective_message, reply)

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
        if member.role != Role.COORDINATOR:
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

    @on_press(MemberCard, BoardAction.MANAGE_MEMBER)
    async def member_pressed(
        self, update: Update, context: Context, actor: Actor, press: MemberCard
    ) -> None:
        query = tg.pressed(update)
        loaded = await self._load_member(actor, press.board_id, press.user_id)
        if loaded is None:
            raise Refused("error.stale_button")
        board, member, role = loaded
        if check(BoardAction.MANAGE_MEMBER, role, ChatKind.PRIVATE) is not None:
            raise Refused("deny.role")
        await tg.answer(query)
        await tg.edit(query, await self.member_card(actor, board, member, role))

    @on_press(MemberSector, BoardAction.MANAGE_MEMBER)
    async def member_sector_pressed(
        self, update: Update, context: Context, actor: Actor, press: MemberSector
    ) -> None:
        """A coordinator changes a member's sector: the sectors first, then the change."""
        query = tg.pressed(update)
        lang = actor.language
        loaded = await self._load_member(actor, press.board_id, press.user_id)
        if loaded is None:
            raise Refused("error.stale_button")
        board, member, _ = loaded
        sector = press.sector
        if not sector:
            await tg.answer(query)
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
            await tg.edit(query, Reply(self.t(lang, "members.pick_sector", name=name), keyboard))
            return
        refusal = await self.core.boards.set_sector(actor.user_id, board.id, member.user_id, sector)
        if refusal is not None:
            raise Refused(refusal.message_key)
        await tg.answer(
            query, self.t(lang, "members.sector_saved", sector=self.t(lang, f"sector.{sector}"))
        )
        changed = await self.core.boards.membership(board.id, member.user_id)
        role = await self.core.boards.role_on(board.id, actor.user_id)
        if changed is not None:
            await tg.edit(query, await self.member_card(actor, board, changed, role))

    @on_press(MemberRole, BoardAction.MANAGE_MEMBER)
    async def role_pressed(
        self, update: Update, context: Context, actor: Actor, press: MemberRole
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        operation = press.op
        loaded = await self._load_member(actor, press.board_id, press.user_id)
        if loaded is None:
            raise Refused("error.stale_button")
        board, member, _ = loaded
        boards = self.core.boards
        if operation is MemberOp.REMOVE:
            refusal = await boards.remove(actor.user_id, board.id, member.user_id)
            done_key = "members.removed"
        elif operation is MemberOp.HAND_OVER:
            refusal = await boards.offer_handover(actor.user_id, board.id, member.user_id)
            done_key = "handover.offered"
        else:
            refusal = await boards.set_role(
                actor.user_id, board.id, member.user_id, Role(operation.value)
            )
            done_key = "members.role_changed"
        if refusal is not None:
            raise Refused(refusal.message_key)
        name = member.display_name or str(member.user_id)
        await self.core.boards.refresh_menus_later([member.user_id])
        await tg.answer(
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
            actor, board, manage=check(BoardAction.MANAGE_MEMBER, role, ChatKind.PRIVATE) is None
        )
        await tg.edit(query, reply)

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

    @on_press(HandoverAnswer, BoardAction.ANSWER_HANDOVER)
    async def handover_pressed(
        self, update: Update, context: Context, actor: Actor, press: HandoverAnswer
    ) -> None:
        query = tg.pressed(update)
        board_id = press.board_id
        answer = press.answer
        lang = actor.language
        board = await self.core.boards.board(board_id)
        accept = answer is YesNo.YES
        if (
            board is None
            or await self.core.boards.answer_handover(actor.user_id, board.id, accept=accept)
            is not None
        ):
            raise Refused("error.stale_button")
        key = "handover.accepted" if accept else "handover.refused"
        await self.core.boards.refresh_menus_later(board_id=board.id)  # stored before the answer
        await tg.answer(query)
        await tg.edit(query, Reply(self.t(lang, key, board=board.title)))

    @on_press(OwnSector, BoardAction.OWN_SECTOR)
    async def own_sector_pressed(
        self, update: Update, context: Context, actor: Actor, press: OwnSector
    ) -> None:
        query = tg.pressed(update)
        board_id, sector = press.board_id, press.sector
        lang = actor.language
        if board_id is None:
            raise Refused("error.stale_button")
        refusal = await self.core.boards.set_sector(actor.user_id, board_id, actor.user_id, sector)
        if refusal is not None:
            raise Refused(refusal.message_key)
        await tg.answer(
            query, self.t(lang, "members.sector_saved", sector=self.t(lang, f"sector.{sector}"))
        )

    # /boardsettings ---------------------------------------------------------------------------
    @on_command("boardsettings", BoardAction.BOARD_SETTINGS)
    async def board_settings(self, update: Update, context: Context, actor: Actor) -> None:
        await self.with_board(update, actor, Purpose.SETTINGS, BoardAction.BOARD_SETTINGS)

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
        if key in ("quiet_weekends", "vote_every_sector", "digest_chart"):
            return self.t(lang, "settings.yes" if raw == "true" else "settings.no")
        if key == "digest_weekday" and raw.isdigit():
            return self.t(lang, f"weekday.{raw}")
        if key == "language":
            return self.t(lang, f"language.{raw}")
        return raw

    async def _settings_board(
        self, update: Update, actor: Actor, board_id: int | None
    ) -> BoardRecord:
        query = update.callback_query
        assert query is not None
        board = None if board_id is None else await self.core.boards.board(board_id)
        if board is None or board.status != BoardStatus.ACTIVE:
            raise Refused("error.stale_button")
        role = await self.core.boards.role_on(board.id, actor.user_id)
        if check(BoardAction.BOARD_SETTINGS, role, ChatKind.PRIVATE) is not None:
            raise Refused("deny.role")
        return board

    @on_press(SettingPick, BoardAction.BOARD_SETTINGS)
    async def setting_pressed(
        self, update: Update, context: Context, actor: Actor, press: SettingPick
    ) -> None:
        query = tg.pressed(update)
        key = press.key
        board = await self._settings_board(update, actor, press.board_id)
        if key not in CHOICES:
            raise Refused("error.stale_button")
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
        await tg.answer(query)
        await tg.edit(
            query,
            Reply(self.t(lang, "settings.choose", name=self.t(lang, f"setting.{key}")), keyboard),
        )

    @on_press(SettingValue, BoardAction.BOARD_SETTINGS)
    async def setting_value_pressed(
        self, update: Update, context: Context, actor: Actor, press: SettingValue
    ) -> None:
        query = tg.pressed(update)
        key = press.key
        index = press.index
        board = await self._settings_board(update, actor, press.board_id)
        lang = actor.language
        if key not in CHOICES or index is None or not 0 <= index < len(CHOICES[key]):
            raise Refused("error.stale_button")
        raw = CHOICES[key][index]
        try:
            refused = await self.core.boards.change_setting(
                actor.user_id, board.id, key, raw, self.core.settings
            )
        except SettingError as exc:
            raise Refused(f"settings.bad.{exc.reason}") from None
        if refused is not None:
            raise Refused(refused.message_key)
        await tg.answer(
            query,
            self.t(
                lang,
                "settings.saved",
                name=self.t(lang, f"setting.{key}"),
                value=self.setting_value(lang, key, raw),
            ),
        )
        await tg.edit(query, await self.settings_reply(actor, board))
