"""Working on a case in private: status changes, notes, moves between services, the timeline,
and /mycases. Every free text passes the personal-data guard; every button re-checks the case."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from telegram import CallbackQuery, Message, Update

from bot.agenda.buttons import AgendaAdd
from bot.agenda.rules import may_set_agenda
from bot.cases.buttons import (
    CaseClosing,
    CaseDetails,
    CaseLearn,
    CaseMove,
    CaseNote,
    CaseTransfer,
    LearnPart,
    Timeline,
)
from bot.cases.cards import detail_card, list_line
from bot.cases.policy import CaseAction
from bot.cases.refusals import MoveRefusal
from bot.cases.rules import (
    CLOSING_OUTCOMES,
    NEEDS_TEXT,
    OPEN_STATUSES,
    can_read_details,
    is_stalled,
    team_by_person,
)
from bot.cases.service import TimelinePage
from bot.kernel.dates import parse_past_day, written_day
from bot.kernel.i18n import format_short
from bot.kernel.people import Actor
from bot.kernel.policy import VOTERS
from bot.kernel.refusal import Refusal
from bot.kernel.safety import EMERGENCY_KEY, shows_emergency_line
from bot.kernel.ui import Button, DetailsOf, Reply
from bot.minutes.buttons import ReadMinutes
from bot.votes.buttons import ProposeCase
from handlers import tg
from handlers.base import Context, Refused, bounded
from handlers.dialogs import Answer, DialogRouter, guard_text
from handlers.module import HandlerModule, on_command, on_press, on_resume, on_step
from handlers.services import (
    HasBoards,
    HasCases,
    HasCasework,
    HasClock,
    HasDialogs,
    HasHeld,
    HasLearning,
    HasMinutes,
    HasSettings,
    HasWords,
)
from storage.models import (
    ActionRecord,
    CaseNoteRecord,
    CaseRecord,
    CaseStatus,
    ProposalRecord,
    TransferRecord,
)

TEXT_KIND = "casetext"
TRANSFER_KIND = "transfer"
MAX_TEXT = 500
"""Notes, reasons, outcomes: six of them still fit one timeline page (Telegram: 4096)."""
MAX_SERVICE = 60
TRANSFER_STEPS = ("date", "from", "to", "reason")
MAX_MY_CASES = 40


class Services(
    HasClock,
    HasWords,
    HasSettings,
    HasDialogs,
    HasBoards,
    HasCases,
    HasCasework,
    HasLearning,
    HasMinutes,
    HasHeld,
    Protocol,
):
    """What :class:`CaseWorkHandlers` uses of the core."""


class CaseWorkHandlers(HandlerModule[Services]):
    def _ask(
        self, lang: str, key: str, *, aside: str = "", safety: bool = True, **params: object
    ) -> Reply:
        """A question of a case dialogue; the first and the last carry the emergency line."""
        text = aside + self.t(lang, key, **params)
        return Reply(text + "\n\n" + self.t(lang, EMERGENCY_KEY) if safety else text)

    # the details card with its actions --------------------------------------------------------
    async def details(self, actor: Actor, case: CaseRecord) -> Reply:
        """The team's card plus what this person may do next (re-read from the database)."""
        lang = actor.language
        if not await self.core.cases.read_details(case, actor.user_id, actor.chat_id):
            return Reply(self.t(lang, "case.details_refused"))
        names = {m.user_id: m.display_name for m in await self.core.boards.members(case.board_id)}
        team = [
            (names.get(user_id, str(user_id)), roles)
            for user_id, roles in team_by_person(await self.core.cases.team_of(case.id))
        ]
        may_record, links = await self.core.learning.for_card(case, actor.user_id)
        card = detail_card(self.core.i18n, lang, case, team, self.core.clock.now(), links)
        rows: list[tuple[Button, ...]] = [
            (Button(self.t(lang, f"case_action.{to}"), CaseMove(case.id, to).pack()),)
            for to in await self.core.casework.transitions_for(case, actor.user_id)
        ]
        rows.append(
            (
                Button(self.t(lang, "button.timeline"), Timeline(case.id, 0).pack()),
                Button(self.t(lang, "button.note"), CaseNote(case.id).pack()),
                Button(self.t(lang, "button.transfer"), CaseTransfer(case.id).pack()),
            )
        )
        if may_record:
            learn = Button(self.t(lang, "button.learn"), CaseLearn(case.id, LearnPart.MENU).pack())
            rows.append((learn,))
        role, team_roles = await self.core.cases.access(case, actor.user_id)
        if case.status in OPEN_STATUSES and role in VOTERS:
            rows.append((Button(self.t(lang, "button.propose"), ProposeCase(case.id).pack()),))
        latest = await self.core.minutes.latest_for_case(case.id)
        if latest is not None:
            rows.append(
                (Button(self.t(lang, "button.latest_minutes"), ReadMinutes(latest).pack()),)
            )
        if case.status in OPEN_STATUSES and may_set_agenda(role, team_roles):
            rows.append((Button(self.t(lang, "button.to_agenda"), AgendaAdd(case.id).pack()),))
        return Reply(card.text, tuple(rows), details_of=DetailsOf(case.id))

    async def _case_from(self, query: CallbackQuery, actor: Actor, case_id: int) -> CaseRecord:
        """The pressed button's case, if this person may read its details now (else
        :class:`Refused`)."""
        case = await self.core.cases.get(case_id)
        if case is None:
            raise Refused("error.stale_button")
        role, team = await self.core.cases.access(case, actor.user_id)
        if not can_read_details(role, team):
            raise Refused("case.details_refused")
        return case

    async def _case_by_code(self, update: Update, actor: Actor, code: str) -> CaseRecord | None:
        case = await self.core.cases.by_code(code) if code else None
        if case is not None:
            role, team = await self.core.cases.access(case, actor.user_id)
            if can_read_details(role, team):
                return case
        await tg.respond(update, Reply(self.t(actor.language, "case.not_found")))
        return None

    # status -----------------------------------------------------------------------------------
    @on_press(CaseMove, CaseAction.CASE_STATUS)
    async def status_pressed(
        self, update: Update, context: Context, actor: Actor, press: CaseMove
    ) -> None:
        query = tg.pressed(update)
        case = await self._case_from(query, actor, press.case_id)
        to = press.to
        lang = actor.language
        if to not in await self.core.casework.transitions_for(case, actor.user_id):
            raise Refused("deny.role")
        if to == CaseStatus.CLOSED:  # first where the case ends up, then a few words
            await tg.answer(query)
            await tg.edit(query, self._closing_question(lang, case))
            return
        if to in NEEDS_TEXT:
            draft: dict[str, object] = {"case_id": case.id, "to": to}
            await ask_for_words(self.core, self.dialogs, query, actor, case, draft, NEEDS_TEXT[to])
            return
        updated = await self.core.casework.move(actor.user_id, case.id, to)
        if isinstance(updated, Refusal):
            raise Refused(updated.message_key)
        await tg.answer(
            query,
            self.t(lang, "case.moved", code=case.code, status=self.t(lang, f"case_status.{to}")),
        )
        await tg.edit(query, await self.details(actor, updated))

    def _closing_question(self, lang: str, case: CaseRecord) -> Reply:
        buttons = [
            Button(self.t(lang, f"closing.{kind}"), CaseClosing(case.id, kind).pack())
            for kind in CLOSING_OUTCOMES
        ]
        rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
        rows.append((Button(self.t(lang, "button.back"), CaseDetails(case.id).pack()),))
        return Reply(self.t(lang, "closing.ask", code=case.code), tuple(rows))

    @on_press(CaseClosing, CaseAction.CASE_STATUS)
    async def closing_pressed(
        self, update: Update, context: Context, actor: Actor, press: CaseClosing
    ) -> None:
        """The outcome is picked: the written words come next, in a stored dialogue."""
        query = tg.pressed(update)
        case = await self._case_from(query, actor, press.case_id)
        lang = actor.language
        allowed = await self.core.casework.transitions_for(case, actor.user_id)
        if CaseStatus.CLOSED not in allowed or press.outcome not in CLOSING_OUTCOMES:
            raise Refused("error.stale_button")
        draft: dict[str, object] = {
            "case_id": case.id,
            "to": CaseStatus.CLOSED,
            "closing": press.outcome,
        }
        toast = self.t(lang, f"closing.{press.outcome}")
        await ask_for_words(
            self.core, self.dialogs, query, actor, case, draft, "outcome", toast=toast
        )

    # notes ------------------------------------------------------------------------------------
    @on_command("note", CaseAction.CASE_NOTE)
    async def note_command(self, update: Update, context: Context, actor: Actor) -> None:
        message = update.effective_message
        args = context.args or []
        if message is None:
            return
        case = await self._case_by_code(update, actor, args[0] if args else "")
        if case is None:
            return
        text = " ".join(args[1:]).strip()
        if not text:
            await self._ask_note(update, actor, case)
            return
        if await guard_text(self.core, message, actor, text, "note", {"case_id": case.id}):
            return
        await tg.send(message, await self._save_note(actor, case, text))

    @on_resume("note")
    async def resume_note(
        self, update: Update, context: Context, actor: Actor, payload: dict[str, Any], text: str
    ) -> None:
        """A note given with ``/note CODE …``, blanked and saved by its author."""
        query = update.callback_query
        case = await self.core.cases.get(int(payload.get("case_id", 0)))
        if query is None or not isinstance(query.message, Message) or case is None:
            return
        await tg.send(query.message, await self._save_note(actor, case, text))

    @on_press(CaseNote, CaseAction.CASE_NOTE)
    @on_press(CaseTransfer, CaseAction.CASE_TRANSFER)
    async def ask_pressed(
        self, update: Update, context: Context, actor: Actor, press: CaseNote | CaseTransfer
    ) -> None:
        """A note or a transfer begun from the case's card: its first question, in place."""
        query = tg.pressed(update)
        case = await self._case_from(query, actor, press.case_id)
        await tg.answer(query)
        if isinstance(press, CaseNote):
            await self._ask_note(update, actor, case)
        else:
            await self._ask_transfer(update, actor, case)

    async def _ask_note(self, update: Update, actor: Actor, case: CaseRecord) -> None:
        draft = {"case_id": case.id, "to": "note"}
        await self._begin(update, actor, case, TEXT_KIND, "text", draft, "casetext.ask.note")

    async def _ask_transfer(self, update: Update, actor: Actor, case: CaseRecord) -> None:
        draft = {"case_id": case.id}
        await self._begin(update, actor, case, TRANSFER_KIND, "date", draft, "transfer.ask.date")

    async def _begin(
        self,
        update: Update,
        actor: Actor,
        case: CaseRecord,
        kind: str,
        step: str,
        draft: dict[str, Any],
        question: str,
    ) -> None:
        """Open a case dialogue and ask its first question, in the pressed message or below the
        command."""
        aside, _ = await self.dialogs.begin(actor, kind, step, case.board_id, draft)
        reply = self._ask(actor.language, question, aside=aside, code=case.code)
        if update.callback_query is not None:
            await tg.edit(update.callback_query, reply)
        else:
            await tg.respond(update, reply)

    async def _save_note(
        self, actor: Actor, case: CaseRecord, text: str, kind: str = "note"
    ) -> Reply:
        """A note, or a small success (``kind``), on the case's timeline."""
        lang = actor.language
        if len(text) > MAX_TEXT:
            return Reply(self.t(lang, "casetext.too_long", limit=MAX_TEXT))
        refusal = await self.core.casework.add_note(actor.user_id, case.id, text, kind)
        if refusal is not None:
            return Reply(self.t(lang, refusal.message_key))
        saved = self.t(lang, f"case.{kind}_saved", code=case.code)
        return Reply(saved + "\n\n" + self.t(lang, EMERGENCY_KEY))

    @on_step(TEXT_KIND, first_step="text")
    async def text_answer(self, answer: Answer) -> None:
        """A note, a reason or an outcome (already through the personal-data guard)."""
        lang = answer.lang
        case = await self.core.cases.get(int(answer.dialog.draft.get("case_id", 0)))
        to = str(answer.dialog.draft.get("to", ""))
        if case is None:
            await self.core.dialogs.close(answer.actor.user_id)
            await answer.reply(Reply(self.t(lang, "case.not_found")))
            return
        text = answer.text.strip()
        if len(text) > MAX_TEXT:
            await answer.reply(Reply(self.t(lang, "casetext.too_long", limit=MAX_TEXT)))
            return
        if to in ("note", "success"):
            reply = await self._save_note(answer.actor, case, text, to)
        elif to == CaseStatus.CLOSED and _closing(answer.dialog.draft) is None:
            # a closing begun before outcomes were asked: ask it now; the words come after
            reply = self._closing_question(lang, case)
        else:
            try:
                status = CaseStatus(to)
            except ValueError:  # a dialogue stored by an older version
                status = None
            moved = (
                MoveRefusal.GONE
                if status is None
                else await self.core.casework.move(
                    answer.actor.user_id,
                    case.id,
                    status,
                    text,
                    closing=_closing(answer.dialog.draft),
                )
            )
            if isinstance(moved, Refusal):
                reply = Reply(self.t(lang, moved.message_key))
            else:
                reply = Reply(
                    self.t(
                        lang, "case.moved", code=case.code, status=self.t(lang, f"case_status.{to}")
                    )
                )
        await self.core.dialogs.close(answer.actor.user_id)
        await answer.reply(reply)

    # transfers --------------------------------------------------------------------------------
    @on_command("transfer", CaseAction.CASE_TRANSFER)
    async def transfer_command(self, update: Update, context: Context, actor: Actor) -> None:
        case = await self._case_by_code(update, actor, (context.args or [""])[0])
        if case is not None:
            await self._ask_transfer(update, actor, case)

    @on_step(TRANSFER_KIND, first_step="date")
    async def transfer_answer(self, answer: Answer) -> None:
        lang = answer.lang
        draft = answer.draft()
        value = " ".join(answer.text.split())
        if answer.step == "date":
            settings = (
                self.core.settings.for_no_board()
                if answer.dialog.board_id is None
                else await self.core.settings.of(answer.dialog.board_id)
            )
            today = self.core.clock.now().astimezone(settings.timezone).date()
            day = parse_past_day(value, today)
            if day is None:
                await answer.reply(Reply(self.t(lang, "transfer.bad_date")))
                return
            draft["moved_on"] = day.isoformat()
        elif answer.step in ("from", "to"):
            draft[answer.step] = bounded(value, MAX_SERVICE, "transfer.bad_service")
        elif answer.step == "reason":
            reason = bounded(value, MAX_TEXT, "casetext.too_long")
            await self._save_transfer(answer.update, answer.actor, draft, reason)
            return
        step = TRANSFER_STEPS[TRANSFER_STEPS.index(answer.step) + 1]
        await self.core.dialogs.advance(answer.actor.user_id, step, draft)
        safety = shows_emergency_line(step, TRANSFER_STEPS)
        await answer.reply(self._ask(lang, f"transfer.ask.{step}", safety=safety))

    async def _save_transfer(
        self, update: Update, actor: Actor, draft: dict[str, object], reason: str
    ) -> None:
        message = update.effective_message
        assert message is not None
        lang = actor.language
        case_id = int(str(draft.get("case_id", 0)))
        flagged = await self.core.casework.record_transfer(
            actor.user_id,
            case_id,
            date.fromisoformat(str(draft["moved_on"])),
            str(draft["from"]),
            str(draft["to"]),
            reason,
        )
        await self.core.dialogs.close(actor.user_id)
        if isinstance(flagged, Refusal):
            await tg.send(message, Reply(self.t(lang, flagged.message_key)))
            return
        lines = [self.t(lang, "transfer.saved")]
        if flagged:
            lines.append(self.t(lang, "transfer.carousel"))
        await tg.send(message, Reply("\n".join(lines)))

    # timeline ---------------------------------------------------------------------------------
    @on_press(Timeline, CaseAction.CASE_TIMELINE)
    async def timeline_pressed(
        self, update: Update, context: Context, actor: Actor, press: Timeline
    ) -> None:
        query = tg.pressed(update)
        case = await self._case_from(query, actor, press.case_id)
        page = await self.core.casework.timeline(case, press.page)
        if not await self.core.cases.read_details(case, actor.user_id, actor.chat_id):
            raise Refused("case.details_refused")
        await tg.answer(query)
        await tg.edit(query, await self.timeline_reply(actor, case, page))

    async def timeline_reply(self, actor: Actor, case: CaseRecord, page: TimelinePage) -> Reply:
        lang = actor.language
        tz = self.core.settings.for_no_board().timezone
        names = {m.user_id: m.display_name for m in await self.core.boards.members(case.board_id)}
        lines = [
            self.t(lang, "timeline.title", code=case.code, page=page.page + 1, pages=page.pages)
        ]
        coordinating = await self.core.casework.is_coordinating(case, actor.user_id)
        for event, extra in page.entries:
            who = names.get(event.actor_id or 0, "—") if event.actor_id else "boardbot"
            if event.kind == "escalation" and not coordinating:
                who = "—"  # who raised a concern is for the coordinators to know
            closing = event.detail.get("closing") if event.kind == "status" else None
            what = self.t(
                lang,
                "timeline.closed" if closing else f"timeline.{event.kind}",
                closing=self.t(lang, f"closing.{closing}") if closing else "",
                part=self.t(lang, f"learn.part.{event.detail.get('part', 'strengths')}"),
                to=self.t(lang, f"case_status.{event.detail.get('to', 'raised')}"),
                moves=event.detail.get("moves", 0),
                field=self.t(lang, f"edit_field.{event.detail.get('field', 'label')}"),
                name=names.get(int(event.detail.get("user", 0)), "—"),
                outcome=self.t(lang, f"vote.outcome.{event.detail.get('outcome', 'open')}"),
                day=_day(str(event.detail.get("day", ""))),
                actions=event.detail.get("actions", 0),
            )
            line = self.t(
                lang, "timeline.line", when=format_short(event.at, tz), who=who, what=what
            )
            if isinstance(extra, CaseNoteRecord):
                line += "\n    " + self.t(lang, "timeline.text", text=extra.body)
            elif isinstance(extra, TransferRecord):
                line += "\n    " + self.t(
                    lang,
                    "timeline.transfer_detail",
                    day=written_day(extra.moved_on),
                    source=extra.from_service,
                    target=extra.to_service,
                    reason=extra.reason,
                )
            elif isinstance(extra, ProposalRecord | ActionRecord):
                line += "\n    " + self.t(lang, "timeline.subject", title=extra.title)
            lines.append(line)
        nav: list[Button] = []
        if page.page > 0:
            nav.append(Button("◀", Timeline(case.id, page.page - 1).pack()))
        if page.page + 1 < page.pages:
            nav.append(Button("▶", Timeline(case.id, page.page + 1).pack()))
        rows = (tuple(nav),) if nav else ()
        return Reply("\n".join(lines), rows, details_of=DetailsOf(case.id))

    # /mycases ---------------------------------------------------------------------------------
    @on_command("mycases", CaseAction.MY_CASES)
    async def my_cases(self, update: Update, context: Context, actor: Actor) -> None:
        lang = actor.language
        cases = await self.core.casework.mine(actor.user_id)
        now = self.core.clock.now()
        stall_days = {
            board_id: (await self.core.settings.of(board_id)).stall_days
            for board_id in {case.board_id for case in cases}
        }
        lines = [self.t(lang, "mycases.title", count=len(cases))]
        lines += [
            list_line(
                self.core.i18n,
                lang,
                case,
                now,
                private=True,
                stalled=is_stalled(
                    case.status, case.last_activity_at, now, stall_days[case.board_id]
                ),
            )
            for case in cases[:MAX_MY_CASES]
        ]
        if len(cases) > MAX_MY_CASES:
            lines.append(self.t(lang, "mycases.more", count=len(cases) - MAX_MY_CASES))
        if not cases:
            lines.append(self.t(lang, "mycases.none"))
        await tg.respond(update, Reply("\n".join(lines)))


