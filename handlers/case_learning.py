"""What the board learns from a case, in private: strengths, needs, the child's view and what
was tried (buttons that save at once), small successes (a few guarded words), and /link between
related cases by their codes."""

from __future__ import annotations

from typing import Protocol

from telegram import Update

from bot.cases.buttons import CaseLearn, CaseLinkKind, CaseMark, CaseSuccess
from bot.cases.cards import learning_screen, link_screen
from bot.cases.learning import CaseLearning
from bot.cases.policy import CaseAction
from bot.cases.rules import LINK_KINDS, can_read_details
from bot.kernel.people import Actor
from bot.kernel.refusal import Refusal
from bot.kernel.ui import Reply
from handlers import tg
from handlers.base import Context, Refused
from handlers.casework import ask_for_words
from handlers.module import HandlerModule, on_command, on_press
from handlers.services import HasCases, HasDialogs, HasWords
from storage.models import CaseRecord


class Services(HasWords, HasCases, HasDialogs, Protocol):
    """What :class:`CaseLearningHandlers` uses of the core."""

    learning: CaseLearning


class CaseLearningHandlers(HandlerModule[Services]):
    async def _recordable(self, update: Update, actor: Actor, case_id: int) -> CaseRecord:
        """The pressed button's case, if this person may record on it now (its coordinators
        and its lead); else :class:`Refused`."""
        tg.pressed(update)
        case = await self.core.cases.get(case_id)
        if case is None:
            raise Refused("error.stale_button")
        if not await self.core.learning.may_record(case, actor.user_id):
            raise Refused("deny.role")
        return case

    @on_press(CaseLearn, CaseAction.CASE_LEARN)
    async def learn_pressed(
        self, update: Update, context: Context, actor: Actor, press: CaseLearn
    ) -> None:
        case = await self._recordable(update, actor, press.case_id)
        query = tg.pressed(update)
        await tg.answer(query)
        await tg.edit(query, learning_screen(self.core.i18n, actor.language, case, press.part))

    @on_press(CaseMark, CaseAction.CASE_LEARN)
    async def mark_pressed(
        self, update: Update, context: Context, actor: Actor, press: CaseMark
    ) -> None:
        case = await self._recordable(update, actor, press.case_id)
        query = tg.pressed(update)
        lang = actor.language
        updated = await self.core.learning.mark(
            actor.user_id, case.id, press.part.field, press.index
        )
        if isinstance(updated, Refusal):
            raise Refused(updated.message_key)
        await tg.answer(query, self.t(lang, "learn.saved"))
        await tg.edit(query, learning_screen(self.core.i18n, lang, updated, press.part))

    @on_press(CaseSuccess, CaseAction.CASE_LEARN)
    async def success_pressed(
        self, update: Update, context: Context, actor: Actor, press: CaseSuccess
    ) -> None:
        """A small success: a few words, asked in a stored dialogue and guarded like a note."""
        case = await self._recordable(update, actor, press.case_id)
        draft: dict[str, object] = {"case_id": case.id, "to": "success"}
        query = tg.pressed(update)
        await ask_for_words(self.core, self.dialogs, query, actor, case, draft, "success")

    # links ------------------------------------------------------------------------------------
    @on_command("link", CaseAction.CASE_LINK)
    async def link(self, update: Update, context: Context, actor: Actor) -> None:
        """``/link CODE OTHER``: how two cases of one board are related."""
        lang = actor.language
        codes = [c for c in (context.args or []) if c]
        found = [await self.core.cases.by_code(code) for code in codes[:2]]
        cases = [c for c in found if c is not None]
        if len(codes) != 2 or len(cases) != 2:
            await tg.respond(update, Reply(self.t(lang, "link.usage")))
            return
        case, other = cases
        readable = []
        for each in cases:
            role, team = await self.core.cases.access(each, actor.user_id)
            readable.append(can_read_details(role, team))
        if not all(readable) or case.board_id != other.board_id or case.id == other.id:
            await tg.respond(update, Reply(self.t(lang, "link.usage")))
            return
        if not all([await self.core.learning.may_record(c, actor.user_id) for c in cases]):
            await tg.respond(update, Reply(self.t(lang, "deny.role")))
            return
        await tg.respond(update, link_screen(self.core.i18n, lang, case, other))

    @on_press(CaseLinkKind, CaseAction.CASE_LINK)
    async def link_pressed(
        self, update: Update, context: Context, actor: Actor, press: CaseLinkKind
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        if not 0 <= press.kind <= len(LINK_KINDS):
            raise Refused("error.stale_button")
        kind = LINK_KINDS[press.kind] if press.kind < len(LINK_KINDS) else None
        refusal = await self.core.learning.link(actor.user_id, press.case_id, press.other_id, kind)
        if refusal is not None:
            raise Refused(refusal.message_key)
        case = await self.core.cases.get(press.case_id)
        other = await self.core.cases.get(press.other_id)
        codes = {"code": case.code if case else "?", "other": other.code if other else "?"}
        text = (
            self.t(lang, "link.saved", kind=self.t(lang, f"link.{kind}"), **codes)
            if kind
            else self.t(lang, "link.removed", **codes)
        )
        await tg.answer(query)
        await tg.edit(query, Reply(text))
