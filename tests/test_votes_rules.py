"""The decision rules: tallies, quorum, both outcome rules, and the action rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.actions.rules import days_overdue, is_overdue, operations, snooze_until
from bot.votes.rules import (
    CHOICES,
    Ballot,
    Tally,
    Voter,
    VoteRules,
    decide,
    quorum_needed,
    reminder_time,
    tally,
)

CONSENT = VoteRules("consent", 50, every_sector=False)
MAJORITY = VoteRules("majority", 50, every_sector=False)
VOTERS = [
    Voter(1, "social"),
    Voter(2, "education"),
    Voter(3, "health"),
    Voter(4, "police"),
    Voter(5, "education"),
    Voter(6, "other"),
]


def ballots(*choices: str) -> list[Ballot]:
    return [Ballot(index + 1, choice) for index, choice in enumerate(choices)]


def counts(agree: int = 0, abstain: int = 0, disagree: int = 0, block: int = 0) -> dict[str, int]:
    return {"agree": agree, "abstain": abstain, "disagree": disagree, "block": block}


def test_quorum_is_the_share_of_voters_rounded_up() -> None:
    assert [
        quorum_needed(6, 50),
        quorum_needed(5, 50),
        quorum_needed(3, 66),
        quorum_needed(4, 0),
    ] == [
        3,
        3,
        2,
        0,
    ]


def test_consent_accepts_when_nobody_blocks_and_agree_outnumbers_disagree() -> None:
    assert decide(counts(agree=2, disagree=1), "consent") == "accepted"
    assert decide(counts(agree=4, disagree=0, block=1), "consent") == "rejected"


def test_a_tie_is_not_a_decision_under_either_rule() -> None:
    assert decide(counts(agree=2, disagree=2), "consent") == "rejected"
    assert decide(counts(agree=2, disagree=2), "majority") == "rejected"


def test_under_majority_a_block_counts_against() -> None:
    assert decide(counts(agree=3, disagree=1, block=1), "majority") == "accepted"
    assert decide(counts(agree=2, disagree=1, block=1), "majority") == "rejected"


def test_all_abstaining_meets_the_quorum_but_decides_nothing() -> None:
    result = tally(ballots("abstain", "abstain", "abstain"), VOTERS, CONSENT)
    assert (result.quorum_met, result.outcome) == (True, "rejected")


def test_too_few_voters_is_no_quorum_whatever_they_chose() -> None:
    result = tally(ballots("agree", "agree"), VOTERS, CONSENT)
    assert (result.voted, result.needed, result.outcome) == (2, 3, "no_quorum")


def test_nobody_entitled_to_vote_is_never_a_quorum() -> None:
    assert tally([], [], VoteRules("consent", 0, every_sector=False)).outcome == "no_quorum"


def test_a_member_removed_mid_vote_no_longer_counts_either_way() -> None:
    cast = ballots("agree", "agree", "block", "agree")
    before = tally(cast, VOTERS, CONSENT)
    after = tally(cast, [v for v in VOTERS if v.user_id != 3], CONSENT)
    assert (before.outcome, after.outcome) == ("rejected", "accepted")
    assert (after.eligible, after.voted, after.counts["block"]) == (5, 3, 0)


def test_a_withdrawn_block_turns_a_consent_vote_around() -> None:
    blocked = tally(ballots("agree", "agree", "block"), VOTERS, CONSENT)
    withdrawn = tally(ballots("agree", "agree", "abstain"), VOTERS, CONSENT)
    assert (blocked.outcome, withdrawn.outcome) == ("rejected", "accepted")


def test_every_sector_rule_waits_for_the_involved_sectors_with_voters() -> None:
    rules = VoteRules("consent", 50, every_sector=True)
    partial = tally(ballots("agree", "agree", "agree"), VOTERS, rules, ("education", "police"))
    assert partial.sectors_missing == ("police",)
    assert partial.outcome == "no_quorum"
    with_police = tally(
        [*ballots("agree", "agree", "agree"), Ballot(4, "disagree")], VOTERS, rules, ("police",)
    )
    assert with_police.outcome == "accepted"


def test_a_sector_without_voters_on_the_board_is_not_required() -> None:
    rules = VoteRules("consent", 50, every_sector=True)
    result = tally(ballots("agree", "agree", "agree"), VOTERS, rules, ("municipality",))
    assert result.sectors_missing == () and result.outcome == "accepted"


def test_sectors_that_voted_are_listed_once_in_the_boards_order() -> None:
    result = tally(ballots("agree", "agree", "agree", "agree", "agree"), VOTERS, CONSENT)
    assert result.sectors_voted == ("social", "education", "health", "police")


def test_a_tally_survives_its_json_form() -> None:
    result = tally(ballots("agree", "disagree", "block"), VOTERS, MAJORITY, ("police",))
    assert Tally.from_json(result.to_json()) == result


@given(st.lists(st.sampled_from(CHOICES), max_size=6), st.integers(0, 100), st.booleans())
def test_any_ballots_give_a_consistent_tally(
    choices: list[str], percent: int, every_sector: bool
) -> None:
    result = tally(ballots(*choices), VOTERS, VoteRules("consent", percent, every_sector))
    assert sum(result.counts.values()) == result.voted == len(choices)
    assert result.outcome in ("accepted", "rejected", "no_quorum")
    assert result.outcome != "accepted" or result.counts["block"] == 0


def test_the_reminder_comes_a_day_before_or_half_way_for_short_votes() -> None:
    opened = datetime(2026, 11, 23, 10, tzinfo=UTC)
    assert reminder_time(opened, opened + timedelta(hours=72)) == opened + timedelta(hours=48)
    assert reminder_time(opened, opened + timedelta(hours=24)) == opened + timedelta(hours=12)


# actions -----------------------------------------------------------------------------------------
def test_overdue_is_computed_from_the_due_date_and_only_for_active_actions() -> None:
    today = date(2026, 11, 23)
    assert is_overdue(date(2026, 11, 20), "open", today)
    assert not is_overdue(date(2026, 11, 23), "open", today)
    assert not is_overdue(date(2026, 11, 20), "done", today)
    assert days_overdue(date(2026, 11, 20), today) == 3


@pytest.mark.parametrize(
    ("status", "owner", "manager", "expected"),
    [
        ("open", True, False, ["done", "blocked", "snooze"]),
        ("open", False, True, ["assign", "cancel"]),
        ("blocked", True, True, ["reopen", "done", "assign", "cancel"]),
        ("done", True, True, []),
        ("open", False, False, []),
    ],
)
def test_the_owner_progresses_and_the_lead_or_coordinator_manages(
    status: str, owner: bool, manager: bool, expected: list[str]
) -> None:
    assert operations(status, is_owner=owner, is_manager=manager) == expected


def test_snoozing_lands_on_a_morning_in_the_boards_time_zone() -> None:
    sofia = ZoneInfo("Europe/Sofia")
    monday = datetime(2026, 11, 23, 18, tzinfo=UTC)
    assert snooze_until("tomorrow", monday, sofia) == datetime(2026, 11, 24, 9, tzinfo=sofia)
    assert snooze_until("week", monday, sofia) == datetime(2026, 11, 30, 9, tzinfo=sofia)
    assert snooze_until("forever", monday, sofia) is None
