"""How the agenda, the minutes and a recurring series read.

The group sees codes and counts ("minutes recorded for VT-7K3Q: 3 actions, next review 15.01");
the minutes themselves are read in private by the case's team and the coordinators.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.boards.rules import sector_order
from bot.kernel.dates import written_day
from bot.kernel.i18n import Html, Translator, escape, format_short
from bot.kernel.policy import COORDINATORS
from bot.kernel.ui import Button, DetailsOf, Reply
from bot.minutes.buttons import (
    AmendMinutes,
    ApproveMinutes,
    Attendance,
    MinutesSheet,
    MinuteTaker,
    ReadMinutes,
    RecordMinutes,
)
from bot.minutes.rules import missing, sectors_present
from bot.minutes.service import MinutesDoc, Sheet
from bot.votes.buttons import ProposeCase
from storage.models import CaseRecord, MeetingRecord, MinutesRecord, MinutesStatus


def short_day(day: date) -> str:
    return f"{day:%d.%m}"


def agenda_lines(
    t: Translator, lang: str, meeting: MeetingRecord, cases: list[CaseRecord], tz: ZoneInfo
) -> list[str]:
    """Codes and statuses only: this is what the group sees too."""
    when = (
        t.t(lang, "meetings.polling")
        if meeting.starts_at is None
        else format_short(meeting.starts_at, tz)
    )
    lines = [t.t(lang, "agenda.title", kind=t.t(lang, f"meeting_kind.{meeting.kind}"), when=when)]
    for number, case in enumerate(cases, start=1):
        lines.append(
            t.t(
                lang,
                "agenda.line",
                number=number,
                code=case.code,
                status=t.t(lang, f"case_status.{case.status}"),
            )
        )
    if not cases:
        lines.append(t.t(lang, "agenda.empty"))
    return lines


def _present_by_sector(
    t: Translator, lang: str, attendance: list[tuple[int, str]], names: dict[int, str]
) -> Html:
    """Already escaped: names are escaped here, once."""
    by_sector: dict[str, list[str]] = {}
    for user, sector in attendance:
        by_sector.setdefault(sector, []).append(names.get(user, "—"))
    return Html(
        "\n".join(
            f"• {t.t(lang, f'sector.{sector}')}: {escape(', '.join(by_sector[sector]))}"
            for sector in sectors_present(attendance)
        )
        or "—"
    )


def sheet_reply(t: Translator, lang: str, sheet: Sheet, tz: ZoneInfo) -> Reply:
    """The meeting's minutes at a glance, with what this person may do next."""
    meeting = sheet.meeting
    assert meeting.starts_at is not None
    lines = [
        t.t(
            lang,
            "minutes.sheet_title",
            kind=t.t(lang, f"meeting_kind.{meeting.kind}"),
            when=format_short(meeting.starts_at, tz),
        ),
        t.t(
            lang,
            "minutes.taker",
            name=sheet.names.get(meeting.minute_taker_id or 0, "—"),
        ),
        t.t(lang, "minutes.present", count=len(sheet.attendance)),
    ]
    lines.append(_present_by_sector(t, lang, sheet.attendance, sheet.names))
    lines.append(t.t(lang, "minutes.agenda_head"))
    rows: list[tuple[Button, ...]] = []
    for case, minutes in sheet.cases:
        state = "none" if minutes is None else minutes.status
        lines.append(
            t.t(
                lang, "minutes.case_line", code=case.code, state=t.t(lang, f"minutes_state.{state}")
            )
        )
        buttons = []
        if sheet.recorder and state != MinutesStatus.APPROVED:
            buttons.append(
                Button(
                    t.t(lang, "button.minutes_write", code=case.code),
                    RecordMinutes(meeting.id, case.id).pack(),
                )
            )
        if minutes is not None:
            buttons.append(
                Button(
                    t.t(lang, "button.minutes_read", code=case.code),
                    ReadMinutes(minutes.id).pack(),
                )
            )
        if buttons:
            rows.append(tuple(buttons))
    if not sheet.cases:
        lines.append(t.t(lang, "minutes.no_agenda"))
    if sheet.recorder:
        rows.append((Button(t.t(lang, "button.attendance"), Attendance(meeting.id).pack()),))
    if sheet.role in COORDINATORS:
        rows.append((Button(t.t(lang, "button.minute_taker"), MinuteTaker(meeting.id).pack()),))
    return Reply("\n".join(lines), tuple(rows))


