"""Data protection for coordinators, in private: /erase CODE (with a confirmation), /export CODE
or /export board (JSON and CSV files), /audit CODE (who did what, by ids and action names)."""

from __future__ import annotations

from typing import Protocol

from telegram import InputFile, Update

from bot.kernel.i18n import format_short
from bot.kernel.people import Actor
from bot.kernel.policy import COORDINATORS
from bot.kernel.refusal import Refusal
from bot.kernel.ui import Button, Reply
from bot.privacy.audit_words import audit_words
from bot.privacy.buttons import EraseConfirm, ExportBoard
from bot.privacy.policy import PrivacyAction
from bot.privacy.service import Export
from handlers import tg
from handlers.base import Context, Refused, picked_board
from handlers.capability import Capability, modules
from handlers.module import HandlerModule, on_command, on_press
from handlers.services import HasBoards, HasCases, HasPrivacy, HasSettings, HasWords
from storage.models import CaseRecord


class Services(HasWords, HasSettings, HasBoards, HasCases, HasPrivacy, Protocol):
    """What :class:`PrivacyHandlers` uses of the core."""


class PrivacyHandlers(HandlerModule[Services]):
    async def _case(self, update: Update, actor: Actor, args: list[str]) -> CaseRecord | None:
        case = await self.core.cases.by_code(args[0]) if args else None
        if case is None or await self.core.boards.role_on(case.board_id, actor.user_id) not in (
            COORDINATORS
        ):
            await tg.respond(update, Reply(self.t(actor.language, "case.not_found")))
            return None
        return case

    # /erase -----------------------------------------------------------------------------------
    @on_command("erase", PrivacyAction.ERASE)
    async def erase(self, update: Update, context: Context, actor: Actor) -> None:
        lang = actor.language
        case = await self._case(update, actor, context.args or [])
        if case is None:
            return
        await tg.respond(
            update,
            Reply(
                self.t(lang, "erase.confirm", code=case.code),
                (
                    (
                        Button(
                            self.t(lang, "erase.yes", code=case.code),
                            EraseConfirm(case.id, case.code.replace("-", "")).pack(),
                        ),
                    ),
                ),
            ),
        )

    @on_press(EraseConfirm, PrivacyAction.ERASE)
    async def erase_pressed(
        self, update: Update, context: Context, actor: Actor, press: EraseConfirm
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        case = await self.core.cases.get(press.case_id)
        if case is None or case.code.replace("-", "") != press.code:
            raise Refused("error.stale_button")
        messages = await self.core.privacy.erase(actor.user_id, case.id)
        if isinstance(messages, Refusal):
            raise Refused(messages.message_key)
        deleted = 0
        for chat_id, message_id in messages:
            try:
                deleted += bool(await context.bot.delete_message(chat_id, message_id))
            except Exception:  # gone already, or too old for Telegram to delete
                continue
        await tg.answer(query, self.t(lang, "erase.done_toast", code=case.code))
        await tg.edit(query, Reply(self.t(lang, "erase.done", code=case.code, deleted=deleted)))

    # /export ----------------------------------------------------------------------------------
    @on_command("export", PrivacyAction.EXPORT)
    async def export(self, update: Update, context: Context, actor: Actor) -> None:
        lang = actor.language
        args = context.args or []
        if args and args[0].lower() in ("board", "борд"):
            boards = [
                b
                for b, role in await self.core.boards.boards_of(actor.user_id)
                if role in COORDINATORS
            ]
            if len(boards) > 1:  # which one: never guess with a board's data
                await tg.respond(
                    update,
                    Reply(
                        self.t(lang, "boards.pick"),
                        tuple((Button(b.title, ExportBoard(b.id).pack()),) for b in boards),
                    ),
                )
                return
            files = (
                None
                if not boards
                else await self.core.privacy.export_board(actor.user_id, boards[0].id)
            )
        else:
            case = await self._case(update, actor, args)
            if case is None:
                return
            files = await self.core.privacy.export_case(actor.user_id, case.id)
        if not files:
            await tg.respond(update, Reply(self.t(lang, "deny.role")))
            return
        await self._send(context, actor, files)

    @on_press(ExportBoard, PrivacyAction.EXPORT)
    async def export_board_pressed(
        self, update: Update, context: Context, actor: Actor, press: ExportBoard
    ) -> None:
        board = await picked_board(self.core, update, actor, press.board_id, COORDINATORS)
        await self._send(
            context, actor, await self.core.privacy.export_board(actor.user_id, board.id)
        )

    async def _send(self, context: Context, actor: Actor, files: list[Export] | None) -> None:
        """The files go to the coordinator's private chat only."""
        for export in files or []:
            await context.bot.send_document(
                actor.user_id,
                InputFile(export.content, filename=export.file_name),
                caption=self.t(actor.language, "export.caption"),
            )

    # /audit -----------------------------------------------------------------------------------
    def _action_words(self, lang: str, action: str) -> str:
        key, params = audit_words(action)
        if not self.core.i18n.has(key):
            return self.t(lang, "audit_action.other", action=action)
        words = {
            name: value if value.isdigit() or not self.core.i18n.has(value) else self.t(lang, value)
            for name, value in params.items()
        }
        return self.t(lang, key, **words)

    @on_command("audit", PrivacyAction.AUDIT)
    async def audit(self, update: Update, context: Context, actor: Actor) -> None:
        lang = actor.language
        case = await self._case(update, actor, context.args or [])
        if case is None:
            return
        rows = await self.core.privacy.audit_of(actor.user_id, case.id)
        if rows is None:
            await tg.respond(update, Reply(self.t(lang, "deny.role")))
            return
        zone = (await self.core.settings.of(case.board_id)).timezone
        names = {
            m.user_id: m.display_name
            for m in await self.core.boards.members(
                case.board_id, ("active", "suspended", "removed")
            )
        }
        lines = [self.core.i18n.tn(lang, "audit.title", len(rows), code=case.code)]
        lines += [
            self.t(
                lang,
                "audit.line",
                when=format_short(row.at, zone),
                who=names.get(
                    row.actor_id or 0, "boardbot" if row.actor_id is None else str(row.actor_id)
                ),
                action=self._action_words(lang, row.action),
            )
            for row in rows
        ]
        await tg.respond(update, Reply("\n".join(lines)))


CAPABILITY = Capability(handlers=modules(PrivacyHandlers))
