"""Updates per second through the whole stack, against a trivial bot in the same run.

The stream is realistic and mixed: boards set up, members joining (sector, rules, approval),
member lists, cases raised through the whole dialogue and read, case lists, a proposal voted on
by every member (some changing their minds) with its live message, a supervision set up in private
and answered by every member, action and meeting lists, help, language buttons, forged buttons.
Every update is Bot API JSON decoded with ``Update.de_json`` and run through the real
``Application`` (handlers, rules, SQLite on disk) with the in-process fake Bot API; the outbox
runs that send what the updates queued are timed too.

Two baselines get the same stream in the same run:

* the **replay floor**: a bare PTB ``Application`` that, for each update, makes exactly the Bot
  API calls the bot made for it (the same methods, texts and keyboards, so the fake parses the
  same HTML), and the outbox's calls in between, with no logic and no database. The ratio to it
  is what our own code and storage cost;
* the **trivial bot**: one handler answering "ok" to everything (PTB's own cost per update).

Per kind of update (a command, a button by its prefix, private text, a chat event) it prints the
median time, the hand-offs to aiosqlite's thread, the statements (those plus the point reads on
the event loop) and the Bot API calls.

    python -m benchmarks.throughput [--boards 100] [--members 20]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import statistics
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiosqlite
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    MessageHandler,
    TypeHandler,
)
from telegram.ext import filters as ptb_filters

from benchmarks.report import publish, stamp
from fakegram.api import FakeBotApi, SentMessage
from fakegram.harness import Group, Harness, Person
from fakegram.request import FakeRequest
from storage.connection import Connection


@dataclass
class Timings:
    latencies: list[float] = field(default_factory=list)
    total: float = 0.0

    def add(self, elapsed: float, *, update: bool = True) -> None:
        """An update's time counts in the rate and the percentiles; an outbox run's only in the
        total (the rate is updates per second of everything the stack did for them)."""
        if update:
            self.latencies.append(elapsed)
        self.total += elapsed

    def row(self, name: str) -> dict[str, Any]:
        ordered = sorted(self.latencies)
        return {
            "name": name,
            "updates": len(ordered),
            "updates_per_second": len(ordered) / self.total if self.total else 0.0,
            "p50_ms": statistics.median(ordered) * 1000,
            "p99_ms": ordered[int(len(ordered) * 0.99) - 1] * 1000,
            "outbox_share": 1 - sum(ordered) / self.total if self.total else 0.0,
        }


@dataclass
class Step:
    """One timed piece of the stream: an update (its JSON) or an outbox run (None), and the
    Bot API calls it made, for the replay floor."""

    update: dict[str, Any] | None
    calls: list[tuple[str, dict[str, Any]]]


@dataclass
class KindStats:
    times: list[float] = field(default_factory=list)
    hand_offs: int = 0
    statements: int = 0
    api_calls: int = 0


class Counters:
    """Hand-offs to aiosqlite's thread and point reads, counted where they happen."""

    def __init__(self) -> None:
        self.hand_offs = 0
        self.point_reads = 0
        self.commits = 0

    def install(self) -> None:
        through_the_thread: Any = aiosqlite.Connection._execute
        point = Connection.point
        counters = self

        async def counted(conn: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
            counters.hand_offs += 1
            if getattr(fn, "__name__", "") in ("commit", "rollback"):
                counters.commits += 1
            return await through_the_thread(conn, fn, *args, **kwargs)

        async def counted_point(conn: Connection, sql: str, parameters: Any = ()) -> Any:
            if not conn.wrote:
                counters.point_reads += 1
            return await point(conn, sql, parameters)

        setattr(aiosqlite.Connection, "_execute", counted)  # noqa: B010  # counted, then run
        setattr(Connection, "point", counted_point)  # noqa: B010

    def snapshot(self) -> tuple[int, int]:
        return self.hand_offs, self.point_reads + self.hand_offs - self.commits


OUTBOX_KIND = "outbox, per message sent"


def kind_of(update: dict[str, Any]) -> str:
    """A command by its name, a button by its prefix, private text, or a chat event."""
    if "callback_query" in update:
        data = str(update["callback_query"].get("data", ""))
        return "button " + ":".join(data.split(":")[:2])
    message = update.get("message")
    if message is None:
        return next(iter(k for k in update if k != "update_id"), "other")
    text = str(message.get("text", ""))
    where = "group" if message["chat"]["id"] < 0 else "private"
    if text.startswith("/"):
        return f"{text.split()[0].split('@')[0]} ({where})"
    return f"text ({where})"


class Recorder:
    """Times each update and each outbox run of the harness, and keeps what each sent."""

    def __init__(self, harness: Harness, counters: Counters) -> None:
        self.harness = harness
        self.counters = counters
        self.steps: list[Step] = []
        self.timings = Timings()
        self.kinds: dict[str, KindStats] = {}
        application = harness.runtime.application

        async def timed_feed(update: dict[str, Any]) -> Any:
            h = self.harness
            before = (len(h.api.messages), len(h.api.calls), len(h.api.callback_answers))
            hand_offs, statements = counters.snapshot()
            started = time.perf_counter()
            await application.process_update(Update.de_json(update, application.bot))
            elapsed = time.perf_counter() - started
            after_hand_offs, after_statements = counters.snapshot()
            self.timings.add(elapsed)
            calls = self._calls_since(before[1])
            self.steps.append(Step(update, calls))
            kind = self.kinds.setdefault(kind_of(update), KindStats())
            kind.times.append(elapsed)
            kind.hand_offs += after_hand_offs - hand_offs
            kind.statements += after_statements - statements
            kind.api_calls += len(calls)
            return h._collect(*before)

        async def timed_dispatch() -> Any:
            before = len(self.harness.api.calls)
            hand_offs, statements = counters.snapshot()
            started = time.perf_counter()
            report = await self.harness.runtime.dispatch()
            elapsed = time.perf_counter() - started
            self.timings.add(elapsed, update=False)
            calls = self._calls_since(before)
            self.steps.append(Step(None, calls))
            if calls:  # per message the outbox sent
                after_hand_offs, after_statements = counters.snapshot()
                kind = self.kinds.setdefault(OUTBOX_KIND, KindStats())
                kind.times += [elapsed / len(calls)] * len(calls)
                kind.hand_offs += after_hand_offs - hand_offs
                kind.statements += after_statements - statements
                kind.api_calls += len(calls)
            return report

        harness.feed = timed_feed  # type: ignore[method-assign]
        harness.dispatch = timed_dispatch  # type: ignore[method-assign]

    def _calls_since(self, index: int) -> list[tuple[str, dict[str, Any]]]:
        return [(call.method, call.params) for call in self.harness.api.calls[index:]]


async def full_stack(boards: int, members: int, folder: Path) -> tuple[Recorder, FakeBotApi]:
    counters = Counters()
    counters.install()
    async with Harness.running(folder / "bench.sqlite3") as h:
        h.transcript = _NullList()
        recorder = Recorder(h, counters)
        for b in range(boards):
            group = h.group(f"Board {b}")
            coordinator = h.person(f"Coordinator {b}")
            h.make_admin(group, coordinator)
            await h.private(coordinator, "/start")
            await h.in_group(group, coordinator, "/setup")
            for m in range(members - 1):
                await _member_joins(h, group, coordinator, h.person(f"Member {b}.{m}"))
            await h.in_group(group, coordinator, "/members")
            code = await _raise_case(h, group, coordinator)
            await h.in_group(group, coordinator, "/cases")
            voters = [p for p in h.people if p.name.startswith(f"Member {b}.")]
            await _vote(h, group, coordinator, voters, code)
            await _meeting(h, group, coordinator, voters)
        return recorder, h.api


async def _vote(
    h: Harness, group: Group, coordinator: Person, voters: list[Person], code: str
) -> None:
    """A proposal opened in the group, every member votes (some change their minds)."""
    draft = (await h.in_group(group, coordinator, f"/propose {code} Психологическа оценка")).only
    await h.press(coordinator, draft, "Явно")
    for index, person in enumerate(voters):
        await h.press(person, draft, "Против" if index % 5 == 0 else "За")
        if index % 5 == 0:
            await h.press(person, draft, "За")
    h.clock.advance(timedelta(seconds=5))
    await h.dispatch()
    await h.in_group(group, coordinator, "/actions")


async def _meeting(h: Harness, group: Group, coordinator: Person, people: list[Person]) -> None:
    """A supervision set up in private, announced in the group, every member answers."""
    screen = (await h.in_group(group, coordinator, "/meeting")).to(coordinator.id)[0]
    await h.press(coordinator, screen, "Супервизия")
    await h.press(coordinator, screen, "Знам датата")
    echo = (await h.private(coordinator, "25.11 14:00")).only
    await h.press(coordinator, echo, "Да")
    await h.press(coordinator, echo, "Пропусни")
    await h.press(coordinator, echo, "90 мин")
    before = len(h.api.messages)
    await h.press(coordinator, echo, "в групата")
    await h.dispatch()
    announced = next(m for m in h.api.messages[before:] if m.chat_id == group.id and m.buttons())
    for index, person in enumerate(people):
        await h.press(person, announced, "Може би" if index % 4 == 0 else "Идвам")
    h.clock.advance(timedelta(seconds=5))
    await h.dispatch()
    await h.in_group(group, people[0], "/meetings")


async def _member_joins(h: Harness, group: Group, coordinator: Person, person: Person) -> None:
    await h.private(person, "/start")
    asked = await h.in_group(group, person, "/join")
    question = asked.to(person.id)[0]
    await h.press(person, question, "Образование")
    await h.press(person, question, "Приемам")
    before = len(h.api.messages)
    await h.dispatch()
    request = next(m for m in h.api.messages[before:] if m.chat_id == coordinator.id)
    await h.press(coordinator, request, "Одобри")
    await h.dispatch()
    await h.private(person, "/help")
    picker = await h.private(person, "/lang")
    await h.press(person, picker.only, "English")
    await h.press_data(person, picker.only, "v1:vote:1:agree")


async def _raise_case(h: Harness, group: Group, person: Person) -> str:
    """The whole /newcase dialogue, from the group's deep link to the card."""
    invited = await h.in_group(group, person, "/newcase")
    payload = invited.only.buttons()[0]["url"].split("?start=")[1]
    await h.private(person, f"/start {payload}")
    screen = (await h.private(person, "момче, 14 г.")).only
    for label in (
        "Множество рискове",
        "Напред",
        "травма",
        "Напред",
        "Образование",
        "Напред",
        "по-късно",
        "спешен",
        "съгласие",
    ):
        await h.press(person, screen, label)
    confirm = await h.private(person, "Три смени на училище за година; няма общ план.")
    created = await h.press(person, confirm.only, "Подай случая")
    await h.dispatch()
    code = (created.toast or "x x").split()[1]
    await h.private(person, f"/case {code}")
    return code


async def replay_floor(steps: list[Step], original: FakeBotApi) -> Timings:
    """The same updates through a bare PTB application that makes the bot's own Bot API calls
    for each (and the outbox's, between them), with no logic and no database."""
    warnings.filterwarnings("ignore", message="Please use 'Bot.")
    api = FakeBotApi()
    api.started.update(original.started)
    api.chat_members.update(original.chat_members)
    highest = 0
    for step in steps:  # the messages the bot edits or deletes exist, as they did for the bot
        for method, params in step.calls:
            if method.lower().startswith(("edit", "delete")) and "message_id" in params:
                key = (int(params["chat_id"]), int(params["message_id"]))
                highest = max(highest, key[1])
                if key not in api._by_key:
                    placeholder = SentMessage(key[0], key[1], "·", None, None)
                    api.messages.append(placeholder)
                    api._by_key[key] = placeholder
    api._ids = itertools.count(max(highest, max(m.message_id for m in original.messages)) + 1)
    app = _bare_application(api)
    pending: list[list[tuple[str, dict[str, Any]]]] = []

    async def replay(update: Update, context: Any) -> None:
        await _make(context.bot, pending.pop())

    app.add_handler(TypeHandler(Update, replay))
    timings = Timings()
    async with app:
        for step in steps:
            started = time.perf_counter()
            if step.update is None:
                await _make(app.bot, step.calls)
                timings.add(time.perf_counter() - started, update=False)
                continue
            pending.append(step.calls)
            await app.process_update(Update.de_json(step.update, app.bot))
            timings.add(time.perf_counter() - started)
    return timings


async def _make(bot: Any, calls: list[tuple[str, dict[str, Any]]]) -> None:
    """The bot's own Bot API calls, made again as they were."""
    for method, params in calls:
        with contextlib.suppress(TelegramError):  # the bot's own call failed the same way
            await bot.do_api_request(method, api_kwargs=params)


def _bare_application(api: FakeBotApi) -> Any:
    return (
        ApplicationBuilder()
        .token(api.token)
        .request(FakeRequest(api))
        .get_updates_request(FakeRequest(api))
        .rate_limiter(AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=0))
        .build()
    )


