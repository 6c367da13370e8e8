"""An active instance and a standby on one database, as real processes over real HTTP: the
standby waits while the active one answers, takes over within seconds of a ``kill -9``, and
nothing is lost on the way: every press that was answered is in the database, no message is
sent twice but what was in flight at the kill, and a reminder falling due after it is sent.

On SQLite the two share the file (and its lead, a lock beside it); on PostgreSQL (the second
pass of the test command) they share the database and its advisory locks."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fakegram.api import FakeBotApi
from fakegram.http import FakeBotApiServer
from storage import open_database
from storage.models import NewOutboxItem
from tests.kit import Harness
from tests.kit.live import PATIENCE, TOKEN, LiveBot, bot_env, start_bot, stop
from tests.kit.meetings import a_board, announcement_in, fixed_meeting
from tests.kit.votes import board_with_case, open_vote

pytestmark = [pytest.mark.http, pytest.mark.fault]

REMINDER_AFTER = timedelta(seconds=20)
"""When the reminder queued before the start falls due: after the kill, so the standby sends."""


async def a_vote_and_a_meeting(where: Path | str, api: FakeBotApi) -> dict[str, object]:
    """Two boards made by pressing, through ``api``: one with an open vote, one with a meeting
    announced; and a reminder that falls due later. What the test presses, and the moment."""
    async with Harness.running(where, api=api) as h:
        voting = await board_with_case(h)
        vote = await open_vote(h, voting)
        await h.dispatch()
        meeting_board = await a_board(h)
        await fixed_meeting(h, meeting_board)
        announced = announcement_in(h, meeting_board)
        now = h.clock.now()
        async with h.db.transaction() as session:
            await session.outbox.enqueue(
                [
                    NewOutboxItem(
                        chat_id=voting.maria.id,
                        kind="notice",
                        due_at=now + REMINDER_AFTER,
                        payload={"key": "demo.reminder"},
                        dedupe_key="standby-reminder",
                    )
                ],
                now,
            )
        return {
            "now": now,
            "vote": vote,
            "voters": voting.voters,
            "announced": announced,
            "members": meeting_board.members,
            "maria": voting.maria.id,
        }


def wait_for_line(log_path: Path, text: str, after: int = 0) -> None:
    deadline = time.monotonic() + PATIENCE
    while text not in log_path.read_text()[after:]:
        assert time.monotonic() < deadline, f"no {text!r} in the log"
        time.sleep(0.1)


async def stored(where: Path | str) -> tuple[dict[int, str], dict[int, str], list[tuple]]:
    db = await open_database(where)
    try:
        async with db.read() as session:
            votes = await session.conn.execute_fetchall("SELECT user_id, choice FROM votes")
            rsvps = await session.conn.execute_fetchall("SELECT user_id, answer FROM rsvps")
            rows = await session.conn.execute_fetchall(
                "SELECT dedupe_key, state, attempts, send_after FROM outbox ORDER BY id"
            )
    finally:
        await db.close()
    return (
        {int(r[0]): str(r[1]) for r in votes},
        {int(r[0]): str(r[1]) for r in rsvps},
        [tuple(r) for r in rows],
    )


def test_the_standby_takes_over_after_kill_9_and_loses_no_press_or_reminder(
    tmp_path: Path, live_db: Path | str
) -> None:
    api = FakeBotApi(token=TOKEN)
    seeded = asyncio.run(a_vote_and_a_meeting(live_db, api))
    api.enforce_limits = True  # the processes, in real time, must keep Telegram's limits
    seeded_now = seeded["now"]
    assert isinstance(seeded_now, datetime)
    server = FakeBotApiServer(api).start()
    shift = (seeded_now - datetime.now(UTC)).total_seconds()
    env = bot_env(server, live_db, BOARDBOT_CLOCK_SHIFT_SECONDS=str(shift))
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = start_bot({**env, "BOARDBOT_LOG_LEVEL": "INFO"}, tmp_path, first_log)
    second: subprocess.Popen[str] | None = None
    try:
        wait_for_line(first_log, "boardbot is running")
        second = start_bot({**env, "BOARDBOT_LOG_LEVEL": "INFO"}, tmp_path, second_log)
        wait_for_line(second_log, "standby: another instance is active")
        bot = LiveBot(api, tmp_path / "unused.log")

        def reminded() -> bool:
            return any(
                m.chat_id == seeded["maria"] and m.plain().startswith("⏰ Напомняне")
                for m in api.messages
            )

        vote, announced = seeded["vote"], seeded["announced"]
        voters, members = list(seeded["voters"]), list(seeded["members"])  # type: ignore[call-overload]
        choices = [("👍", "agree"), ("👎", "disagree"), ("🤷", "abstain")]
        answers = [("Идвам", "going"), ("Може би", "maybe"), ("Не идвам", "no")]
        voted: dict[int, str] = {}
        replied: dict[int, str] = {}
        took_over = float("inf")
        for turn in range(24):
            voter, (icon, choice) = voters[turn % 5], choices[turn % 3]
            toast = bot.press(voter.json(), vote, icon)  # type: ignore[arg-type]
            assert toast, "a vote press went unanswered"
            voted[voter.id] = choice
            member, (label, answer) = members[turn % 5], answers[(turn + 1) % 3]
            assert bot.press(member.json(), announced, label)  # type: ignore[arg-type]
            replied[member.id] = answer
            if turn == 9:
                assert not reminded(), "the reminder fell due before the kill: make it later"
                first.kill()  # kill -9: no goodbye, the lead goes with the process
                first.wait(timeout=20)
                killed_at = time.monotonic()
                wait_for_line(second_log, "this instance is now the active one")
                took_over = time.monotonic() - killed_at
        assert took_over < 15, f"the standby took {took_over:.1f} s to take over"
        deadline = time.monotonic() + PATIENCE
        while not reminded():
            assert time.monotonic() < deadline, "the reminder due after the kill was not sent"
            time.sleep(0.2)
    finally:
        with contextlib.suppress(Exception):
            stop(first)
        if second is not None:
            stop(second)
        server.stop()

    stopped = (datetime.now(UTC) + timedelta(seconds=shift)).timestamp()
    votes, rsvps, rows = asyncio.run(stored(live_db))
    assert votes == voted  # every answered press is in the database
    assert rsvps == replied
    states = Counter(state for _key, state, _attempts, _due in rows)
    assert set(states) <= {"sent", "pending", "cancelled", "dropped"}, states
    late = [key for key, state, _attempts, due in rows if state == "pending" and due < stopped]
    assert late == []  # what is still to go is due later (the meeting's reminders)
    # at most what was in flight at the kill went out again (one per chat sent to at once)
    resent = [key for key, _state, attempts, _due in rows if attempts > 1]
    assert len(resent) <= 3, resent
    assert api.throttled == []
