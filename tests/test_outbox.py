"""The outbox: nothing timed lives only in memory, and one bad target never holds up the rest."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from bot.kernel.clock import ManualClock
from bot.kernel.notices import NOTICE
from bot.kernel.outbox import (
    Delivered,
    DeliveryResult,
    DispatchReport,
    OutboxDispatcher,
    OutgoingMessage,
)
from bot.kernel.ui import Reply
from fakegram.harness import DEFAULT_START
from storage.models import NewOutboxItem, OutboxItem
from tests.kit import Failure, FakeBotApi, Harness, Person


def reminder(
    person: Person, due_in: timedelta, *, key: str, useful_for: timedelta | None = None
) -> NewOutboxItem:
    now = DEFAULT_START
    return NewOutboxItem(
        chat_id=person.id,
        recipient_id=person.id,
        kind=NOTICE,
        payload={"key": "demo.reminder"},
        due_at=now + due_in,
        useful_until=None if useful_for is None else now + useful_for,
        dedupe_key=key,
    )


async def queue(h: Harness, *items: NewOutboxItem) -> None:
    async with h.db.transaction() as session:
        await h.runtime.core.outbox.add(session, list(items), h.clock.now())


async def row(h: Harness, key: str) -> OutboxItem:
    async with h.db.read() as session:
        item = await session.outbox.by_dedupe_key(key)
    assert item is not None
    return item


async def test_a_row_due_while_the_bot_was_stopped_is_sent_once_after_start(
    bot_db: Path,
) -> None:
    api, clock = FakeBotApi(), ManualClock(DEFAULT_START)
    async with Harness.running(bot_db, api=api, clock=clock) as h:
        maria = h.person("Мария")
        api.started.add(maria.id)
        await queue(h, reminder(maria, timedelta(hours=1), key="r1"))
    clock.advance(timedelta(hours=3))
    async with Harness.running(bot_db, api=api, clock=clock) as h:
        first = await h.dispatch()
        second = await h.dispatch()
        assert (await row(h, "r1")).state == "sent"
    assert (first.sent, second.sent) == (1, 0)
    assert [m.chat_id for m in api.messages] == [maria.id]


async def test_nothing_is_sent_before_it_is_due(harness: Harness) -> None:
    maria = harness.person("Мария")
    harness.api.started.add(maria.id)
    await queue(harness, reminder(maria, timedelta(minutes=10), key="early"))
    assert (await harness.dispatch()).sent == 0
    harness.clock.advance(timedelta(minutes=10))
    assert (await harness.dispatch()).sent == 1


async def test_a_row_past_its_useful_until_is_dropped_and_recorded(harness: Harness) -> None:
    maria = harness.person("Мария")
    harness.api.started.add(maria.id)
    await queue(
        harness,
        reminder(maria, timedelta(minutes=30), key="late", useful_for=timedelta(minutes=45)),
    )
    harness.clock.advance(timedelta(hours=1))
    report = await harness.dispatch()
    item = await row(harness, "late")
    assert (report.sent, report.dropped) == (0, 1)
    assert (item.state, item.reason) == ("dropped", "expired")
    assert harness.api.messages == []


async def test_a_crash_between_sending_and_sent_resends_that_row_once(bot_db: Path) -> None:
    api, clock = FakeBotApi(), ManualClock(DEFAULT_START)
    async with Harness.running(bot_db, api=api, clock=clock) as h:
        maria, georgi = h.person("Мария"), h.person("Георги")
        api.started.update({maria.id, georgi.id})
        await queue(h, reminder(maria, timedelta(0), key="m"))
        await h.dispatch()
        await queue(h, reminder(georgi, timedelta(0), key="g"))
        # The process dies after claiming the row and handing it to Telegram, before "sent".
        async with h.db.transaction() as session:
            claimed = await session.outbox.claim_due(clock.now(), 10)
        assert [item.dedupe_key for item in claimed] == ["g"]
        api.call("sendMessage", {"chat_id": georgi.id, "text": "in flight"})
    async with Harness.running(bot_db, api=api, clock=clock) as h:
        report = await h.dispatch()
        assert (await row(h, "g")).state == "sent"
        assert (await row(h, "m")).state == "sent"
    assert report.sent == 1
    assert [m.chat_id for m in api.messages].count(maria.id) == 1
    assert [m.chat_id for m in api.messages].count(georgi.id) == 2


async def test_a_blocked_recipient_is_undeliverable_and_does_not_hold_up_others(
    harness: Harness,
) -> None:
    people = [harness.person(f"P{i}") for i in range(5)]
    harness.api.started.update(p.id for p in people)
    harness.api.blocked.add(people[0].id)
    harness.api.fail(
        Failure(
            "sendMessage",
            429,
            "Too Many Requests: retry after 40",
            chat_id=people[1].id,
            times=10,
            retry_after=40,
        )
    )
    await queue(harness, *(reminder(p, timedelta(0), key=f"k{i}") for i, p in enumerate(people)))
    report = await harness.dispatch()
    blocked, throttled = await row(harness, "k0"), await row(harness, "k1")
    assert report.sent == 3
    assert (blocked.state, blocked.reason) == ("undeliverable", "forbidden")
    assert throttled.state == "pending"
    assert throttled.send_after >= harness.clock.now() + timedelta(seconds=40)
    assert sorted(m.chat_id for m in harness.api.messages) == sorted(p.id for p in people[2:])


async def test_retry_after_is_honoured_then_the_row_goes_out(harness: Harness) -> None:
    maria = harness.person("Мария")
    harness.api.started.add(maria.id)
    harness.api.fail(
        Failure(
            "sendMessage",
            429,
            "Too Many Requests: retry after 60",
            chat_id=maria.id,
            times=1,
            retry_after=60,
        )
    )
    await queue(harness, reminder(maria, timedelta(0), key="r"))
    assert (await harness.dispatch()).retried == 1
    harness.clock.advance(timedelta(seconds=30))
    assert (await harness.dispatch()).sent == 0
    harness.clock.advance(timedelta(seconds=31))
    assert (await harness.dispatch()).sent == 1


async def test_server_errors_back_off_and_finally_give_up(harness: Harness) -> None:
    maria = harness.person("Мария")
    harness.api.started.add(maria.id)
    harness.api.fail(Failure("sendMessage", 500, "Internal Server Error", times=100))
    await queue(harness, reminder(maria, timedelta(0), key="r"))
    for _ in range(36):
        await harness.dispatch()
        harness.clock.advance(timedelta(hours=1))
    item = await row(harness, "r")
    assert (item.state, item.reason) == ("undeliverable", "gave_up")
    assert item.attempts == 30  # about a day of trying: an outage of hours loses nothing


async def test_a_group_that_became_a_supergroup_gets_its_messages_at_the_new_id(
    harness: Harness,
) -> None:
    old_id, new_id = -4001, -1004001
    harness.api.fail(
        Failure(
            "sendMessage",
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            chat_id=old_id,
            migrate_to=new_id,
        )
    )
    await queue(
        harness,
        NewOutboxItem(
            chat_id=old_id,
            kind=NOTICE,
            payload={"key": "demo.reminder"},
            due_at=DEFAULT_START,
            dedupe_key="grp",
        ),
    )
    report = await harness.dispatch()  # the row follows the chat and goes out in the same run
    assert (report.moved, report.sent) == (1, 1)
    assert [m.chat_id for m in harness.api.messages] == [new_id]


async def test_the_same_dedupe_key_is_queued_only_once(harness: Harness) -> None:
    maria = harness.person("Мария")
    harness.api.started.add(maria.id)
    await queue(harness, reminder(maria, timedelta(0), key="once"))
    await queue(harness, reminder(maria, timedelta(0), key="once"))
    assert (await harness.dispatch()).sent == 1


async def test_a_row_with_an_unknown_kind_is_dropped_not_retried_forever(
    harness: Harness,
) -> None:
    await queue(
        harness,
        NewOutboxItem(chat_id=1, kind="no_such_kind", due_at=DEFAULT_START, dedupe_key="odd"),
    )
    report = await harness.dispatch()
    item = await row(harness, "odd")
    assert report.dropped == 1
    assert (item.state, item.reason) == ("dropped", "nothing_to_send")


async def test_a_wake_up_is_planned_at_the_next_due_row(harness: Harness) -> None:
    maria = harness.person("Мария")
    await queue(harness, reminder(maria, timedelta(minutes=5), key="soon"))
    job_queue = harness.runtime.application.job_queue
    assert job_queue is not None
    names = [job.name for job in job_queue.jobs()]
    assert "outbox-wake" in names
    await asyncio.sleep(0)


async def test_flood_waits_do_not_use_up_a_rows_attempts(harness: Harness) -> None:
    maria = harness.person("Мария")
    harness.api.started.add(maria.id)
    harness.api.fail(
        Failure(
            "sendMessage",
            429,
            "Too Many Requests: retry after 5",
            chat_id=maria.id,
            times=12,
            retry_after=5,
        )
    )
    await queue(harness, reminder(maria, timedelta(0), key="flood"))
    for _ in range(12):
        await harness.dispatch()
        harness.clock.advance(timedelta(seconds=6))
    assert (await harness.dispatch()).sent == 1
    assert (await row(harness, "flood")).attempts == 1


async def test_a_blocked_recipient_is_remembered_as_unreachable(harness: Harness) -> None:
    maria = harness.person("Мария")
    await harness.private(maria, "/start")
    harness.api.blocked.add(maria.id)
    await queue(harness, reminder(maria, timedelta(0), key="b"))
    await harness.dispatch()
    async with harness.db.read() as session:
        user = await session.users.get(maria.id)
    assert user is not None and user.private_chat_open is False


async def test_one_chats_messages_go_out_in_the_order_they_were_due(harness: Harness) -> None:
    maria = harness.person("Мария")
    harness.api.started.add(maria.id)
    await queue(
        harness,
        *(
            NewOutboxItem(
                chat_id=maria.id,
                recipient_id=maria.id,
                kind=NOTICE,
                payload={"key": key},
                due_at=DEFAULT_START + timedelta(seconds=i),
                dedupe_key=f"o{i}",
            )
            for i, key in enumerate(["demo.reminder", "cancel.done", "cancel.nothing"])
        ),
    )
    harness.clock.advance(timedelta(minutes=1))
    await harness.dispatch()
    texts = [m.plain() for m in harness.api.messages]
    assert ["Напомняне" in texts[0], texts[1][:8], texts[2][:4]] == [True, "Разговор", "Няма"]


class HeldGroupSender:
    """Telegram's side of the wire: a group's messages wait until ``release`` (a group at its
    20 a minute), private chats answer at once."""

    def __init__(self, people: int) -> None:
        self.release = asyncio.Event()
        self.people_done = asyncio.Event()
        self.people = people
        self.sent: list[tuple[int, str]] = []

    async def send(self, message: OutgoingMessage) -> DeliveryResult:
        if message.chat_id < 0:
            await self.release.wait()
        self.sent.append((message.chat_id, message.reply.text))
        if sum(1 for chat, _ in self.sent if chat > 0) == self.people:
            self.people_done.set()
        return Delivered(len(self.sent))


async def held_group_run(
    harness: Harness, group: int, group_rows: int, people: list[int]
) -> tuple[HeldGroupSender, asyncio.Task[DispatchReport], int]:
    """The group's rows due first, then one row to each person; a dispatcher of batches of
    10 starts sending them to a Telegram that holds the group's messages."""
    rows = [(group, f"g{n}") for n in range(group_rows)] + [(p, f"p{p}") for p in people]
    await queue(
        harness,
        *(
            NewOutboxItem(
                chat_id=chat,
                kind="test.text",
                payload={"text": text},
                due_at=DEFAULT_START + timedelta(milliseconds=n),
                dedupe_key=text,
            )
            for n, (chat, text) in enumerate(rows)
        ),
    )
    harness.clock.advance(timedelta(seconds=1))

    async def render(item: OutboxItem, session: object) -> Reply:
        return Reply(str(item.payload["text"]))

    sender = HeldGroupSender(len(people))
    dispatcher = OutboxDispatcher(
        harness.db, harness.clock, sender, {"test.text": render}, batch_size=10
    )
    return sender, asyncio.create_task(dispatcher.run()), len(rows)


