"""Proposals and votes: the rules (tally, quorum, outcome) and the service that applies them.

The rules are pure functions of the ballots and the people entitled to vote *now*: a member removed
mid-vote no longer counts, either way. The service re-checks the voter's role on the proposal's
board inside every transaction, so a forged or replayed button changes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.boards.rules import sector_order
from bot.kernel.policy import VOTERS, Role
from storage.models import (
    ProposalRecord,
    ProposalStatus,
)

CHOICES = ("agree", "abstain", "disagree", "block")


MAX_TITLE = 120
"""The title is what the group sees: a short action, never a description of the child."""


MAX_DETAILS = 600


MAX_REASON = 300


MERGE_WINDOW = timedelta(seconds=5)
"""Presses within one window become one edit of the group message (Telegram: ~20 per minute)."""


REMIND_BEFORE = timedelta(hours=24)


BLOCK_DIALOG = "block"
"""The private dialogue that asks a blocker's reason (a different choice closes it)."""


# the rules ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Voter:
    user_id: int
    sector: str


@dataclass(frozen=True, slots=True)
class Ballot:
    user_id: int
    choice: str


@dataclass(frozen=True, slots=True)
class VoteRules:
    outcome_rule: str
    quorum_percent: int
    every_sector: bool


@dataclass(frozen=True, slots=True)
class Tally:
    counts: dict[str, int]
    eligible: int
    voted: int
    needed: int
    """How many must take part for the quorum."""
    sectors_voted: tuple[str, ...]
    sectors_missing: tuple[str, ...]
    """Sectors involved in the case that must vote (when the board asks for it) and have not."""
    quorum_met: bool
    outcome: ProposalStatus
    """What closing now would give: ``accepted``, ``rejected`` or ``no_quorum``."""

    def to_json(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "eligible": self.eligible,
            "voted": self.voted,
            "needed": self.needed,
            "sectors_voted": list(self.sectors_voted),
            "sectors_missing": list(self.sectors_missing),
            "quorum_met": self.quorum_met,
            "outcome": self.outcome,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Tally:
        return cls(
            counts={choice: int(data.get("counts", {}).get(choice, 0)) for choice in CHOICES},
            eligible=int(data.get("eligible", 0)),
            voted=int(data.get("voted", 0)),
            needed=int(data.get("needed", 0)),
            sectors_voted=tuple(data.get("sectors_voted", ())),
            sectors_missing=tuple(data.get("sectors_missing", ())),
            quorum_met=bool(data.get("quorum_met", False)),
            outcome=ProposalStatus(data.get("outcome", ProposalStatus.NO_QUORUM)),
        )


def quorum_needed(eligible: int, percent: int) -> int:
    """At least ``percent`` of those entitled to vote, rounded up."""
    return math.ceil(eligible * percent / 100)


def decide(counts: dict[str, int], outcome_rule: str) -> ProposalStatus:
    """Consent: nobody blocks and agree outnumbers disagree. Majority: agree outnumbers
    disagree and block together. A tie is not a decision."""
    agree, disagree, block = counts["agree"], counts["disagree"], counts["block"]
    if outcome_rule == "consent":
        accepted = block == 0 and agree > disagree
    else:
        accepted = agree > disagree + block
    return ProposalStatus.ACCEPTED if accepted else ProposalStatus.REJECTED


def tally(
    ballots: Sequence[Ballot],
    voters: Sequence[Voter],
    rules: VoteRules,
    case_sectors: Sequence[str] = (),
) -> Tally:
    """Count the ballots of those entitled to vote now; sectors with no voter are not required."""
    sector_of = {voter.user_id: voter.sector for voter in voters}
    counted = [b for b in ballots if b.user_id in sector_of and b.choice in CHOICES]
    counts = {choice: sum(1 for b in counted if b.choice == choice) for choice in CHOICES}
    voted_sectors = sector_order(sector_of[b.user_id] for b in counted)
    required = set(case_sectors) & set(sector_of.values()) if rules.every_sector else set()
    missing = sector_order(required - set(voted_sectors))
    needed = quorum_needed(len(sector_of), rules.quorum_percent)
    quorum_met = bool(sector_of) and len(counted) >= needed and not missing
    return Tally(
        counts=counts,
        eligible=len(sector_of),
        voted=len(counted),
        needed=needed,
        sectors_voted=voted_sectors,
        sectors_missing=missing,
        quorum_met=quorum_met,
        outcome=decide(counts, rules.outcome_rule) if quorum_met else ProposalStatus.NO_QUORUM,
    )


def closing_time(opened: datetime, duration_hours: int) -> datetime:
    return opened + timedelta(hours=duration_hours)


def reminder_time(opened: datetime, closes: datetime) -> datetime:
    """A day before closing; for short votes, half-way through."""
    return max(closes - REMIND_BEFORE, opened + (closes - opened) / 2)


def is_open(proposal: ProposalRecord, now: datetime) -> bool:
    """Votes are taken until the closing time, even before the deadline row has run."""
    return proposal.status == ProposalStatus.OPEN and (
        proposal.closes_at is None or now < proposal.closes_at
    )


def may_vote(role: Role) -> bool:
    return role in VOTERS
