"""Outbox kinds of recurring series, worded at send time: the series' announcement, the
notice that it ended, and its calendar file (one VEVENT with RRULE and EXDATEs)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.kernel.i18n import Translator
from bot.kernel.notices import recipient_language
from bot.kernel.outbox import Document, Rendered, Renderer
from bot.kernel.settings import BoardSettingsService
from bot.kernel.ui import Reply
from bot.meetings.calendar import MeetingEvent, meeting_ics
from bot.series.cards import series_text
from bot.series.rules import ics_rule, series_uid
from bot.series.service import SERIES_ENDED, SERIES_ICS, SERIES_POST
from storage import Session
from storage.models import BoardRecord, MeetingStatus, OutboxItem, SeriesRecord, SeriesStatus


def build_series_renderers(i18n: Translator, settings: BoardSettingsService) -> dict[str, Renderer]:
    t = i18n

    async def series_context(
        item: OutboxItem, session: Session
    ) -> tuple[SeriesRecord, BoardRecord, str, ZoneInfo] | None:
        series = await session.meetings.series(int(item.payload["series_id"]))
        board = None if series is None else await session.boards.get(series.board_id)
        if series is None or board is None:
            return None
        lang = await recipient_language(item, session, settings)
        zone = (await settings.get(session, board.id)).timezone
        return series, board, lang, zone

    async def series_post(item: OutboxItem, session: Session) -> Rendered:
        found = await series_context(item, session)
        if found is None:
            return None
        series, board, lang, zone = found
        return series_text(t, lang, series, board.title, zone)

    async def series_file(item: OutboxItem, session: Session) -> Rendered:
        found = await series_context(item, session)
        if found is None:
            return None
        series, board, lang, zone = found
        if series.sequence != int(item.payload.get("sequence", series.sequence)):
            return None  # a newer file is on its way
        skipped = tuple(
            m.occurrence
            for m in await session.meetings.occurrences(series.id)
            if m.status == MeetingStatus.CANCELLED and m.occurrence is not None
        )
        event = MeetingEvent(
            uid=series_uid(series.id),
            sequence=series.sequence,
            start=series.first_start.astimezone(zone),
            duration=timedelta(minutes=series.duration_minutes),
            summary=f"{t.t(lang, f'meeting_kind.{series.kind}')} — {board.title}",
            location=series.place or None,
            description=t.t(lang, "meeting.ics_description"),
            organizer_name=board.title,
            stamp=item.due_at,
            rrule=ics_rule(series.rrule, series.until_day, zone),
            exdates=skipped,
        )
        # ended after sessions were held: the same series, now with an end (the past stays in
        # calendars); ended before any was held: withdrawn
        data = meeting_ics(
            event, cancelled=series.status == SeriesStatus.ENDED and series.until_day is None
        )
        caption = t.t(
            lang,
            "series.ics_ended" if series.status == SeriesStatus.ENDED else "series.ics_caption",
        )
        return Document(f"{series.kind}-series-{series.id}.ics", data, Reply(caption))

    return {SERIES_POST: series_post, SERIES_ENDED: series_post, SERIES_ICS: series_file}
