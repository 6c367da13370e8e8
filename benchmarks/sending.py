"""Sending a backlog at Telegram's speed without breaking its limits.

1,000 outbox rows, all due at once, to a mix of 50 groups (ten busy ones with 20 rows each, the
others with 5) and 500 people (one or two rows each), in a shuffled order. They go through the
real dispatcher, sender and rate limiter to the in-process fake Bot API, which enforces
Telegram's published limits (30 a second overall, 20 a minute in a group, about one a second
in a private chat) and answers 429 when one is broken. Real time: the run takes about as long
as Telegram's limits make it (about 35 s).

Reported: messages a second overall and as a share of the 30/s limit, the 429s, and the most
messages any one group got within a minute and any one person within five seconds.

    python -m benchmarks.sending [--groups 50] [--people 500] [--rows 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telegram.ext import ApplicationBuilder

from benchmarks.report import publish, stamp
from bot.kernel.clock import SystemClock
from bot.kernel.outbox import OutboxDispatcher
from bot.kernel.ui import Reply
from fakegram.api import OVERALL_LIMIT, FakeBotApi
from fakegram.request import FakeRequest
from handlers.delivery import TelegramSender
from handlers.sending import ChatRateLimiter
from storage import Session, SqliteDatabase
from storage.models import NewOutboxItem, OutboxItem

KIND = "bench.note"
BUSY_GROUPS = 10
BUSY_GROUP_ROWS = 20
"""A busy group gets as many as Telegram lets through in a minute: more would make the group's
own limit, not the bot, set the run's length."""
QUIET_GROUP_ROWS = 5


def plan(groups: int, people: int, rows: int, seed: int = 7) -> list[int]:
    """The chat of each row, shuffled: busy groups, quiet groups, then people for the rest."""
    group_ids = [-1_000_000_000_000 - n for n in range(groups)]
    chats: list[int] = []
    for index, group in enumerate(group_ids):
        chats += [group] * (BUSY_GROUP_ROWS if index < BUSY_GROUPS else QUIET_GROUP_ROWS)
    person_ids = [200_000 + n for n in range(people)]
    left = max(rows - len(chats), 0)
    chats += [person_ids[n % people] for n in range(left)]
    random.Random(seed).shuffle(chats)
    return chats[:rows]


def _max_within(times: list[float], seconds: float) -> int:
    """The most events in any window of ``seconds`` (``times`` sorted)."""
    best, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= seconds:
            start += 1
        best = max(best, end - start + 1)
    return best


async def run(groups: int, people: int, rows: int) -> dict[str, Any]:
    chats = plan(groups, people, rows)
    api = FakeBotApi(enforce_limits=True)
    api.started.update(chat for chat in chats if chat > 0)
    application = (
        ApplicationBuilder()
        .token(api.token)
        .request(FakeRequest(api))
        .get_updates_request(FakeRequest(api))
        .rate_limiter(ChatRateLimiter(max_retries=3))
        .build()
    )

    async def render(item: OutboxItem, session: Session) -> Reply:
        return Reply(f"Напомняне <b>{item.payload['n']}</b>")

    clock = SystemClock()
    with tempfile.TemporaryDirectory() as folder:
        db = await SqliteDatabase.open(Path(folder) / "sending.sqlite3")
        await db.migrate()
        now = datetime.now(UTC)
        async with db.transaction() as session:
            await session.outbox.enqueue(
                [
                    NewOutboxItem(chat_id=chat, kind=KIND, due_at=now, payload={"n": n})
                    for n, chat in enumerate(chats)
                ],
                now,
            )
        async with application:
            dispatcher = OutboxDispatcher(
                db, clock, TelegramSender(application.bot), {KIND: render}
            )
            started = time.monotonic()
            report = await dispatcher.run()
            while report.sent < rows and time.monotonic() - started < 600:
                await asyncio.sleep(0.2)  # rows told to wait by a 429 come due again
                report.add(await dispatcher.run())
            elapsed = time.monotonic() - started
        await db.close()
    sends = sorted(
        (call.at, int(call.params["chat_id"]))
        for call in api.calls
        if call.method.lower() == "sendmessage"
    )
    by_chat: dict[int, list[float]] = defaultdict(list)
    for at, chat in sends:
        by_chat[chat].append(at)
    limit = OVERALL_LIMIT[0] / OVERALL_LIMIT[1]
    rate = report.sent / elapsed
    return {
        "benchmark": "sending",
        **stamp(),
        "rows": rows,
        "groups": groups,
        "people": people,
        "sent": report.sent,
        "seconds": elapsed,
        "messages_per_second": rate,
        "share_of_limit": rate / limit,
        "answered_429": len(api.throttled),
        "most_in_one_second": _max_within([at for at, _ in sends], 1.0),
        "most_to_a_group_in_a_minute": max(
            (_max_within(times, 60.0) for chat, times in by_chat.items() if chat < 0), default=0
        ),
        "most_to_a_person_in_5_s": max(
            (_max_within(times, 5.0) for chat, times in by_chat.items() if chat > 0), default=0
        ),
    }


def _print(result: dict[str, Any]) -> None:
    print(
        f"{result['sent']} of {result['rows']} rows to {result['groups']} groups and "
        f"{result['people']} people in {result['seconds']:.1f} s: "
        f"{result['messages_per_second']:.1f} messages/s, "
        f"{result['share_of_limit']:.0%} of Telegram's 30/s"
    )
    print(
        f"429 answers: {result['answered_429']}; most in one second: "
        f"{result['most_in_one_second']}; most to one group in a minute: "
        f"{result['most_to_a_group_in_a_minute']} (limit 20); most to one person in 5 s: "
        f"{result['most_to_a_person_in_5_s']}  ({result['machine']}, {result['date']})"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/sending.json"))
    args = parser.parse_args()
    publish(asyncio.run(run(args.groups, args.people, args.rows)), args.out, _print)
