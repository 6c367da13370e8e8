"""Point reads on the event loop, writes through aiosqlite: few hand-offs per update, and a
transaction that always reads what it wrote."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import aiosqlite
import pytest

from fakegram.harness import DEFAULT_START
from storage import Database
from tests.kit import Harness
from tests.kit.boards import join, menu_of, set_up_board
from tests.kit.votes import board_with_case, open_vote


class HandOffs:
    """Counts the calls that cross into aiosqlite's thread (each one a hand-off and back)."""

    def __init__(self) -> None:
        self.count = 0


@pytest.fixture
def hand_offs(monkeypatch: pytest.MonkeyPatch) -> HandOffs:
    counter = HandOffs()
    through_the_thread = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        counter.count += 1
        return await through_the_thread(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return counter


async def test_a_vote_press_takes_four_hand_offs_and_help_none_beyond_two(
    harness: Harness, hand_offs: HandOffs
) -> None:
    b = await board_with_case(harness)
    vote = await open_vote(harness, b)
    hand_offs.count = 0
    pressed = await harness.press(b.petya, vote, key="vote.choice.agree")
    assert pressed.toast  # answered: the vote counted
    assert hand_offs.count <= 4  # the vote, the audit row, the live message's row, the commit
    hand_offs.count = 0
    await harness.private(b.petya, "/help")
    await harness.in_group(b.group, b.petya, "/help")
    assert hand_offs.count <= 2 * 2
    async with harness.db.read() as session:
        vote_row = await session.proposals.vote_of(
            (await session.proposals.get(1) or _missing()).id, b.petya.id
        )
    assert vote_row is not None and vote_row.choice == "agree"


def _missing() -> Any:
    raise AssertionError("no proposal")


async def test_a_transaction_reads_what_it_wrote_and_others_read_it_once_committed(
    db: Database,
) -> None:
    now = DEFAULT_START
    async with db.transaction() as session:
        assert await session.users.get(4242) is None  # before any write: from the reader
        await session.users.remember(4242, "en", True, now)
        seen = await session.users.get(4242)  # after: through the transaction itself
        assert seen is not None and seen.telegram_language == "en"
    async with db.read() as session:
        committed = await session.users.get(4242)
    assert committed is not None and committed.telegram_language == "en"


async def test_a_transaction_that_fails_leaves_nothing_for_the_reader(db: Database) -> None:
    now = DEFAULT_START
    with pytest.raises(RuntimeError):
        async with db.transaction() as session:
            await session.users.remember(4343, "bg", True, now)
            raise RuntimeError("the block failed after writing")
    async with db.read() as session:
        assert await session.users.get(4343) is None
    async with db.transaction() as session:  # the connection is usable and not inside a transaction
        await session.users.remember(4343, "bg", True, now + timedelta(seconds=1))
    async with db.read() as session:
        assert await session.users.get(4343) is not None


async def test_a_persons_menu_changes_after_their_answer_not_before(harness: Harness) -> None:
    """The approval is answered first; the menus are set by the outbox, from a row in the
    database (so a restart in between does not lose it)."""
    group, maria = await set_up_board(harness)
    await harness.dispatch()
    ivan = harness.person("Иван")
    await join(harness, group, ivan)
    await harness.dispatch()
    approved = await harness.press(maria, harness.api.messages[-1], "Одобри")
    assert approved.answers  # the coordinator had the answer
    assert menu_of(harness, ivan) == []  # no call to Telegram while she waited
    async with harness.db.read() as session:
        rows = list(
            await session.conn.execute_fetchall(
                "SELECT COUNT(*) FROM outbox WHERE kind = 'menu.refresh' AND state = 'pending'"
            )
        )
    assert rows[0][0] >= 1
    await harness.dispatch()
    assert "members" in menu_of(harness, ivan)


async def test_a_cancelled_transaction_leaves_nothing_for_the_next_one_to_commit(
    db: Database,
) -> None:
    """Cancelled while its writes are on their way to aiosqlite's thread: they still run
    there, and the rollback queued behind them undoes them before the next transaction."""
    now = DEFAULT_START
    started = asyncio.Event()

    async def cancelled_press() -> None:
        async with db.transaction() as session:
            await session.users.remember(5151, "bg", True, now)  # waits for the next hand-off
            started.set()
            await session.users.get(5151)  # the hand-off: the queued write, then this read

    task = asyncio.create_task(cancelled_press())
    await started.wait()
    await asyncio.sleep(0)  # the hand-off is queued on the thread
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with db.transaction() as session:
        await session.users.remember(5252, "bg", True, now)
    async with db.read() as session:
        assert await session.users.get(5252) is not None
        assert await session.users.get(5151) is None  # not committed along with 5252
