"""The real process killed (``kill -9``) at the worst moments, over real HTTP: while sending,
in the middle of a dialogue, under a stream of votes and RSVPs. Nothing answered is lost;
only a message in flight may repeat."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest

from fakegram.api import FakeBotApi
from fakegram.http import FakeBotApiServer
from fakegram.updates import callback_update
from storage import SqliteDatabase
from tests.kit.databases import ON_POSTGRES
from tests.kit.live import PATIENCE, TOKEN, LiveBot, bot_env, bot_now, start_bot, stop

pytestmark = [
    pytest.mark.http,
    pytest.mark.skipif(
        ON_POSTGRES, reason="reads the SQLite file; test_http_standby covers PostgreSQL"
    ),
]


@pytest.mark.fault
def test_kill_9_while_sending_resends_only_the_row_in_flight(tmp_path: Path) -> None:
    import asyncio

    from storage.models import NewOutboxItem

    db_path = tmp_path / "kill.sqlite3"
    steady, in_flight = 601, 602

    async def queue_rows() -> None:
        db = await SqliteDatabase.open(db_path)
        await db.migrate()
        now = bot_now()
        async with db.transaction() as session:
            await session.outbox.enqueue(
                [
                    NewOutboxItem(
                        chat_id=chat,
                        kind="notice",
                        due_at=now,
                        payload={"key": "demo.reminder"},
                        dedupe_key=f"k{chat}",
                    )
                    for chat in (steady, in_flight)
                ],
                now,
            )
        await db.close()

    asyncio.run(queue_rows())
    api = FakeBotApi(token=TOKEN, enforce_limits=True)
    api.started.update({steady, in_flight})
    api.slow_chats[in_flight] = 3.0
    server = FakeBotApiServer(api).start()
    env = bot_env(server, db_path)

    def start() -> subprocess.Popen[str]:
        return start_bot(env, tmp_path, tmp_path / "bot.log")

    def sends_to(chat: int) -> int:
        return sum(
            1
            for c in list(api.calls)
            if c.method == "sendMessage" and int(c.params["chat_id"]) == chat
        )

    def state_of(key: str) -> str:
        import sqlite3

        with contextlib.closing(sqlite3.connect(db_path, timeout=5)) as conn:
            row = conn.execute("SELECT state FROM outbox WHERE dedupe_key = ?", (key,)).fetchone()
        return str(row[0])

    def wait_until(condition: object, what: str) -> None:
        deadline = time.monotonic() + PATIENCE
        while not condition():  # type: ignore[operator]
            assert time.monotonic() < deadline, what
            time.sleep(0.05)

    try:
        first = start()
        wait_until(
            lambda: sends_to(steady) == 1 and sends_to(in_flight) == 1,
            "both rows should be handed to Telegram",
        )
        wait_until(lambda: state_of(f"k{steady}") == "sent", "the steady row is marked sent")
        assert state_of(f"k{in_flight}") == "sending"
        first.kill()
        first.wait(timeout=10)
        api.slow_chats.clear()
        second = start()
        wait_until(lambda: sends_to(in_flight) == 2, "the row in flight should be sent again")
        time.sleep(1.0)  # anything else it might (wrongly) resend would show up by now
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=20)
    finally:
        server.stop()
    assert sends_to(steady) == 1
    assert sends_to(in_flight) == 2


@pytest.mark.fault
def test_kill_9_in_the_middle_of_newcase_resumes_the_draft_at_its_step(tmp_path: Path) -> None:
    import asyncio

    db_path = tmp_path / "draft.sqlite3"

    async def board_with_member() -> None:
        db = await SqliteDatabase.open(db_path)
        await db.migrate()
        now = bot_now()
        async with db.transaction() as session:
            board = await session.boards.create(-1009101, "Борд", now, join_code="k9board")
            await session.boards.add_member(
                board.id, 901, "member", "health", "active", now, display_name="Иван"
            )
        await db.close()

    asyncio.run(board_with_member())
    api = FakeBotApi(token=TOKEN, enforce_limits=True)
    server = FakeBotApiServer(api).start()
    env = bot_env(server, db_path)
    ivan = {"id": 901, "is_bot": False, "first_name": "Иван", "language_code": "bg"}
    chat = {"id": 901, "type": "private", "first_name": "Иван"}

    def start() -> subprocess.Popen[str]:
        return start_bot(env, tmp_path, tmp_path / "bot.log")

    process = start()
    try:
        bot = LiveBot(api, tmp_path / "unused.log")
        bot.say(ivan, chat, "/newcase")
        screen = bot.say(ivan, chat, "момче, 14 г.")
        bot.press(ivan, screen, "Множество рискове")
        process.kill()
        process.wait(timeout=10)
        process = start()
        bot.press(ivan, screen, "Напред")
        deadline = time.monotonic() + PATIENCE
        while "3/9" not in screen.plain():
            assert time.monotonic() < deadline, "the draft did not resume at its step"
            time.sleep(0.05)
    finally:
        stop(process)
        server.stop()


@pytest.mark.fault
def test_kill_9_under_load_loses_no_answered_vote_or_rsvp(tmp_path: Path) -> None:
    """Votes and RSVPs pour in; the process is killed mid-stream. Every press the bot answered
    was committed before the answer, so each is in the database after a restart."""
    import asyncio
    import sqlite3

    db_path = tmp_path / "load.sqlite3"
    group_id, members = -1009201, list(range(9301, 9341))

    async def board_vote_and_meeting() -> tuple[int, int]:
        db = await SqliteDatabase.open(db_path)
        await db.migrate()
        now = bot_now()
        async with db.transaction() as session:
            board = await session.boards.create(group_id, "Борд", now, join_code="loadboard")
            for user_id in members:
                await session.users.remember(user_id, "bg", True, now)
                await session.boards.add_member(
                    board.id, user_id, "member", "health", "active", now, display_name="Член"
                )
            case = await session.cases.create(
                board.id,
                "BD-LOAD",
                members[0],
                {
                    "label": "момче",
                    "criteria": ["stalls"],
                    "factors": [],
                    "lead_sector": "health",
                    "urgency": "soon",
                    "legal_basis": "consent",
                    "summary": "Без общ план.",
                },
                now,
            )
            proposal = await session.proposals.create(
                board_id=board.id,
                case_id=case.id,
                title="Оценка",
                details="",
                proposed_by=members[0],
                outcome_rule="consent",
                quorum_percent=50,
                every_sector=False,
                duration_hours=72,
                owner_id=None,
                due_on=None,
                now=now,
            )
            await session.proposals.open(
                proposal.id,
                anonymous=False,
                message_id=None,
                now=now,
                closes_at=now + timedelta(hours=72),
            )
            meeting = await session.meetings.create(
                board_id=board.id,
                kind="supervision",
                status="polling",
                starts_at=None,
                duration_minutes=90,
                place="",
                created_by=members[0],
                now=now,
            )
            await session.meetings.schedule(meeting.id, now + timedelta(days=3), now)
        await db.close()
        return proposal.id, meeting.id

    proposal_id, meeting_id = asyncio.run(board_vote_and_meeting())
    api = FakeBotApi(token=TOKEN, enforce_limits=True)
    api.started.update(members)
    server = FakeBotApiServer(api).start()
    env = bot_env(server, db_path)
    group = {"id": group_id, "type": "supergroup", "title": "Борд"}
    posted = {"message_id": 1, "date": int(bot_now().timestamp()), "chat": group, "text": "🗳"}

    def start() -> subprocess.Popen[str]:
        return start_bot(env, tmp_path, tmp_path / "bot.log")

    process = start()
    try:
        deadline = time.monotonic() + PATIENCE
        while not any(c.method == "getUpdates" for c in api.calls):
            assert time.monotonic() < deadline, "the bot never polled"
            time.sleep(0.05)
        queries: dict[str, int] = {}
        update_id = 5000
        for user_id in members:
            for data in (f"v1:vt:{proposal_id}:a", f"v1:rsv:{meeting_id}:g"):
                update_id += 1
                sender = {"id": user_id, "is_bot": False, "first_name": "Член"}
                queries[str(update_id)] = user_id
                api.push_update(callback_update(update_id, str(update_id), sender, posted, data))
        deadline = time.monotonic() + PATIENCE
        while len(api.callback_answers) < len(queries) // 3:
            assert time.monotonic() < deadline, "the bot answered too few presses"
            time.sleep(0.01)
        process.kill()  # kill -9 mid-stream
        process.wait(timeout=10)
        answered = [
            (queries[str(a["callback_query_id"])], str(a.get("text", "")))
            for a in list(api.callback_answers)
        ]
        process = start()
        time.sleep(1.0)
    finally:
        stop(process)
        server.stop()
    with sqlite3.connect(db_path) as conn:
        votes = {row[0] for row in conn.execute("SELECT user_id FROM votes")}
        rsvps = {row[0] for row in conn.execute("SELECT user_id FROM rsvps")}
    assert any("Записах" in toast for _, toast in answered), answered[:3]
    lost = [
        (user_id, toast)
        for user_id, toast in answered
        if ("Записах: За" in toast and user_id not in votes)
        or ("Записах: Идвам" in toast and user_id not in rsvps)
    ]
    assert lost == [], (len(answered), len(votes), len(rsvps))
