"""Faults: a full disk, a read-only database, and a Bot API that fails in every documented way.
The bot says clearly what happened, corrupts nothing, loses nothing and keeps serving.
Run alone with ``pytest -m fault``."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from fakegram.request import MALFORMED, TIMEOUT
from tests.kit import Failure, Harness
from tests.kit.votes import board_with_case

pytestmark = pytest.mark.fault
STORAGE_ERROR = "Не можах да запиша"


async def integrity(h: Harness) -> str:
    async with h.db.read() as session:
        rows = list(await session.conn.execute_fetchall("PRAGMA integrity_check"))
    return str(rows[0][0])


async def notes(h: Harness) -> int:
    async with h.db.read() as session:
        rows = list(await session.conn.execute_fetchall("SELECT COUNT(*) FROM case_notes"))
    return int(rows[0][0])


async def test_a_full_disk_is_said_clearly_corrupts_nothing_and_service_resumes(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    b = await board_with_case(harness)
    async with harness.db.read() as session:  # pack every page, then cap the file's size
        await session.conn.execute("VACUUM")
        pages = next(iter(await session.conn.execute_fetchall("PRAGMA page_count")))[0]
        await session.conn.execute(f"PRAGMA max_page_count = {pages}")
    text = "Училището предлага ресурсен учител " * 14
    with caplog.at_level(logging.ERROR):
        for _ in range(40):  # the pages' last free bytes fill up, then the disk is "full"
            before = await notes(harness)
            answer = (await harness.private(b.ivan, f"/note {b.code} {text}")).only.plain()
            if STORAGE_ERROR in answer:
                break
        else:
            raise AssertionError("the capped database never filled up")
    assert "storage unavailable" in caplog.text and "disk full" in caplog.text
    assert await notes(harness) == before  # the refused note left nothing behind
    assert await integrity(harness) == "ok"
    async with harness.db.read() as session:  # space is back
        await session.conn.execute("PRAGMA max_page_count = 1073741823")
    saved = await harness.private(b.ivan, f"/note {b.code} Училището предлага ресурсен учител")
    assert "хронологията" in saved.only.plain()
    assert await notes(harness) == before + 1


async def test_a_read_only_database_is_said_clearly_and_service_resumes(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    b = await board_with_case(harness)
    async with harness.db.read() as session:  # what mode=ro gives: every write refused
        await session.conn.execute("PRAGMA query_only = ON")
    with caplog.at_level(logging.ERROR):
        refused = await harness.private(b.ivan, f"/note {b.code} Училището предлага")
    assert STORAGE_ERROR in refused.only.plain()
    assert "read-only" in caplog.text
    listing = await harness.in_group(b.group, b.ivan, "/cases")  # reading still works
    assert b.code in listing.only.plain()
    async with harness.db.read() as session:
        await session.conn.execute("PRAGMA query_only = OFF")
    saved = await harness.private(b.ivan, f"/note {b.code} Училището предлага")
    assert "хронологията" in saved.only.plain()
    assert await integrity(harness) == "ok"


async def test_a_failing_bot_api_delays_the_outbox_but_loses_and_repeats_nothing(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    await harness.dispatch()
    for code, description, retry in (
        (429, "Too Many Requests: retry after 2", 2),
        (500, "Internal Server Error", None),
        (MALFORMED, "", None),
        (TIMEOUT, "", None),
    ):
        harness.api.fail(
            Failure("sendMessage", code, description, chat_id=b.group.id, retry_after=retry)
        )
    before = len([m for m in harness.api.messages if m.chat_id == b.group.id])
    card = (await harness.private(b.maria, f"/case {b.code}")).only
    await harness.press(b.maria, card, "Приеми")  # the group's card goes through the outbox
    other = await harness.private(b.maria, "/help")  # others are served meanwhile
    assert other.only.plain()
    for _ in range(8):
        harness.clock.advance(timedelta(minutes=2))
        await harness.dispatch()
    async with harness.db.read() as session:
        stuck = next(
            iter(
                await session.conn.execute_fetchall(
                    "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')"
                    " AND send_after <= ?",
                    (int(harness.clock.now().timestamp()),),
                )
            )
        )[0]
    assert stuck == 0
    sent = [m for m in harness.api.messages if m.chat_id == b.group.id][before:]
    cards = [m for m in sent if b.code in m.plain() and "приет" in m.plain()]
    assert len(cards) == 1  # arrived once, after 429, 500, a broken answer and a timeout


async def test_the_health_check_names_a_database_that_answers_reads_but_refuses_writes(
    harness: Harness,
) -> None:
    """Monitoring must see a database the bot cannot write to (a full disk, a read-only
    mount) before people do: the check commits a write, and says why it could not."""
    h = harness
    assert await h.runtime.health() == {"database": "ok", "outbox": {"oldest_due_seconds": 0.0}}
    async with h.db.read() as session:
        await session.conn.raw.execute("PRAGMA query_only = ON")  # reads work, writes fail
    try:
        assert await h.runtime.health() == {"database": "read-only"}
    finally:
        async with h.db.read() as session:
            await session.conn.raw.execute("PRAGMA query_only = OFF")
    assert (await h.runtime.health())["database"] == "ok"
