"""Updates per second through the whole stack, against a trivial bot in the same run.

The stream is realistic and mixed: boards set up, members joining (sector, rules, approval),
member lists, cases raised through the whole dialogue and read, case lists, a proposal voted on
by every member (some changing their minds) with its live message, a supervision set up in private
and answered by every member, action and meeting lists, help, language buttons, forged buttons.
Every update is Bot API JSON decoded with ``Update.de_json`` and run through the real
``Application`` (handlers, rules, SQLite on disk) with the in-process fake Bot API. The same
updates then go through an ``Application`` with one trivial replying handler; the ratio is what
our own work costs.

    python -m benchmarks.throughput [--boards 100] [--members 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, CallbackQueryHandler, MessageHandler
from telegram.ext import filters as ptb_filters

from fakegram.api import FakeBotApi
from fakegram.harness import Group, Harness, Person
from fakegram.request import FakeRequest


@dataclass
class Timings:
    latencies: list[float] = field(default_factory=list)
    total: float = 0.0

    def row(self, name: str) -> dict[str, Any]:
        ordered = sorted(self.latencies)
        return {
            "name": name,
            "updates": len(ordered),
            "updates_per_second": len(ordered) / self.total if self.total else 0.0,
            "p50_ms": statistics.median(ordered) * 1000,
            "p99_ms": ordered[int(len(ordered) * 0.99) - 1] * 1000,
        }


class Recorder:
    """Keeps each update's JSON so the trivial bot can be fed exactly the same stream."""

    def __init__(self, harness: Harness) -> None:
        self.harness = harness
        self.updates: list[dict[str, Any]] = []
        self.timings = Timings()
        original = harness.feed

        async def timed_feed(update: dict[str, Any]) -> Any:
            self.updates.append(update)
            started = time.perf_counter()
            result = await original(update)
            elapsed = time.perf_counter() - started
            self.timings.latencies.append(elapsed)
            self.timings.total += elapsed
            return result

        harness.feed = timed_feed  # type: ignore[method-assign]


async def full_stack(boards: int, members: int, folder: Path) -> Recorder:
    async with Harness.running(folder / "bench.sqlite3") as h:
        h.transcript = _NullList()
        recorder = Recorder(h)
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
        return recorder


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


async def trivial(updates: list[dict[str, Any]]) -> Timings:
    api = FakeBotApi()
    api.started.update(u["message"]["chat"]["id"] for u in updates if "message" in u)
    app = (
        ApplicationBuilder()
        .token(api.token)
        .request(FakeRequest(api))
        .get_updates_request(FakeRequest(api))
        .rate_limiter(AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=0))
        .build()
    )

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
            elapsed = time.perf_counter() - started
            timings.latencies.append(elapsed)
            timings.total += elapsed
    return timings


def _as_sent(message: dict[str, Any]) -> Any:
    from fakegram.api import SentMessage

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
        recorder = await full_stack(boards, members, Path(folder))
    baseline = await trivial(recorder.updates)
    ours, base = recorder.timings.row("boardbot"), baseline.row("trivial bot")
    return {
        "benchmark": "throughput",
        "boards": boards,
        "members_per_board": members,
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.system()}",
        "rows": [ours, base],
        "cost_ratio": base["updates_per_second"] / ours["updates_per_second"],
    }


def _print(result: dict[str, Any]) -> None:
    print(f"{'stack':<14}{'updates':>9}{'upd/s':>10}{'p50 ms':>9}{'p99 ms':>9}")
    for row in result["rows"]:
        print(
            f"{row['name']:<14}{row['updates']:>9}{row['updates_per_second']:>10.0f}"
            f"{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}"
        )
    print(
        f"boardbot costs {result['cost_ratio']:.1f}× the trivial bot per update "
        f"({result['boards']} boards × {result['members_per_board']} members; "
        f"{result['machine']})"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--boards", type=int, default=100)
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/throughput.json"))
    args = parser.parse_args()
    outcome = asyncio.run(main(args.boards, args.members))
    _print(outcome)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(outcome, indent=2))
