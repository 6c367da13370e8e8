"""Supervision meetings: finding a time, RSVPs, calendar files and reminders.

Every reminder is an outbox task row at ``start - offset``; it carries the meeting's calendar
SEQUENCE, so a moved meeting's old reminders say nothing and a cancelled meeting's are cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.boards.rules import sector_order
from bot.kernel.when import slot_key
from storage.models import SlotRecord

KINDS = ("supervision", "board_session", "case_conference")


SLOT_ANSWERS = ("yes", "maybe", "no")


RSVP_ANSWERS = ("going", "maybe", "no")


ATTENDING = ("going", "maybe")


MIN_SLOTS = 2


MAX_SLOTS = 8


MAX_PLACE = 400
"""Long enough for a video-call link with its parameters."""


DURATIONS = (60, 90, 120, 180)


# rules --------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SlotTally:
    slot: SlotRecord
    counts: dict[str, int]
    sectors: tuple[str, ...]
    """Sectors with someone who can come (yes or if need be)."""

    @property
    def score(self) -> int:
        return self.counts["yes"] + self.counts["maybe"]


def tally_slots(
    slots: Sequence[SlotRecord],
    answers: Sequence[tuple[int, int, str]],
    sector_of: dict[int, str],
) -> list[SlotTally]:
    """Counts per slot from members still on the board (a removed member's answers drop)."""
    result = []
    for slot in slots:
        mine = [(user, answer) for slot_id, user, answer in answers if slot_id == slot.id]
        mine = [(user, answer) for user, answer in mine if user in sector_of]
        counts = {a: sum(1 for _, answer in mine if answer == a) for a in SLOT_ANSWERS}
        sectors = {sector_of[user] for user, answer in mine if answer in ("yes", "maybe")}
        result.append(SlotTally(slot, counts, sector_order(sectors)))
    return result


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The time to pick, and why: ``reason`` is "sectors" when it won on the sectors it brings
    although another time has more people, else "people"."""

    tally: SlotTally
    covered: int
    needed: int
    """The sectors that matter (the agenda cases', else every sector the board has)."""
    reason: str


def suggest(
    tallies: Sequence[SlotTally], now: datetime, needed: Sequence[str] = ()
) -> Suggestion | None:
    """A multi-sector board meets to hear every sector: the time that covers the most of the
    ``needed`` sectors (any sectors when none are given) wins, then the most yes plus
    if-need-be, then the most plain yes, then the earlier time. Four people of one sector do not
    beat three of three sectors. A time that has passed is never suggested."""
    ahead = [t for t in tallies if t.slot.starts_at > now]
    if not ahead:
        return None
    wanted = set(needed)

    def covered(tally: SlotTally) -> int:
        return len(set(tally.sectors) & wanted) if wanted else len(tally.sectors)

    best = max(
        ahead,
        key=lambda t: (covered(t), t.score, t.counts["yes"], -t.slot.starts_at.timestamp()),
    )
    most_people = max(t.score for t in ahead)
    reason = "sectors" if best.score < most_people else "people"
    return Suggestion(best, covered(best), len(wanted), reason)


def everyone_answered(answered: set[int], members: set[int]) -> bool:
    """Each member still on the board has answered at least one time of the poll."""
    return bool(members) and members <= answered


def reminder_due(offset: int, offsets: Sequence[int], start: datetime, now: datetime) -> bool:
    """A reminder still worth sending now: after an outage, only the nearest one goes (the
    "in 24 hours" one is skipped once the "in 1 hour" one is also due)."""
    return now < start and not any(
        smaller < offset and now >= start - timedelta(minutes=smaller) for smaller in offsets
    )


def reminder_moments(
    start: datetime, offsets_minutes: Sequence[int], now: datetime
) -> list[tuple[int, datetime]]:
    """Each configured reminder that is still ahead (a meeting set for in 3 hours gets no
    24-hour reminder)."""
    moments = [(offset, start - timedelta(minutes=offset)) for offset in offsets_minutes]
    return [(offset, at) for offset, at in moments if at > now]


def meeting_uid(meeting_id: int) -> str:
    """Stable per meeting, so a calendar updates the event instead of adding another."""
    return f"meeting-{meeting_id}@boardbot"


def attendance(
    rsvps: Sequence[tuple[int, str]], sector_of: dict[int, str]
) -> tuple[dict[str, int], dict[str, int]]:
    """Counts per answer, and per sector of those going or maybe (current members only)."""
    current = [(user, answer) for user, answer in rsvps if user in sector_of]
    counts = {a: sum(1 for _, answer in current if answer == a) for a in RSVP_ANSWERS}
    by_sector: dict[str, int] = {}
    for user, answer in current:
        if answer in ATTENDING:
            by_sector[sector_of[user]] = by_sector.get(sector_of[user], 0) + 1
    ordered = {s: by_sector[s] for s in sector_order(set(by_sector))}
    return counts, ordered


def confirmed_start(pending: object, value: str, zone: ZoneInfo) -> datetime | None:
    """The echoed time a "yes" button confirms (``value`` is "fold-key"), as the board's wall
    time with the chosen occurrence of a repeated hour; None when the button belongs to an
    older echo."""
    fold, _, key = value.partition("-")
    if fold not in ("0", "1") or not pending:
        return None
    start = datetime.fromisoformat(str(pending))
    if slot_key(start) != key:
        return None
    return start.astimezone(zone).replace(fold=int(fold))