async def test_a_group_held_to_its_limit_does_not_hold_up_the_people_behind_it(
    harness: Harness,
) -> None:
    """The group's rows are due first and fill a whole batch; the people's rows behind them
    still go out while the group waits, and the group's arrive in their order afterwards."""
    group, people = -100777, [300_000 + n for n in range(30)]
    sender, running, total = await held_group_run(harness, group, 12, people)
    await asyncio.wait_for(sender.people_done.wait(), timeout=10)
    assert not any(chat == group for chat, _ in sender.sent)
    sender.release.set()
    report = await asyncio.wait_for(running, timeout=10)
    assert report.sent == total
    assert [text for chat, text in sender.sent if chat == group] == [f"g{n}" for n in range(12)]


async def test_a_claim_caps_one_chats_share_and_skips_chats_being_sent_to(
    harness: Harness,
) -> None:
    due = DEFAULT_START
    await queue(
        harness,
        *(
            NewOutboxItem(chat_id=chat, kind=NOTICE, due_at=due, dedupe_key=f"c{chat}.{n}")
            for chat in (1, 2, 3)
            for n in range(4)
        ),
    )
    async with harness.db.transaction() as session:
        claimed = await session.outbox.claim_due(due, 10, per_chat=2, skip_chats=[3])
    assert sorted((item.chat_id, item.dedupe_key) for item in claimed) == [
        (1, "c1.0"),
        (1, "c1.1"),
        (2, "c2.0"),
        (2, "c2.1"),
    ]


