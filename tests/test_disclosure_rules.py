"""What a group may learn of a board's sectors (bot.boards.disclosure): never fewer than three."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.boards.disclosure import MIN_NAMED_MEMBERS, POOLED, group_sectors
from bot.boards.rules import SECTORS


def people(**sizes: int) -> list[str]:
    return [sector for sector, n in sizes.items() for _ in range(n)]


def test_sectors_of_three_are_named_and_smaller_ones_pooled() -> None:
    shown = group_sectors(people(social=3, education=4, health=2, police=1))
    assert shown.named == {"social", "education"}
    assert shown.label("health") == POOLED and shown.label("social") == "social"
    assert shown.labels(["police", "education", "social", "health"]) == (
        "social",
        "education",
        POOLED,
    )
    assert shown.counts({"health": 1, "police": 2, "social": 1}) == [("social", 1), (POOLED, 3)]
    assert shown.filters() == ("social", "education")


def test_a_pool_of_one_takes_the_smallest_named_sector_with_it() -> None:
    """Social 5, education 3, health 1: "smaller sectors" would be the one health person."""
    shown = group_sectors(people(social=5, education=3, health=1))
    assert shown.named == {"social"}
    assert shown.label("education") == POOLED


def test_one_large_sector_beside_one_person_names_nothing() -> None:
    """Social 6 and the coordinator alone in "other": naming social would point at her."""
    assert group_sectors(people(social=6, other=1)).named == frozenset()


def test_a_board_of_large_sectors_only_has_no_pool() -> None:
    shown = group_sectors(people(social=3, health=3))
    assert shown.named == {"social", "health"}
    assert shown.counts({"social": 2}) == [("social", 2)]
    assert shown.labels([]) == ()


@given(st.dictionaries(st.sampled_from(SECTORS), st.integers(min_value=1, max_value=6)))
def test_no_name_and_no_pool_ever_points_at_fewer_than_three(sizes: dict[str, int]) -> None:
    shown = group_sectors(people(**sizes))
    assert all(sizes[s] >= MIN_NAMED_MEMBERS for s in shown.named)
    pooled = sum(n for s, n in sizes.items() if s not in shown.named)
    assert pooled == 0 or pooled >= MIN_NAMED_MEMBERS or not shown.named
    # and it hides no more than it must: a board of only large sectors names them all
    if all(n >= MIN_NAMED_MEMBERS for n in sizes.values()):
        assert shown.named == set(sizes)


def test_a_board_of_two_shows_no_sector_list_at_all() -> None:
    """Two people: "smaller sectors voted" would be one of them; lists and counts are left out."""
    shown = group_sectors(people(social=1, health=1))
    assert shown.named == frozenset() and shown.too_few
    assert shown.labels(["social"]) == () and shown.counts({"social": 1}) == []
