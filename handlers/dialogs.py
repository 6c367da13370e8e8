"""Free text in private chats: the personal-data guard first, then the open dialogue's step.

This is the only door free text comes in by, so no capability can skip the guard. Text with
control characters is refused. Text with personal data is deleted from the chat, nothing is
stored, and the person is shown the same text blanked ("[име]", "[ЕГН]") with two buttons:
"save it like this" goes on exactly where the text was typed (the dialogue's step, or the
command it came with), "write it again" waits for a new text.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.core import Core
from bot.guard.buttons import BlankedChoice, BlankedOp
from bot.guard.policy import GuardAction
from bot.guard.rules import blanked, kinds_named, screen
from bot.kernel.buttons import ScreenPress
from bot.kernel.dialogs import nonce_of
from bot.kernel.i18n import escape
from bot.kernel.people import Actor
from bot.kernel.policy import Role
from bot.kernel.text import has_forbidden_characters
from bot.kernel.ui import Button, Reply
from handlers import tg
from handlers.base import Context, Refused, button, guarded
from handlers.services import HasBoards, HasDialogs, HasHeld, HasWords
from storage.models import DialogRecord


@dataclass(frozen=True, slots=True)
class Answer:
    """A typed answer to an open dialogue's step, as the step's handler gets it (the text has
    passed the personal-data guard). :meth:`reply` answers below ``message``: the person's own
    message, or, after "save it like this" under a blanked text, the blanked preview."""

    update: Update
    context: Context
    actor: Actor
    dialog: DialogRecord
    text: str
    message: Message

    @property
    def lang(self) -> str:
        return self.actor.language

    @property
    def step(self) -> str:
        return self.dialog.step

    @property
    def nonce(self) -> int:
        """The dialogue's nonce, for the buttons of the next question's screen."""
        return nonce_of(self.dialog.started_at)

    @property
    def board_id(self) -> int:
        return self.dialog.board_id or 0

    def draft(self) -> dict[str, Any]:
        """A copy of the dialogue's draft, to change and store with the next step."""
        return dict(self.dialog.draft)

    async def reply(self, reply: Reply) -> None:
        await tg.send(self.message, reply)


StepHandler = Callable[[Answer], Awaitable[None]]
"""Handles one free-text answer of an open dialogue."""
Resume = Callable[[Update, Context, Actor, dict[str, Any], str], Awaitable[None]]
"""Goes on with a command whose text the guard blanked (``/note CODE …``), given the payload
stored with it and the blanked text; it answers below the pressed preview."""

DIALOG_ORIGIN = "dialog"


class Services(HasWords, HasDialogs, HasHeld, HasBoards, Protocol):
    """What :class:`DialogRouter` uses of the core."""


