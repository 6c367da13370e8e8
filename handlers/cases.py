"""Cases: /newcase (a guided dialogue in private), /case CODE, /cases, and the card's button."""

from __future__ import annotations

from typing import Protocol

from telegram import CallbackQuery, Update

from bot.boards.disclosure import EVERY_SECTOR_NAMED
from bot.boards.rules import SECTORS
from bot.cases.buttons import (
    CaseDetails,
    EditField,
    NewCaseBoard,
    NewCaseScreen,
)
from bot.cases.cards import factor_words, group_card
from bot.cases.notices import build_case_renderers
from bot.cases.policy import CaseAction
from bot.cases.rules import (
    ALL_FACTORS,
    CRITERIA,
    EDITABLE_STEPS,
    FACTORS,
    LEGAL_BASES,
    MAX_LABEL,
    MAX_SUMMARY,
    NEWCASE_DIALOG,
    STEPS,
    URGENCIES,
    CaseDraft,
    can_read_details,
    next_step,
    previous_step,
    toggle,
)
from bot.kernel.dialogs import nonce_of
from bot.kernel.i18n import Html
from bot.kernel.people import Actor
from bot.kernel.policy import VOTERS, ChatKind, check
from bot.kernel.safety import EMERGENCY_KEY, shows_emergency_line
from bot.kernel.ui import Button, DetailsOf, Keyboard, Reply
from handlers import case_learning, case_lists, case_team, tg
from handlers.base import Context, Refused, bounded, picked_board
from handlers.capability import Capability, HandlerList, Wiring, modules
from handlers.casework import CaseWorkHandlers
from handlers.deeplinks import DeepLinks
from handlers.dialogs import Answer, DialogRouter
from handlers.module import HandlerModule, on_command, on_deep_link, on_press, on_step
from handlers.services import (
    HasBoards,
    HasCases,
    HasCasework,
    HasClock,
    HasDialogs,
    HasWords,
)
from storage.models import BoardRecord, CaseRecord, TeamRole

KIND = NEWCASE_DIALOG


class Services(HasClock, HasWords, HasDialogs, HasBoards, HasCases, HasCasework, Protocol):
    """What :class:`CaseHandlers` uses of the core."""


