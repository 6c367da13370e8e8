"""The bot as a real process (``python -m handlers run``) over real HTTP against the fake Bot
API: its environment, a person's messages and presses, and waiting with patience that scales."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fakegram.api import FakeBotApi, SentMessage
from fakegram.http import FakeBotApiServer
from fakegram.updates import callback_update, message_update

TOKEN = "424242:HTTP-smoke-token_secret"
BOT_DAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
"""The bot processes live on a Monday morning (10:00 in Sofia, no holiday), whatever the day
the tests run: the start-up sweep, digests and quiet hours then do the same every time."""
SHIFT = (BOT_DAY - datetime.now(UTC)).total_seconds()
PATIENCE = 90.0
"""How long a test waits for the process before it fails: an answer takes milliseconds on an
idle machine, but seconds beside a CPU hog, and a group's messages wait their turn under
Telegram's 20 a minute. Only a failing test ever waits this long."""


def bot_now() -> datetime:
    """What the bot processes of this module take for now."""
    return datetime.now(UTC) + timedelta(seconds=SHIFT)


class LiveBot:
    def __init__(self, api: FakeBotApi, log_path: Path) -> None:
        self.api = api
        self.log_path = log_path
        self.ids = 1000

    def say(self, sender: dict[str, object], chat: dict[str, object], text: str) -> SentMessage:
        self.ids += 1
        if chat["type"] == "private":
            self.api.started.add(int(str(chat["id"])))
        before = len(self.api.messages)
        self.api.push_update(
            message_update(self.ids, self.ids, sender, chat, text, int(bot_now().timestamp()))
        )
        return self.wait_to(int(str(chat["id"])), before)

    def press(self, sender: dict[str, object], message: SentMessage, label: str) -> str:
        deadline = time.monotonic() + PATIENCE
        while not any(label in b["text"] for b in message.buttons()):  # an edit may be on its way
            assert time.monotonic() < deadline, f"no button {label!r}"
            time.sleep(0.05)
        data = next(b["callback_data"] for b in message.buttons() if label in b["text"])
        self.ids += 1
        answers = len(self.api.callback_answers)
        self.api.push_update(
            callback_update(self.ids, str(self.ids), sender, self.api.message_json(message), data)
        )
        deadline = time.monotonic() + PATIENCE
        while len(self.api.callback_answers) == answers:
            assert time.monotonic() < deadline, "no answer to the button press"
            time.sleep(0.05)
        return str(self.api.callback_answers[-1].get("text", ""))

    def wait_to(self, chat_id: int, before: int) -> SentMessage:
        """The first message to ``chat_id`` after the first ``before`` messages."""
        deadline = time.monotonic() + PATIENCE
        while True:
            found = [m for m in self.api.messages[before:] if m.chat_id == chat_id]
            if found:
                return found[0]
            assert time.monotonic() < deadline, f"nothing reached chat {chat_id}"
            time.sleep(0.05)


def stop(process: subprocess.Popen[Any]) -> None:
    """A polite stop (SIGTERM), then a hard one if it does not come."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def bot_env(server: FakeBotApiServer, db_path: Path | str, **extra: str) -> dict[str, str]:
    """The bot's environment: ours, pointed at the local fake and a database of the test's (a
    SQLite file, or a PostgreSQL URL)."""
    where = (
        {"BOARDBOT_DB": str(db_path)}
        if isinstance(db_path, Path)
        else {"BOARDBOT_DATABASE_URL": db_path}
    )
    return {
        **{k: v for k, v in os.environ.items() if k.startswith(("PATH", "HOME", "LANG"))},
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": server.base_url,
        **where,
        "BOARDBOT_CLOCK_SHIFT_SECONDS": str(SHIFT),
        **extra,
    }


def start_bot(env: dict[str, str], folder: Path, log_path: Path) -> subprocess.Popen[str]:
    """``python -m handlers run`` in ``folder``, its output added to ``log_path`` (a restart
    keeps what the run before it wrote)."""
    with log_path.open("a") as log_file:
        return subprocess.Popen(
            [sys.executable, "-m", "handlers", "run"],
            env=env,
            cwd=folder,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            text=True,
        )


def live_bot(tmp_path: Path, where: Path | str) -> Iterator[tuple[LiveBot, subprocess.Popen[str]]]:
    api = FakeBotApi(token=TOKEN, enforce_limits=True)
    server = FakeBotApiServer(api).start()
    env = bot_env(server, where, BOARDBOT_LOG_LEVEL="DEBUG")
    log_path = tmp_path / "bot.log"
    process = start_bot(env, tmp_path, log_path)
    try:
        yield LiveBot(api, log_path), process
    finally:
        stop(process)
        server.stop()
    # the fake answers 429 as Telegram would: a bot within the limits never hears it
    assert api.throttled == [], [(c.method, c.params.get("chat_id")) for c in api.throttled]
