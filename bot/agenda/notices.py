"""Outbox kinds of the agenda, worded at send time: the brief a case's team gets before the
meeting (nothing if the case was taken off the agenda meanwhile), and a written update for the
minute-taker (nothing if the case was erased)."""

from __future__ import annotations

from bot.agenda.buttons import WrittenUpdate
from bot.agenda.service import AGENDA_UPDATE
from bot.cases.cards import detail_card
from bot.cases.rules import team_by_person
from bot.kernel.i18n import Translator, weekday_moment
from bot.kernel.notices import is_board_member, recipient_language
from bot.kernel.outbox import Rendered, Renderer
from bot.kernel.policy import role_of
from bot.kernel.settings import BoardSettingsService
from bot.kernel.ui import Button, DetailsOf, Reply
from bot.meetings.items import AGENDA_BRIEF
from bot.minutes.rules import may_record
from storage import Session
from storage.models import MeetingStatus, OutboxItem


def build_agenda_renderers(i18n: Translator, settings: BoardSettingsService) -> dict[str, Renderer]:
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
        if not await session.cases.team_roles(
            case.id, item.recipient_id
        ) or not await is_board_member(session, case.board_id, item.recipient_id):
            return None  # no longer on the case's team, or left the board
        lang = await recipient_language(item, session, settings)
        zone = (await settings.get(session, meeting.board_id)).timezone
        names = {m.user_id: m.display_name for m in await session.boards.members(case.board_id)}
        team = [
            (names.get(u, str(u)), roles)
            for u, roles in team_by_person(await session.cases.team(case.id))
        ]
        card = detail_card(t, lang, case, team, item.due_at)
        head = t.t(
            lang,
            "agenda.brief",
            code=case.code,
            kind=t.t(lang, f"meeting_kind.{meeting.kind}"),
            when=weekday_moment(meeting.starts_at, lang, zone),
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

    return {AGENDA_BRIEF: brief, AGENDA_UPDATE: update}