class CaseHandlers(HandlerModule[Services]):
    def __init__(
        self, core: Services, dialogs: DialogRouter, deep_links: DeepLinks, work: CaseWorkHandlers
    ) -> None:
        super().__init__(core, dialogs, deep_links)
        self.work = work

    # starting ---------------------------------------------------------------------------------
    @on_command("newcase", CaseAction.NEW_CASE)
    async def new_case(self, update: Update, context: Context, actor: Actor) -> None:
        lang = actor.language
        if actor.chat_kind is ChatKind.GROUP:
            assert actor.board is not None  # the policy let a board member through
            link = f"https://t.me/{context.bot.username}?start=case_{actor.board.join_code}"
            button = Button(self.t(lang, "case.open_private"), url=link)
            await tg.respond(update, Reply(self.t(lang, "case.raise_in_private"), ((button,),)))
            return
        boards = [
            board
            for board, role in await self.core.boards.boards_of(actor.user_id)
            if role in VOTERS
        ]
        if not boards:
            await tg.respond(update, Reply(self.t(lang, "deny.role")))
            return
        if len(boards) == 1:
            await self.begin(update, actor, boards[0])
            return
        keyboard = tuple((Button(b.title, NewCaseBoard(b.id).pack()),) for b in boards)
        await tg.respond(update, Reply(self.t(lang, "boards.pick"), keyboard))

    @on_deep_link("case")
    async def _case_link(self, update: Update, context: Context, actor: Actor, code: str) -> None:
        board = await self.core.boards.by_join_code(code)
        if board is None or await self.core.boards.role_on(board.id, actor.user_id) not in VOTERS:
            await tg.respond(update, Reply(self.t(actor.language, "deny.role")))
            return
        await self.begin(update, actor, board)

    @on_press(NewCaseBoard, CaseAction.NEW_CASE_STEP)
    async def board_picked(
        self, update: Update, context: Context, actor: Actor, press: NewCaseBoard
    ) -> None:
        board = await picked_board(self.core, update, actor, press.board_id, VOTERS)
        await self.core.boards.remember_board(actor.user_id, board.id)
        await self.begin(update, actor, board)

    async def begin(self, update: Update, actor: Actor, board: BoardRecord) -> None:
        aside, nonce = await self.dialogs.begin(actor, KIND, "label", board.id, {})
        question = self.question(actor.language, "label", CaseDraft(), [], nonce)
        reply = Reply(aside + question.text, question.keyboard)
        if update.callback_query is not None:
            await tg.edit(update.callback_query, reply)
        else:
            await tg.respond(update, reply)

    # the questions ----------------------------------------------------------------------------
    def question(
        self,
        lang: str,
        step: str,
        draft: CaseDraft,
        members: list[tuple[int, str]],
        nonce: int,
        *,
        alone: bool = False,
    ) -> Reply:
        """One step's screen; ``alone``: an edit of one field, its own first and last screen."""
        t = self.t

        def nc(op: str, value: str | int) -> str:
            return NewCaseScreen(op, str(value), nonce).pack()

        text = t(lang, f"newcase.ask.{step}")
        if alone or shows_emergency_line(step, STEPS):
            text += "\n\n" + t(lang, EMERGENCY_KEY)
        rows: list[tuple[Button, ...]] = []
        if step == "criteria":
            rows = [
                (
                    Button(
                        ("☑ " if c in draft.criteria else "☐ ") + t(lang, f"criterion.{c}"),
                        nc("crit", i),
                    ),
                )
                for i, c in enumerate(CRITERIA)
            ]
            rows.append((Button(t(lang, "button.next"), nc("next", "x")),))
        elif step == "factors":
            for group, items in FACTORS.items():
                rows.append(
                    (
                        Button(
                            f"— {t(lang, f'factor_group.{group}')} —",
                            nc("noop", "x"),
                        ),
                    )
                )
                row: list[Button] = []
                for factor in items:
                    key = f"{group}.{factor}"
                    mark = "☑ " if key in draft.factors else ""
                    row.append(
                        Button(
                            mark + t(lang, f"factor.{key}"),
                            nc("fac", ALL_FACTORS.index(key)),
                        )
                    )
                    if len(row) == 2:
                        rows.append(tuple(row))
                        row = []
                if row:
                    rows.append(tuple(row))
            rows.append((Button(t(lang, "button.next"), nc("next", "x")),))
        elif step == "lead_sector":
            buttons = [Button(t(lang, f"sector.{s}"), nc("lead", s)) for s in SECTORS]
            rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
        elif step == "other_sectors":
            buttons = [
                Button(
                    ("☑ " if s in draft.other_sectors else "") + t(lang, f"sector.{s}"),
                    nc("oth", s),
                )
                for s in SECTORS
                if s != draft.lead_sector
            ]
            rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
            rows.append((Button(t(lang, "button.next"), nc("next", "x")),))
        elif step == "keyworker":
            rows = [(Button(name, nc("kw", uid)),) for uid, name in members]
            rows.append((Button(t(lang, "newcase.no_keyworker"), nc("kw", "none")),))
        elif step == "urgency":
            rows = [tuple(Button(t(lang, f"urgency.{u}"), nc("urg", u)) for u in URGENCIES)]
        elif step == "legal_basis":
            rows = [(Button(t(lang, f"legal.{b}"), nc("legal", b)),) for b in LEGAL_BASES]
        elif step == "confirm":
            text = "\n\n".join(
                [
                    t(
                        lang,
                        "newcase.confirm",
                        label=draft.label,
                        criteria=len(draft.criteria),
                        factors=Html(factor_words(self.core.i18n, lang, draft.factors) or "—"),
                        sector=t(lang, f"sector.{draft.lead_sector}"),
                        urgency=t(lang, f"urgency.{draft.urgency}"),
                        basis=t(lang, f"legal.{draft.legal_basis}"),
                        summary=draft.summary,
                    ),
                    t(lang, EMERGENCY_KEY),
                ]
            )
            rows = [(Button(t(lang, "button.create_case"), nc("create", "x")),)]
        if step != "label":
            rows.append((Button(t(lang, "button.back"), nc("back", "x")),))
        keyboard: Keyboard = tuple(rows)
        return Reply(text, keyboard, details_of=DetailsOf() if step == "confirm" else None)

    async def _members(self, board_id: int) -> list[tuple[int, str]]:
        members = await self.core.boards.members(board_id)
        return [(m.user_id, m.display_name or str(m.user_id)) for m in members][:60]

    # answers ----------------------------------------------------------------------------------
    @on_step(KIND, first_step="label")
    async def text_answer(self, answer: Answer) -> None:
        """Free text: the label or the summary (it has already passed the personal-data guard)."""
        lang = answer.lang
        draft = CaseDraft.from_json(answer.dialog.draft)
        if answer.step == "label":
            label = bounded(answer.text, MAX_LABEL, "newcase.bad_label", fold=True)
            draft = CaseDraft.from_json({**draft.to_json(), "label": label})
        elif answer.step == "summary":
            summary = bounded(answer.text, MAX_SUMMARY, "newcase.bad_summary")
            draft = CaseDraft.from_json({**draft.to_json(), "summary": summary})
        else:
            await answer.reply(Reply(self.t(lang, "newcase.use_buttons")))
            return
        editing = answer.dialog.draft.get("edit")
        if editing is not None:
            await answer.reply(
                await self._save_edit(answer.actor, int(editing), answer.step, draft)
            )
            return
        step = next_step(answer.step)
        await self.core.dialogs.advance(answer.actor.user_id, step, draft.to_json())
        members = await self._members(answer.board_id)
        await answer.reply(self.question(lang, step, draft, members, answer.nonce))

    @on_press(NewCaseScreen, CaseAction.NEW_CASE_STEP)
    async def button(
        self, update: Update, context: Context, actor: Actor, press: NewCaseScreen
    ) -> None:
        query, dialog, op, value, board_id = await self.dialogs.screen_pressed(
            update, actor, KIND, press, roles=VOTERS
        )
        lang = actor.language
        draft = CaseDraft.from_json(dialog.draft)
        step = dialog.step
        fields = draft.to_json()
        if op == "noop":
            await tg.answer(query)
            return
        if op == "back":
            step = previous_step(step)
        elif op == "crit" and step == "criteria" and value.isdigit() and int(value) < len(CRITERIA):
            fields["criteria"] = toggle(list(draft.criteria), CRITERIA[int(value)])
        elif (
            op == "fac" and step == "factors" and value.isdigit() and int(value) < len(ALL_FACTORS)
        ):
            fields["factors"] = toggle(list(draft.factors), ALL_FACTORS[int(value)])
        elif op == "oth" and step == "other_sectors" and value in SECTORS:
            fields["other_sectors"] = toggle(list(draft.other_sectors), value)
        elif op == "next" and step in ("criteria", "factors", "other_sectors"):
            step = next_step(step)
        elif op == "lead" and step == "lead_sector" and value in SECTORS:
            fields["lead_sector"], step = value, next_step(step)
            fields["other_sectors"] = [s for s in draft.other_sectors if s != value]
        elif op == "kw" and step == "keyworker":
            known = dict(await self._members(board_id))
            if value != "none" and (not value.isdigit() or int(value) not in known):
                raise Refused("error.stale_button")
            fields["keyworker_id"] = None if value == "none" else int(value)
            step = next_step(step)
        elif op == "urg" and step == "urgency" and value in URGENCIES:
            fields["urgency"], step = value, next_step(step)
        elif op == "legal" and step == "legal_basis" and value in LEGAL_BASES:
            fields["legal_basis"], step = value, next_step(step)
        elif op == "create" and step == "confirm":
            await self._create(query, actor, nonce_of(dialog.started_at))
            return
        else:
            raise Refused("error.stale_button")
        new_draft = CaseDraft.from_json(fields)
        editing = dialog.draft.get("edit")
        if editing is not None and (op == "back" or step != dialog.step):
            # Correcting one field: a choice (or "Next" after a multi-select) saves it at once.
            await tg.answer(query)
            if op == "back":
                await self.core.dialogs.close(actor.user_id)
                reply = await self._details_by_id(actor, int(editing))
            else:
                reply = await self._save_edit(actor, int(editing), dialog.step, new_draft)
            await tg.edit(query, reply)
            return
        stored = (
            new_draft.to_json() if editing is None else {**new_draft.to_json(), "edit": editing}
        )
        await self.core.dialogs.advance(actor.user_id, step, stored)
        await tg.answer(query)
        members = await self._members(board_id)
        await tg.edit(
            query, self.question(lang, step, new_draft, members, nonce_of(dialog.started_at))
        )

    async def _create(self, query: CallbackQuery, actor: Actor, nonce: int) -> None:
        case = await self.core.cases.raise_case(actor.user_id, nonce)
        lang = actor.language
        if case is None:
            raise Refused("error.stale_button")
        await tg.answer(query, self.t(lang, "case.raised_toast", code=case.code))
        await tg.edit(query, Reply(self.t(lang, "case.raised", code=case.code)))

    # correcting -------------------------------------------------------------------------------
    @on_command("editcase", CaseAction.EDIT_CASE)
    async def edit_case(self, update: Update, context: Context, actor: Actor) -> None:
        lang = actor.language
        case = await self.core.cases.by_code(" ".join(context.args or []))
        if case is None or not await self.core.casework.may_manage(case, actor.user_id):
            await tg.respond(update, Reply(self.t(lang, "case.not_found")))
            return
        rows = tuple(
            (Button(self.t(lang, f"edit_field.{step}"), EditField(case.id, step).pack()),)
            for step in EDITABLE_STEPS
        )
        await tg.respond(update, Reply(self.t(lang, "editcase.menu", code=case.code), rows))

    @on_press(EditField, CaseAction.EDIT_CASE)
    async def edit_field_pressed(
        self, update: Update, context: Context, actor: Actor, press: EditField
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        case_id, step = press.case_id, press.step
        case = await self.core.cases.get(case_id)
        if case is None or step not in EDITABLE_STEPS:
            raise Refused("error.stale_button")
        if not await self.core.casework.may_manage(case, actor.user_id):
            raise Refused("deny.role")
        team = await self.core.cases.team_of(case.id)
        keyworker = next((uid for uid, role in team if role == TeamRole.KEYWORKER), None)
        draft = CaseDraft(
            label=case.label,
            criteria=case.criteria,
            factors=case.factors,
            lead_sector=case.lead_sector,
            other_sectors=case.other_sectors,
            keyworker_id=keyworker,
            urgency=case.urgency,
            legal_basis=case.legal_basis,
            summary=case.summary,
        )
        aside, nonce = await self.dialogs.begin(
            actor, KIND, step, case.board_id, {**draft.to_json(), "edit": case.id}
        )
        await tg.answer(query)
        members = await self._members(case.board_id)
        question = self.question(lang, step, draft, members, nonce, alone=True)
        await tg.edit(query, Reply(aside + question.text, question.keyboard))

    async def _save_edit(self, actor: Actor, case_id: int, step: str, draft: CaseDraft) -> Reply:
        refusal = await self.core.casework.edit(actor.user_id, case_id, step, draft)
        if refusal is not None:
            await self.core.dialogs.close(actor.user_id)  # it held a copy of the case's texts
            return Reply(self.t(actor.language, refusal.message_key))
        details = await self._details_by_id(actor, case_id)
        return Reply(
            self.t(actor.language, "editcase.saved") + "\n\n" + details.text, details.keyboard
        )

    async def _details_by_id(self, actor: Actor, case_id: int) -> Reply:
        case = await self.core.cases.get(case_id)
        if case is None:
            return Reply(self.t(actor.language, "case.not_found"))
        return await self._details(actor, case)

    # reading ----------------------------------------------------------------------------------
    @on_command("case", CaseAction.VIEW_CASE)
    async def show(self, update: Update, context: Context, actor: Actor) -> None:
        lang = actor.language
        code = " ".join(context.args or [])
        case = await self.core.cases.by_code(code) if code else None
        if case is None:
            await tg.respond(update, Reply(self.t(lang, "case.not_found")))
            return
        await self._show_case(update, context, actor, case)

    async def _show_case(
        self, update: Update, context: Context, actor: Actor, case: CaseRecord
    ) -> None:
        lang = actor.language
        role, team = await self.core.cases.access(case, actor.user_id)
        foreign_group = actor.chat_kind is ChatKind.GROUP and (
            actor.board is None or actor.board.id != case.board_id
        )
        if foreign_group or check(CaseAction.VIEW_CASE, role, actor.chat_kind) is not None:
            await tg.respond(update, Reply(self.t(lang, "case.not_found")), alert=True)
            return
        now = self.core.clock.now()
        if actor.chat_kind is ChatKind.GROUP:
            shown = await self.core.boards.group_sectors(case.board_id)
            await tg.respond(update, group_card(self.core.i18n, lang, case, now, shown=shown))
            return
        if not can_read_details(role, team):
            card = group_card(self.core.i18n, lang, case, now, shown=EVERY_SECTOR_NAMED)
            await tg.respond(update, card)
            return
        await tg.respond(update, await self._details(actor, case))

    async def _details(self, actor: Actor, case: CaseRecord) -> Reply:
        return await self.work.details(actor, case)

    @on_press(CaseDetails, CaseAction.VIEW_CASE)
    async def details_pressed(
        self, update: Update, context: Context, actor: Actor, press: CaseDetails
    ) -> None:
        """The card's button: details go to the presser's private chat, if they may read them."""
        query = tg.pressed(update)
        lang = actor.language
        case_id = press.case_id
        case = await self.core.cases.get(case_id)
        if case is None:
            raise Refused("error.stale_button")
        role, team = await self.core.cases.access(case, actor.user_id)
        if not can_read_details(role, team):
            raise Refused("case.details_refused")
        if not await tg.send_private(context, actor.user_id, await self._details(actor, case)):
            raise Refused("case.open_private_first")
        await tg.answer(query, self.t(lang, "case.details_sent"))


def build_handlers(wiring: Wiring) -> HandlerList:
    core = wiring.core
    work = CaseWorkHandlers(core, wiring.dialogs, wiring.deep_links)
    cases = CaseHandlers(core, wiring.dialogs, wiring.deep_links, work)
    return [
        *cases.build_handlers(core),
        *work.build_handlers(core),
        *modules(
            case_team.CaseTeamHandlers,
            case_learning.CaseLearningHandlers,
            case_lists.CaseListHandlers,
        )(wiring),
    ]


CAPABILITY = Capability(
    handlers=build_handlers,
    renderers=lambda w: build_case_renderers(w.core.i18n, w.core.settings),
)
