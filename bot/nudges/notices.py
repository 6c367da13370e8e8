"""Nudges and the weekly digest, worded at send time from the item's current state."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.actions.rules import ACTIVE, days_overdue, is_overdue
from bot.boards.disclosure import of_members
from bot.cases.rules import OPEN_STATUSES, days_since
from bot.kernel.clock import Clock
from bot.kernel.dates import written_day
from bot.kernel.i18n import Translator, weekday_moment
from bot.kernel.notices import recipient_language
from bot.kernel.outbox import Defer, Document, Rendered, Renderer
from bot.kernel.policy import COORDINATORS, Role
from bot.kernel.settings import BoardSettingsService
from bot.kernel.ui import MAX_CAPTION_CHARS, Button, Reply
from bot.nudges.buttons import NudgeOp, NudgePress
from bot.nudges.quiet import is_quiet, next_allowed, next_working_day
from bot.nudges.rules import board_quiet_rules, muted_group, quiet_rules
from bot.nudges.service import DIGEST, NUDGE
from bot.stats.charts import Bars, draw
from storage import Session
from storage.models import ActionStatus, BoardStatus, MeetingStatus, MembershipStatus, OutboxItem

UPCOMING_DAYS = 14


async def coalesced(item: OutboxItem, session: Session, now: datetime, zone: ZoneInfo) -> bool:
    """At most one nudge a day to one person about one subject, the latest: after a weekend,
    a holiday or a stop, the reminders that piled up say it once, in the newest words. The
    outbox keeps what was sent, so a restart coalesces the same way."""
    if item.payload.get("snoozed"):  # the person asked for it again at this time
        return False
    midnight = datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone)
    return await session.outbox.said_or_saying(item, now, midnight)


def build_nudge_renderers(
    i18n: Translator, settings: BoardSettingsService, clock: Clock
) -> dict[str, Renderer]:
    t = i18n

    def buttons(lang: str, item: OutboxItem, *, done: bool) -> tuple[tuple[Button, ...], ...]:
        row = [Button(t.t(lang, "nudge.snooze"), NudgePress(item.id, NudgeOp.SNOOZE_ASK).pack())]
        if done:
            row.insert(
                0, Button(t.t(lang, "action_op.done"), NudgePress(item.id, NudgeOp.DONE).pack())
            )
        row.append(Button(t.t(lang, "nudge.open"), NudgePress(item.id, NudgeOp.OPEN).pack()))
        return (tuple(row),)

    async def nudge(item: OutboxItem, session: Session) -> Rendered:
        recipient = item.recipient_id
        kind = str(item.payload.get("nudge", ""))
        if recipient is None or not kind:
            return None
        prefs = await session.prefs.get(recipient)
        group = muted_group(kind)
        if group is not None and group in prefs.muted:
            return None
        now = clock.now()
        board = None if item.board_id is None else await settings.get(session, item.board_id)
        if board is not None:  # quiet hours changed since it was planned: wait again
            rules = quiet_rules(board, prefs)
            if is_quiet(now, rules):
                later = next_allowed(now, rules)
                if item.useful_until is not None and later > item.useful_until:
                    return None  # of no use by the time it may be sent
                return Defer(later)
            if item.subject_type is not None and await coalesced(
                item, session, now, board.timezone
            ):
                return None
        lang = await recipient_language(item, session, settings)
        if "action_id" in item.payload:
            action = await session.actions.get(int(item.payload["action_id"]))
            if action is None or action.due_on is None:
                return None
            if action.due_on.isoformat() != item.payload.get("due_on"):
                return None  # the due date moved: its own nudges are planned
            membership = await session.boards.membership(action.board_id, recipient)
            if membership is None or membership.status != MembershipStatus.ACTIVE:
                return None
            if kind == "action_escalated":  # to a coordinator, or the lead; never the owner
                if action.status not in ACTIVE or action.owner_id == recipient:
                    return None
                if Role(membership.role) not in COORDINATORS and "lead" not in (
                    await session.cases.team_roles(action.case_id, recipient)
                ):
                    return None
            elif action.status != ActionStatus.OPEN or action.owner_id != recipient:
                return None
            elif action.snoozed_until is not None and action.snoozed_until > now:
                return Defer(action.snoozed_until)
            case = await session.cases.get(action.case_id)
            if case is None:
                return None
            zone = (board or await settings.get(session, action.board_id)).timezone
            today = now.astimezone(zone).date()
            text = t.tn(
                lang,
                f"nudge.{kind}",
                max(days_overdue(action.due_on, today), 0),
                code=case.code,
                title=action.title,
                due=written_day(action.due_on),
            )
            return Reply(text, buttons(lang, item, done=kind != "action_escalated"))
        case = await session.cases.get(int(item.payload.get("case_id", 0)))
        member = None if case is None else await session.boards.membership(case.board_id, recipient)
        if member is None or member.status != MembershipStatus.ACTIVE:
            return None  # left the board meanwhile
        if kind == "case_stalled_coord" and Role(member.role) not in COORDINATORS:
            return None
        if (
            case is None
            or case.status not in OPEN_STATUSES
            or int(case.last_activity_at.timestamp()) != int(item.payload.get("since", -1))
        ):
            return None  # something happened on the case meanwhile
        text = t.tn(lang, f"nudge.{kind}", days_since(case.last_activity_at, now), code=case.code)
        return Reply(text, buttons(lang, item, done=False))

    async def digest(item: OutboxItem, session: Session) -> Rendered:
        board = await session.boards.get(int(item.payload.get("board_id", 0)))
        if board is None or board.status != BoardStatus.ACTIVE:
            return None
        planned = await settings.get(session, board.id)
        if item.payload.get("weekday", planned.digest_weekday) != planned.digest_weekday or (
            item.payload.get("time", planned.digest_time.strftime("%H:%M"))
            != planned.digest_time.strftime("%H:%M")
        ):
            return None  # the board changed its digest day or time: that row is queued too
        lang = await recipient_language(item, session, settings)
        board_settings = planned
        zone = board_settings.timezone
        now = clock.now()
        today = now.astimezone(zone).date()
        working = next_working_day(today, board_quiet_rules(board_settings))
        if working != today:  # a public holiday: the week's digest waits for the working day
            return Defer(datetime.combine(working, board_settings.digest_time, tzinfo=zone))
        members = await session.boards.members(board.id)
        sector_of = {m.user_id: m.sector for m in members}
        cases = await session.cases.for_board(board.id, OPEN_STATUSES)
        by_status = Counter(case.status for case in cases)
        meetings = [
            m
            for m in await session.meetings.upcoming([board.id], now)
            if m.status == MeetingStatus.SCHEDULED
            and m.starts_at is not None
            and m.starts_at < now + timedelta(days=UPCOMING_DAYS)
        ]
        actions = await session.actions.for_board(board.id, ACTIVE)
        if not cases and not meetings and not actions:
            return None  # a board with nothing yet (just set up): no digest of zeros
        this_week = [
            a for a in actions if a.due_on is not None and today <= a.due_on < today + timedelta(7)
        ]
        overdue = Counter(
            sector_of[a.owner_id]
            for a in actions
            if a.owner_id in sector_of and is_overdue(a.due_on, a.status, today)
        )
        lines = [
            t.t(lang, "digest.title", board=board.title),
            t.t(lang, "digest.cases", count=len(cases)),
        ]
        lines += [
            t.t(
                lang,
                "digest.status_line",
                status=t.t(lang, f"case_status.{status}"),
                count=by_status[status],
            )
            for status in OPEN_STATUSES
            if by_status[status]
        ]
        lines.append(t.t(lang, "digest.meetings", count=len(meetings)))
        lines += [
            t.t(
                lang,
                "digest.meeting_line",
                when=weekday_moment(m.starts_at, lang, zone),
                kind=t.t(lang, f"meeting_kind.{m.kind}"),
            )
            for m in meetings
            if m.starts_at is not None
        ]
        lines.append(t.t(lang, "digest.actions_week", count=len(this_week)))
        # Sectors of fewer than three are pooled (bot.boards.disclosure), so no line, and no
        # total minus the named lines, is one person's count.
        lines.append(t.t(lang, "digest.overdue" if overdue else "digest.overdue_none"))
        lines += [
            t.t(lang, "digest.overdue_line", sector=t.t(lang, f"sector.{label}"), count=count)
            for label, count in of_members(members).counts(overdue)
        ]
        text = "\n".join(lines)
        if board_settings.digest_chart and by_status and len(text) <= MAX_CAPTION_CHARS:
            bars = tuple(
                (str(t.t(lang, f"case_status.{status}")), by_status[status])
                for status in OPEN_STATUSES
                if by_status[status]
            )
            png = await asyncio.to_thread(draw, Bars(str(t.t(lang, "digest.chart_title")), bars))
            return Document("digest.png", png, Reply(text), photo=True)
        return Reply(text)

    return {NUDGE: nudge, DIGEST: digest}
