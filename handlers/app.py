"""The composition root: assembles the PTB ``Application`` on the adapter side.

Builder with the rate limiter and the update processor, the core services, every handler, the
outbox dispatcher and its wake-ups, the command menus, and the long-polling run loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import os
import signal
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    Update,
)
from telegram.error import NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    BaseUpdateProcessor,
    ContextTypes,
)
from telegram.request import BaseRequest

from bot.boards.service import MENU_REFRESH
from bot.core import Core, build_core
from bot.kernel.clock import Clock, SystemClock, clock_for
from bot.kernel.config import Config
from bot.kernel.flood import MAX_QUEUED_PER_SENDER, SenderBuckets
from bot.kernel.i18n import LANGUAGES, normalize_language
from bot.kernel.logs import describe_exception
from bot.kernel.outbox import DispatchReport, OutboxDispatcher
from bot.kernel.policy import ChatKind, Role, commands_for
from handlers import Handlers, build_handlers, tg
from handlers.base import log_failure, storage_problem
from handlers.delivery import TelegramSender
from handlers.menus import menu_task
from handlers.sending import ChatRateLimiter
from storage import Database, open_database
from storage.leadership import Lead

log = logging.getLogger(__name__)

# PTB's documented opt-in: time periods (``RetryAfter.retry_after``) as ``timedelta``.
os.environ.setdefault("PTB_TIMEDELTA", "1")

ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member", "chat_member"]
SWEEP_INTERVAL = timedelta(seconds=30)
HOUSEKEEPING_INTERVAL = timedelta(hours=6)
MAX_CONCURRENT_UPDATES = 64

BotApp = Application[Any, Any, Any, Any, Any, Any]


Throttled = Callable[[Update], Awaitable[None]]
"""Says "slow down" to the sender of the first update a full bucket refused."""


class PerSenderUpdateProcessor(BaseUpdateProcessor):
    """Updates run concurrently, but one person's (or chat's) updates stay in order, and one
    person cannot slow down everyone else.

    PTB takes its semaphore before ``do_process_update``; so that one busy sender cannot fill
    every slot with updates waiting on their own lock, PTB's limit is set high and the real limit
    is a semaphore taken only after the sender's lock. Each sender has a token bucket
    (bot.kernel.flood): past the burst, updates are dropped unread, with one "slow down"; and
    at most a few of one sender's updates wait behind their running one.
    """

    def __init__(
        self,
        max_concurrent_updates: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        buckets: SenderBuckets | None = None,
    ) -> None:
        super().__init__(max_concurrent_updates * 64)
        self._running = asyncio.Semaphore(max_concurrent_updates)
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self._waiting: dict[int, int] = {}
        self._clock = clock
        self._buckets = buckets or SenderBuckets()
        self.on_throttled: Throttled | None = None
        self.dropped = 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = None
        if isinstance(update, Update):
            sender = update.effective_user or update.effective_chat
            key = None if sender is None else sender.id
        if key is None:
            async with self._running:
                await coroutine
            return
        admission = self._buckets.admit(key, self._clock())
        if not admission.allowed or self._waiting.get(key, 0) >= MAX_QUEUED_PER_SENDER:
            await self._drop(update, coroutine, key, warn=admission.warn)
            return
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                self._waiting[key] -= 1
                async with self._running:
                    await coroutine
        finally:
            if self._waiting.get(key) == 0:
                del self._waiting[key]

    async def _drop(
        self, update: object, coroutine: Awaitable[Any], key: int, *, warn: bool
    ) -> None:
        """Not run at all: nothing the sender typed reaches a handler or the database."""
        if inspect.iscoroutine(coroutine):
            coroutine.close()
        self.dropped += 1
        if warn:
            log.warning("updates from sender %s dropped: too many at once", key)
            if self.on_throttled is not None and isinstance(update, Update):
                try:
                    await self.on_throttled(update)
                except Exception as exc:  # the notice is a courtesy; never let it escape
                    log.error("slow-down notice failed: %s", describe_exception(exc))

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


class JobQueueWaker:
    """Asks PTB's job queue to run the dispatcher at a row's due time; SQLite keeps the schedule."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._application: BotApp | None = None
        self._runtime: BotRuntime | None = None
        self._earliest: datetime | None = None

    def attach(self, application: BotApp, runtime: BotRuntime) -> None:
        self._application = application
        self._runtime = runtime

    def wake(self, at: datetime) -> None:
        if self._application is None or self._application.job_queue is None:
            return
        now = self._clock.now()
        if self._earliest is not None and now <= self._earliest <= at:
            return  # a wake-up at or before this one is already planned
        self._earliest = at
        delay = max((at - now).total_seconds(), 0.0)
        self._application.job_queue.run_once(self._job, when=delay, name="outbox-wake")

    async def _job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        self._earliest = None
        if self._runtime is not None:
            await self._runtime.dispatch()


