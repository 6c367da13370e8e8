"""The outbox dispatcher: claim → send → mark, one row at a time, none lost.

Everything the bot sends later is an outbox row written in the same transaction as the change that
caused it. The job queue only wakes the dispatcher; the schedule itself lives in SQLite, so a
restart (even ``kill -9``) resumes it. Only a row that was in flight at a crash may be sent twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.kernel.clock import Clock
from bot.kernel.ui import DetailsOf, Reply
from storage import Database, Session
from storage.models import BoardRecord, NewOutboxItem, OutboxItem

log = logging.getLogger(__name__)


BATCH_SIZE = 50


MAX_ATTEMPTS = 30
"""With the backoff capped at an hour, about a day of a failing Bot API before a row is given up:
long enough to ride out an outage, and a row of limited use is dropped at its useful_until."""


BASE_BACKOFF = timedelta(seconds=30)


MAX_BACKOFF = timedelta(hours=1)


MAX_ROUNDS = 1000
"""Claims in one run; the next wake-up picks up anything beyond."""


PER_CHAT_CLAIM = 5
"""One chat's rows in one claim: a group may take 20 a minute, so five go within seconds, and
the chat's next rows are claimed as soon as these are out."""


SENDING_LEASE = timedelta(minutes=30)
"""Longer than any send may take, flood waits included."""


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    chat_id: int
    thread_id: int | None
    reply: Reply
    edit_message_id: int | None = None
    """Replace this earlier message of the bot's instead of sending a new one."""
    document: tuple[str, bytes] | None = None
    """Send this file (name, bytes) with ``reply`` as its caption."""
    edit_caption: bool = False
    """The message to replace is a file: replace its caption."""
    photo: bool = False
    """Send the file as a picture (a chart), not as a document."""


@dataclass(frozen=True, slots=True)
class Edit:
    """What a renderer returns to update a message already in the chat (a live vote count)."""

    message_id: int
    reply: Reply
    caption: bool = False
    """The message is a file: its caption is what changes."""


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


@dataclass(frozen=True, slots=True)
class Document:
    """What a renderer returns to send a file (a calendar invitation) with a caption."""

    file_name: str
    content: bytes
    caption: Reply
    photo: bool = False
    """A picture (a chart): shown in the chat rather than attached as a file."""


@dataclass(frozen=True, slots=True)
class Defer:
    """What a renderer returns when the row must wait (a snoozed item): sent again at ``until``,
    without counting an attempt; dropped if that is past the row's ``useful_until``."""

    until: datetime


def group_row(
    board: BoardRecord,
    kind: str,
    subject: tuple[str, int],
    payload: dict[str, Any],
    due: datetime,
    key: str,
) -> NewOutboxItem:
    """A row for the board's group chat (in its topic, if it has one) about one subject: what
    every capability posts to a group is built here."""
    row = private_row(board.chat_id, board.id, kind, subject, payload, due, key)
    return replace(row, thread_id=board.thread_id, recipient_id=None)


def private_row(
    user_id: int,
    board_id: int | None,
    kind: str,
    subject: tuple[str, int | str],
    payload: dict[str, Any],
    due: datetime,
    key: str,
) -> NewOutboxItem:
    """A row for one person's private chat about one subject (a notice, a request, a file)."""
    subject_type, subject_id = subject
    return NewOutboxItem(
        chat_id=user_id,
        recipient_id=user_id,
        board_id=board_id,
        kind=kind,
        subject_type=subject_type,
        subject_id=str(subject_id),
        payload=payload,
        due_at=due,
        dedupe_key=key,
    )


def task_row(kind: str, payload: dict[str, Any], due: datetime, key: str | None) -> NewOutboxItem:
    """A task the outbox runs at ``due`` instead of sending (no chat)."""
    return NewOutboxItem(chat_id=0, kind=kind, payload=payload, due_at=due, dedupe_key=key)