async def test_a_row_whose_result_was_not_recorded_is_sent_again_after_the_lease(
    harness: Harness,
) -> None:
    maria = harness.person("Мария")
    harness.api.started.add(maria.id)
    await queue(harness, reminder(maria, timedelta(0), key="stuck"))
    async with harness.db.transaction() as session:
        await session.outbox.claim_due(harness.clock.now(), 10)
    harness.clock.advance(timedelta(minutes=10))
    assert await harness.runtime.dispatcher.recover_stale() == 0
    harness.clock.advance(timedelta(minutes=21))
    assert await harness.runtime.dispatcher.recover_stale() == 1
    assert (await harness.dispatch()).sent == 1


async def test_changes_within_a_window_share_one_row_and_a_row_being_sent_is_not_reused(
    harness: Harness,
) -> None:
    outbox, window = harness.runtime.core.outbox, timedelta(seconds=5)
    item = NewOutboxItem(chat_id=-100, kind=NOTICE, due_at=DEFAULT_START, dedupe_key="live:1")
    for offset in (0.0, 1.5, 4.9):
        async with harness.db.transaction() as session:
            await outbox.add_merged(
                session, item, DEFAULT_START + timedelta(seconds=offset), window
            )
    async with harness.db.transaction() as session:  # the row goes out: it is being sent
        claimed = await session.outbox.claim_due(DEFAULT_START + window, 10)
        assert len(claimed) == 1
    async with harness.db.transaction() as session:
        await outbox.add_merged(session, item, DEFAULT_START + timedelta(seconds=4.95), window)
    async with harness.db.transaction() as session:
        later = await session.outbox.claim_due(DEFAULT_START + 2 * window, 10)
    assert [row.due_at for row in later] == [DEFAULT_START + 2 * window]


