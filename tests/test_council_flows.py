"""The national expert council, end to end: a group registers, two boards share, and when the
quarter ends the council's chat receives the suppressed table as a message, a CSV, an .xlsx and
a chart, with no case code anywhere."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from tests.kit import Harness
from tests.kit.boards import set_up_board
from tests.kit.stats import seven_cases


async def board_of(harness: Harness, chat_id: int) -> int:
    async with harness.db.read() as session:
        board = await session.boards.by_chat(chat_id)
    assert board is not None
    return board.id


async def test_a_council_receives_two_boards_figures_each_quarter_without_a_code(
    harness: Harness,
) -> None:
    group, maria = await set_up_board(harness)
    codes = await seven_cases(harness, await board_of(harness, group.id), maria.id)
    other, gergana = harness.group("Борд ГБ"), harness.person("Гергана")
    harness.make_admin(other, gergana)
    await harness.private(gergana, "/start")
    await harness.in_group(other, gergana, "/setup Местен борд Габрово")
    codes += await seven_cases(harness, await board_of(harness, other.id), gergana.id)

    council, nikolay = harness.group("Експертен съвет"), harness.person("Николай")
    harness.make_admin(council, nikolay)
    refused = await harness.in_group(council, harness.person("Случаен"), "/council")
    assert "Само администратор" in refused.only.plain()
    in_board = await harness.in_group(group, maria, "/council")
    assert "на борд" in in_board.only.plain()
    registered = (await harness.in_group(council, nikolay, "/council")).only.plain()
    code = registered.split("/stats share ")[1].strip()
    wrong = await harness.private(maria, "/stats share K-NOSUCH")
    assert "Няма експертен съвет" in wrong.only.plain()
    for coordinator in (maria, gergana):
        shared = await harness.private(coordinator, f"/stats share {code}")
        assert "ще изпраща на „Експертен съвет“" in shared.only.plain()
    assert (
        "споделя с „Експертен съвет“" in (await harness.private(maria, "/stats share")).only.plain()
    )

    harness.clock.set(datetime(2027, 1, 1, 6, 59, tzinfo=UTC))  # 08:59 in Sofia
    await harness.dispatch()
    assert not [
        m for m in harness.api.messages if m.chat_id == council.id and m.plain().startswith("📊")
    ]
    harness.clock.set(datetime(2027, 1, 1, 7, 1, tzinfo=UTC))
    await harness.dispatch()
    harness.clock.set(datetime(2027, 1, 1, 7, 2, tzinfo=UTC))
    await harness.dispatch()  # the posts the quarter's task queued
    posts = [m for m in harness.api.messages if m.chat_id == council.id][2:]
    text, csv_post, xlsx_post, chart = posts
    assert "4. тримесечие на 2026" in text.plain() and "бордове: 2" in text.plain()
    assert "№1 — Местен борд ВТ" in text.plain() and "№2 — Местен борд Габрово" in text.plain()
    assert "• Подадени случаи: №1 7 · №2 7 · общо: 14" in text.plain()
    # each board has 2 stalling cases: hidden, and together 4, still under 5: hidden as well
    assert "• Случаят е в застой или е непредсказуем: №1 <5 · №2 <5 · общо: <5" in text.plain()
    assert csv_post.document is not None and xlsx_post.document is not None
    assert chart.photo is not None
    rows = list(csv.reader(io.StringIO(csv_post.document[1].decode("utf-8-sig"))))
    assert rows[0] == ["Показател", "Местен борд ВТ", "Местен борд Габрово", "Всички бордове"]
    assert ["Подадени случаи", "7", "7", "14"] in rows
    sheet = load_workbook(io.BytesIO(xlsx_post.document[1])).active
    assert sheet is not None
    cells = [[c.value for c in r] for r in sheet.iter_rows()]
    assert ["Подадени случаи", 7, 7, 14] in cells
    for post in posts:
        blob = (
            post.text.encode() + (post.document[1] if post.document else b"") + (post.photo or b"")
        )
        assert not any(case_code.encode() in blob for case_code in codes)
        assert b"\xd1\x81\xd0\xbb\xd1\x83\xd1\x87\xd0\xb0\xd0\xb9 0" not in blob  # "случай 0"
    # the next quarter is planned; a board that stops sharing is left out of it
    stopped = await harness.private(gergana, "/stats share off")
    assert "вече не споделя" in stopped.only.plain()
    async with harness.db.read() as session:
        planned = await session.outbox.by_dedupe_key("councilq:1:2027Q1")
    assert planned is not None
