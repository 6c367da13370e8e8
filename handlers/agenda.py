"""The agenda: /agenda (the next meeting's, codes only in the group), /agenda add CODE and
/agenda remove CODE, "To the next meeting" on the case card, and the written update someone who
cannot come sends from the brief."""

from __future__ import annotations

from typing import Protocol

from telegram import Update

from bot.agenda.buttons import AgendaAdd, WrittenUpdate
from bot.agenda.notices import build_agenda_renderers
from bot.agenda.policy import AgendaAction
from bot.agenda.refusals import AgendaRefusal, UpdateRefusal
from bot.agenda.service import AgendaChange
from bot.cases.rules import can_read_details
from bot.kernel.i18n import weekday_moment
from bot.kernel.people import Actor
from bot.kernel.policy import ChatKind, Role
from bot.kernel.refusal import Refusal
from bot.kernel.ui import Reply
from bot.minutes.cards import agenda_lines
from handlers import tg
from handlers.base import Context, Refused
from handlers.capability import Capability, modules
from handlers.dialogs import Answer
from handlers.module import HandlerModule, on_command, on_press, on_step
from handlers.services import HasAgenda, HasBoards, HasCases, HasDialogs, HasSettings, HasWords

UPDATE_KIND = "agupd"


class Services(HasWords, HasSettings, HasDialogs, HasBoards, HasCases, HasAgenda, Protocol):
    """What :class:`AgendaHandlers` uses of the core."""


class AgendaHandlers(HandlerModule[Services]):
    @on_command("agenda", AgendaAction.AGENDA)
    async def agenda(self, update: Update, context: Context, actor: Actor) -> None:
        args = context.args or []
        if len(args) >= 2 and args[0].lower() in ("add", "remove", "добави", "махни"):
            await self._change(update, actor, args[0].lower() in ("add", "добави"), args[1])
            return
        if args:
            await tg.respond(update, Reply(self.t(actor.language, "agenda.usage")))
            return
        await tg.respond(update, await self._show(actor))

    async def _show(self, actor: Actor) -> Reply:
        lang = actor.language
        if actor.chat_kind is ChatKind.GROUP:
            assert actor.board is not None
            boards = [actor.board]
        else:
            boards = [board for board, _ in await self.core.boards.boards_of(actor.user_id)]
        lines: list[str] = []
        for board in boards:
            view = await self.core.agenda.next_on(board.id)
            if len(boards) > 1:
                lines.append(f"<b>{self.core.i18n.t(lang, 'agenda.board', board=board.title)}</b>")
            if view is None:
                lines.append(self.t(lang, "agenda.no_meeting"))
                continue
            zone = (await self.core.settings.of(board.id)).timezone
            lines += agenda_lines(self.core.i18n, lang, view.meeting, view.cases, zone)
        if not lines:
            lines.append(self.t(lang, "agenda.no_meeting"))
        lines.append(self.t(lang, "agenda.how_to_add"))
        return Reply("\n".join(lines))

    async def _change(self, update: Update, actor: Actor, add: bool, code: str) -> None:
        lang = actor.language
        case = await self.core.cases.by_code(code)
        if (
            case is None
            or (actor.board is not None and case.board_id != actor.board.id)
            or await self.core.boards.role_on(case.board_id, actor.user_id) is Role.NON_MEMBER
        ):
            await tg.respond(update, Reply(self.t(lang, "case.not_found")))
            return
        change = self.core.agenda.add if add else self.core.agenda.remove
        result = await change(actor.user_id, case, actor.chat_id)
        await tg.respond(update, Reply(await self._said(actor, result, case.code, add)))

    async def _said(
        self, actor: Actor, result: AgendaChange | AgendaRefusal, code: str, add: bool
    ) -> str:
        lang = actor.language
        if isinstance(result, Refusal):
            return self.t(lang, result.message_key)
        meeting = result.meeting
        zone = (await self.core.settings.of(meeting.board_id)).timezone
        when = (
            self.t(lang, "meetings.polling")
            if meeting.starts_at is None
            else weekday_moment(meeting.starts_at, lang, zone)
        )
        verb = "added" if add else "removed"
        state = "done" if result.changed else "already"
        return self.t(lang, f"agenda.{verb}_{state}", code=code, when=when)

    @on_press(AgendaAdd, AgendaAction.AGENDA_BUTTON)
    async def add_pressed(
        self, update: Update, context: Context, actor: Actor, press: AgendaAdd
    ) -> None:
        """The case card's button "Onto the next meeting's agenda"."""
        query = tg.pressed(update)
        case = await self.core.cases.get(press.case_id)
        if case is None:
            raise Refused("error.stale_button")
        result = await self.core.agenda.add(actor.user_id, case, actor.chat_id)
        said = await self._said(actor, result, case.code, True)
        await tg.answer(query, said, alert=isinstance(result, Refusal))

    # written updates --------------------------------------------------------------------------
    @on_press(WrittenUpdate, AgendaAction.AGENDA_BUTTON)
    async def update_pressed(
        self, update: Update, context: Context, actor: Actor, press: WrittenUpdate
    ) -> None:
        query = tg.pressed(update)
        meeting_id, case_id = press.meeting_id, press.case_id
        case = await self.core.cases.get(case_id)
        lang = actor.language
        if case is None or meeting_id is None:
            raise Refused("error.stale_button")
        role, team = await self.core.cases.access(case, actor.user_id)
        if not can_read_details(role, team):
            raise Refused("case.details_refused")
        aside, _ = await self.dialogs.begin(
            actor,
            UPDATE_KIND,
            "text",
            case.board_id,
            {"meeting_id": meeting_id, "case_id": case.id},
        )
        await tg.answer(query)
        await tg.send_below(query, Reply(aside + self.t(lang, "agenda.ask_update", code=case.code)))

    @on_step(UPDATE_KIND, first_step="text")
    async def update_answer(self, answer: Answer) -> None:
        lang = answer.lang
        not_coming = await self.core.agenda.add_update(
            answer.actor.user_id,
            int(answer.dialog.draft.get("meeting_id", 0)),
            int(answer.dialog.draft.get("case_id", 0)),
            answer.text,
        )
        if not_coming is UpdateRefusal.BAD_TEXT:  # the dialogue stays: a shorter text is welcome
            await answer.reply(Reply(self.t(lang, not_coming.message_key)))
            return
        await self.core.dialogs.close(answer.actor.user_id)
        if isinstance(not_coming, Refusal):
            await answer.reply(Reply(self.t(lang, not_coming.message_key)))
            return
        said = self.t(lang, "agenda.update_saved")
        if not_coming:
            said += "\n" + self.t(lang, "agenda.now_not_going")
        await answer.reply(Reply(said))


CAPABILITY = Capability(
    handlers=modules(AgendaHandlers),
    renderers=lambda w: build_agenda_renderers(w.core.i18n, w.core.settings),
    tasks=lambda w: w.core.agenda.tasks(),
)
