"""Typed records the repositories return. Plain data; the rules about them live in ``bot``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class BoardStatus(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"


class MembershipStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    DECLINED = "declined"
    SUSPENDED = "suspended"
    REMOVED = "removed"


class CaseStatus(StrEnum):
    RAISED = "raised"
    ACCEPTED = "accepted"
    IN_SUPERVISION = "in_supervision"
    PLAN_AGREED = "plan_agreed"
    MONITORING = "monitoring"
    REVIEW_DUE = "review_due"
    REOPENED = "reopened"
    DECLINED = "declined"
    CLOSED = "closed"


class TeamRole(StrEnum):
    """A person's part in one case's team (beside their role on the board)."""

    LEAD = "lead"
    KEYWORKER = "keyworker"
    CONTRIBUTOR = "contributor"


class ProposalStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    NO_QUORUM = "no_quorum"
    WITHDRAWN = "withdrawn"


class ActionStatus(StrEnum):
    OPEN = "open"
    BLOCKED = "blocked"
    DONE = "done"
    CANCELLED = "cancelled"


class MeetingStatus(StrEnum):
    POLLING = "polling"
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class SeriesStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


class MinutesStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"


class EscalationStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: int
    language: str | None
    private_chat_open: bool
    last_board_id: int | None = None
    telegram_language: str | None = None


@dataclass(frozen=True, slots=True)
class BoardRecord:
    id: int
    chat_id: int
    thread_id: int | None
    title: str
    status: BoardStatus
    join_code: str = ""
    handover_to: int | None = None
    created_by: int = 0
    code_prefix: str = "BD"


@dataclass(frozen=True, slots=True)
class MembershipRecord:
    board_id: int
    user_id: int
    role: str
    sector: str
    status: MembershipStatus
    display_name: str = ""
    conduct_version: int | None = None


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    at: datetime
    actor_id: int | None
    action: str
    board_id: int | None
    subject_type: str | None
    subject_id: str | None
    chat_id: int | None


@dataclass(frozen=True, slots=True)
class NewOutboxItem:
    chat_id: int
    kind: str
    due_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)
    board_id: int | None = None
    thread_id: int | None = None
    recipient_id: int | None = None
    subject_type: str | None = None
    subject_id: str | None = None
    useful_until: datetime | None = None
    dedupe_key: str | None = None


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    board_id: int | None
    chat_id: int
    thread_id: int | None
    recipient_id: int | None
    kind: str
    subject_type: str | None
    subject_id: str | None
    payload: dict[str, Any]
    due_at: datetime
    useful_until: datetime | None
    send_after: datetime
    dedupe_key: str | None
    state: str
    attempts: int
    reason: str | None
    message_id: int | None


@dataclass(frozen=True, slots=True)
class DialogRecord:
    user_id: int
    kind: str
    step: str
    board_id: int | None
    draft: dict[str, Any]
    started_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class BlankedInputRecord:
    """A free text with its personal data blanked, waiting for its author's choice, and where
    it was typed (``origin``: a dialogue step or a command, with what it needs to go on)."""

    user_id: int
    chat_id: int
    origin: str
    payload: dict[str, Any]
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CaseRecord:
    id: int
    board_id: int
    code: str
    label: str
    criteria: tuple[str, ...]
    factors: tuple[str, ...]
    lead_sector: str
    other_sectors: tuple[str, ...]
    urgency: str
    legal_basis: str
    summary: str
    status: CaseStatus
    raised_by: int
    created_at: datetime
    last_activity_at: datetime
    carousel_at: datetime | None = None
    """When the bot flagged the case as moved between services too often (and told the board)."""
    strengths: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    child_view: str = ""
    """Whether the child's own view was heard: "yes", "no", "not_possible", or "" (not yet)."""
    child_view_on: date | None = None
    interventions: tuple[tuple[str, str], ...] = ()
    """What was tried, each with whether it helped ("helped", "partly", "not")."""


