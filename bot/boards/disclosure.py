"""What a group may learn about the sectors of its board's people.

In a sector of one, "education voted" or "education: 2 overdue" is that person (domain.md,
Privacy). So in a group a sector is named only when at least :data:`MIN_NAMED_MEMBERS` people
sit in it; the rest are pooled as "smaller sectors". When the pool itself would be under the
minimum (one small sector beside large ones is still one person), the smallest named sectors
join it until it is not: complementary suppression, so neither a name nor the pool, nor a total
minus the named ones, points at fewer than three people. Private chats are unaffected: members
see each other's names there anyway.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.boards.rules import SECTORS, sector_order
from bot.kernel.policy import Role
from storage.models import MembershipRecord

MIN_NAMED_MEMBERS = 3
"""A sector with fewer people than this is never named in a group."""


POOLED = "pooled"
"""The label of the smaller sectors together (``sector.pooled`` in the catalogs)."""


@dataclass(frozen=True, slots=True)
class GroupSectors:
    """Which of a board's sectors a group may see named."""

    named: frozenset[str]
    too_few: bool = False
    """The whole pool is one or two people (a board of fewer than three who vote): lists and
    counts by sector are left out altogether."""

    def label(self, sector: str) -> str:
        """The sector itself, or :data:`POOLED`."""
        return sector if sector in self.named else POOLED

    def labels(self, sectors: Iterable[str]) -> tuple[str, ...]:
        """Each shown label once, in the usual order, the pool last."""
        given = list(sectors)
        if self.too_few:
            return ()
        shown = sector_order(s for s in given if s in self.named)
        return shown + ((POOLED,) if any(s not in self.named for s in given) else ())

    def counts(self, counts: Mapping[str, int]) -> list[tuple[str, int]]:
        """Counts per sector with the hidden ones added up under :data:`POOLED` (pool last)."""
        if self.too_few:
            return []
        pooled = sum(n for s, n in counts.items() if s not in self.named)
        shown = [(s, counts[s]) for s in sector_order(s for s in counts if s in self.named)]
        return shown + ([(POOLED, pooled)] if pooled else [])

    def filters(self) -> tuple[str, ...]:
        """The sectors a group may filter a list by: only named ones (a filter on a hidden
        sector would count one person's cases)."""
        return tuple(s for s in SECTORS if s in self.named)


NOTHING_NAMED = GroupSectors(frozenset())
"""For a group message drawn without the board's members at hand: every sector pooled."""


EVERY_SECTOR_NAMED = GroupSectors(frozenset(SECTORS))
"""For a private chat, where members see each other's names and sectors anyway."""


def group_sectors(
    sectors_of_people: Iterable[str], minimum: int = MIN_NAMED_MEMBERS
) -> GroupSectors:
    """``sectors_of_people``: one sector per person on the board (observers may be left out: a
    smaller count only hides more)."""
    sizes = Counter(sectors_of_people)
    named = {s for s, n in sizes.items() if n >= minimum}
    pooled = sum(n for s, n in sizes.items() if s not in named)
    while 0 < pooled < minimum and named:
        smallest = min(named, key=lambda s: (sizes[s], SECTORS.index(s) if s in SECTORS else 99))
        named.remove(smallest)
        pooled += sizes[smallest]
    return GroupSectors(frozenset(named), too_few=0 < pooled < minimum)


def of_members(members: Iterable[MembershipRecord]) -> GroupSectors:
    """A board's group sectors from its active members; observers do not count (they neither
    vote nor own actions, so counting them would name a sector of one voter)."""
    return group_sectors(m.sector for m in members if m.role != Role.OBSERVER)
