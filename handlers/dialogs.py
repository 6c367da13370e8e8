"""Free text in private chats: the personal-data guard first, then the open dialogue's step.

This is the only door free text comes in by, so no capability can skip the guard: a finding is
refused in plain words, the person's message is deleted, nothing is stored, the step is asked again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.core import Core
from bot.dialogs import nonce_of
from bot.guard import describe_findings, screen
from bot.people import Actor
from bot.text import has_forbidden_characters
from bot.ui import Reply
from handlers.base import Context, answer_query, guarded, pressed, send_reply
from storage.models import DialogRecord

StepHandler = Callable[[Update, Context, Actor, DialogRecord, str], Awaitable[None]]
"""Handles one free-text answer of an open dialogue; the text has passed the guard."""


class DialogRouter:
    def __init__(self, core: Core) -> None:
        self.core = core
        self._steps: dict[str, StepHandler] = {}
        self._first_steps: dict[str, str] = {}

    def register(self, kind: str, handler: StepHandler, first_step: str = "") -> None:
        if kind in self._steps:
            raise ValueError(f"dialogue kind {kind!r} registered twice")
        self._steps[kind] = handler
        self._first_steps[kind] = first_step

    async def set_aside_line(self, user_id: int, lang: str) -> str:
        """Opening a dialogue replaces the open one: say so when answers in it would be lost."""
        dialog = await self.core.dialogs.current(user_id)
        if dialog is None or "edit" in dialog.draft:
            return ""
        if dialog.step == self._first_steps.get(dialog.kind, dialog.step):
            return ""  # nothing answered yet
        return self.core.i18n.t(lang, "dialog.set_aside") + "\n\n"

    async def screen_pressed(
        self, update: Update, actor: Actor, kind: str
    ) -> tuple[CallbackQuery, DialogRecord, str, str] | None:
        """A button of a dialogue's screen (``v1:<prefix>:<op>:<value>:<nonce>``): the open
        dialogue, the op and the value; None (already answered as stale) when the screen belongs
        to another or an older dialogue, since acting on it would change the wrong draft."""
        query, data = pressed(update)
        dialog = await self.core.dialogs.current(actor.user_id)
        if (
            dialog is None
            or dialog.kind != kind
            or dialog.board_id is None
            or data.int_part(2) != nonce_of(dialog.started_at)
        ):
            await answer_query(
                query, self.core.i18n.t(actor.language, "error.stale_button"), alert=True
            )
            return None
        op = data.parts[0] if data.parts else ""
        value = data.parts[1] if len(data.parts) > 1 else ""
        return query, dialog, op, value

    @property
    def kinds(self) -> list[str]:
        return sorted(self._steps)

    async def on_text(self, update: Update, context: Context, actor: Actor) -> None:
        message = update.effective_message
        if message is None or message.text is None:
            return
        t = self.core.i18n.t
        dialog = await self.core.dialogs.current(actor.user_id)
        handler = None if dialog is None else self._steps.get(dialog.kind)
        if dialog is None or handler is None:
            await send_reply(message, Reply(t(actor.language, "dialog.none")))
            return
        if await refuse_personal_data(self.core, message, actor.language, message.text):
            return
        await handler(update, context, actor, dialog, message.text)

    async def on_file(self, update: Update, context: Context, actor: Actor) -> None:
        """A photo, document or voice message in private: the bot takes text only. The file is
        removed from the chat (it may show a document with personal data) and never kept."""
        message = update.effective_message
        if message is None:
            return
        deleted = await _delete(message)
        dialog = await self.core.dialogs.current(actor.user_id)
        key = "dialog.no_files" if dialog is not None else "dialog.no_files_idle"
        lines = [self.core.i18n.t(actor.language, key)]
        lines.append(
            self.core.i18n.t(actor.language, "pii.deleted" if deleted else "pii.not_deleted")
        )
        await send_reply(message, Reply("\n".join(lines)))


async def refuse_personal_data(core: Core, message: Message, lang: str, text: str) -> bool:
    """The one check for free text (dialogue answers and command arguments alike).

    On a finding: the person is told exactly what to remove, their message is deleted where
    Telegram allows it, and True is returned so the caller stores nothing. Control characters
    and bidirectional controls are refused the same way (bot.text).
    """
    if has_forbidden_characters(text):
        await send_reply(message, Reply(core.i18n.t(lang, "error.control_characters")))
        return True
    findings = screen(text)
    if not findings:
        return False
    deleted = await _delete(message)  # in a group too: there everyone would read it
    await send_reply(message, Reply(describe_findings(core.i18n, lang, findings, deleted=deleted)))
    return True


async def _delete(message: Message) -> bool:
    """Bots may delete incoming private messages for 48 hours, and group messages when they are
    administrators; say whether it worked."""
    try:
        return await message.delete()
    except (BadRequest, Forbidden):
        return False


def build_handlers(core: Core, router: DialogRouter) -> list[BaseHandler[Update, Context, None]]:
    return [
        MessageHandler(
            filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND,
            guarded(core, None, "dialog_text", router.on_text),
        ),
        MessageHandler(
            filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL,
            guarded(core, None, "dialog_file", router.on_file),
        ),
    ]