@dataclass(slots=True)
class BotRuntime:
    application: BotApp
    core: Core
    handlers: Handlers
    dispatcher: OutboxDispatcher
    waker: JobQueueWaker

    async def dispatch(self) -> DispatchReport:
        """Send what is due, then plan the next wake-up from the database."""
        self.dispatcher.poke()  # a run in progress picks up what is due now
        try:
            report = await self.dispatcher.run()
            upcoming = await self.dispatcher.next_due()
        except Exception as exc:
            log.error("outbox dispatch failed: %s", describe_exception(exc))
            return DispatchReport()
        if upcoming is not None:
            self.waker.wake(upcoming)
        return report

    async def health(self) -> dict[str, Any]:
        """For the operator's monitoring (``GET /healthz``): whether the database answers and
        takes a write ("ok"; else "read-only", "disk full" or "unavailable"), and how many
        seconds the oldest message due in the outbox has waited (0 when none)."""
        now = self.core.clock.now()
        try:
            oldest = await self.dispatcher.health(now)
        except Exception as exc:
            log.error("health check: the database refused: %s", describe_exception(exc))
            return {"database": storage_problem(exc) or "unavailable"}
        lag = 0.0 if oldest is None else max((now - oldest).total_seconds(), 0.0)
        return {"database": "ok", "outbox": {"oldest_due_seconds": round(lag, 1)}}

    async def start_services(self, live: Collection[int] = ()) -> None:
        """Resume after a stop: in-flight rows (but those of ``live`` instances), menus, and
        the regular sweeps."""
        await self.dispatcher.recover(live)
        await self.core.nudges.start()
        await register_command_menus(self.application, self.core)
        job_queue = self.application.job_queue
        if job_queue is not None:
            job_queue.run_repeating(
                self._sweep, interval=SWEEP_INTERVAL.total_seconds(), first=0.5, name="outbox-sweep"
            )
            job_queue.run_repeating(
                self._housekeeping,
                interval=HOUSEKEEPING_INTERVAL.total_seconds(),
                first=60,
                name="housekeeping",
            )

    async def _sweep(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await self.dispatcher.recover_stale()
        except Exception as exc:
            log.error("outbox lease recovery failed: %s", describe_exception(exc))
        await self.dispatch()
        await self.delete_detail_messages()

    async def delete_detail_messages(self) -> int:
        """Private messages with case details, past the board's hours: the database stays the
        record, the chats keep fewer copies (Telegram lets a bot delete within 48 hours)."""
        try:
            due = await self.core.privacy.due_deletions()
            done, retry = await delete_messages(self.application, due)
            await self.core.privacy.forget(done)
            await self.core.privacy.retry_later(retry)
        except Exception as exc:
            log.error("detail message cleanup failed: %s", describe_exception(exc))
            return 0
        return len(done)

    async def _housekeeping(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.housekeeping()

    async def housekeeping(self) -> None:
        """Abandoned drafts, and retention: expired cases, audit rows and outbox rows."""
        try:
            purged = await self.core.dialogs.purge_abandoned()
            purged += await self.core.held.purge()
            if purged:
                log.info("housekeeping: %d abandoned drafts deleted", purged)
            erased = await self.core.privacy.retention()
            await delete_messages(self.application, erased)  # best effort
        except Exception as exc:
            log.error("housekeeping failed: %s", describe_exception(exc))


def build_runtime(
    config: Config,
    db: Database,
    clock: Clock | None = None,
    *,
    request: BaseRequest | None = None,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    processor: PerSenderUpdateProcessor | None = None,
    strict_i18n: bool = False,
    instance: int = 0,
) -> BotRuntime:
    """Everything the bot is, wired; ``instance`` marks the outbox rows it claims."""
    clock = clock or SystemClock()
    processor = processor or PerSenderUpdateProcessor(MAX_CONCURRENT_UPDATES)
    token = config.token
    if token is None:
        raise ValueError("a bot token is needed to build the application")
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(config.telegram_api_base_url)
        .base_file_url(config.telegram_api_file_url)
        .rate_limiter(rate_limiter or ChatRateLimiter(max_retries=3))
        .concurrent_updates(processor)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application: BotApp = builder.build()
    waker = JobQueueWaker(clock)
    core = build_core(config, db, clock, waker, strict_i18n=strict_i18n)
    processor.on_throttled = lambda update: slow_down(update, core)

    def bot_username() -> str:
        try:
            return str(application.bot.username)
        except RuntimeError:  # not initialized yet: the message goes without the link
            return ""

    handlers = build_handlers(core, bot_username)
    application.add_handlers(handlers.ordered)
    application.add_error_handler(_on_error)
    dispatcher = OutboxDispatcher(
        db,
        clock,
        TelegramSender(application.bot),
        handlers.renderers,
        tasks={**handlers.tasks, MENU_REFRESH: menu_task(application.bot, core)},
        remember=core.privacy.remember,
        instance=instance,
    )
    tg.record_details_with(application.bot, core.privacy.remember)
    tg.record_pointers_with(application.bot, core.privacy.remember_pointer)
    runtime = BotRuntime(application, core, handlers, dispatcher, waker)
    waker.attach(application, runtime)
    return runtime


async def slow_down(update: Update, core: Core) -> None:
    """Once per flood: a toast on a button, a line in a private chat; a group stays quiet."""
    user = update.effective_user
    lang = normalize_language(user.language_code if user else None) or (
        core.config.boardbot_language
    )
    text = core.i18n.t(lang, "flood.slow_down")
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer(text, show_alert=True)
        return
    chat = update.effective_chat
    if chat is not None and chat.type == "private":
        with contextlib.suppress(TelegramError):
            await update.get_bot().send_message(chat.id, text)


async def delete_messages(
    application: BotApp, messages: list[tuple[int, int]]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Try each: (done — deleted, or gone or too old for good; to retry — Telegram busy)."""
    done: list[tuple[int, int]] = []
    retry: list[tuple[int, int]] = []
    for chat_id, message_id in messages:
        try:
            await application.bot.delete_message(chat_id, message_id)
            done.append((chat_id, message_id))
        except (RetryAfter, NetworkError):
            retry.append((chat_id, message_id))
        except TelegramError:  # already gone, or past Telegram's 48 hours: nothing more to do
            done.append((chat_id, message_id))
    return done, retry


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Anything no handler caught: one line, no message text, no traceback with data."""
    if context.error is not None:
        log_failure(update, "application", context.error)


async def register_command_menus(application: BotApp, core: Core) -> None:
    """The "/" menu per chat type and per language; a failure here must not stop the bot."""
    scopes: list[tuple[BotCommandScope, Role, ChatKind]] = [
        # A newcomer's menu; each member's chat gets its own (handlers/menus.py).
        (BotCommandScopeAllPrivateChats(), Role.NON_MEMBER, ChatKind.PRIVATE),
        (BotCommandScopeAllGroupChats(), Role.MEMBER, ChatKind.GROUP),
        (BotCommandScopeAllChatAdministrators(), Role.COORDINATOR, ChatKind.GROUP),
    ]
    languages: list[str | None] = [None, *LANGUAGES]
    for scope, role, chat in scopes:
        for language in languages:
            lang = language or core.config.boardbot_language
            commands = [
                BotCommand(name, core.i18n.t(lang, f"cmd.{name}"))
                for name in commands_for(role, chat)
            ]
            try:
                await application.bot.set_my_commands(commands, scope=scope, language_code=language)
            except TelegramError as exc:
                log.warning("setMyCommands failed: %s", type(exc).__name__)


STANDBY_RETRY = 2.0
"""Seconds a standby waits between two tries to take the lead."""


class LostLeadError(Exception):
    """The lead can no longer be known to be this instance's: it stopped, so that two never
    answer at once (the service manager starts it again, as a standby)."""


def stop_on_signals() -> asyncio.Event:
    """Set by SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    return stop


async def wait_for_lead(db: Database, stop: asyncio.Event) -> Lead | None:
    """Stand by until this instance may be the active one: the lead, or None if told to stop
    first. Another instance answering on the same database keeps it until it stops or dies."""
    lead = await db.lead()
    waiting = False
    while not await lead.try_take():
        if not waiting:
            log.info("standby: another instance is active; this one takes over when it stops")
            waiting = True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=STANDBY_RETRY)
        if stop.is_set():
            await lead.release()
            return None
    if waiting:
        log.info("standby: the lead is free; this instance is now the active one")
    return lead


@contextlib.asynccontextmanager
async def active_runtime(config: Config, stop: asyncio.Event) -> AsyncIterator[BotRuntime | None]:
    """The database migrated, the lead taken (None: stopped while standing by), the bot built
    and started; stopped in order afterwards. Losing the lead sets ``stop``, and raises
    :class:`LostLeadError` once all is shut."""
    db = await open_database(config.database_location)
    try:
        await db.migrate()
        lead = await wait_for_lead(db, stop)
        if lead is None:
            yield None
            return
        runtime = build_runtime(
            config, db, clock_for(config.boardbot_clock_shift_seconds), instance=lead.instance
        )
        keeper = asyncio.create_task(lead.keep())
        keeper.add_done_callback(lambda _task: stop.set())
        try:
            async with runtime.application:
                await runtime.start_services(await lead.live_instances())
                await runtime.application.start()
                try:
                    yield runtime
                finally:
                    if runtime.application.running:
                        await runtime.application.stop()
        finally:
            keeper.cancel()
            await lead.release()
        if lead.lost.is_set():
            raise LostLeadError("the connection holding the lead was lost")
    finally:
        await db.close()


async def run_polling(config: Config) -> None:
    """Long polling until SIGINT/SIGTERM; every state lives in the database, so a hard kill
    is fine, and a standby on the same database takes over."""
    stop = stop_on_signals()
    async with active_runtime(config, stop) as runtime:
        if runtime is None:
            return
        updater = runtime.application.updater
        assert updater is not None
        try:
            await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            log.info("boardbot is running as @%s", runtime.application.bot.username)
            await stop.wait()
        finally:
            if updater.running:
                await updater.stop()
