"""Outbox kinds of the minutes, worded at send time: the one-line summary for the group and
the reminder that a case's review is due."""

from __future__ import annotations

from bot.agenda.buttons import AgendaAdd
from bot.cases.rules import OPEN_STATUSES
from bot.kernel.i18n import Translator
from bot.kernel.notices import is_board_member, recipient_language
from bot.kernel.outbox import Rendered, Renderer
from bot.kernel.settings import BoardSettingsService
from bot.kernel.ui import Button, Reply
from bot.minutes.buttons import ReadMinutes
from bot.minutes.cards import summary_line
from bot.minutes.service import MINUTES_SUMMARY, REVIEW_DUE, summary
from storage import Session
from storage.models import OutboxItem


def build_minutes_renderers(
    i18n: Translator, settings: BoardSettingsService
) -> dict[str, Renderer]:
    t = i18n

    async def minutes_summary(item: OutboxItem, session: Session) -> Rendered:
        found = await summary(session, int(item.payload["minutes_id"]))
        if found is None:
            return None
        lang = await recipient_language(item, session, settings)
        return summary_line(t, lang, *found)

    async def review_due(item: OutboxItem, session: Session) -> Rendered:
        minutes = await session.minutes.get(int(item.payload["minutes_id"]))
        case = None if minutes is None else await session.cases.get(minutes.case_id)
        if minutes is None or case is None or item.recipient_id is None:
            return None
        if case.status not in OPEN_STATUSES:
            return None  # closed meanwhile: nothing to review
        if not await is_board_member(session, case.board_id, item.recipient_id):
            return None  # left the board
        lang = await recipient_language(item, session, settings)
        meeting = await session.meetings.get(minutes.meeting_id)
        zone = (await settings.get(session, case.board_id)).timezone
        day = (
            "—"
            if meeting is None or meeting.starts_at is None
            else f"{meeting.starts_at.astimezone(zone):%d.%m}"
        )
        return Reply(
            t.t(lang, "minutes.review_due", code=case.code, day=day),
            (
                (
                    Button(t.t(lang, "button.to_agenda"), AgendaAdd(case.id).pack()),
                    Button(
                        t.t(lang, "button.minutes_read", code=case.code),
                        ReadMinutes(minutes.id).pack(),
                    ),
                ),
            ),
        )

    return {
        MINUTES_SUMMARY: minutes_summary,
        REVIEW_DUE: review_due,
    }