class DialogRouter:
    def __init__(self, core: Services) -> None:
        self.core = core
        self._steps: dict[str, StepHandler] = {}
        self._first_steps: dict[str, str] = {}
        self._resumes: dict[str, Resume] = {}

    def register(self, kind: str, handler: StepHandler, first_step: str = "") -> None:
        if kind in self._steps:
            raise ValueError(f"dialogue kind {kind!r} registered twice")
        self._steps[kind] = handler
        self._first_steps[kind] = first_step

    def register_resume(self, origin: str, resume: Resume) -> None:
        """Where a command's blanked text goes on when its author saves it."""
        if origin in self._resumes or origin == DIALOG_ORIGIN:
            raise ValueError(f"origin {origin!r} registered twice")
        self._resumes[origin] = resume

    async def begin(
        self, actor: Actor, kind: str, step: str, board_id: int | None, draft: dict[str, Any]
    ) -> tuple[str, int]:
        """Open a dialogue for this person in place of the open one: the line to show above its
        first question (empty when no answer is lost, see :meth:`set_aside_line`) and the
        dialogue's nonce for its buttons."""
        aside = await self.set_aside_line(actor.user_id, actor.language)
        nonce = await self.core.dialogs.open(
            actor.user_id, kind, step, board_id=board_id, draft=draft
        )
        return aside, nonce

    async def set_aside_line(self, user_id: int, lang: str) -> str:
        """Opening a dialogue replaces the open one: say so when answers in it would be lost."""
        dialog = await self.core.dialogs.current(user_id)
        if dialog is None or "edit" in dialog.draft:
            return ""
        if dialog.step == self._first_steps.get(dialog.kind, dialog.step):
            return ""  # nothing answered yet
        return self.core.i18n.t(lang, "dialog.set_aside") + "\n\n"

    async def screen_pressed(
        self,
        update: Update,
        actor: Actor,
        kind: str,
        press: ScreenPress,
        roles: frozenset[Role] | None = None,
    ) -> tuple[CallbackQuery, DialogRecord, str, str, int]:
        """A button of a dialogue's screen: the open dialogue, the op, the value and the
        dialogue's board. Refused when the screen belongs to another or an older dialogue,
        since acting on it would change the wrong draft, or when the person no longer holds
        one of ``roles`` on that board."""
        query = tg.pressed(update)
        dialog = await self.core.dialogs.current(actor.user_id)
        if (
            dialog is None
            or dialog.kind != kind
            or dialog.board_id is None
            or press.nonce != nonce_of(dialog.started_at)
        ):
            raise Refused("error.stale_button")
        board_id = dialog.board_id
        if roles is not None and await self.core.boards.role_on(board_id, actor.user_id) not in (
            roles
        ):
            raise Refused("deny.role")
        return query, dialog, press.op, press.value, board_id

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
            await tg.send(message, Reply(t(actor.language, "dialog.none")))
            return
        payload = {"kind": dialog.kind, "step": dialog.step, "nonce": nonce_of(dialog.started_at)}
        if await guard_text(self.core, message, actor, message.text, DIALOG_ORIGIN, payload):
            return
        await handler(Answer(update, context, actor, dialog, message.text, message))

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
        await tg.send(message, Reply("\n".join(lines)))

    async def blanked_pressed(
        self, update: Update, context: Context, actor: Actor, press: BlankedChoice
    ) -> None:
        """ "Save it like this" or "write it again" under a blanked text."""
        query = tg.pressed(update)
        t = self.core.i18n.t
        lang = actor.language
        held = await self.core.held.take(actor.user_id, press.nonce)
        if held is None:
            raise Refused("error.stale_button")
        if press.op is BlankedOp.WRITE_AGAIN:
            await tg.answer(query)
            await tg.edit(query, Reply(t(lang, "pii.write_again_done")))
            return
        await tg.answer(query, t(lang, "pii.saved_blanked"))
        await tg.edit(
            query,
            Reply(t(lang, "pii.saved_as", text=held.body)),
        )
        if held.origin == DIALOG_ORIGIN:
            await self._resume_dialog(update, context, actor, held.payload, held.body)
            return
        resume = self._resumes.get(held.origin)
        if resume is not None:
            await resume(update, context, actor, held.payload, held.body)

    async def _resume_dialog(
        self, update: Update, context: Context, actor: Actor, payload: dict[str, Any], text: str
    ) -> None:
        """The dialogue goes on at the step the text was typed for, if it is still there."""
        dialog = await self.core.dialogs.current(actor.user_id)
        handler = None if dialog is None else self._steps.get(dialog.kind)
        if (
            dialog is None
            or handler is None
            or dialog.kind != payload.get("kind")
            or dialog.step != payload.get("step")
            or nonce_of(dialog.started_at) != payload.get("nonce")
        ):
            query = update.callback_query
            if query is not None and query.message is not None:
                await tg.send(
                    query.message,  # type: ignore[arg-type]
                    Reply(self.core.i18n.t(actor.language, "pii.dialog_moved_on")),
                )
            return
        message = update.effective_message
        if message is None:
            return
        try:
            await handler(Answer(update, context, actor, dialog, text, message))
        except Refused as refused:  # the press is answered already: say it below the preview
            await tg.send(message, refused.reply(self.core.i18n, actor.language))


class GuardTextServices(HasWords, HasHeld, Protocol):
    """What :func:`guard_text` uses of the core."""


async def guard_text(
    core: GuardTextServices,
    message: Message,
    actor: Actor,
    text: str,
    origin: str,
    payload: dict[str, Any],
) -> bool:
    """The one check for free text (dialogue answers and command arguments alike); True when
    the caller must stop and store nothing.

    Control characters are refused. On personal data: the person's message is deleted where
    Telegram allows it, the text is held blanked, and the person chooses what happens next.
    """
    lang = actor.language
    t = core.i18n.t
    if has_forbidden_characters(text):
        await tg.send(message, Reply(t(lang, "error.control_characters")))
        return True
    findings = screen(text)
    if not findings:
        return False
    deleted = await _delete(message)  # in a group too: there everyone would read it
    body = blanked(core.i18n, lang, text, findings)
    nonce = await core.held.hold(actor.user_id, message.chat_id, origin, payload, body)
    lines = [
        t(lang, "pii.found", kinds=kinds_named(core.i18n, lang, findings)),
        t(lang, "pii.deleted" if deleted else "pii.not_deleted"),
        "",
        t(lang, "pii.blanked_intro"),
        f"<blockquote>{escape(body)}</blockquote>",
        t(lang, "pii.blanked_question"),
    ]
    keyboard = (
        (
            Button(t(lang, "pii.save_blanked"), BlankedChoice(BlankedOp.SAVE, nonce).pack()),
            Button(t(lang, "pii.write_again"), BlankedChoice(BlankedOp.WRITE_AGAIN, nonce).pack()),
        ),
    )
    await tg.send(message, Reply("\n".join(lines), keyboard))
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
        button(
            core, BlankedChoice, GuardAction.BLANKED_TEXT, "blanked_text", router.blanked_pressed
        ),
        MessageHandler(
            filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND,
            guarded(core, None, "dialog_text", router.on_text),
        ),
        MessageHandler(
            filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL,
            guarded(core, None, "dialog_file", router.on_file),
        ),
    ]
