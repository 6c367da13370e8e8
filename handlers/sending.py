"""Sending within Telegram's limits, one chat's trouble staying that chat's.

PTB's ``AIORateLimiter`` pauses every request while any one chat is told to wait
(``RetryAfter``) and lets a full second's worth through at once on top of the steady rate. This
limiter keeps a sliding window overall (30 a second), one per group (20 a minute, edits
included) and one per private chat (about one a second), from :mod:`bot.kernel.flood`; a chat
that is throttled or told to wait waits on its own, while the others go on. Messages to one
chat keep their order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.kernel.flood import SlidingWindow, is_group, overall_window, window_for

log = logging.getLogger(__name__)

JSONish = bool | dict[str, Any] | list[dict[str, Any]]
SENDING = ("send", "copy", "forward")
"""The methods Telegram's flood limits are about; answers, deletions and reads are not."""
EDITING = ("edit", "stopPoll")
"""Counted in groups, where everyone sees them; in private, an edit answers the person's own
tap, and their taps are already limited as they come in (bot.kernel.flood.SenderBuckets)."""
RETRY_MARGIN = 0.1


def _seconds(value: timedelta | float | int) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class ChatRateLimiter(BaseRateLimiter[int]):
    def __init__(
        self,
        *,
        max_retries: int = 3,
        clock: Callable[[], float] = time.monotonic,
        overall: SlidingWindow | None = None,
        windows: Callable[[int | str], SlidingWindow] = window_for,
    ) -> None:
        self._max_retries = max_retries
        self._clock = clock
        self._overall = overall or overall_window()
        self._new_window = windows
        self._windows: dict[int | str, SlidingWindow] = {}
        self._order: dict[int | str, asyncio.Lock] = {}
        self._blocked_until: dict[int | str, float] = {}
        self._everyone_blocked_until = 0.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONish]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONish:
        retries = self._max_retries if rate_limit_args is None else rate_limit_args
        chat = _chat_key(data.get("chat_id"))
        counted = chat is not None and (
            endpoint.startswith(SENDING) or (is_group(chat) and endpoint.startswith(EDITING))
        )
        for attempt in range(retries + 1):
            slot: float | None = None
            if counted and chat is not None:
                slot = await self._take_slot(chat)
            else:
                await self._until_unblocked(chat)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if slot is not None and chat is not None:
                    self._give_back(chat, slot)  # refused: it did not count against the limit
                if attempt == retries:
                    raise
                until = self._clock() + _seconds(exc.retry_after) + RETRY_MARGIN
                if chat is None:
                    self._everyone_blocked_until = max(self._everyone_blocked_until, until)
                else:
                    self._blocked_until[chat] = max(self._blocked_until.get(chat, 0.0), until)
                log.info("Telegram asked to wait %.1f s (%s)", until - self._clock(), endpoint)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _until_unblocked(self, chat: int | str | None) -> None:
        while True:
            until = self._everyone_blocked_until
            if chat is not None:
                until = max(until, self._blocked_until.get(chat, 0.0))
            wait = until - self._clock()
            if wait <= 0:
                return
            await asyncio.sleep(wait)

    def _give_back(self, chat: int | str, slot: float) -> None:
        self._overall.unrecord(slot)
        window = self._windows.get(chat)
        if window is not None:
            window.unrecord(slot)

    async def _take_slot(self, chat: int | str) -> float:
        """Wait for room in this chat's window first (holding only this chat's turn), then in
        the overall one; record the send in both at once, and return when it was taken."""
        order = self._order.get(chat)
        if order is None:
            self._forget_idle()
            order = self._order[chat] = asyncio.Lock()
        async with order:
            window = self._windows.get(chat)
            if window is None:
                window = self._windows[chat] = self._new_window(chat)
            while True:
                now = self._clock()
                wait = max(
                    window.wait(now),
                    self._blocked_until.get(chat, 0.0) - now,
                    self._everyone_blocked_until - now,
                )
                if wait <= 0:
                    wait = self._overall.wait(now)
                    if wait <= 0:
                        window.record(now)
                        self._overall.record(now)
                        return now
                await asyncio.sleep(wait)

    def _forget_idle(self) -> None:
        """Chats with nothing in their window and nobody waiting carry no state worth keeping."""
        if len(self._order) < 2048:
            return
        now = self._clock()
        for chat, lock in list(self._order.items()):
            window = self._windows.get(chat)
            if lock.locked() or (window is not None and not window.idle(now)):
                continue
            if self._blocked_until.get(chat, 0.0) > now:
                continue
            self._order.pop(chat, None)
            self._windows.pop(chat, None)
            self._blocked_until.pop(chat, None)


def _chat_key(chat_id: object) -> int | str | None:
    if chat_id is None:
        return None
    with contextlib.suppress(TypeError, ValueError):
        return int(str(chat_id))
    return str(chat_id)
