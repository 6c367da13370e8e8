"""Deciding together: /propose, the vote buttons, the private brief, block reasons, closing.

In the group: ``/propose CODE title`` makes a draft only its proposer can open (openly or
anonymously); the same message becomes the live vote. In private: ``/propose`` walks through the
title, details, owner, due date and anonymity, and the vote is posted to the group by the outbox.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Protocol

from telegram import Message, Update

from bot.actions.rules import DUE_IN_DAYS
from bot.cases.rules import OPEN_STATUSES
from bot.kernel.dialogs import nonce_of
from bot.kernel.people import Actor
from bot.kernel.policy import ChatKind, Role
from bot.kernel.refusal import Refusal
from bot.kernel.ui import Button, Reply
from bot.kernel.when import parse_future_day
from bot.votes.buttons import (
    CastVote,
    DraftOp,
    OpenVote,
    ProposeCase,
    ProposeScreen,
)
from bot.votes.cards import CHOICE_OF_CODE, draft_message, live_message
from bot.votes.notices import build_vote_renderers
from bot.votes.policy import VoteAction
from bot.votes.refusals import CastRefusal, OpenRefusal
from bot.votes.rules import BLOCK_DIALOG, MAX_DETAILS, MAX_REASON, MAX_TITLE, is_open, may_vote
from bot.votes.service import CastResult, VoteView
from handlers import tg
from handlers.base import Context, Refused, bounded, owner_rows
from handlers.capability import Capability, HandlerList, Wiring
from handlers.deeplinks import DeepLinks
from handlers.dialogs import Answer, DialogRouter, guard_text
from handlers.module import HandlerModule, on_command, on_press, on_resume, on_step
from handlers.services import (
    HasBoards,
    HasCases,
    HasCasework,
    HasClock,
    HasDialogs,
    HasHeld,
    HasSettings,
    HasVotes,
    HasWords,
)
from handlers.vote_brief import VoteBriefHandlers
from storage.models import CaseRecord, DialogRecord, ProposalStatus

PROPOSE_KIND = "propose"
BLOCK_KIND = BLOCK_DIALOG


_OPENINGS = (DraftOp.OPEN, DraftOp.ANONYMOUS)
"""The proposer's two ways to open a vote, as the private dialogue offers them."""


class Services(
    HasClock,
    HasWords,
    HasSettings,
    HasDialogs,
    HasBoards,
    HasCases,
    HasCasework,
    HasVotes,
    HasHeld,
    Protocol,
):
    """What :class:`VoteHandlers` uses of the core."""


