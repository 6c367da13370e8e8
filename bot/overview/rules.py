"""What needs a person today on one board, in the order a busy coordinator reads it.

Pure rules over records already read: which actions come first (the most overdue), which cases
need a look (stalled, carousel), which votes are still waiting for this person, and what changed
since they last looked, summed per case. No Telegram, no SQL.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.actions.rules import ACTIVE, is_overdue
from bot.cases.rules import OPEN_STATUSES, is_stalled
from storage.models import (
    ActionRecord,
    CaseRecord,
    EscalationRecord,
    MeetingRecord,
    MembershipRecord,
    ProposalRecord,
)

SOON = timedelta(days=14)
"""Meetings this close are shown."""


DUE_SOON_DAYS = 7
"""Actions due within this many days are shown after the overdue ones."""


SHOWN = 5
"""At most this many lines a section; the rest is counted ("and 3 more")."""


CHANGE_ORDER = (
    "raised",
    "status",
    "note",
    "transfer",
    "carousel",
    "proposal_opened",
    "proposal_closed",
    "action_created",
    "action_done",
    "action_blocked",
    "escalation",
    "minutes_approved",
)
"""The kinds of change worth naming, in the order they are named; others count as "other"."""


@dataclass(frozen=True, slots=True)
class OpenVote:
    proposal: ProposalRecord
    voted: int
    mine: bool


@dataclass(frozen=True, slots=True)
class CaseChanges:
    case_id: int
    kinds: tuple[tuple[str, int], ...]
    """(kind, how many), named kinds first in :data:`CHANGE_ORDER`, then "other"."""


@dataclass(frozen=True, slots=True)
class BoardPicture:
    """What one person sees of one board: the whole board for a coordinator, their own part
    for everyone else."""

    board_id: int
    title: str
    zone: ZoneInfo
    coordinating: bool
    today: date
    since: datetime | None
    pending: tuple[MembershipRecord, ...] = ()
    concerns: tuple[EscalationRecord, ...] = ()
    cases: tuple[CaseRecord, ...] = ()
    needs_look: tuple[CaseRecord, ...] = ()
    actions: tuple[ActionRecord, ...] = ()
    votes: tuple[OpenVote, ...] = ()
    meetings: tuple[MeetingRecord, ...] = ()
    changes: tuple[CaseChanges, ...] = ()
    codes: dict[int, str] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    voters: int = 0
    """How many on the board may vote (a vote's turnout is "3 of 5")."""

    @property
    def overdue(self) -> int:
        return sum(1 for a in self.actions if is_overdue(a.due_on, a.status, self.today))

    @property
    def is_quiet(self) -> bool:
        """Nothing at all to show: say so in one line instead of empty sections."""
        return not (
            self.pending
            or self.concerns
            or self.needs_look
            or self.actions
            or self.votes
            or self.meetings
            or self.changes
        )


def actions_first(actions: list[ActionRecord], today: date) -> list[ActionRecord]:
    """Active actions that need attention: overdue (the most overdue first), then due within
    :data:`DUE_SOON_DAYS`, soonest first; those with no due date or far off are left out."""
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    shown = [
        a for a in actions if a.status in ACTIVE and a.due_on is not None and a.due_on <= horizon
    ]
    return sorted(shown, key=lambda a: (a.due_on, a.id))  # the earliest due is the most overdue


def cases_needing_a_look(
    cases: list[CaseRecord], now: datetime, stall_days: int
) -> list[CaseRecord]:
    """Open cases that went quiet or keep moving the child: the longest quiet first."""
    marked = [
        c
        for c in cases
        if c.carousel_at is not None or is_stalled(c.status, c.last_activity_at, now, stall_days)
    ]
    return sorted(marked, key=lambda c: (c.last_activity_at, c.id))


def status_counts(cases: list[CaseRecord]) -> list[tuple[str, int]]:
    """(status, how many) of the open cases, in the lifecycle's order."""
    counts = Counter(str(c.status) for c in cases)
    return [(str(status), counts[status]) for status in OPEN_STATUSES if counts[status]]


def summed_changes(rows: list[tuple[int, str, str, int]]) -> list[CaseChanges]:
    """Per case, in the order the rows come (the most recently changed first)."""
    per_case: dict[int, Counter[str]] = {}
    for case_id, _code, kind, count in rows:
        named = kind if kind in CHANGE_ORDER else "other"
        per_case.setdefault(case_id, Counter())[named] += count
    return [
        CaseChanges(
            case_id,
            tuple(
                sorted(
                    kinds.items(),
                    key=lambda item: CHANGE_ORDER.index(item[0]) if item[0] in CHANGE_ORDER else 99,
                )
            ),
        )
        for case_id, kinds in per_case.items()
    ]


def upcoming(meetings: list[MeetingRecord], now: datetime) -> list[MeetingRecord]:
    """Polls still open and meetings within :data:`SOON`."""
    return [m for m in meetings if m.starts_at is None or m.starts_at <= now + SOON]