async def trivial(updates: list[dict[str, Any]]) -> Timings:
    api = FakeBotApi()
    api.started.update(u["message"]["chat"]["id"] for u in updates if "message" in u)
    app = _bare_application(api)

    async def reply(update: Update, context: Any) -> None:
        if update.callback_query is not None:
            await update.callback_query.answer("ok")
        elif update.effective_message is not None:
            await update.effective_message.reply_text("ok")

    app.add_handler(MessageHandler(ptb_filters.ALL, reply))
    app.add_handler(CallbackQueryHandler(reply))
    timings = Timings()
    async with app:
        for data in updates:
            if "callback_query" in data:  # the trivial bot never sent these messages: add them
                message = data["callback_query"]["message"]
                sent = _as_sent(message)
                api.messages.append(sent)
                api._by_key[(sent.chat_id, sent.message_id)] = sent
            started = time.perf_counter()
            await app.process_update(Update.de_json(data, app.bot))
            timings.add(time.perf_counter() - started)
    return timings


def _as_sent(message: dict[str, Any]) -> Any:
    return SentMessage(
        message["chat"]["id"],
        message["message_id"],
        message.get("text", "x"),
        message.get("reply_markup"),
        None,
    )


class _NullList(list[str]):
    """The benchmark does not keep a transcript."""

    def append(self, item: str) -> None:
        return None

    def extend(self, items: Any) -> None:
        return None