def _day(iso: str) -> str:
    """A stored ISO date as people write it (the meeting a timeline entry is about)."""
    try:
        return written_day(date.fromisoformat(iso)) or "—"
    except ValueError:
        return "—"


class AskServices(HasWords, HasDialogs, Protocol):
    """What :func:`ask_for_words` uses of the core."""


async def ask_for_words(
    core: AskServices,
    dialogs: DialogRouter,
    query: CallbackQuery,
    actor: Actor,
    case: CaseRecord,
    draft: dict[str, object],
    what: str,
    *,
    toast: str | None = None,
) -> None:
    """Open the case's text dialogue (``draft`` says what the words are for: a note, a reason,
    an outcome, a small success) and ask for them (``casetext.ask.<what>``) in the pressed
    message; the answer comes to :meth:`CaseWorkHandlers.text_answer`, through the guard."""
    lang = actor.language
    aside, _ = await dialogs.begin(actor, TEXT_KIND, "text", case.board_id, draft)
    await tg.answer(query, toast)
    text = aside + core.i18n.t(lang, f"casetext.ask.{what}", code=case.code)
    await tg.edit(query, Reply(text + "\n\n" + core.i18n.t(lang, EMERGENCY_KEY)))


def _closing(draft: dict[str, Any]) -> str | None:
    """The outcome picked before the words (a dialogue from before the list has none)."""
    value = draft.get("closing")
    return str(value) if value is not None else None
