"""The council's quarterly post over real HTTP: a database where two boards share with a
council, the real process started just after the quarter ends, and what reaches the council's
chat through the Bot API: the figures of both boards, and no case code in any byte of it."""

from __future__ import annotations

import asyncio
import base64
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fakegram.api import FakeBotApi
from fakegram.http import FakeBotApiServer
from tests.kit import Harness
from tests.kit.live import PATIENCE, TOKEN, bot_env, stop
from tests.kit.stats import seven_cases

pytestmark = pytest.mark.http

REPORT_MOMENT = datetime(2027, 1, 1, 7, 5, tzinfo=UTC)
"""Five minutes after the fourth quarter's figures are due (09:00 in Sofia on 1 January)."""


async def two_boards_sharing(db_path: Path | str) -> tuple[int, list[str]]:
    """The council's chat id and every case code, from a harness run on ``db_path``."""
    async with Harness.running(db_path, api=FakeBotApi(token=TOKEN)) as h:
        codes: list[str] = []
        coordinators = []
        for title, name in (("Местен борд ВТ", "Мария"), ("Местен борд Габрово", "Гергана")):
            group, person = h.group(title), h.person(name)
            h.make_admin(group, person)
            await h.private(person, "/start")
            await h.in_group(group, person, f"/setup {title}")
            async with h.db.read() as session:
                board = await session.boards.by_chat(group.id)
            assert board is not None
            codes += await seven_cases(h, board.id, person.id)
            coordinators.append(person)
        council, nikolay = h.group("Експертен съвет"), h.person("Николай")
        h.make_admin(council, nikolay)
        registered = (await h.in_group(council, nikolay, "/council")).only.plain()
        code = registered.split("/stats share ")[1].strip()
        for person in coordinators:
            await h.private(person, f"/stats share {code}")
        await h.dispatch()
        return council.id, codes


def test_the_council_gets_two_boards_figures_over_http_and_no_case_code(
    tmp_path: Path, live_db: Path | str
) -> None:
    db_path = live_db
    council_id, codes = asyncio.run(two_boards_sharing(db_path))
    api = FakeBotApi(token=TOKEN, enforce_limits=True)
    server = FakeBotApiServer(api).start()
    shift = (REPORT_MOMENT - datetime.now(UTC)).total_seconds()
    env = bot_env(server, db_path, BOARDBOT_CLOCK_SHIFT_SECONDS=str(shift))
    process = subprocess.Popen(
        [sys.executable, "-m", "handlers", "run"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + PATIENCE
        while len([c for c in list(api.calls) if _to(c.params) == council_id]) < 4:
            assert time.monotonic() < deadline, "the council's four posts should arrive"
            time.sleep(0.1)
    finally:
        stop(process)
        server.stop()
    calls = [c for c in list(api.calls) if _to(c.params) == council_id]
    assert sorted(c.method for c in calls) == [
        "sendDocument",
        "sendDocument",
        "sendMessage",
        "sendPhoto",
    ]
    text = next(str(c.params["text"]) for c in calls if c.method == "sendMessage")
    assert "Местен борд ВТ" in text and "Местен борд Габрово" in text and "общо: 14" in text
    for call in calls:
        blob = repr(call.params).encode()
        for upload in ("document", "photo"):
            if isinstance(call.params.get(upload), dict):
                blob += base64.b64decode(call.params[upload]["data"])
        assert not any(case_code.encode() in blob for case_code in codes), call.method
    assert api.throttled == []


def _to(params: dict[str, object]) -> int:
    try:
        return int(str(params.get("chat_id")))
    except ValueError:
        return 0