Rendered = Reply | Edit | Document | Defer | None


Renderer = Callable[[OutboxItem, Session], Awaitable[Rendered]]
"""Turns a row into a message at send time (in the recipient's language); None: nothing to say."""


Task = Callable[[OutboxItem], Awaitable[datetime | None]]
"""Work due at a time (closing a vote at its deadline) rather than a message. It runs in its own
transaction and must be idempotent: a crash between the work and marking the row makes it run
once more. Returning a time means "too early, run me again then"."""


@dataclass(slots=True)
class DispatchReport:
    sent: int = 0
    retried: int = 0
    undeliverable: int = 0
    dropped: int = 0
    moved: int = 0
    tasks: int = 0
    """Rows that were work (closing a vote, a daily sweep), not messages."""

    def add(self, other: DispatchReport) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.undeliverable += other.undeliverable
        self.dropped += other.dropped
        self.moved += other.moved
        self.tasks += other.tasks


def _by_chat(items: list[OutboxItem]) -> dict[int, list[OutboxItem]]:
    by_chat: dict[int, list[OutboxItem]] = {}
    for item in items:
        by_chat.setdefault(item.chat_id, []).append(item)
    return by_chat


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

    async def add_merged(
        self, session: Session, item: NewOutboxItem, now: datetime, window: timedelta
    ) -> None:
        """Queue ``item`` (an edit of a live message) at the end of the current ``window``,
        merged with any other change in that window: one row, rendered at send time.

        ``item.dedupe_key`` is the base key; a window whose row is already being sent gets the
        next window, so a change made while the edit goes out is never lost.
        """
        step = window.total_seconds()
        due = datetime.fromtimestamp((now.timestamp() // step + 1) * step, tz=now.tzinfo)
        while not await session.outbox.join_pending(
            replace(item, due_at=due, dedupe_key=f"{item.dedupe_key}:{int(due.timestamp())}"), now
        ):
            due += window
        self.waker.wake(due)


class OutboxDispatcher:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        sender: Sender,
        renderers: Mapping[str, Renderer],
        *,
        tasks: Mapping[str, Task] | None = None,
        remember: Callable[[int, int, DetailsOf], Awaitable[None]] | None = None,
        batch_size: int = BATCH_SIZE,
        max_attempts: int = MAX_ATTEMPTS,
        instance: int = 0,
    ) -> None:
        self._db = db
        self._instance = instance
        self._clock = clock
        self._sender = sender
        self._renderers = renderers
        self._tasks = dict(tasks or {})
        self._remember = remember
        self._batch_size = batch_size
        self._max_attempts = max_attempts
        self._running = asyncio.Lock()
        self._changed = asyncio.Event()

    async def recover(self, live: Collection[int] = ()) -> int:
        """On start: rows a crash left in ``sending`` are sent once more, unless the instance
        sending them is among the ``live`` ones (this one always is)."""
        async with self._db.transaction() as session:
            count = await session.outbox.recover_in_flight(
                self._clock.now(), {*live, self._instance}
            )
        if count:
            log.info("outbox: %d in-flight rows will be sent again", count)
        return count

    async def oldest_due(self, now: datetime) -> datetime | None:
        """When the longest-waiting row due by ``now`` became due (None: nothing waits)."""
        async with self._db.read() as session:
            due = await session.outbox.next_send_after()
        return due if due is not None and due <= now else None

    async def health(self, now: datetime) -> datetime | None:
        """:meth:`oldest_due`, after a write that must commit: a database that answers reads
        but refuses writes (a full disk, a read-only mount) raises here."""
        async with self._db.transaction() as session:
            await session.health.touch(now)
        return await self.oldest_due(now)

    async def next_due(self) -> datetime | None:
        async with self._db.read() as session:
            return await session.outbox.next_send_after()

    def poke(self) -> None:
        """Rows were added or came due: a run in progress claims again at once instead of
        waiting for one of its chats to finish."""
        self._changed.set()

    async def run(self) -> DispatchReport:
        """Send everything due now; one run at a time.

        Chats go side by side, each in order, and none waits for another: the dispatcher claims
        for the free chats until nothing more is due or the batch is full, then again whenever
        one chat's rows are done or new rows come (:meth:`poke`), so a group held to 20 a
        minute never slows down the people waiting for theirs. A task may add rows due at once
        (a closed vote's result): they go out in the same run.
        """
        total = DispatchReport()
        async with self._running:
            busy: dict[int, tuple[asyncio.Task[DispatchReport], int]] = {}
            claims = 0
            changed: asyncio.Task[bool] | None = None
            try:
                while True:
                    self._changed.clear()
                    while claims < MAX_ROUNDS:  # fill the free room, chat by free chat
                        room = self._batch_size - sum(rows for _, rows in busy.values())
                        if room <= 0:
                            break
                        dropped, items = await self._claim(room, busy.keys(), first=claims == 0)
                        total.dropped += dropped
                        if not items:
                            break
                        claims += 1
                        for chat_id, rows in _by_chat(items).items():
                            task = asyncio.create_task(self._deliver_chat(rows))
                            busy[chat_id] = (task, len(rows))
                    if not busy:
                        return total
                    if changed is None or changed.done():
                        changed = asyncio.create_task(self._changed.wait())
                    done, _ = await asyncio.wait(
                        [changed, *(task for task, _ in busy.values())],
                        return_when=asyncio.FIRST_COMPLETED,
                    )
                    for chat_id, (task, _) in list(busy.items()):
                        if task in done:
                            total.add(task.result())
                            del busy[chat_id]
            finally:  # cancelled (a shutdown): rows left in "sending" go out again on start
                waiting: list[asyncio.Task[Any]] = [task for task, _ in busy.values()]
                if changed is not None:
                    waiting.append(changed)
                for task in waiting:
                    task.cancel()
                await asyncio.gather(*waiting, return_exceptions=True)

    async def _claim(
        self, room: int, busy: Collection[int], *, first: bool
    ) -> tuple[int, list[OutboxItem]]:
        """Rows past their use are dropped at a run's first claim; a claim with nothing due
        (most wake-ups of the sweep, the end of every run) is only a point read."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            if not await session.outbox.any_due(now):
                return 0, []
            dropped = await session.outbox.drop_expired(now) if first else 0
            claimed = await session.outbox.claim_due(
                now, room, per_chat=PER_CHAT_CLAIM, skip_chats=busy, by=self._instance
            )
        return dropped, claimed

    async def _deliver_chat(self, items: list[OutboxItem]) -> DispatchReport:
        """One chat's rows in order (so they read in order); chats run side by side."""
        report = DispatchReport()
        for item in items:
            report.add(await self._deliver(item))
        return report

    async def _deliver(self, item: OutboxItem) -> DispatchReport:
        """Send one row and record what happened; a failure here never touches other rows."""
        try:
            result = await self._attempt(item)
            if result is None:
                await self._finish(item, "dropped", "nothing_to_send")
                return DispatchReport(dropped=1)
        except Exception as exc:  # a bug in a renderer or sender must not stop the others
            log.error("outbox row %d failed: %s", item.id, type(exc).__name__)
            result = RetryLater(reason=f"error:{type(exc).__name__}")
        try:
            return await self._record(item, result)
        except Exception as exc:  # left in "sending": the sweep's lease sends it again later
            log.error("outbox row %d: result not recorded: %s", item.id, type(exc).__name__)
            return DispatchReport()

    async def _attempt(self, item: OutboxItem) -> DeliveryResult | None:
        """Run the row's task, or render and send it; None when there is nothing to send."""
        task = self._tasks.get(item.kind)
        if task is not None:
            again = await task(item)
            wait = None if again is None else (again - self._clock.now()).total_seconds()
            if wait is not None and wait > 0:
                return RetryLater("not_yet", after_seconds=wait)
            return Delivered(None)
        async with self._db.read() as session:
            renderer = self._renderers.get(item.kind)
            rendered = None if renderer is None else await renderer(item, session)
        if rendered is None:
            return None
        if isinstance(rendered, Defer):
            wait = (rendered.until - self._clock.now()).total_seconds()
            return RetryLater("deferred", after_seconds=max(wait, 1.0))
        if isinstance(rendered, Edit):
            outgoing = OutgoingMessage(
                item.chat_id,
                item.thread_id,
                rendered.reply,
                rendered.message_id,
                edit_caption=rendered.caption,
            )
        elif isinstance(rendered, Document):
            outgoing = OutgoingMessage(
                item.chat_id,
                item.thread_id,
                rendered.caption,
                document=(rendered.file_name, rendered.content),
                photo=rendered.photo,
            )
        else:
            outgoing = OutgoingMessage(item.chat_id, item.thread_id, rendered)
        result = await self._sender.send(outgoing)
        details = outgoing.reply.details_of
        if (
            details is not None
            and self._remember is not None
            and isinstance(result, Delivered)
            and result.message_id is not None
            and item.chat_id > 0
        ):  # case details in a private chat: deleted after the board's hours
            await self._remember(item.chat_id, result.message_id, details)
        return result

    async def recover_stale(self) -> int:
        """Rows whose result could not be recorded go back to ``pending`` after a lease."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            return await session.outbox.recover_stale(now, now - SENDING_LEASE)

    async def _record(self, item: OutboxItem, result: DeliveryResult) -> DispatchReport:
        now = self._clock.now()
        async with self._db.transaction() as session:
            if isinstance(result, Delivered):
                await session.outbox.mark_sent(item.id, result.message_id, now, by=self._instance)
                if item.kind in self._tasks:
                    return DispatchReport(tasks=1)
                return DispatchReport(sent=1)
            if isinstance(result, Undeliverable):
                await session.outbox.mark_final(
                    item.id, "undeliverable", result.reason, now, by=self._instance
                )
                if result.reason == "forbidden" and item.recipient_id == item.chat_id:
                    await session.users.mark_private_chat_closed(item.chat_id, now)
                return DispatchReport(undeliverable=1)
            if isinstance(result, ChatMoved):
                await session.outbox.move_chat(item.chat_id, result.new_chat_id, now)
                if await session.boards.by_chat(result.new_chat_id) is None:
                    await session.boards.move_chat(item.chat_id, result.new_chat_id)
                await session.outbox.mark_retry(
                    item.id, now, "chat_moved", now, count_attempt=False, by=self._instance
                )
                return DispatchReport(moved=1)
            flood_wait = result.after_seconds is not None
            if item.attempts >= self._max_attempts and not flood_wait:
                if item.kind in self._tasks:  # work that never ran: someone must look
                    log.error(
                        "outbox task %s (row %d) gave up: %s", item.kind, item.id, result.reason
                    )
                await session.outbox.mark_final(
                    item.id, "undeliverable", "gave_up", now, by=self._instance
                )
                return DispatchReport(undeliverable=1)
            delay = (
                timedelta(seconds=result.after_seconds)
                if result.after_seconds is not None
                else backoff(item.attempts)
            )
            if item.useful_until is not None and now + delay > item.useful_until:
                await session.outbox.mark_final(
                    item.id, "dropped", "expired", now, by=self._instance
                )
                return DispatchReport(dropped=1)
            await session.outbox.mark_retry(
                item.id,
                now + delay,
                result.reason,
                now,
                count_attempt=not flood_wait,
                by=self._instance,
            )
            return DispatchReport(retried=1)

    async def _finish(self, item: OutboxItem, state: str, reason: str) -> None:
        async with self._db.transaction() as session:
            await session.outbox.mark_final(
                item.id, state, reason, self._clock.now(), by=self._instance
            )
