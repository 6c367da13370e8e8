"""Outbox kinds of votes and actions, worded at send time from the current state.

Rendering late means a reminder to someone who voted meanwhile, or a live edit for a vote that
closed, says nothing (returns None) instead of something stale.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.actions.cards import action_card
from bot.actions.follow_up import ACTION_ASSIGN, ACTION_OWNED
from bot.actions.rules import operations
from bot.kernel.i18n import Translator, format_short
from bot.kernel.notices import recipient_language
from bot.kernel.outbox import Edit, Rendered, Renderer
from bot.kernel.policy import Role
from bot.kernel.settings import BoardSettingsService
from bot.kernel.ui import Button, Reply
from bot.votes.buttons import VoteBrief
from bot.votes.cards import live_message, result_message
from bot.votes.service import VOTE_LIVE, VOTE_POST, VOTE_REMINDER, VOTE_RESULT, post_key, view_of
from storage import Session
from storage.models import ActionStatus, MembershipStatus, OutboxItem, ProposalStatus


def build_vote_renderers(
    i18n: Translator, settings: BoardSettingsService, bot_username: Callable[[], str]
) -> dict[str, Renderer]:
    t = i18n

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
        message_id = view.proposal.message_id
        if message_id is None:
            posted = await session.outbox.by_dedupe_key(post_key(view.proposal.id))
            message_id = None if posted is None else posted.message_id
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
        owner = view.proposal.owner_id
        return result_message(t, lang, view, None if owner is None else view.sectors.get(owner))

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
            when=format_short(view.proposal.closes_at, zone),
        )
        button = Button(t.t(lang, "button.brief"), VoteBrief(view.proposal.id).pack())
        return Reply(text, ((button,),))

    async def action_notice(item: OutboxItem, session: Session) -> Rendered:
        action = await session.actions.get(int(item.payload["action_id"]))
        if (
            action is None
            or action.status not in (ActionStatus.OPEN, ActionStatus.BLOCKED)
            or item.recipient_id is None
        ):
            return None
        case = await session.cases.get(action.case_id)
        if case is None:
            return None
        lang = await recipient_language(item, session, settings)
        board_settings = await settings.get(session, action.board_id)
        now = item.due_at
        today = now.astimezone(board_settings.timezone).date()
        member = (
            None
            if action.owner_id is None
            else await session.boards.membership(action.board_id, action.owner_id)
        )
        viewer = await session.boards.membership(action.board_id, item.recipient_id)
        viewer_role = (
            Role(viewer.role) if viewer and viewer.status == MembershipStatus.ACTIVE else None
        )
        if viewer_role is None:
            return None
        is_lead = "lead" in await session.cases.team_roles(case.id, item.recipient_id)
        ops = operations(
            action.status,
            is_owner=action.owner_id == item.recipient_id,
            is_manager=viewer_role in (Role.COORDINATOR, Role.DEPUTY) or is_lead,
        )
        if item.kind == ACTION_ASSIGN:
            heading = t.t(lang, "action.assign_request", code=case.code)
        elif action.due_on is None:  # the proposal left the date open: the owner sets it
            heading = t.t(lang, "action.owned_set_due", code=case.code)
        else:
            heading = t.t(lang, "action.owned_notice", code=case.code)
        if item.kind == ACTION_ASSIGN and action.owner_id is not None:
            return None  # someone named an owner meanwhile
        card = action_card(
            t,
            lang,
            action,
            case.code,
            None if member is None else (member.display_name, member.sector),
            ops,
            today,
            board_settings.timezone,
            now,
        )
        return Reply(heading + "\n\n" + card.text, card.keyboard)

    return {
        VOTE_POST: post,
        VOTE_LIVE: live,
        VOTE_RESULT: result,
        VOTE_REMINDER: reminder,
        ACTION_ASSIGN: action_notice,
        ACTION_OWNED: action_notice,
    }
