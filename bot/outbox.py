"""The outbox dispatcher: claim → send → mark, one row at a time, none lost.

Everything the bot sends later is an outbox row written in the same transaction as the change that
caused it. The job queue only wakes the dispatcher; the schedule itself lives in SQLite, so a
restart (even ``kill -9``) resumes it. Only a row that was in flight at a crash may be sent twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.clock import Clock
from bot.ui import Reply
from storage import Database, Session
from storage.models import NewOutboxItem, OutboxItem

log = logging.getLogger(__name__)

BATCH_SIZE = 50
MAX_ATTEMPTS = 8
BASE_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
SENDING_LEASE = timedelta(minutes=30)
"""Longer than any send may take, flood waits included."""


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    chat_id: int
    thread_id: int | None
    reply: Reply


@dataclass(frozen=True, slots=True)
class Delivered:
    message_id: int | None


@dataclass(frozen=True, slots=True)
class RetryLater:
    reason: str
    after_seconds: float | None = None
    """Telegram's ``retry_after`` when it gave one; otherwise the dispatcher backs off."""


@dataclass(frozen=True, slots=True)
class Undeliverable:
    reason: str


@dataclass(frozen=True, slots=True)
class ChatMoved:
    new_chat_id: int


DeliveryResult = Delivered | RetryLater | Undeliverable | ChatMoved


class Sender(Protocol):
    async def send(self, message: OutgoingMessage) -> DeliveryResult: ...


class Waker(Protocol):
    def wake(self, at: datetime) -> None:
        """Make sure the dispatcher runs at ``at`` (or soon after)."""
        ...


class NoWaker:
    def wake(self, at: datetime) -> None:
        return None


Renderer = Callable[[OutboxItem, Session], Awaitable[Reply | None]]
"""Turns a row into a message at send time (in the recipient's language); None: nothing to say."""


@dataclass(slots=True)
class DispatchReport:
    sent: int = 0
    retried: int = 0
    undeliverable: int = 0
    dropped: int = 0
    moved: int = 0

    def add(self, other: DispatchReport) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.undeliverable += other.undeliverable
        self.dropped += other.dropped
        self.moved += other.moved


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min … capped at an hour."""
    delay: timedelta = BASE_BACKOFF * (2 ** max(attempts - 1, 0))
    return min(delay, MAX_BACKOFF)


class Outbox:
    """Adds rows inside the caller's transaction and wakes the dispatcher for the earliest."""

    def __init__(self, waker: Waker) -> None:
        self.waker = waker

    async def add(self, session: Session, items: list[NewOutboxItem], now: datetime) -> None:
        if not items:
            return
        await session.outbox.enqueue(items, now)
        self.waker.wake(min(item.due_at for item in items))


class OutboxDispatcher:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        sender: Sender,
        renderers: Mapping[str, Renderer],
        *,
        batch_size: int = BATCH_SIZE,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self._db = db
        self._clock = clock
        self._sender = sender
        self._renderers = renderers
        self._batch_size = batch_size
        self._max_attempts = max_attempts
        self._running = asyncio.Lock()

    async def recover(self) -> int:
        """On start: rows a crash left in ``sending`` are sent once more."""
        async with self._db.transaction() as session:
            count = await session.outbox.recover_in_flight(self._clock.now())
        if count:
            log.info("outbox: %d in-flight rows will be sent again", count)
        return count

    async def next_due(self) -> datetime | None:
        async with self._db.read() as session:
            return await session.outbox.next_send_after()

    async def run(self) -> DispatchReport:
        """Send everything due now, batch after batch; one run at a time."""
        total = DispatchReport()
        async with self._running:
            while True:
                report, claimed = await self._run_batch()
                total.add(report)
                if claimed < self._batch_size:
                    return total

    async def _run_batch(self) -> tuple[DispatchReport, int]:
        now = self._clock.now()
        async with self._db.transaction() as session:
            dropped = await session.outbox.drop_expired(now)
            claimed = await session.outbox.claim_due(now, self._batch_size)
        by_chat: dict[int, list[OutboxItem]] = {}
        for item in claimed:
            by_chat.setdefault(item.chat_id, []).append(item)
        report = DispatchReport(dropped=dropped)
        for result in await asyncio.gather(
            *(self._deliver_chat(rows) for rows in by_chat.values())
        ):
            report.add(result)
        return report, len(claimed)

    async def _deliver_chat(self, items: list[OutboxItem]) -> DispatchReport:
        """One chat's rows in order (so they read in order); chats run side by side."""
        report = DispatchReport()
        for item in items:
            report.add(await self._deliver(item))
        return report

    async def _deliver(self, item: OutboxItem) -> DispatchReport:
        """Send one row and record what happened; a failure here never touches other rows."""
        try:
            async with self._db.read() as session:
                renderer = self._renderers.get(item.kind)
                reply = None if renderer is None else await renderer(item, session)
            if reply is None:
                await self._finish(item, "dropped", "nothing_to_send")
                return DispatchReport(dropped=1)
            result = await self._sender.send(OutgoingMessage(item.chat_id, item.thread_id, reply))
        except Exception as exc:  # a bug in a renderer or sender must not stop the others
            log.error("outbox row %d failed: %s", item.id, type(exc).__name__)
            result = RetryLater(reason=f"error:{type(exc).__name__}")
        try:
            return await self._record(item, result)
        except Exception as exc:  # left in "sending": the sweep's lease sends it again later
            log.error("outbox row %d: result not recorded: %s", item.id, type(exc).__name__)
            return DispatchReport()

    async def recover_stale(self) -> int:
        """Rows whose result could not be recorded go back to ``pending`` after a lease."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            return await session.outbox.recover_stale(now, now - SENDING_LEASE)

    async def _record(self, item: OutboxItem, result: DeliveryResult) -> DispatchReport:
        now = self._clock.now()
        async with self._db.transaction() as session:
            if isinstance(result, Delivered):
                await session.outbox.mark_sent(item.id, result.message_id, now)
                return DispatchReport(sent=1)
            if isinstance(result, Undeliverable):
                await session.outbox.mark_final(item.id, "undeliverable", result.reason, now)
                if result.reason == "forbidden" and item.recipient_id == item.chat_id:
                    await session.users.mark_private_chat_closed(item.chat_id, now)
                return DispatchReport(undeliverable=1)
            if isinstance(result, ChatMoved):
                await session.outbox.move_chat(item.chat_id, result.new_chat_id, now)
                if await session.boards.by_chat(result.new_chat_id) is None:
                    await session.boards.move_chat(item.chat_id, result.new_chat_id)
                await session.outbox.mark_retry(
                    item.id, now, "chat_moved", now, count_attempt=False
                )
                return DispatchReport(moved=1)
            flood_wait = result.after_seconds is not None
            if item.attempts >= self._max_attempts and not flood_wait:
                await session.outbox.mark_final(item.id, "undeliverable", "gave_up", now)
                return DispatchReport(undeliverable=1)
            delay = (
                timedelta(seconds=result.after_seconds)
                if result.after_seconds is not None
                else backoff(item.attempts)
            )
            if item.useful_until is not None and now + delay > item.useful_until:
                await session.outbox.mark_final(item.id, "dropped", "expired", now)
                return DispatchReport(dropped=1)
            await session.outbox.mark_retry(
                item.id, now + delay, result.reason, now, count_attempt=not flood_wait
            )
            return DispatchReport(retried=1)

    async def _finish(self, item: OutboxItem, state: str, reason: str) -> None:
        async with self._db.transaction() as session:
            await session.outbox.mark_final(item.id, state, reason, self._clock.now())