def test_the_fake_answers_429_with_retry_after_when_telegrams_limits_are_broken() -> None:
    """So that a breach of the flood limits shows in a test, as it would with Telegram."""
    from fakegram.api import ApiError

    api = FakeBotApi(enforce_limits=True)
    api.started.update({1, 2})
    group = -1001
    for n in range(20):
        api.call("sendMessage", {"chat_id": group, "text": f"{n}"})
    with pytest.raises(ApiError) as refused:
        api.call("sendMessage", {"chat_id": group, "text": "the 21st in a minute"})
    assert refused.value.code == 429 and (refused.value.parameters or {})["retry_after"] >= 59
    for n in range(8):  # another chat goes on; a short burst is tolerated
        api.call("sendMessage", {"chat_id": 1, "text": f"{n}"})
    with pytest.raises(ApiError):
        api.call("sendMessage", {"chat_id": 1, "text": "the ninth within five seconds"})
    api.call("answerCallbackQuery", {"callback_query_id": "1"})  # not a message: not counted
    assert len(api.throttled) == 2


async def test_a_group_whose_rows_fill_the_claims_view_still_lets_people_through(
    harness: Harness,
) -> None:
    """More of one group's rows are due first than a claim even looks at: the claim right
    after it, with that group busy, reaches the people behind."""
    group, people = -100778, [310_000 + n for n in range(20)]
    sender, running, total = await held_group_run(harness, group, 60, people)
    await asyncio.wait_for(sender.people_done.wait(), timeout=10)
    assert not any(chat == group for chat, _ in sender.sent)
    sender.release.set()
    report = await asyncio.wait_for(running, timeout=10)
    assert report.sent == total
    assert [text for chat, text in sender.sent if chat == group] == [f"g{n}" for n in range(60)]
