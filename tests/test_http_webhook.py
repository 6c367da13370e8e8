"""Webhook mode as an operator runs it: the bot as a real process behind a URL, Telegram (the
fake) POSTing updates with the secret token, a forged POST refused, and /healthz answering."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from fakegram.api import FakeBotApi
from fakegram.http import FakeBotApiServer
from fakegram.updates import message_update
from tests.kit.live import PATIENCE, TOKEN, LiveBot, bot_env, bot_now, start_bot, stop

pytestmark = pytest.mark.http

SECRET = "webhook-Secret_42"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get_json(url: str) -> tuple[int, dict[str, Any]]:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return int(answer.status), json.loads(answer.read())


def wait_until_listening(api: FakeBotApi, health: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + PATIENCE
    while True:
        assert process.poll() is None, "the bot stopped"
        if api.webhook is not None:
            try:
                if get_json(health)[0] == 200:
                    return
            except OSError:
                pass
        assert time.monotonic() < deadline, "the webhook never came up"
        time.sleep(0.1)


def test_updates_arrive_by_webhook_a_forged_post_is_refused_and_healthz_answers(
    tmp_path: Path, live_db: Path | str
) -> None:
    api = FakeBotApi(token=TOKEN, enforce_limits=True)
    server = FakeBotApiServer(api).start()
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/updates"
    env = bot_env(
        server,
        live_db,
        BOARDBOT_WEBHOOK_URL=url,
        BOARDBOT_WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        BOARDBOT_WEBHOOK_SECRET=SECRET,
    )
    log_path = tmp_path / "bot.log"
    process = start_bot(env, tmp_path, log_path)
    maria = {"id": 7701, "is_bot": False, "first_name": "Мария", "language_code": "bg"}
    chat = {"id": 7701, "type": "private", "first_name": "Мария"}
    try:
        wait_until_listening(api, f"http://127.0.0.1:{port}/healthz", process)
        assert api.webhook is not None and api.webhook.secret == SECRET
        bot = LiveBot(api, log_path)
        welcome = bot.say(maria, chat, "/start")  # POSTed with the secret, answered
        assert api.webhook_answers == [200]
        assert welcome.plain()

        before = len(api.messages)
        forged = message_update(9001, 9001, maria, chat, "/help", int(bot_now().timestamp()))
        refused = [api.webhook.post(forged, secret=token) for token in ("", "not-the-secret")]
        assert refused == [403, 403]
        picker = bot.say(maria, chat, "/lang")  # a real update after the forged ones
        assert api.webhook_answers[-1] == 200
        answered = [m for m in api.messages[before:] if m.chat_id == chat["id"]]
        assert answered == [picker]  # the forged /help reached no handler
        assert picker.buttons()

        status, report = get_json(f"http://127.0.0.1:{port}/healthz")
        assert status == 200 and report["database"] == "ok"
        assert report["outbox"]["oldest_due_seconds"] >= 0
    finally:
        stop(process)
        server.stop()
    assert process.returncode == 0, log_path.read_text()[-2000:]
    logged = log_path.read_text()
    assert TOKEN not in logged and SECRET not in logged
