"""Every path that deletes or seals personal data leaves no byte of it in ``.sqlite3``, ``-wal``
or ``-shm``: the retention purge, the erasure of an archived board, sealing an anonymous vote and
cancelling a draft, beside ``/erase`` (tested in test_privacy_flows). The files' bytes are read
back as they are on disk after the bot's own work, without an extra checkpoint from the test."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from tests.kit import Harness
from tests.kit.cases import SUMMARY
from tests.kit.databases import ON_POSTGRES
from tests.kit.erasure import NOTE, REASON, database_bytes, holds
from tests.kit.votes import block, board_with_case, open_vote

pytestmark = pytest.mark.skipif(
    ON_POSTGRES,
    reason="the bytes of SQLite's files; on PostgreSQL, erasure's twin is crypto-shredding"
    " (issue 20), not built yet",
)


def assert_gone(path: Path, *texts: str) -> None:
    for text in texts:
        assert not holds(database_bytes(path), text), text


async def test_the_retention_purge_leaves_no_byte_of_a_closed_case(harness: Harness) -> None:
    b = await board_with_case(harness)
    await harness.private(b.ivan, f"/note {b.code} {NOTE}")
    case = await harness.runtime.core.cases.by_code(b.code)
    assert case is not None
    async with harness.db.transaction() as session:
        await session.cases.set_status(case.id, "closed")
    assert holds(database_bytes(harness.db.path), NOTE)  # the check can see it
    harness.clock.advance(timedelta(days=30 * 25))
    await harness.runtime.housekeeping()
    assert await harness.runtime.core.cases.by_code(b.code) is None
    assert_gone(harness.db.path, NOTE, SUMMARY)


async def test_erasing_an_archived_board_leaves_no_byte_of_its_cases(harness: Harness) -> None:
    b = await board_with_case(harness)
    await harness.private(b.ivan, f"/note {b.code} {NOTE}")
    await harness.member_event(b.group, b.maria, "administrator", "kicked", bot=True)
    board = await harness.runtime.core.boards.by_chat(b.group.id)
    assert board is not None and board.status == "archived"
    harness.clock.advance(timedelta(days=30 * 25))
    await harness.runtime.housekeeping()
    assert await harness.runtime.core.boards.board(board.id) is None
    assert_gone(harness.db.path, NOTE, SUMMARY)


async def test_sealing_an_anonymous_vote_leaves_no_byte_of_who_voted_how(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    vote = await open_vote(harness, b, anonymous=True)
    await harness.press(b.ivan, vote, key="vote.choice.agree")
    await harness.press(b.petya, vote, key="vote.choice.disagree")
    await harness.press(b.georgi, vote, key="vote.choice.abstain")
    await block(harness, b.dimitar, vote, REASON)
    harness.clock.advance(timedelta(hours=72))
    await harness.dispatch()
    async with harness.db.read() as session:
        choices = {
            row[0]
            for row in await session.conn.execute_fetchall("SELECT DISTINCT choice FROM votes")
        }
    assert choices == {"sealed"}
    raw = database_bytes(harness.db.path)
    # The tally keeps the counts as JSON ("disagree": 1) and the reason unlinked from its
    # author; a ballot row would hold the bare word next to the voter's id.
    # (and the schema names the choices in quotes, in its CHECK constraint).
    for word in (b"disagree", b"abstain"):
        at = raw.find(word)
        while at != -1:
            assert raw[at - 1 : at] in (b'"', b"'"), f"a ballot's {word!r} is still in the file"
            at = raw.find(word, at + 1)


async def test_a_cancelled_draft_leaves_no_byte_of_its_text(harness: Harness) -> None:
    b = await board_with_case(harness)
    invited = await harness.in_group(b.group, b.petya, "/newcase")
    payload = invited.only.buttons()[0]["url"].split("?start=")[1]
    await harness.private(b.petya, f"/start {payload}")
    await harness.private(b.petya, NOTE)  # the label: kept in the draft until the case is raised
    assert holds(database_bytes(harness.db.path), NOTE)
    cancelled = await harness.private(b.petya, "/cancel")
    assert "прекрат" in cancelled.only.plain()
    assert_gone(harness.db.path, NOTE)


async def test_a_backup_is_a_whole_private_copy_that_keeps_nothing_erased(
    harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``boardbot backup PATH`` while the bot runs: a database that opens, with every case,
    readable by the bot's user only, never over an existing file, and without a byte of a case
    erased before it (``VACUUM INTO`` copies no freed page)."""
    import sqlite3
    import stat

    from handlers.cli import main

    b = await board_with_case(harness)
    await harness.private(b.ivan, f"/note {b.code} {NOTE}")
    other = await board_with_case(harness)
    asked = (await harness.private(b.maria, f"/erase {b.code}")).only
    await harness.press(b.maria, asked, "Да, изтрий")
    monkeypatch.setenv("BOARDBOT_DB", str(harness.db.path))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    copy = tmp_path / "backups" / "board.sqlite3"
    assert await asyncio.to_thread(main, ["backup", str(copy)]) == 0  # its own process would
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    with sqlite3.connect(copy) as db:
        codes = [row[0] for row in db.execute("SELECT code FROM cases")]
    assert other.code in codes and b.code not in codes  # the erased one is a tombstone
    assert not holds(
        database_bytes(copy), NOTE
    )  # the erased case's note (the other case shares the summary)
    assert await asyncio.to_thread(main, ["backup", str(copy)]) == 2  # never over a file
    monkeypatch.delenv("BOARDBOT_DB")  # a shell without the service's environment: --db
    second = tmp_path / "second.sqlite3"
    assert await asyncio.to_thread(main, ["backup", "--db", str(harness.db.path), str(second)]) == 0
    assert second.stat().st_size > 0
