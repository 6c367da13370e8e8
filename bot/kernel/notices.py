"""Outbox kinds and how each is worded at send time, in the recipient's language.

The foundation has one kind, ``notice``: a catalog key and its parameters. Later capabilities add
theirs (reminders, nudges, vote closings, digests) to ``build_renderers``.
"""

from __future__ import annotations

from bot.boards.buttons import HandoverAnswer, JoinDecision
from bot.boards.service import HANDOVER_OFFER, JOIN_DECIDED, JOIN_REQUEST
from bot.cases.cards import group_card
from bot.cases.service import CASE_CARD
from bot.kernel.buttons import YesNo
from bot.kernel.i18n import Translator
from bot.kernel.outbox import Renderer
from bot.kernel.settings import BoardSettingsService
from bot.kernel.ui import Button, Reply
from storage import Session
from storage.models import MembershipStatus, OutboxItem

NOTICE = "notice"


async def recipient_language(
    item: OutboxItem, session: Session, settings: BoardSettingsService
) -> str:
    """A person's chosen language, else their Telegram app's; for a group, the board's."""
    if item.recipient_id is not None:
        user = await session.users.get(item.recipient_id)
        if user is not None and (user.language or user.telegram_language):
            return str(user.language or user.telegram_language)
    if item.board_id is not None:
        return (await settings.get(session, item.board_id)).language
    return settings.defaults["language"]


def build_renderers(i18n: Translator, settings: BoardSettingsService) -> dict[str, Renderer]:
    async def notice(item: OutboxItem, session: Session) -> Reply | None:
        key = item.payload.get("key")
        if not isinstance(key, str) or not i18n.has(key):
            return None
        params = item.payload.get("params") or {}
        lang = await recipient_language(item, session, settings)
        return Reply(i18n.t(lang, key, **params))

    async def join_request(item: OutboxItem, session: Session) -> Reply | None:
        board_id, user_id = int(item.payload["board_id"]), int(item.payload["user_id"])
        board = await session.boards.get(board_id)
        member = await session.boards.membership(board_id, user_id)
        if board is None or member is None or member.status != MembershipStatus.PENDING:
            return None  # decided meanwhile: nothing left to ask
        lang = await recipient_language(item, session, settings)
        text = i18n.t(
            lang,
            "join.request",
            name=member.display_name,
            sector=i18n.t(lang, f"sector.{member.sector}"),
            board=board.title,
        )
        return Reply(text, (decision_buttons(i18n, lang, board_id, user_id),))

    async def join_decided(item: OutboxItem, session: Session) -> Reply | None:
        board = await session.boards.get(int(item.payload["board_id"]))
        if board is None:
            return None
        lang = await recipient_language(item, session, settings)
        key = "join.approved" if item.payload.get("approved") else "join.declined"
        return Reply(i18n.t(lang, key, board=board.title))

    async def handover_offer(item: OutboxItem, session: Session) -> Reply | None:
        board = await session.boards.get(int(item.payload["board_id"]))
        if board is None or board.handover_to != item.recipient_id:
            return None
        lang = await recipient_language(item, session, settings)
        return Reply(
            i18n.t(lang, "handover.offer", board=board.title),
            (
                (
                    Button(
                        i18n.t(lang, "button.accept"), HandoverAnswer(board.id, YesNo.YES).pack()
                    ),
                    Button(
                        i18n.t(lang, "button.refuse"), HandoverAnswer(board.id, YesNo.NO).pack()
                    ),
                ),
            ),
        )

    async def case_card(item: OutboxItem, session: Session) -> Reply | None:
        case = await session.cases.get(int(item.payload["case_id"]))
        if case is None:
            return None
        lang = await recipient_language(item, session, settings)
        card = group_card(i18n, lang, case, item.due_at)
        event = str(item.payload.get("event", "raised"))
        heading = (
            i18n.t(lang, "case.raised_in_group")
            if event == "raised"
            else i18n.t(lang, "case.changed_in_group")
        )
        return Reply(heading + "\n" + card.text, card.keyboard)

    return {
        NOTICE: notice,
        CASE_CARD: case_card,
        JOIN_REQUEST: join_request,
        JOIN_DECIDED: join_decided,
        HANDOVER_OFFER: handover_offer,
    }


def decision_buttons(
    i18n: Translator, lang: str, board_id: int, user_id: int
) -> tuple[Button, Button]:
    return (
        Button(i18n.t(lang, "button.approve"), JoinDecision(board_id, user_id, YesNo.YES).pack()),
        Button(i18n.t(lang, "button.decline"), JoinDecision(board_id, user_id, YesNo.NO).pack()),
    )