async def main(boards: int, members: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        recorder, api = await full_stack(boards, members, Path(folder))
    floor = await replay_floor(recorder.steps, api)
    baseline = await trivial([step.update for step in recorder.steps if step.update is not None])
    ours = recorder.timings.row("boardbot")
    replayed, base = floor.row("replay floor"), baseline.row("trivial bot")
    kinds = [
        {
            "kind": name,
            "updates": len(stats.times),
            "p50_ms": statistics.median(stats.times) * 1000,
            "hand_offs": stats.hand_offs / len(stats.times),
            "statements": stats.statements / len(stats.times),
            "api_calls": stats.api_calls / len(stats.times),
        }
        for name, stats in sorted(recorder.kinds.items(), key=lambda item: -len(item[1].times))
    ]
    return {
        "benchmark": "throughput",
        **stamp(),
        "boards": boards,
        "members_per_board": members,
        "rows": [ours, replayed, base],
        "floor_ratio": replayed["updates_per_second"] / ours["updates_per_second"],
        "cost_ratio": base["updates_per_second"] / ours["updates_per_second"],
        "kinds": kinds,
    }


def _print(result: dict[str, Any]) -> None:
    print(f"{'stack':<14}{'updates':>9}{'upd/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'outbox':>9}")
    for row in result["rows"]:
        print(
            f"{row['name']:<14}{row['updates']:>9}{row['updates_per_second']:>10.0f}"
            f"{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}{row['outbox_share']:>9.0%}"
        )
    print(
        f"boardbot costs {result['floor_ratio']:.2f}× the replay floor and "
        f"{result['cost_ratio']:.1f}× the trivial bot per update "
        f"({result['boards']} boards × {result['members_per_board']} members; "
        f"{result['machine']}, {result['date']})"
    )
    print()
    print(
        f"{'kind of update':<34}{'count':>7}{'p50 ms':>8}{'hand-offs':>11}{'statements':>12}"
        f"{'API calls':>11}"
    )
    for kind in result["kinds"]:
        print(
            f"{kind['kind'][:34]:<34}{kind['updates']:>7}{kind['p50_ms']:>8.2f}"
            f"{kind['hand_offs']:>11.1f}{kind['statements']:>12.1f}{kind['api_calls']:>11.1f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--boards", type=int, default=100)
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/throughput.json"))
    args = parser.parse_args()
    publish(asyncio.run(main(args.boards, args.members)), args.out, _print)
