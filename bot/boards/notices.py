"""Outbox kinds of boards, worded at send time: a join request for the coordinators (nothing
if it was decided meanwhile), the decision for the person, and the offer of the coordinator's
role."""

from __future__ import annotations

from bot.boards.buttons import HandoverAnswer, JoinDecision
from bot.boards.service import HANDOVER_OFFER, JOIN_DECIDED, JOIN_REQUEST
from bot.kernel.buttons import YesNo
from bot.kernel.i18n import Translator
from bot.kernel.notices import recipient_language
from bot.kernel.outbox import Renderer
from bot.kernel.settings import BoardSettingsService
from bot.kernel.ui import Button, Reply
from storage import Session
from storage.models import MembershipStatus, OutboxItem


def build_board_renderers(i18n: Translator, settings: BoardSettingsService) -> dict[str, Renderer]:
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

    return {
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
