"""The agenda of the next meeting: cases added by code, the team's brief before the meeting, and
written updates from those who cannot come.

The group only ever sees codes; the brief and the updates go in private, through the outbox,
worded at send time (a case taken off the agenda or erased meanwhile sends nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.kernel.policy import COORDINATORS, VOTERS, Role
from storage.models import MeetingRecord, MeetingStatus

MAX_UPDATE = 2000


# rules --------------------------------------------------------------------------------------------
def next_meeting(meetings: Sequence[MeetingRecord], now: datetime) -> MeetingRecord | None:
    """The soonest scheduled meeting that has not started; an open time poll only when there is
    none (its agenda is ready whichever time wins)."""
    ahead = [
        m
        for m in meetings
        if m.status == MeetingStatus.SCHEDULED and m.starts_at and m.starts_at > now
    ]
    if ahead:
        return min(ahead, key=lambda m: (m.starts_at, m.id))
    polls = [m for m in meetings if m.status == MeetingStatus.POLLING]
    return min(polls, key=lambda m: m.id) if polls else None


def may_set_agenda(role: Role, team_roles: set[str]) -> bool:
    """The coordinators, and the case's lead."""
    return role in COORDINATORS or (role in VOTERS and "lead" in team_roles)


def brief_is_due(meeting: MeetingRecord, brief_days: int, now: datetime) -> bool:
    """Past the brief's moment but before the start: a case added now gets its brief at once."""
    return (
        meeting.status == MeetingStatus.SCHEDULED
        and meeting.starts_at is not None
        and meeting.starts_at - timedelta(days=brief_days) <= now < meeting.starts_at
    )