@dataclass(frozen=True, slots=True)
class CaseLinkRecord:
    """A case's link to a related one (``other_id``, ``other_code``: the related case, whichever
    side of the stored pair it is); ``kind``: sibling, twin, same_family, other."""

    case_id: int
    other_id: int
    kind: str
    other_code: str


@dataclass(frozen=True, slots=True)
class CaseEventRecord:
    id: int
    case_id: int
    at: datetime
    actor_id: int | None
    kind: str
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CaseNoteRecord:
    id: int
    at: datetime
    author_id: int
    kind: str
    body: str


@dataclass(frozen=True, slots=True)
class TransferRecord:
    id: int
    moved_on: date
    from_service: str
    to_service: str
    reason: str


@dataclass(frozen=True, slots=True)
class ProposalRecord:
    id: int
    board_id: int
    case_id: int
    title: str
    details: str
    proposed_by: int
    status: ProposalStatus
    anonymous: bool
    outcome_rule: str
    quorum_percent: int
    every_sector: bool
    duration_hours: int
    owner_id: int | None
    due_on: date | None
    message_id: int | None
    created_at: datetime
    opened_at: datetime | None
    closes_at: datetime | None
    closed_at: datetime | None
    closed_by: int | None
    result: dict[str, Any]
    """The tally as it stood at closing (counts, turnout, outcome), kept when choices are sealed."""


@dataclass(frozen=True, slots=True)
class VoteRecord:
    user_id: int
    choice: str
    reason: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class ActionRecord:
    id: int
    board_id: int
    case_id: int
    proposal_id: int | None
    title: str
    owner_id: int | None
    due_on: date | None
    status: ActionStatus
    snoozed_until: datetime | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    id: int
    board_id: int
    kind: str
    status: MeetingStatus
    starts_at: datetime | None
    duration_minutes: int
    place: str
    sequence: int
    created_by: int
    created_at: datetime
    updated_at: datetime
    series_id: int | None = None
    occurrence: datetime | None = None
    """The original start of a series' occurrence (its RECURRENCE-ID), kept when it is moved."""
    minute_taker_id: int | None = None
    attendance_taken: bool = False


@dataclass(frozen=True, slots=True)
class SeriesRecord:
    id: int
    board_id: int
    kind: str
    rrule: str
    first_start: datetime
    until_day: date | None
    duration_minutes: int
    place: str
    status: SeriesStatus
    sequence: int
    created_by: int


@dataclass(frozen=True, slots=True)
class MinutesRecord:
    id: int
    meeting_id: int
    case_id: int
    status: MinutesStatus
    question: str
    summary: str
    clash: str
    decision: str
    next_review: date | None
    written_by: int
    updated_at: datetime
    approved_by: int | None
    approved_at: datetime | None


@dataclass(frozen=True, slots=True)
class SectorView:
    sector: str
    problem: str
    todo: str
    who: str


@dataclass(frozen=True, slots=True)
class MinutesActionRecord:
    id: int
    title: str
    owner_id: int | None
    due_on: date | None
    action_id: int | None


@dataclass(frozen=True, slots=True)
class AmendmentRecord:
    id: int
    author_id: int
    body: str
    at: datetime


@dataclass(frozen=True, slots=True)
class AgendaUpdateRecord:
    id: int
    meeting_id: int
    case_id: int
    author_id: int
    body: str
    at: datetime


@dataclass(frozen=True, slots=True)
class SlotRecord:
    id: int
    meeting_id: int
    position: int
    starts_at: datetime


@dataclass(frozen=True, slots=True)
class PrefsRecord:
    user_id: int
    quiet_start: str | None
    quiet_end: str | None
    quiet_weekends: bool | None
    muted: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EscalationRecord:
    id: int
    board_id: int
    case_id: int | None
    raised_by: int
    kind: str
    urgency: str
    description: str
    neutral_line: bool
    status: EscalationStatus
    level: int
    outcome: str | None
    created_at: datetime
    updated_at: datetime
    acknowledged_by: int | None
