"""Outbox kinds of actions, worded at send time: the new owner's card, or the lead's request to
name an owner (nothing once someone has been named, or the action is closed)."""

from __future__ import annotations

from bot.actions.cards import action_card
from bot.actions.follow_up import ACTION_ASSIGN, ACTION_OWNED
from bot.actions.rules import operations
from bot.kernel.i18n import Translator
from bot.kernel.notices import recipient_language
from bot.kernel.outbox import Rendered, Renderer
from bot.kernel.policy import Role
from bot.kernel.settings import BoardSettingsService
from bot.kernel.ui import Reply
from storage import Session
from storage.models import ActionStatus, MembershipStatus, OutboxItem


def build_action_renderers(i18n: Translator, settings: BoardSettingsService) -> dict[str, Renderer]:
    t = i18n

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

    return {ACTION_ASSIGN: action_notice, ACTION_OWNED: action_notice}
