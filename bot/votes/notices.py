"""Outbox kinds of votes, worded at send time from the current state.

Rendering late means a reminder to someone who voted meanwhile, or a live edit for a vote that
closed, says nothing (returns None) instead of something stale.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.kernel.clock import Clock
from bot.kernel.i18n import Translator, weekday_moment
from bot.kernel.notices import recipient_language
from bot.kernel.outbox import Edit, Rendered, Renderer
from bot.kernel.settings import BoardSettingsService
from bot.kernel.ui import Button, Reply
from bot.votes.buttons import VoteBrief
from bot.votes.cards import live_message, result_message
from bot.votes.rules import is_open
from bot.votes.service import VOTE_LIVE, VOTE_POST, VOTE_REMINDER, VOTE_RESULT, post_key, view_of
from storage import Session
from storage.models import OutboxItem, ProposalStatus


def build_vote_renderers(
    i18n: Translator,
    settings: BoardSettingsService,
    bot_username: Callable[[], str],
    clock: Clock,
) -> dict[str, Renderer]:
    t = i18n

    async def posted_id(session: Session, proposal_id: int) -> int | None:
        """The group's live vote message, once the outbox has posted it."""
        posted = await session.outbox.by_dedupe_key(post_key(proposal_id))
        return None if posted is None else posted.message_id

    async def post(item: OutboxItem, session: Session) -> Rendered:
        view = await view_of(session, int(item.payload["proposal_id"]))
        if view is None or view.proposal.status == ProposalStatus.DRAFT:
            return None
        lang = await recipient_language(item, session, settings)
        zone = (await settings.get(session, view.board.id)).timezone
        return live_message(t, lang, view, zone, bot_username())

    async def live(item: OutboxItem, session: Session) -> Rendered:
        view = await view_of(session, int(item.payload["proposal_id"]))
        if view is None or view.proposal.status == ProposalStatus.DRAFT:
            return None
        if view.proposal.status == ProposalStatus.OPEN and not is_open(view.proposal, clock.now()):
            return None  # past its deadline: the close edits the message next, with the result
        message_id = view.proposal.message_id or await posted_id(session, view.proposal.id)
        if message_id is None:
            return None  # not posted yet: the post itself shows the current count
        lang = await recipient_language(item, session, settings)
        zone = (await settings.get(session, view.board.id)).timezone
        return Edit(message_id, live_message(t, lang, view, zone, bot_username()))

    async def result(item: OutboxItem, session: Session) -> Rendered:
        view = await view_of(session, int(item.payload["proposal_id"]))
        if view is None or view.proposal.status in (ProposalStatus.DRAFT, ProposalStatus.OPEN):
            return None
        lang = await recipient_language(item, session, settings)
        posted = view.proposal.message_id or await posted_id(session, view.proposal.id)
        if posted is not None and view.proposal.status != ProposalStatus.ACCEPTED:
            return None  # the live message shows it; nothing new to announce
        return result_message(t, lang, view, full=posted is None)

    async def reminder(item: OutboxItem, session: Session) -> Rendered:
        view = await view_of(session, int(item.payload["proposal_id"]))
        if view is None or view.proposal.status != ProposalStatus.OPEN or item.recipient_id is None:
            return None
        if any(b.user_id == item.recipient_id for b in view.ballots):
            return None  # voted meanwhile
        if all(m.user_id != item.recipient_id for m in view.voters):
            return None  # no longer entitled to vote
        if "votes" in (await session.prefs.get(item.recipient_id)).muted:
            return None  # switched off in /settings
        lang = await recipient_language(item, session, settings)
        zone = (await settings.get(session, view.board.id)).timezone
        assert view.proposal.closes_at is not None
        text = t.t(
            lang,
            "vote.reminder",
            code=view.case.code,
            title=view.proposal.title,
            when=weekday_moment(view.proposal.closes_at, lang, zone),
        )
        button = Button(t.t(lang, "button.brief"), VoteBrief(view.proposal.id).pack())
        return Reply(text, ((button,),))

    return {
        VOTE_POST: post,
        VOTE_LIVE: live,
        VOTE_RESULT: result,
        VOTE_REMINDER: reminder,
    }