class VoteHandlers(HandlerModule[Services]):
    def __init__(
        self,
        core: Services,
        dialogs: DialogRouter,
        deep_links: DeepLinks,
        briefs: VoteBriefHandlers,
    ) -> None:
        super().__init__(core, dialogs, deep_links)
        self.briefs = briefs

    # /propose ---------------------------------------------------------------------------------
    @on_command("propose", VoteAction.PROPOSE)
    async def propose(self, update: Update, context: Context, actor: Actor) -> None:
        message = update.effective_message
        if message is None:
            return
        lang = actor.language
        args = context.args or []
        if actor.chat_kind is ChatKind.GROUP:
            await self._propose_in_group(update, actor, args)
            return
        if not args:
            await tg.respond(update, await self._pick_case(actor))
            return
        case = await self.core.cases.by_code(args[0])
        if case is None or not may_vote(
            await self.core.votes.role_on(case.board_id, actor.user_id)
        ):
            await tg.respond(update, Reply(self.t(lang, "case.not_found")))
            return
        if case.status not in OPEN_STATUSES:
            await tg.respond(update, Reply(self.t(lang, "vote.case_not_open", code=case.code)))
            return
        title = " ".join(args[1:]).strip()
        if title and await guard_text(
            self.core, message, actor, title, "propose", {"case_id": case.id}
        ):
            return
        if len(title) > MAX_TITLE:
            await tg.respond(update, Reply(self.t(lang, "vote.bad_title", limit=MAX_TITLE)))
            return
        await tg.respond(update, await self._begin(actor, case, title))

    async def _begin(self, actor: Actor, case: CaseRecord, title: str) -> Reply:
        aside = await self.dialogs.set_aside_line(actor.user_id, actor.language)
        step = "details" if title else "title"
        nonce = await self.core.dialogs.open(
            actor.user_id,
            PROPOSE_KIND,
            step,
            board_id=case.board_id,
            draft={"case_id": case.id, "code": case.code, "title": title},
        )
        question = await self._question(actor, step, nonce, case.board_id)
        return Reply(aside + question.text, question.keyboard)

    async def _pick_case(self, actor: Actor) -> Reply:
        lang = actor.language
        cases = (await self.core.casework.mine(actor.user_id))[:20]
        rows = tuple((Button(case.code, ProposeCase(case.id).pack()),) for case in cases)
        return Reply(self.t(lang, "vote.pick_case"), rows)

    @on_press(ProposeCase, VoteAction.PROPOSE_STEP)
    async def case_picked(
        self, update: Update, context: Context, actor: Actor, press: ProposeCase
    ) -> None:
        query = tg.pressed(update)
        case = await self.core.cases.get(press.case_id)
        if case is None or not may_vote(
            await self.core.votes.role_on(case.board_id, actor.user_id)
        ):
            raise Refused("error.stale_button")
        if case.status not in OPEN_STATUSES:
            raise Refused("vote.case_not_open", code=case.code)
        await tg.answer(query)
        await tg.edit(query, await self._begin(actor, case, ""))

    async def _propose_in_group(self, update: Update, actor: Actor, args: list[str]) -> None:
        message = update.effective_message
        assert message is not None
        assert actor.board is not None
        lang = actor.language
        if len(args) < 2:
            await tg.respond(update, Reply(self.t(lang, "vote.usage")))
            return
        title = " ".join(args[1:])
        if await guard_text(self.core, message, actor, title, "propose_group", {"code": args[0]}):
            return
        await self._draft_in_group(update, actor, message, args[0], title)

    @on_resume("propose")
    async def resume_propose(
        self, update: Update, context: Context, actor: Actor, payload: dict[str, Any], text: str
    ) -> None:
        """``/propose CODE title`` in private, its title blanked and saved: the dialogue."""
        query = update.callback_query
        case = await self.core.cases.get(int(payload.get("case_id", 0)))
        if (
            query is None
            or case is None
            or not may_vote(await self.core.votes.role_on(case.board_id, actor.user_id))
        ):
            return
        await tg.send_below(query, await self._begin(actor, case, text))

    @on_resume("propose_group")
    async def resume_propose_in_group(
        self, update: Update, context: Context, actor: Actor, payload: dict[str, Any], text: str
    ) -> None:
        """``/propose CODE title`` in the group, its title blanked and saved: the draft."""
        query = update.callback_query
        if query is None or not isinstance(query.message, Message) or actor.board is None:
            return
        await self._draft_in_group(update, actor, query.message, str(payload.get("code", "")), text)

    async def _draft_in_group(
        self, update: Update, actor: Actor, message: Message, code: str, title: str
    ) -> None:
        assert actor.board is not None
        lang = actor.language
        case = await self.core.cases.by_code(code)
        if case is None or case.board_id != actor.board.id:
            await tg.send(message, Reply(self.t(lang, "case.not_found")))
            return
        proposal = await self.core.votes.propose(
            actor.user_id, case.id, title, board_id=actor.board.id
        )
        if isinstance(proposal, Refusal):
            text = self.t(lang, proposal.message_key, limit=MAX_TITLE, code=case.code)
            await tg.send(message, Reply(text))
            return
        await tg.send(message, draft_message(self.core.i18n, lang, case.code, proposal))

    @on_press(OpenVote, VoteAction.OPEN_VOTE)
    async def draft_pressed(
        self, update: Update, context: Context, actor: Actor, press: OpenVote
    ) -> None:
        """The proposer opens the vote (openly or anonymously, for good) or withdraws it."""
        query = tg.pressed(update)
        lang = actor.language
        proposal = await self.core.votes.get(press.proposal_id)
        op = press.op
        if proposal is None:
            raise Refused("error.stale_button")
        if actor.board is None or proposal.board_id != actor.board.id:
            raise Refused("error.stale_button")
        if proposal.proposed_by != actor.user_id:
            raise Refused("vote.only_proposer")
        if op is DraftOp.WITHDRAW:
            withdrawn = await self.core.votes.withdraw_draft(actor.user_id, proposal.id)
            await tg.answer(query)
            if withdrawn is None:
                await tg.edit(query, Reply(self.t(lang, "vote.withdrawn")))
            return
        message_id = query.message.message_id if query.message is not None else None
        opened = await self.core.votes.open(
            actor.user_id, proposal.id, anonymous=op is DraftOp.ANONYMOUS, message_id=message_id
        )
        if opened is OpenRefusal.ALREADY_OPEN:
            await tg.answer(query, self.t(lang, opened.message_key))
            return
        if isinstance(opened, Refusal):
            case = await self.core.cases.get(proposal.case_id)
            code = "" if case is None else case.code
            raise Refused(opened.message_key, code=code)
        await tg.answer(query, self.t(lang, "vote.opened_toast"))
        view = await self.core.votes.view(proposal.id)
        assert view is not None
        await tg.edit(query, await self._live(view, context.bot.username))

    async def _live(self, view: VoteView, bot_username: str) -> Reply:
        """The group's message is worded in the board's language, whoever pressed."""
        board_settings = await self.core.settings.of(view.board.id)
        return live_message(
            self.core.i18n, board_settings.language, view, board_settings.timezone, bot_username
        )

    # the private proposal dialogue --------------------------------------------------------------
    async def _question(self, actor: Actor, step: str, nonce: int, board_id: int) -> Reply:
        lang = actor.language
        t = self.t

        def pp(op: str, value: str | int) -> str:
            return ProposeScreen(op, str(value), nonce).pack()

        text = t(lang, f"propose.ask.{step}", limit=MAX_TITLE if step == "title" else MAX_DETAILS)
        rows: list[tuple[Button, ...]] = []
        if step == "details":
            rows = [(Button(t(lang, "button.skip"), pp("skip", 0)),)]
        elif step == "owner":
            rows = await owner_rows(self.core, lang, board_id, lambda user_id: pp("own", user_id))
            rows.append((Button(t(lang, "propose.owner_later"), pp("own", 0)),))
        elif step == "due":
            rows = [
                tuple(
                    Button(t(lang, "propose.due_in", days=days), pp("due", days))
                    for days in DUE_IN_DAYS
                ),
                (Button(t(lang, "propose.due_later"), pp("due", 0)),),
            ]
        elif step == "anonymity":
            rows = [
                (Button(t(lang, "button.vote_open"), pp("anon", DraftOp.OPEN)),),
                (Button(t(lang, "button.vote_anon"), pp("anon", DraftOp.ANONYMOUS)),),
            ]
        return Reply(text, tuple(rows))

    @on_step(PROPOSE_KIND, first_step="title")
    async def propose_answer(self, answer: Answer) -> None:
        """Typed answers: the title, the details, or a due date (already through the guard)."""
        lang = answer.lang
        draft = answer.draft()
        nonce = answer.nonce
        board_id = answer.board_id
        if answer.step == "title":
            title = bounded(answer.text, MAX_TITLE, "vote.bad_title", fold=True)
            draft["title"], step = title, "details"
        elif answer.step == "details":
            if len(answer.text.strip()) > MAX_DETAILS:
                await answer.reply(Reply(self.t(lang, "vote.bad_details", limit=MAX_DETAILS)))
                return
            draft["details"], step = answer.text.strip(), "owner"
        elif answer.step == "due":
            settings = await self.core.settings.of(board_id)
            day = parse_future_day(
                answer.text, self.core.clock.now().astimezone(settings.timezone).date()
            )
            if day is None:
                await answer.reply(Reply(self.t(lang, "propose.bad_due")))
                return
            draft["due_on"], step = day.isoformat(), "anonymity"
        else:
            await answer.reply(Reply(self.t(lang, "newcase.use_buttons")))
            return
        await self.core.dialogs.advance(answer.actor.user_id, step, draft)
        await answer.reply(await self._question(answer.actor, step, nonce, board_id))

    @on_press(ProposeScreen, VoteAction.PROPOSE_STEP)
    async def propose_pressed(
        self, update: Update, context: Context, actor: Actor, press: ProposeScreen
    ) -> None:
        query, dialog, op, value, board_id = await self.dialogs.screen_pressed(
            update, actor, PROPOSE_KIND, press
        )
        draft = dict(dialog.draft)
        nonce = nonce_of(dialog.started_at)
        if op == "skip" and dialog.step == "details":
            step = "owner"
        elif op == "own" and dialog.step == "owner" and value.isdigit():
            owner = int(value)
            if owner and not may_vote(await self.core.votes.role_on(board_id, owner)):
                raise Refused("error.stale_button")
            draft["owner_id"], step = owner or None, "due"
        elif op == "due" and dialog.step == "due" and value.isdigit():
            days = int(value)
            if days and days not in DUE_IN_DAYS:
                raise Refused("error.stale_button")
            settings = await self.core.settings.of(board_id)
            today = self.core.clock.now().astimezone(settings.timezone).date()
            draft["due_on"] = (today + timedelta(days=days)).isoformat() if days else None
            step = "anonymity"
        elif (
            op == "anon"
            and dialog.step == "anonymity"
            and value in (DraftOp.OPEN, DraftOp.ANONYMOUS)
        ):
            await self._post(update, actor, dialog, anonymous=value == DraftOp.ANONYMOUS)
            return
        else:
            raise Refused("error.stale_button")
        await self.core.dialogs.advance(actor.user_id, step, draft)
        await tg.answer(query)
        await tg.edit(query, await self._question(actor, step, nonce, board_id))

    async def _post(
        self, update: Update, actor: Actor, dialog: DialogRecord, *, anonymous: bool
    ) -> None:
        query = update.callback_query
        assert query is not None
        lang = actor.language
        draft = dialog.draft
        due = draft.get("due_on")
        proposal = await self.core.votes.propose(
            actor.user_id,
            int(draft.get("case_id", 0)),
            str(draft.get("title", "")),
            details=str(draft.get("details", "")),
            owner_id=draft.get("owner_id"),
            due_on=None if not due else date.fromisoformat(str(due)),
        )
        opened = (
            proposal
            if isinstance(proposal, Refusal)
            else await self.core.votes.open(actor.user_id, proposal.id, anonymous=anonymous)
        )
        await self.core.dialogs.close(actor.user_id)
        await tg.answer(query)
        if isinstance(opened, Refusal):
            code = str(draft.get("code", ""))
            text = self.t(lang, opened.message_key, code=code, limit=MAX_TITLE)
            await tg.edit(query, Reply(text))
            return
        await tg.edit(query, Reply(self.t(lang, "propose.posted", code=str(draft.get("code", "")))))

    # voting -----------------------------------------------------------------------------------
    @on_press(CastVote, VoteAction.VOTE)
    async def vote_pressed(
        self, update: Update, context: Context, actor: Actor, press: CastVote
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        proposal_id = press.proposal_id
        choice = CHOICE_OF_CODE.get(press.code, "")
        if not choice:
            raise Refused("error.stale_button")
        if choice == "block":
            await self._ask_block_reason(update, context, actor, proposal_id)
            return
        result = await self.core.votes.cast(actor.user_id, proposal_id, choice)
        if await self._refused(update, lang, result):
            return
        await tg.answer(
            query,
            self.t(lang, "vote.recorded", choice=self.t(lang, f"vote.choice.{choice}")),
        )
        if actor.chat_kind is ChatKind.PRIVATE:
            await self.briefs.show_brief(update, actor, proposal_id, edit=True)

    async def _refused(self, update: Update, lang: str, result: CastResult) -> bool:
        """A clear answer for every press that does not count; False when it counted."""
        query = update.callback_query
        assert query is not None
        if result.refusal is None:
            return False
        if result.refusal is CastRefusal.SAME_AGAIN:  # a double press: say so, calmly
            choice = self.t(lang, f"vote.choice.{result.choice}")
            await tg.answer(query, self.t(lang, "vote.same_again", choice=choice))
            return True
        await tg.answer(query, self.t(lang, result.refusal.message_key), alert=True)
        return True

    async def _ask_block_reason(
        self, update: Update, context: Context, actor: Actor, proposal_id: int | None
    ) -> None:
        query = update.callback_query
        assert query is not None
        lang = actor.language
        view = await self.core.votes.view(proposal_id)
        if view is None or view.proposal.status == ProposalStatus.DRAFT:
            raise Refused("error.stale_button")
        proposal = view.proposal
        if not is_open(proposal, self.core.clock.now()):
            raise Refused("vote.closed")
        role = await self.core.votes.role_on(proposal.board_id, actor.user_id)
        if not may_vote(role):
            key = "deny.not_member" if role is Role.NON_MEMBER else "vote.not_a_voter"
            raise Refused(key)
        aside, _ = await self.dialogs.begin(
            actor, BLOCK_KIND, "reason", proposal.board_id, {"proposal_id": proposal.id}
        )
        ask = Reply(
            aside
            + self.t(
                lang, "vote.block_ask", code=view.case.code, title=proposal.title, limit=MAX_REASON
            )
        )
        if actor.chat_kind is ChatKind.PRIVATE:
            await tg.answer(query)
            await tg.send_private(context, actor.user_id, ask)
            return
        if await tg.send_private(context, actor.user_id, ask):  # asked there: say where
            await tg.answer(query, self.t(lang, "vote.block_in_private"), alert=True)
            return
        await self.core.dialogs.close(actor.user_id)
        await tg.answer(query, self.t(lang, "vote.block_start_private"), alert=True)

    @on_step(BLOCK_KIND, first_step="reason")
    async def block_answer(self, answer: Answer) -> None:
        lang = answer.lang
        reason = bounded(answer.text, MAX_REASON, "vote.bad_reason")
        proposal_id = int(answer.dialog.draft.get("proposal_id", 0))
        result = await self.core.votes.cast(answer.actor.user_id, proposal_id, "block", reason)
        await self.core.dialogs.close(answer.actor.user_id)
        key = "vote.block_saved" if result.refusal is None else result.refusal.message_key
        await answer.reply(Reply(self.t(lang, key)))


def build_handlers(wiring: Wiring) -> HandlerList:
    briefs = VoteBriefHandlers(wiring.core, wiring.dialogs, wiring.deep_links)
    votes = VoteHandlers(wiring.core, wiring.dialogs, wiring.deep_links, briefs)
    return [*votes.build_handlers(wiring.core), *briefs.build_handlers(wiring.core)]


CAPABILITY = Capability(
    handlers=build_handlers,
    renderers=lambda w: build_vote_renderers(
        w.core.i18n, w.core.settings, w.bot_username, w.core.clock
    ),
    tasks=lambda w: w.core.votes.tasks(),
)