def minutes_reply(t: Translator, lang: str, doc: MinutesDoc, tz: ZoneInfo) -> Reply:
    """The minutes in the AMBIT "thinking together" order, then actions and amendments."""
    minutes, meeting = doc.minutes, doc.meeting
    assert meeting.starts_at is not None
    dash = "—"
    lines = [
        t.t(
            lang,
            "minutes.doc_title",
            code=doc.case.code,
            when=format_short(meeting.starts_at, tz),
            state=t.t(lang, f"minutes_state.{minutes.status}"),
        ),
        t.t(
            lang,
            "minutes.doc_present",
            present=_present_by_sector(t, lang, doc.attendance, doc.names),
        ),
        t.t(lang, "minutes.doc_question", text=minutes.question or dash),
        t.t(lang, "minutes.doc_summary", text=minutes.summary or dash),
    ]
    order = {sector: i for i, sector in enumerate(sector_order({v.sector for v in doc.views}))}
    lines.append(t.t(lang, "minutes.doc_views", none="" if doc.views else f" {dash}"))
    for number, view in enumerate(sorted(doc.views, key=lambda v: order[v.sector]), start=1):
        lines.append(
            t.t(
                lang,
                "minutes.doc_view",
                number=number,
                sector=t.t(lang, f"sector.{view.sector}"),
                problem=view.problem or dash,
                todo=view.todo or dash,
                who=view.who or dash,
            )
        )
    lines += [
        t.t(lang, "minutes.doc_clash", text=minutes.clash or dash),
        t.t(lang, "minutes.doc_decision", text=minutes.decision or dash),
        t.t(
            lang,
            "minutes.doc_review",
            day=written_day(minutes.next_review) or dash,
        ),
        t.t(lang, "minutes.doc_actions", count=len(doc.actions)),
    ]
    for entry in doc.actions:
        lines.append(
            t.t(
                lang,
                "minutes.doc_action",
                title=entry.title,
                owner=doc.names.get(entry.owner_id or 0, dash),
                due=written_day(entry.due_on) or dash,
            )
        )
    for update in doc.updates:
        lines.append(
            t.t(
                lang,
                "minutes.doc_update",
                name=doc.names.get(update.author_id, dash),
                text=update.body,
            )
        )
    for amendment in doc.amendments:
        lines.append(
            t.t(
                lang,
                "minutes.doc_amendment",
                when=format_short(amendment.at, tz),
                name=doc.names.get(amendment.author_id, dash),
                text=amendment.body,
            )
        )
    rows: list[tuple[Button, ...]] = []
    if minutes.status == MinutesStatus.DRAFT:
        if doc.recorder:
            rows.append(
                (
                    Button(
                        t.t(lang, "button.minutes_continue"),
                        RecordMinutes(meeting.id, doc.case.id).pack(),
                    ),
                )
            )
        if doc.role in COORDINATORS:
            gaps = missing(minutes)
            if gaps:
                lines.append(
                    t.t(
                        lang,
                        "minutes.needs",
                        fields=", ".join(t.t(lang, f"minutes_field.{g}") for g in gaps),
                    )
                )
            else:
                rows.append(
                    (
                        Button(
                            t.t(lang, "button.minutes_approve"),
                            ApproveMinutes(minutes.id).pack(),
                        ),
                    )
                )
    elif doc.recorder:
        rows.append((Button(t.t(lang, "button.minutes_amend"), AmendMinutes(minutes.id).pack()),))
    rows.append(
        (
            Button(t.t(lang, "button.propose"), ProposeCase(doc.case.id).pack()),
            Button(t.t(lang, "button.back"), MinutesSheet(meeting.id).pack()),
        )
    )
    return Reply("\n".join(lines), tuple(rows), details_of=DetailsOf(doc.case.id))


def summary_line(
    t: Translator, lang: str, minutes: MinutesRecord, case: CaseRecord, actions: int
) -> Reply:
    """All the group learns of the minutes."""
    review = (
        t.t(lang, "minutes.summary_review", day=short_day(minutes.next_review))
        if minutes.next_review
        else ""
    )
    return Reply(t.tn(lang, "minutes.summary", actions, code=case.code, review=review))
