"""Private escalation: /escalate (a guided dialogue in private), the coordinators' buttons
(acknowledge, reply, bring to supervision, resolve), /escalations, and the external contact's
deep link. Every screen carries the emergency line."""

from __future__ import annotations

from typing import Any, Protocol

from telegram import Update

from bot.escalations.buttons import (
    EscalateBoard,
    EscalateScreen,
    EscalationOp,
    EscalationPress,
    InviteExternal,
)
from bot.escalations.notices import build_escalation_renderers, handling_buttons, withdraw_button
from bot.escalations.policy import EscalationAction
from bot.escalations.rules import KINDS, MAX_TEXT, STEPS, URGENCIES
from bot.escalations.service import EscalationAccess
from bot.kernel.dialogs import nonce_of
from bot.kernel.i18n import Html
from bot.kernel.people import Actor
from bot.kernel.policy import BOARD_MEMBERS, Role
from bot.kernel.refusal import Refusal
from bot.kernel.safety import EMERGENCY_KEY, shows_emergency_line
from bot.kernel.ui import Button, DetailsOf, Keyboard, Reply
from handlers import tg
from handlers.base import Context, Refused, bounded, picked_board
from handlers.capability import Capability, modules
from handlers.dialogs import Answer
from handlers.module import HandlerModule, on_command, on_deep_link, on_press, on_step
from handlers.services import (
    HasActions,
    HasBoards,
    HasCases,
    HasCasework,
    HasClock,
    HasDialogs,
    HasEscalations,
    HasWords,
)
from storage.models import BoardRecord, DialogRecord, EscalationStatus

KIND = "escalate"
REPLY_KIND = "escreply"


class Services(
    HasClock,
    HasWords,
    HasDialogs,
    HasBoards,
    HasCases,
    HasCasework,
    HasActions,
    HasEscalations,
    Protocol,
):
    """What :class:`EscalationHandlers` uses of the core."""


