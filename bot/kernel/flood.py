"""The rules that keep one person, or one chat, from slowing down everyone else.

Incoming: each sender has a token bucket (a burst, then a steady trickle); an update that finds
the bucket empty is dropped unread, and the sender is told once to slow down. Outgoing: Telegram
allows about 30 messages a second overall, 20 a minute in one group and about one a second in
one private chat; each is a sliding window over the times of the last sends. Pure functions of
the times they are given, so they are tested without waiting.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

INCOMING_BURST = 30
"""Updates one person may send at once: ticking a long attendance list stays inside it."""


INCOMING_PER_SECOND = 1.0
"""How fast the bucket refills: faster than anyone types or taps for long."""


MAX_QUEUED_PER_SENDER = 10
"""A person's updates waiting behind their own running one; more are dropped, not queued."""


OVERALL_PER_SECOND = 30


WINDOW_MARGIN = 0.02
"""Seconds added to every outgoing window: a message leaves a moment after its slot is taken,
and Telegram counts when it arrives, so without a margin two sends one window apart may land
a few milliseconds less than one window apart (30 a second held to 29.4)."""


GROUP_PER_MINUTE = 20


PRIVATE_BURST, PRIVATE_WINDOW = 5, 5.0
"""About one a second in a private chat, with the short bursts Telegram allows (a reply and
its follow-ups); there, edits answer the person's own taps and are not counted."""


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float
    warned: bool = False


@dataclass(frozen=True, slots=True)
class Admission:
    allowed: bool
    warn: bool
    """The first refusal since the bucket last had room: say "slow down" once."""


class SenderBuckets:
    """A token bucket per sender (a person's id, or a chat's when there is no person)."""

    def __init__(
        self, burst: int = INCOMING_BURST, per_second: float = INCOMING_PER_SECOND
    ) -> None:
        self.burst = burst
        self.per_second = per_second
        self._buckets: dict[int, _Bucket] = {}

    def admit(self, sender: int, now: float) -> Admission:
        bucket = self._buckets.get(sender)
        if bucket is None:
            if len(self._buckets) > 10_000:
                self._forget_full(now)
            bucket = self._buckets[sender] = _Bucket(float(self.burst), now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.at) * self.per_second)
        bucket.at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.warned = False
            return Admission(allowed=True, warn=False)
        warn = not bucket.warned
        bucket.warned = True
        return Admission(allowed=False, warn=warn)

    def _forget_full(self, now: float) -> None:
        """Senders whose bucket has refilled carry no state worth keeping."""
        for sender, bucket in list(self._buckets.items()):
            if bucket.tokens + (now - bucket.at) * self.per_second >= self.burst:
                del self._buckets[sender]


class SlidingWindow:
    """At most ``limit`` events in any ``period`` seconds."""

    __slots__ = ("_times", "limit", "period")

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self._times: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more event fits (0 when it fits now)."""
        while self._times and self._times[0] <= now - self.period:
            self._times.popleft()
        if len(self._times) < self.limit:
            return 0.0
        return self._times[0] + self.period - now

    def record(self, now: float) -> None:
        self._times.append(now)

    def unrecord(self, at: float) -> None:
        """An event recorded at ``at`` did not happen (Telegram refused it with a 429)."""
        for index in range(len(self._times) - 1, -1, -1):
            if self._times[index] == at:
                del self._times[index]
                return

    def idle(self, now: float) -> bool:
        """Nothing in the window: the window can be forgotten."""
        return not self._times or self._times[-1] <= now - self.period


def is_group(chat_id: int | str) -> bool:
    """Groups and channels have negative ids (or an @username); people, positive ones."""
    return isinstance(chat_id, str) or chat_id < 0


def window_for(chat_id: int | str) -> SlidingWindow:
    """A group's or a private chat's limit."""
    if is_group(chat_id):
        return SlidingWindow(GROUP_PER_MINUTE, 60.0 + WINDOW_MARGIN)
    return SlidingWindow(PRIVATE_BURST, PRIVATE_WINDOW + WINDOW_MARGIN)


def overall_window() -> SlidingWindow:
    """Every message the bot sends, whichever the chat."""
    return SlidingWindow(OVERALL_PER_SECOND, 1.0 + WINDOW_MARGIN)
