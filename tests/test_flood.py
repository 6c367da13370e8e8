"""One person or one chat cannot slow down everyone else: the token bucket for what comes in,
the sliding windows for what goes out, and the rate limiter that applies them per chat."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.kernel.flood import SenderBuckets, SlidingWindow, overall_window, window_for
from handlers.sending import ChatRateLimiter


def test_a_bucket_lets_a_burst_through_then_a_trickle_and_warns_once() -> None:
    buckets = SenderBuckets(burst=5, per_second=1.0)
    admitted = [buckets.admit(1, 0.0) for _ in range(8)]
    assert [a.allowed for a in admitted] == [True] * 5 + [False] * 3
    assert [a.warn for a in admitted] == [False] * 5 + [True, False, False]
    assert buckets.admit(2, 0.0).allowed  # another person is not touched
    assert buckets.admit(1, 1.0).allowed  # a second later: one more
    assert not buckets.admit(1, 1.0).allowed
    assert buckets.admit(1, 1.5).warn is False  # still the same flood: no second notice
    assert buckets.admit(1, 10.0).allowed
    refused_again = [buckets.admit(1, 10.0) for _ in range(10)]
    assert sum(a.warn for a in refused_again) == 1  # a new flood gets its one notice


def test_a_sliding_window_never_holds_more_than_its_limit() -> None:
    window = SlidingWindow(20, 60.0)
    sent: list[float] = []
    now = 0.0
    while len(sent) < 50:
        wait = window.wait(now)
        if wait:
            now += wait
            continue
        window.record(now)
        sent.append(now)
        now += 0.5
    for start in sent:
        assert sum(1 for t in sent if start <= t < start + 60.0) <= 20
    assert sent[19] < 10 < sent[20]  # a burst of 20, then the next only after a minute


def test_groups_and_private_chats_get_their_own_limits() -> None:
    for group in (window_for(-100123), window_for("@board")):
        assert group.limit == 20 and 60.0 <= group.period <= 60.1  # a margin for arrival jitter
    overall = overall_window()
    assert overall.limit == 30 and 1.0 <= overall.period <= 1.05  # >= 95% of 30 a second
    private = window_for(4242)
    assert private.limit / private.period <= 1.0  # about one a second, with a short burst


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[float, Any]] = []
        self.retry_once: set[Any] = set()
        self.tags: list[int] = []

    async def call(self, chat: Any, tag: int = 0) -> bool:
        if chat in self.retry_once:
            self.retry_once.discard(chat)
            raise RetryAfter(timedelta(seconds=0.6))
        self.calls.append((time.monotonic(), chat))
        self.tags.append(tag)
        return True


def limiter() -> ChatRateLimiter:
    """Scaled-down limits, so the test takes a second."""
    return ChatRateLimiter(
        max_retries=2,
        overall=SlidingWindow(6, 0.1),
        windows=lambda chat: SlidingWindow(2, 0.1) if int(chat) > 0 else SlidingWindow(4, 1.0),
    )


async def send(
    rl: ChatRateLimiter, rec: Recorder, chat: int, endpoint: str = "sendMessage", tag: int = 0
) -> Any:
    return await rl.process_request(rec.call, (chat, tag), {}, endpoint, {"chat_id": chat}, None)


async def test_a_busy_chat_waits_on_its_own_while_the_others_go_on() -> None:
    rl, rec = limiter(), Recorder()
    busy = [asyncio.create_task(send(rl, rec, 1)) for _ in range(10)]
    await asyncio.sleep(0.01)
    await asyncio.gather(*(send(rl, rec, chat) for chat in (2, 3, 4)))
    await asyncio.gather(*busy)
    order = [chat for _, chat in rec.calls]
    assert max(order.index(chat) for chat in (2, 3, 4)) < 6  # not behind the busy chat's backlog
    ones = [at for at, chat in rec.calls if chat == 1]
    for start in ones:
        assert sum(1 for t in ones if start <= t < start + 0.1) <= 2
    every = [at for at, _ in rec.calls]
    for start in every:
        assert sum(1 for t in every if start <= t < start + 0.1) <= 6


async def test_a_group_keeps_to_its_limit_edits_included_answers_not_counted() -> None:
    rl, rec = limiter(), Recorder()
    started = time.monotonic()
    for endpoint in ("sendMessage", "editMessageText", "sendDocument", "editMessageText"):
        await send(rl, rec, -100, endpoint)
    for _ in range(5):
        await send(rl, rec, -100, "deleteMessage")
    assert time.monotonic() - started < 0.5
    await send(rl, rec, -100)  # the fifth message in a second waits for the window
    assert time.monotonic() - started >= 0.9


async def test_retry_after_pauses_only_the_chat_that_got_it() -> None:
    rl, rec = limiter(), Recorder()
    rec.retry_once.add(7)
    waiting = asyncio.create_task(send(rl, rec, 7))
    await asyncio.sleep(0.05)
    await send(rl, rec, 8)  # chat 8 is not held by chat 7's 0.6 s
    assert await waiting is True
    assert [chat for _, chat in rec.calls] == [8, 7]


async def test_a_send_telegram_refused_does_not_use_up_the_chats_turn() -> None:
    """A 429 means the message did not arrive: counting it would hold the chat's next message
    back a whole window (a group's 20th message of the minute waiting another minute)."""
    rl = ChatRateLimiter(
        max_retries=1,
        overall=SlidingWindow(100, 1.0),
        windows=lambda chat: SlidingWindow(2, 30.0),
    )
    rec = Recorder()
    rec.retry_once.add(-5)
    started = time.monotonic()
    await send(rl, rec, -5)  # refused once (0.6 s), then sent: one slot used, not two
    await send(rl, rec, -5)
    assert [chat for _, chat in rec.calls] == [-5, -5]
    assert time.monotonic() - started < 5  # not behind a 30-second window


async def test_retry_after_beyond_the_retries_is_raised_to_the_caller() -> None:
    rl = ChatRateLimiter(max_retries=0)

    async def always(chat: Any) -> bool:
        raise RetryAfter(timedelta(seconds=1))

    with pytest.raises(RetryAfter):
        await rl.process_request(always, (1,), {}, "sendMessage", {"chat_id": 1}, None)


async def test_messages_to_one_chat_keep_their_order() -> None:
    rl, rec = limiter(), Recorder()
    await asyncio.gather(*(send(rl, rec, 5, tag=i) for i in range(6)))
    assert rec.tags == list(range(6))