class EscalationHandlers(HandlerModule[Services]):
    def _age(self, lang: str, days: int) -> str:
        if days == 0:
            return self.t(lang, "escalations.age_today")
        return self.core.i18n.tn(lang, "escalations.age", days)

    def _with_safety(self, lang: str, text: str) -> str:
        return text + "\n\n" + self.t(lang, EMERGENCY_KEY)

    # starting -----------------------------------------------------------------------------------
    @on_command("escalate", EscalationAction.ESCALATE)
    async def escalate(self, update: Update, context: Context, actor: Actor) -> None:
        lang = actor.language
        args = context.args or []
        if args:
            case = await self.core.cases.by_code(args[0])
            role = (
                Role.NON_MEMBER
                if case is None
                else await self.core.boards.role_on(case.board_id, actor.user_id)
            )
            if case is None or role not in BOARD_MEMBERS:
                await tg.respond(
                    update, Reply(self._with_safety(lang, self.t(lang, "case.not_found")))
                )
                return
            board = await self.core.boards.board(case.board_id)
            assert board is not None
            await tg.respond(
                update, await self._begin(actor, board, case_id=case.id, code=case.code)
            )
            return
        boards = [b for b, role in await self.core.boards.boards_of(actor.user_id)]
        if not boards:
            await tg.respond(update, Reply(self.t(lang, "deny.not_member")))
            return
        if len(boards) == 1:
            await tg.respond(update, await self._begin(actor, boards[0]))
            return
        keyboard = tuple((Button(b.title, EscalateBoard(b.id).pack()),) for b in boards)
        await tg.respond(
            update, Reply(self._with_safety(lang, self.t(lang, "boards.pick")), keyboard)
        )

    @on_press(EscalateBoard, EscalationAction.ESCALATE_STEP)
    async def board_picked(
        self, update: Update, context: Context, actor: Actor, press: EscalateBoard
    ) -> None:
        board = await picked_board(self.core, update, actor, press.board_id, BOARD_MEMBERS)
        await tg.edit(tg.pressed(update), await self._begin(actor, board))

    async def _begin(
        self, actor: Actor, board: BoardRecord, *, case_id: int | None = None, code: str = ""
    ) -> Reply:
        aside = await self.dialogs.set_aside_line(actor.user_id, actor.language)
        step = "kind" if case_id is not None else "case"
        draft: dict[str, Any] = {"case_id": case_id, "code": code, "first": step}
        nonce = await self.core.dialogs.open(
            actor.user_id, KIND, step, board_id=board.id, draft=draft
        )
        question = await self._question(actor, step, draft, nonce, board.id)
        return Reply(aside + question.text, question.keyboard)

    async def _question(
        self, actor: Actor, step: str, draft: dict[str, Any], nonce: int, board_id: int
    ) -> Reply:
        lang = actor.language
        t = self.t

        def es(op: str, value: str | int) -> str:
            return EscalateScreen(op, str(value), nonce).pack()

        rows: list[tuple[Button, ...]] = []
        if step == "case":
            cases = [
                c for c in await self.core.casework.mine(actor.user_id) if c.board_id == board_id
            ]
            rows = [(Button(case.code, es("case", case.id)),) for case in cases[:20]]
            rows.append((Button(t(lang, "escalation.without_case"), es("case", 0)),))
        elif step == "kind":
            rows = [(Button(t(lang, f"escalation.kind.{k}"), es("kind", k)),) for k in KINDS]
        elif step == "urgency":
            rows = [(Button(t(lang, f"escalation.urgency.{u}"), es("urg", u)),) for u in URGENCIES]
        elif step == "neutral":
            rows = [
                (
                    Button(
                        t(lang, "escalation.neutral_yes", code=draft.get("code", "")), es("neu", 1)
                    ),
                ),
                (Button(t(lang, "escalation.neutral_no"), es("neu", 0)),),
            ]
        elif step == "confirm":
            rows = [(Button(t(lang, "escalation.send"), es("send", 1)),)]
        rows.append((Button(t(lang, "button.cancel"), es("stop", 0)),))
        text = t(lang, f"escalation.ask.{step}", limit=MAX_TEXT, code=draft.get("code", ""))
        if step == "confirm":
            text = (
                t(
                    lang,
                    "escalation.summary",
                    code=draft.get("code") or t(lang, "escalation.no_case"),
                    kind=t(lang, f"escalation.kind.{draft.get('kind', 'other')}"),
                    urgency=t(lang, f"escalation.urgency.{draft.get('urgency', 'routine')}"),
                    text=draft.get("text", ""),
                )
                + "\n\n"
                + text
            )
        keyboard: Keyboard = tuple(rows)
        if shows_emergency_line(step, STEPS, first=str(draft.get("first") or "case")):
            text = self._with_safety(lang, text)
        return Reply(text, keyboard)

    # answers ------------------------------------------------------------------------------------
    @on_press(EscalateScreen, EscalationAction.ESCALATE_STEP)
    async def pressed(
        self, update: Update, context: Context, actor: Actor, press: EscalateScreen
    ) -> None:
        query, dialog, op, value, board_id = await self.dialogs.screen_pressed(
            update, actor, KIND, press
        )
        lang = actor.language
        draft = dict(dialog.draft)
        step = dialog.step
        if op == "stop":
            await self.core.dialogs.close(actor.user_id)
            await tg.answer(query)
            await tg.edit(query, Reply(self.t(lang, "escalation.stopped")))
            return
        if op == "case" and step == "case" and value.isdigit():
            case = await self.core.cases.get(int(value)) if int(value) else None
            if int(value) and (case is None or case.board_id != board_id):
                raise Refused("error.stale_button")
            draft["case_id"] = None if case is None else case.id
            draft["code"] = "" if case is None else case.code
            step = "kind"
        elif op == "kind" and step == "kind" and value in KINDS:
            draft["kind"], step = value, "urgency"
        elif op == "urg" and step == "urgency" and value in URGENCIES:
            draft["urgency"], step = value, "text"
        elif op == "neu" and step == "neutral" and value in ("0", "1"):
            draft["neutral"], step = value == "1", "confirm"
        elif op == "send" and step == "confirm":
            await self._send(update, actor, dialog, draft)
            return
        else:
            raise Refused("error.stale_button")
        await self.core.dialogs.advance(actor.user_id, step, draft)
        await tg.answer(query)
        question = await self._question(actor, step, draft, nonce_of(dialog.started_at), board_id)
        await tg.edit(query, question)

    @on_step(KIND, first_step="case")
    async def answer(self, answer: Answer) -> None:
        """The description (already through the personal-data guard)."""
        lang = answer.lang
        if answer.step != "text":
            await answer.reply(Reply(self.t(lang, "newcase.use_buttons")))
            return
        cleaned = bounded(answer.text, MAX_TEXT, "escalation.bad_text")
        draft = {**answer.dialog.draft, "text": cleaned}
        step = "neutral" if draft.get("case_id") else "confirm"
        await self.core.dialogs.advance(answer.actor.user_id, step, draft)
        await answer.reply(
            await self._question(answer.actor, step, draft, answer.nonce, answer.board_id),
        )

    async def _send(
        self, update: Update, actor: Actor, dialog: DialogRecord, draft: dict[str, Any]
    ) -> None:
        query = update.callback_query
        assert query is not None
        lang = actor.language
        case_id = draft.get("case_id")
        escalation = await self.core.escalations.raise_concern(
            actor.user_id,
            dialog.board_id or 0,
            case_id=None if case_id is None else int(case_id),
            kind=str(draft.get("kind", "other")),
            urgency=str(draft.get("urgency", "routine")),
            description=str(draft.get("text", "")),
            neutral_line=bool(draft.get("neutral")),
        )
        await self.core.dialogs.close(actor.user_id)
        await tg.answer(query)
        if isinstance(escalation, Refusal):
            await tg.edit(query, Reply(self.t(lang, escalation.message_key)))
            return
        await tg.edit(
            query,
            Reply(
                self._with_safety(lang, self.t(lang, "escalation.sent")),
                ((withdraw_button(self.core.i18n, lang, escalation.id),),),
            ),
        )

    # handling -----------------------------------------------------------------------------------
    @on_press(EscalationPress, EscalationAction.ESCALATION_BUTTON)
    async def act_pressed(
        self, update: Update, context: Context, actor: Actor, press: EscalationPress
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        access = await self.core.escalations.access(actor.user_id, press.escalation_id)
        op = press.op.verb
        if access is None:
            raise Refused("error.stale_button")
        escalation = access.escalation
        if op == "view":
            read = await self.core.escalations.read(actor.user_id, escalation.id, actor.chat_id)
            if read is None:
                raise Refused("error.stale_button")
            await tg.answer(query)
            await tg.edit(query, await self._card(actor, read))
            return
        if op in ("reply", "resolve"):
            if not access.coordinating or escalation.raised_by == actor.user_id:
                raise Refused("deny.role")
            if escalation.status in (EscalationStatus.RESOLVED, EscalationStatus.WITHDRAWN):
                raise Refused("escalation.already")
            aside, _ = await self.dialogs.begin(
                actor,
                REPLY_KIND,
                "text",
                escalation.board_id,
                {"escalation_id": escalation.id, "op": op},
            )
            await tg.answer(query)
            await tg.send_private(
                context,
                actor.user_id,
                Reply(aside + self.t(lang, f"escalation.ask.{op}", limit=MAX_TEXT)),
            )
            return
        refusal = await self.core.escalations.act(actor.user_id, escalation.id, op)
        key = f"escalation.done.{op}" if refusal is None else refusal.message_key
        await tg.answer(query, self.t(lang, key), alert=refusal is not None)

    @on_step(REPLY_KIND, first_step="text")
    async def reply_answer(self, answer: Answer) -> None:
        lang = answer.lang
        cleaned = bounded(answer.text, MAX_TEXT, "escalation.bad_text")
        op = str(answer.dialog.draft.get("op", "reply"))
        refusal = await self.core.escalations.act(
            answer.actor.user_id, int(answer.dialog.draft.get("escalation_id", 0)), op, cleaned
        )
        await self.core.dialogs.close(answer.actor.user_id)
        key = f"escalation.done.{op}" if refusal is None else refusal.message_key
        await answer.reply(Reply(self.t(lang, key)))

    async def _card(self, actor: Actor, access: EscalationAccess) -> Reply:
        """The concern in full for its board's coordinators (with what they can do), its state
        for the person who raised it."""
        lang = actor.language
        e = access.escalation
        codes = await self.core.actions.codes({e.case_id} if e.case_id else set())
        lines = [
            self.t(
                lang,
                "escalation.subject",
                code=codes.get(e.case_id or 0, self.t(lang, "escalation.no_case")),
                kind=self.t(lang, f"escalation.kind.{e.kind}"),
                urgency=self.t(lang, f"escalation.urgency.{e.urgency}"),
            ),
            self.t(lang, "escalation.description", text=e.description),
            self.t(lang, "escalation.state", status=self.t(lang, f"escalation.status.{e.status}")),
        ]
        rows: Keyboard = ()
        if (
            access.coordinating
            and e.raised_by != actor.user_id
            and e.status
            in (
                EscalationStatus.OPEN,
                EscalationStatus.ACKNOWLEDGED,
            )
        ):
            rows = handling_buttons(self.core.i18n, lang, e.id)
        elif access.raiser and e.status in (EscalationStatus.OPEN, EscalationStatus.ACKNOWLEDGED):
            rows = ((withdraw_button(self.core.i18n, lang, e.id),),)
        return Reply(
            self._with_safety(lang, "\n".join(lines)),
            rows,
            details_of=DetailsOf(e.case_id, e.board_id),
        )

    # /escalations -------------------------------------------------------------------------------
    @on_command("escalations", EscalationAction.ESCALATIONS)
    async def escalations(self, update: Update, context: Context, actor: Actor) -> None:
        lang = actor.language
        handling, mine = await self.core.escalations.listing(actor.user_id)
        now = self.core.clock.now()
        codes = await self.core.actions.codes(
            {e.case_id for e in [*handling, *mine] if e.case_id is not None}
        )
        lines = [self.t(lang, "escalations.title", count=len(handling))]
        rows: list[tuple[Button, ...]] = []
        for e in handling:
            rows.append(
                (
                    Button(
                        f"🔔 {codes.get(e.case_id or 0, self.t(lang, 'escalation.no_case'))}"
                        f" · {self.t(lang, f'escalation.urgency.{e.urgency}')}",
                        EscalationPress(e.id, EscalationOp.VIEW).pack(),
                    ),
                )
            )
            lines.append(
                self.t(
                    lang,
                    "escalations.line",
                    code=codes.get(e.case_id or 0, self.t(lang, "escalation.no_case")),
                    kind=self.t(lang, f"escalation.kind.{e.kind}"),
                    urgency=self.t(lang, f"escalation.urgency.{e.urgency}"),
                    age=self._age(lang, max((now - e.created_at).days, 0)),
                    level=e.level + 1,
                    status=self.t(lang, f"escalation.status.{e.status}"),
                )
            )
        if mine:
            lines.append(self.t(lang, "escalations.mine", count=len(mine)))
            for e in mine:
                code = codes.get(e.case_id or 0, self.t(lang, "escalation.no_case"))
                lines.append(
                    self.t(
                        lang,
                        "escalations.mine_line",
                        code=code,
                        status=self.t(lang, f"escalation.status.{e.status}"),
                    )
                )
                rows.append((withdraw_button(self.core.i18n, lang, e.id, code),))
        for board, role in await self.core.boards.boards_of(actor.user_id):
            if role is Role.COORDINATOR:
                rows.append(
                    (
                        Button(
                            # a button label is plain text: the title is not escaped
                            self.t(lang, "escalation.invite_external", board=Html(board.title)),
                            InviteExternal(board.id).pack(),
                        ),
                    )
                )
        await tg.respond(update, Reply(self._with_safety(lang, "\n".join(lines)), tuple(rows)))

    # the external contact -----------------------------------------------------------------------
    @on_press(InviteExternal, EscalationAction.ESCALATION_BUTTON)
    async def invite_pressed(
        self, update: Update, context: Context, actor: Actor, press: InviteExternal
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        token = await self.core.escalations.invite_external(actor.user_id, press.board_id)
        if token is None:
            raise Refused("deny.role")
        await tg.answer(query)
        link = f"https://t.me/{context.bot.username}?start=ext_{token}"
        await tg.edit(query, Reply(self.t(lang, "escalation.invite_text", link=link)))

    @on_deep_link("ext")
    async def _external_link(
        self, update: Update, context: Context, actor: Actor, token: str
    ) -> None:
        board_id = await self.core.escalations.accept_external(actor.user_id, token)
        key = "escalation.external_welcome" if board_id is not None else "error.stale_button"
        await tg.respond(update, Reply(self.t(actor.language, key)))


CAPABILITY = Capability(
    handlers=modules(EscalationHandlers),
    renderers=lambda w: build_escalation_renderers(w.core.i18n, w.core.settings),
    tasks=lambda w: w.core.escalations.tasks(),
)
