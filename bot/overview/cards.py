"""``/today`` as one private message per board: what needs this person, most urgent first, each
item one tap from its card, then what changed since they last looked."""

from __future__ import annotations

from datetime import datetime

from bot.actions.buttons import ActionPress
from bot.actions.rules import ActionOp, days_overdue, is_overdue
from bot.cases.buttons import CaseDetails
from bot.cases.rules import days_since
from bot.kernel.i18n import Translator, weekday_day, weekday_moment
from bot.kernel.ui import Button, Reply
from bot.meetings.buttons import MeetingCard
from bot.overview.rules import SHOWN, BoardPicture, status_counts
from bot.votes.buttons import VoteBrief

MAX_BUTTONS = 8
"""Buttons under one overview: the most urgent items; the rest are in the lines above them."""


def overview_reply(t: Translator, lang: str, picture: BoardPicture, now: datetime) -> Reply:
    p = picture
    zone = p.zone
    lines = [t.t(lang, "overview.title", board=p.title, day=weekday_day(p.today, lang))]
    buttons: list[Button] = []
    if p.coordinating:
        lines.append(t.tn(lang, "overview.cases", len(p.cases)))
        counts = status_counts(list(p.cases))
        if counts:
            lines.append(
                "   "
                + " · ".join(
                    f"{t.t(lang, f'case_status.{status}')} {count}" for status, count in counts
                )
            )
    if p.is_quiet:
        lines.append(t.t(lang, "overview.quiet"))
    if p.pending:
        lines.append(t.tn(lang, "overview.pending", len(p.pending)))
    if p.concerns:
        lines.append(t.tn(lang, "overview.concerns", len(p.concerns)))
    if p.actions:
        heading = "overview.actions" if p.coordinating else "overview.my_actions"
        lines.append(t.tn(lang, heading, len(p.actions), overdue=p.overdue))
        for action in p.actions[:SHOWN]:
            code = p.codes.get(action.case_id, "—")
            assert action.due_on is not None  # actions_first keeps only those with a date
            when = (
                t.tn(lang, "overview.overdue_by", days_overdue(action.due_on, p.today))
                if is_overdue(action.due_on, action.status, p.today)
                else t.t(lang, "overview.due_on", day=weekday_day(action.due_on, lang))
            )
            if p.coordinating:
                owner = p.names.get(action.owner_id or 0, t.t(lang, "action.no_owner"))
                line = t.t(
                    lang,
                    "overview.action_line",
                    code=code,
                    title=action.title,
                    owner=owner,
                    when=when,
                )
            else:  # their own: no need to name them
                line = t.t(
                    lang, "overview.my_action_line", code=code, title=action.title, when=when
                )
            lines.append(line)
            label = f"📌 {code} · {action.title}"[:60]
            buttons.append(Button(label, ActionPress(action.id, ActionOp.VIEW).pack()))
        _more(t, lang, lines, len(p.actions))
    if p.votes:
        lines.append(t.tn(lang, "overview.votes", len(p.votes)))
        for vote in p.votes[:SHOWN]:
            code = p.codes.get(vote.proposal.case_id, "—")
            closes = (
                weekday_moment(vote.proposal.closes_at, lang, zone)
                if vote.proposal.closes_at is not None
                else "—"
            )
            key = "overview.vote_line_voted" if vote.mine else "overview.vote_line"
            lines.append(
                t.t(
                    lang,
                    key,
                    code=code,
                    title=vote.proposal.title,
                    voted=vote.voted,
                    voters=p.voters,
                    closes=closes,
                )
            )
            label = f"🗳 {code} · {vote.proposal.title}"[:60]
            buttons.append(Button(label, VoteBrief(vote.proposal.id).pack()))
        _more(t, lang, lines, len(p.votes))
    if p.meetings:
        lines.append(t.tn(lang, "overview.meetings", len(p.meetings)))
        for meeting in p.meetings[:SHOWN]:
            kind = t.t(lang, f"meeting_kind.{meeting.kind}")
            when = (
                weekday_moment(meeting.starts_at, lang, zone)
                if meeting.starts_at is not None
                else t.t(lang, "overview.meeting_polling")
            )
            lines.append(t.t(lang, "overview.meeting_line", kind=kind, when=when))
            buttons.append(Button(f"📅 {when} · {kind}"[:60], MeetingCard(meeting.id).pack()))
        _more(t, lang, lines, len(p.meetings))
    if p.needs_look:
        lines.append(t.tn(lang, "overview.needs_look", len(p.needs_look)))
        for case in p.needs_look[:SHOWN]:
            mark = "🎠" if case.carousel_at is not None else "⏸"
            status = t.t(lang, f"case_status.{case.status}")
            if case.carousel_at is not None:  # moved again and again: that is the point here
                line = t.t(lang, "overview.carousel_line", code=case.code, status=status)
            else:
                idle = days_since(case.last_activity_at, now)
                line = t.tn(lang, "overview.case_line", idle, code=case.code, status=status)
            lines.append(line)
            buttons.append(Button(f"{mark} {case.code}", CaseDetails(case.id).pack()))
        _more(t, lang, lines, len(p.needs_look))
    if p.since is not None:
        since = weekday_moment(p.since, lang, zone)
        if not p.changes:
            lines.append(t.t(lang, "overview.no_changes", since=since))
        else:
            lines.append(t.tn(lang, "overview.changes", len(p.changes), since=since))
            for change in p.changes[:SHOWN]:
                what = ", ".join(
                    t.tn(lang, f"overview.change.{kind}", count) for kind, count in change.kinds
                )
                lines.append(
                    t.t(
                        lang,
                        "overview.change_line",
                        code=p.codes.get(change.case_id, "—"),
                        what=what,
                    )
                )
            _more(t, lang, lines, len(p.changes))
    else:
        lines.append(t.t(lang, "overview.first_look"))
    keyboard = tuple((button,) for button in buttons[:MAX_BUTTONS])
    return Reply("\n".join(lines), keyboard)


def _more(t: Translator, lang: str, lines: list[str], count: int) -> None:
    if count > SHOWN:
        lines.append(t.tn(lang, "overview.more", count - SHOWN))
