"""Outbox kinds of cases, worded at send time: the case's card in the group (code, status,
counts and the short guarded title only), when it is raised or changes."""

from __future__ import annotations

from bot.boards.disclosure import of_members
from bot.cases.cards import group_card
from bot.cases.service import CASE_CARD
from bot.kernel.i18n import Translator
from bot.kernel.notices import recipient_language
from bot.kernel.outbox import Renderer
from bot.kernel.settings import BoardSettingsService
from bot.kernel.ui import Reply
from storage import Session
from storage.models import OutboxItem


def build_case_renderers(i18n: Translator, settings: BoardSettingsService) -> dict[str, Renderer]:
    async def case_card(item: OutboxItem, session: Session) -> Reply | None:
        case = await session.cases.get(int(item.payload["case_id"]))
        if case is None:
            return None
        lang = await recipient_language(item, session, settings)
        shown = of_members(await session.boards.members(case.board_id))
        card = group_card(i18n, lang, case, item.due_at, shown=shown)
        event = str(item.payload.get("event", "raised"))
        heading = (
            i18n.t(lang, "case.raised_in_group")
            if event == "raised"
            else i18n.t(lang, "case.changed_in_group")
        )
        return Reply(heading + "\n" + card.text, card.keyboard)

    return {CASE_CARD: case_card}
