"""The pure rules of minutes: who may record and approve them, what a draft still lacks, the
order of the sectors' views and of the dialogue's steps (the transactions: bot.minutes.service)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.boards.rules import SECTORS, sector_order
from bot.kernel.policy import BOARD_MEMBERS, COORDINATORS, Role
from storage.models import (
    MeetingRecord,
    MeetingStatus,
    MinutesRecord,
    SectorView,
)

MAX_FIELD = 2000


MAX_ACTION_TITLE = 120


RECENT = timedelta(days=90)
"""Meetings offered in /minutes: minutes are written soon after, not a season later."""


# rules --------------------------------------------------------------------------------------------
def may_record(role: Role, user_id: int, meeting: MeetingRecord) -> bool:
    """The coordinators, or the minute-taker they named (while still on the board)."""
    return role in COORDINATORS or (role in BOARD_MEMBERS and meeting.minute_taker_id == user_id)


def may_approve(role: Role) -> bool:
    return role in COORDINATORS


def is_held(meeting: MeetingRecord, now: datetime) -> bool:
    """Minutes are written once the meeting has begun, and never for a cancelled one."""
    return (
        meeting.status == MeetingStatus.SCHEDULED
        and meeting.starts_at is not None
        and meeting.starts_at <= now
    )


def missing(minutes: MinutesRecord) -> list[str]:
    """What approval still needs: the question brought and the decision taken."""
    return [name for name in ("question", "decision") if not getattr(minutes, name).strip()]


def sectors_present(attendance: Sequence[tuple[int, str]]) -> tuple[str, ...]:
    return sector_order({sector for _, sector in attendance})


def sectors_to_hear(
    attendance: Sequence[tuple[int, str]], involved: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Whose views the minutes ask for, and which of them were away: every sector present,
    then each of the case's own sectors that was not (heard through its written update, if it
    sent one, and marked absent either way)."""
    here = list(sectors_present(attendance))
    away = [s for s in sector_order(set(involved) & set(SECTORS)) if s not in here]
    return here + away, away


VIEW_PARTS = ("problem", "todo", "who")


def next_minutes_step(step: str, draft: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The step after ``step`` in the recording dialogue: the question, the case in short, each
    present sector's three answers, where the views clash, the decision, the next review, then
    the actions (title, owner, due date, and back to the actions)."""
    sectors = list(draft.get("sectors") or [])
    if step == "question":
        return "summary", draft
    if step == "summary":
        if sectors:
            return "view", {**draft, "si": 0, "part": VIEW_PARTS[0]}
        return "clash", draft
    if step == "view":
        part = str(draft.get("part", VIEW_PARTS[0]))
        index = int(draft.get("si", 0))
        at = VIEW_PARTS.index(part) if part in VIEW_PARTS else len(VIEW_PARTS) - 1
        if at + 1 < len(VIEW_PARTS):
            return "view", {**draft, "part": VIEW_PARTS[at + 1]}
        if index + 1 < len(sectors):
            return "view", {**draft, "si": index + 1, "part": VIEW_PARTS[0]}
        return "clash", draft
    if step == "clash":
        return "decision", draft
    if step == "decision":
        return "review", draft
    if step == "act_title":
        return "act_owner", draft
    if step == "act_owner":
        return "act_due", draft
    return "actions", draft  # after the review and after each action


def resume_minutes_step(
    minutes: MinutesRecord, views: Sequence[SectorView], sectors: Sequence[str]
) -> tuple[str, dict[str, Any]]:
    """Where a paused draft picks up: at the actions once the question and the decision are
    written, else at the first empty answer (a skipped one is offered again, with its Skip)."""
    if minutes.question.strip() and minutes.decision.strip():
        return "actions", {}
    if not minutes.question.strip():
        return "question", {}
    if not minutes.summary.strip():
        return "summary", {}
    written = {v.sector: v for v in views}
    for index, sector in enumerate(sectors):
        for part in VIEW_PARTS:
            view = written.get(sector)
            if view is None or not getattr(view, part).strip():
                return "view", {"si": index, "part": part}
    if not minutes.clash.strip():
        return "clash", {}
    return "decision", {}
