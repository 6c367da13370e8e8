"""A vote's brief in private (the proposal, the tally, one's own vote, and the case's details
for those who may read them), and the coordinators' controls on it: remind, close early."""

from __future__ import annotations

from typing import Protocol

from telegram import Update

from bot.kernel.buttons import YesNo
from bot.kernel.callbacks import parse_id
from bot.kernel.people import Actor
from bot.kernel.refusal import Refusal
from bot.kernel.ui import Button, Reply
from bot.votes.buttons import (
    CloseVote,
    RemindVoters,
    VoteBrief,
)
from bot.votes.cards import brief
from bot.votes.policy import VoteAction
from handlers import tg
from handlers.base import Context, Refused
from handlers.module import HandlerModule, on_deep_link, on_press
from handlers.services import HasSettings, HasVotes, HasWords
from storage.models import ProposalStatus


class Services(HasWords, HasSettings, HasVotes, Protocol):
    """What :class:`VoteBriefHandlers` uses of the core."""


class VoteBriefHandlers(HandlerModule[Services]):
    # the brief --------------------------------------------------------------------------------
    @on_deep_link("brief")
    async def _brief_link(
        self, update: Update, context: Context, actor: Actor, payload: str
    ) -> None:
        await self.show_brief(update, actor, parse_id(payload), edit=False)

    @on_press(VoteBrief, VoteAction.VOTE_BRIEF)
    async def brief_pressed(
        self, update: Update, context: Context, actor: Actor, press: VoteBrief
    ) -> None:
        query = tg.pressed(update)
        await tg.answer(query)
        await self.show_brief(update, actor, press.proposal_id, edit=True)

    async def show_brief(
        self, update: Update, actor: Actor, proposal_id: int | None, *, edit: bool
    ) -> None:
        lang = actor.language
        found = await self.core.votes.brief(actor.user_id, proposal_id, actor.chat_id)
        if found is None:
            reply = Reply(self.t(lang, "vote.brief_refused"))
        else:
            board_settings = await self.core.settings.of(found.view.board.id)
            reply = brief(
                self.core.i18n,
                lang,
                found.view,
                board_settings.timezone,
                viewer_id=actor.user_id,
                viewer_role=found.role,
                details=found.details,
            )
        if edit and update.callback_query is not None:
            await tg.edit(update.callback_query, reply)
        else:
            await tg.respond(update, reply)

    # coordinators' controls -------------------------------------------------------------------
    @on_press(RemindVoters, VoteAction.MANAGE_VOTE)
    async def remind_pressed(
        self, update: Update, context: Context, actor: Actor, press: RemindVoters
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        count = await self.core.votes.remind_non_voters(press.proposal_id, by_user=actor.user_id)
        if isinstance(count, Refusal):
            await tg.answer(query, self.t(lang, count.message_key), alert=True)
        elif count == 0:
            await tg.answer(query, self.t(lang, "vote.reminded_none"))
        else:
            await tg.answer(query, self.core.i18n.tn(lang, "vote.reminded", count))

    @on_press(CloseVote, VoteAction.MANAGE_VOTE)
    async def close_pressed(
        self, update: Update, context: Context, actor: Actor, press: CloseVote
    ) -> None:
        """Two presses: "close now?" and then yes; closing early cannot be undone."""
        query = tg.pressed(update)
        lang = actor.language
        proposal_id = press.proposal_id
        confirmed = press.confirmed is YesNo.YES
        if not confirmed:
            proposal = await self.core.votes.get(proposal_id)
            if proposal is None or proposal.status != ProposalStatus.OPEN:
                raise Refused("vote.closed")
            await tg.answer(query)
            await tg.edit(
                query,
                Reply(
                    self.t(lang, "vote.close_confirm"),
                    (
                        (
                            Button(
                                self.t(lang, "button.close_vote_yes"),
                                CloseVote(proposal.id, YesNo.YES).pack(),
                            ),
                            Button(self.t(lang, "button.back"), VoteBrief(proposal.id).pack()),
                        ),
                    ),
                ),
            )
            return
        closed = await self.core.votes.close(proposal_id, by_user=actor.user_id)
        if isinstance(closed, Refusal):
            raise Refused(closed.message_key)
        await tg.answer(query, self.t(lang, "vote.closed_now"))
        await self.show_brief(update, actor, proposal_id, edit=True)
