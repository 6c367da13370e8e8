"""Outbox kinds of meetings, worded at send time in the recipient's language and the board's
zone; a row about a meeting that has moved on (a newer SEQUENCE, cancelled, started) says
nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from bot.kernel.clock import Clock
from bot.kernel.i18n import Translator
from bot.kernel.notices import recipient_language
from bot.kernel.outbox import Document, Edit, Rendered, Renderer
from bot.kernel.policy import COORDINATORS, role_of
from bot.kernel.settings import BoardSettingsService
from bot.kernel.ui import Reply
from bot.meetings.cards import (
    announcement,
    calendar_caption,
    calendar_file,
    changed_text,
    poll_complete_text,
    poll_message,
    reminder_text,
)
from bot.meetings.items import (
    MEETING_CHANGED,
    MEETING_ICS,
    MEETING_LIVE,
    MEETING_POST,
    MEETING_REMINDER,
    POLL_COMPLETE,
    POLL_LIVE,
    POLL_POST,
)
from bot.meetings.service import MeetingView, view_of
from storage import Session
from storage.models import MeetingStatus, OutboxItem

ViewRenderer = Callable[[OutboxItem, Session, MeetingView, str, ZoneInfo], Awaitable[Rendered]]


def build_meeting_renderers(
    i18n: Translator, settings: BoardSettingsService, clock: Clock
) -> dict[str, Renderer]:
    t = i18n

    async def context(
        item: OutboxItem, session: Session
    ) -> tuple[MeetingView, str, ZoneInfo] | None:
        view = await view_of(session, int(item.payload["meeting_id"]))
        if view is None:
            return None
        lang = await recipient_language(item, session, settings)
        zone = (await settings.get(session, view.board.id)).timezone
        return view, lang, zone

    def viewed(render: ViewRenderer) -> Renderer:
        """A renderer given the meeting's view, the recipient's language and the board's zone;
        a row about a meeting that is gone says nothing."""

        async def rendered(item: OutboxItem, session: Session) -> Rendered:
            found = await context(item, session)
            return None if found is None else await render(item, session, *found)

        return rendered

    def with_file(
        item: OutboxItem, view: MeetingView, lang: str, zone: ZoneInfo, words: Reply
    ) -> Rendered:
        """The group's message as the calendar file with ``words`` as its caption, when the row
        asks for it (one message, not two); else the words alone."""
        if not item.payload.get("with_file") or view.meeting.starts_at is None:
            return words  # (a file needs a time; a cancelled poll has none)
        name, data = calendar_file(t, lang, view, zone, item.due_at)
        return Document(name, data, words)

    async def posted_message_id(session: Session, key: str) -> int | None:
        row = await session.outbox.by_dedupe_key(key)
        return None if row is None else row.message_id

    async def post(
        item: OutboxItem, session: Session, view: MeetingView, lang: str, zone: ZoneInfo
    ) -> Rendered:
        if view.meeting.starts_at is None:
            return None
        return with_file(item, view, lang, zone, announcement(t, lang, view, zone, item.due_at))

    async def live(
        item: OutboxItem, session: Session, view: MeetingView, lang: str, zone: ZoneInfo
    ) -> Rendered:
        if view.meeting.starts_at is None:
            return None
        posted = await session.outbox.by_dedupe_key(f"mpost:{view.meeting.id}")
        if posted is None or posted.message_id is None:
            return None
        reply = announcement(t, lang, view, zone, item.due_at)
        return Edit(posted.message_id, reply, caption=bool(posted.payload.get("with_file")))

    async def poll_post(
        item: OutboxItem, session: Session, view: MeetingView, lang: str, zone: ZoneInfo
    ) -> Rendered:
        if view.meeting.status != MeetingStatus.POLLING:
            return None
        return poll_message(t, lang, view, zone)

    async def poll_live(
        item: OutboxItem, session: Session, view: MeetingView, lang: str, zone: ZoneInfo
    ) -> Rendered:
        message_id = await posted_message_id(session, f"mpoll:{view.meeting.id}")
        if message_id is None:
            return None
        return Edit(message_id, poll_message(t, lang, view, zone))

    async def ics(
        item: OutboxItem, session: Session, view: MeetingView, lang: str, zone: ZoneInfo
    ) -> Rendered:
        if view.meeting.starts_at is None:
            return None
        wanted = item.payload.get("sequence")
        if wanted is not None and int(wanted) != view.meeting.sequence:
            return None  # a newer file is on its way
        if item.recipient_id is not None and item.recipient_id not in view.sectors:
            return None  # no longer on the board
        name, data = calendar_file(t, lang, view, zone, item.due_at)
        return Document(name, data, calendar_caption(t, lang, view, zone))

    async def reminder(
        item: OutboxItem, session: Session, view: MeetingView, lang: str, zone: ZoneInfo
    ) -> Rendered:
        if view.meeting.status != MeetingStatus.SCHEDULED or view.meeting.sequence != int(
            item.payload.get("sequence", -1)
        ):
            return None
        if item.recipient_id is not None and not any(
            user == item.recipient_id and answer in ("going", "maybe")
            for user, answer in view.rsvps
        ):
            return None  # changed their answer to "not going" meanwhile
        if item.recipient_id is not None and (
            "meetings" in (await session.prefs.get(item.recipient_id)).muted
        ):
            return None  # switched off in /settings
        return reminder_text(t, lang, view, zone, item.due_at)

    async def changed(
        item: OutboxItem, session: Session, view: MeetingView, lang: str, zone: ZoneInfo
    ) -> Rendered:
        wanted = item.payload.get("sequence")
        if wanted is not None and int(wanted) != view.meeting.sequence:
            return None  # a later change has its own notice
        return with_file(item, view, lang, zone, changed_text(t, lang, view, zone))

    async def poll_complete(
        item: OutboxItem, session: Session, view: MeetingView, lang: str, zone: ZoneInfo
    ) -> Rendered:
        if view.meeting.status != MeetingStatus.POLLING:
            return None  # already fixed or cancelled meanwhile
        membership = (
            None
            if item.recipient_id is None
            else await session.boards.membership(view.board.id, item.recipient_id)
        )
        if role_of(membership) not in COORDINATORS:
            return None  # no longer coordinates the board: the fix button would be refused
        return poll_complete_text(t, lang, view, zone, clock.now())

    return {
        kind: viewed(render)
        for kind, render in (
            (POLL_COMPLETE, poll_complete),
            (MEETING_POST, post),
            (MEETING_LIVE, live),
            (POLL_POST, poll_post),
            (POLL_LIVE, poll_live),
            (MEETING_ICS, ics),
            (MEETING_REMINDER, reminder),
            (MEETING_CHANGED, changed),
        )
    }
