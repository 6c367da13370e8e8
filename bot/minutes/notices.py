"""Outbox kinds of the agenda and the minutes, worded at send time: a brief
for a case taken off the agenda, or an update about an erased case, says nothing."""

from __future__ import annotations

from bot.agenda.buttons import AgendaAdd, WrittenUpdate
from bot.agenda.service import AGENDA_UPDATE
from bot.boards.rules import role_of
from bot.cases.cards import detail_card
from bot.cases.rules import OPEN_STATUSES
from bot.kernel.i18n import Translator, format_short
from bot.kernel.notices import recipient_language
from bot.kernel.outbox import Rendered, Renderer
from bot.kernel.policy import BOARD_MEMBERS
from bot.kernel.settings import BoardSettingsService
from bot.kernel.ui import Button, DetailsOf, Reply
from bot.meetings.items import AGENDA_BRIEF
from bot.minutes.buttons import ReadMinutes
from bot.minutes.cards import summary_line
from bot.minutes.rules import may_record
from bot.minutes.service import MINUTES_SUMMARY, REVIEW_DUE, summary
from storage import Session
from storage.models import MeetingStatus, OutboxItem


def build_minutes_renderers(
    i18n: Translator, settings: BoardSettingsService
) -> dict[str, Renderer]:
    t = i18n

    async def brief(item: OutboxItem, session: Session) -> Rendered:
        meeting = await session.meetings.get(int(item.payload["meeting_id"]))
        case_id = int(item.payload["case_id"])
        if (
            meeting is None
            or meeting.status != MeetingStatus.SCHEDULED
            or meeting.starts_at is None
        ):
            return None
        if case_id not in await session.agenda.case_ids(meeting.id):
            return None  # taken off the agenda meanwhile
        case = await session.cases.get(case_id)
        if case is None or item.recipient_id is None:
            return None
        if not await session.cases.team_roles(case.id, item.recipient_id) or not await _member(
            session, case.board_id, item.recipient_id
        ):
            return None  # no longer on the case's team, or left the board
        lang = await recipient_language(item, session, settings)
        zone = (await settings.get(session, meeting.board_id)).timezone
        names = {m.user_id: m.display_name for m in await session.boards.members(case.board_id)}
        team = [(names.get(u, str(u)), role) for u, role in await session.cases.team(case.id)]
        card = detail_card(t, lang, case, team, item.due_at)
        head = t.t(
            lang,
            "agenda.brief",
            code=case.code,
            kind=t.t(lang, f"meeting_kind.{meeting.kind}"),
            when=format_short(meeting.starts_at, zone),
        )
        return Reply(
            head + "\n\n" + card.text,
            (
                (
                    Button(
                        t.t(lang, "button.written_update"),
                        WrittenUpdate(meeting.id, case.id).pack(),
                    ),
                ),
            ),
            details_of=DetailsOf(case.id),
        )

    async def update(item: OutboxItem, session: Session) -> Rendered:
        found = await session.agenda.update(int(item.payload["update_id"]))
        case = None if found is None else await session.cases.get(found.case_id)
        if found is None or case is None:
            return None
        meeting = await session.meetings.get(found.meeting_id)
        reader = item.recipient_id
        if meeting is None or reader is None:
            return None
        role = role_of(await session.boards.membership(case.board_id, reader))
        if not may_record(role, reader, meeting):
            return None  # no longer coordinating, nor the minute-taker
        lang = await recipient_language(item, session, settings)
        author = await session.boards.membership(case.board_id, found.author_id)
        return Reply(
            t.t(
                lang,
                "agenda.update_received",
                code=case.code,
                name="—" if author is None else author.display_name,
                text=found.body,
            ),
            details_of=DetailsOf(case.id),
        )

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
        if not await _member(session, case.board_id, item.recipient_id):
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
        AGENDA_BRIEF: brief,
        AGENDA_UPDATE: update,
        MINUTES_SUMMARY: minutes_summary,
        REVIEW_DUE: review_due,
    }


async def _member(session: Session, board_id: int, user_id: int) -> bool:
    """Case details go only to people still on the board (team rows outlive a departure)."""
    return role_of(await session.boards.membership(board_id, user_id)) in BOARD_MEMBERS
