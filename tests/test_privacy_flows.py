"""Data protection: erasure leaves no case text in the file, export, the audit trail on request
and append-only, retention, and the bot deleting its own detail messages after the board's hours."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import asyncpg
import pytest

from tests.kit import Harness
from tests.kit.cases import SUMMARY
from tests.kit.erasure import stored_bytes
from tests.kit.privacy import json_escaped
from tests.kit.votes import board_with_case


async def test_erasing_a_case_leaves_no_text_and_a_tombstone(harness: Harness) -> None:
    from tests.kit.escalations import DESCRIPTION, escalate
    from tests.kit.votes import block, open_vote

    b = await board_with_case(harness)
    await harness.private(b.ivan, f"/note {b.code} Училището предлага ресурсен учител")
    vote = await open_vote(harness, b)
    await block(harness, b.dimitar, vote, "Няма психолог в района до януари")
    await escalate(harness, b, b.petya)
    await harness.private(b.maria, f"/editcase {b.code}")  # a correction left open: a draft
    await harness.dispatch()
    asked = (await harness.private(b.maria, f"/erase {b.code}")).only
    assert "завинаги" in asked.plain()
    refused = await harness.private(b.ivan, f"/erase {b.code}")
    assert refused.only.plain() == "Ролята ви в борда не позволява това."
    done = await harness.press(b.maria, asked, "Да, изтрий")
    assert done.toast == f"{b.code} е изтрит."
    assert vote.deleted  # the group's vote message went too
    assert await harness.runtime.core.cases.by_code(b.code) is None
    raw = await stored_bytes(harness.db)
    for text in (SUMMARY, "ресурсен учител", "Няма психолог", DESCRIPTION, "момче, 14"):
        assert text.encode() not in raw, text
        assert json_escaped(text) not in raw, text
    async with harness.db.read() as session:
        actions = [
            row[0]
            for row in await session.conn.execute_fetchall(
                "SELECT action FROM audit_log WHERE subject_type = 'case'"
            )
        ]
    assert "case.erased" in actions
    from tests.kit.cases import raise_case

    new_code = await raise_case(harness, b.group, b.ivan)
    audit = (await harness.private(b.maria, f"/audit {new_code}")).only.plain()
    assert "case.erased" not in audit and "case.exported" not in audit  # a fresh id, a fresh trail


async def test_the_audit_trail_can_be_neither_changed_nor_deleted(harness: Harness) -> None:
    await board_with_case(harness)
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises((sqlite3.IntegrityError, asyncpg.RaiseError)):
            async with harness.db.transaction() as session:
                await session.conn.execute(statement)


async def test_a_coordinator_exports_a_case_as_json_and_csv(harness: Harness) -> None:
    b = await board_with_case(harness)
    sent = await harness.private(b.maria, f"/export {b.code}")
    names = [m.document[0] for m in sent.messages if m.document is not None]
    assert names == [f"{b.code}.json", f"{b.code}-timeline.csv"]
    assert SUMMARY.encode() in sent.messages[0].document[1]  # type: ignore[index]
    board = await harness.private(b.maria, "/export board")
    names = [m.document[0] for m in board.messages if m.document]
    assert names == ["board-VT-1.json", "board-VT-1-cases.csv"]
    member = await harness.private(b.ivan, f"/export {b.code}")
    assert not any(m.document for m in member.messages)


async def test_audit_shows_who_did_what_in_words(harness: Harness) -> None:
    b = await board_with_case(harness)
    await harness.private(b.ivan, f"/case {b.code}")
    shown = (await harness.private(b.maria, f"/audit {b.code}")).only.plain()
    assert "подаване на случая" in shown and "четене на подробностите" in shown
    assert "Иван" in shown and "case." not in shown and "audit_action" not in shown
    assert SUMMARY not in shown


async def test_detail_messages_are_deleted_from_the_chat_after_the_boards_hours(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    card = (await harness.private(b.ivan, f"/case {b.code}")).only
    await harness.runtime.delete_detail_messages()  # the joins' pointers in the group
    harness.clock.advance(timedelta(hours=23))
    assert await harness.runtime.delete_detail_messages() == 0
    harness.clock.advance(timedelta(hours=2))
    assert await harness.runtime.delete_detail_messages() >= 1
    assert card.deleted
    assert await harness.runtime.core.cases.by_code(b.code) is not None  # the record stays


async def test_closed_cases_go_after_the_retention_period(harness: Harness) -> None:
    b = await board_with_case(harness)
    case = await harness.runtime.core.cases.by_code(b.code)
    assert case is not None
    async with harness.db.transaction() as session:
        await session.cases.set_status(case.id, "closed")
    harness.clock.advance(timedelta(days=30 * 23))
    await harness.runtime.housekeeping()
    assert await harness.runtime.core.cases.by_code(b.code) is not None
    harness.clock.advance(timedelta(days=60))
    await harness.runtime.housekeeping()
    assert await harness.runtime.core.cases.by_code(b.code) is None


async def test_erasure_deletes_each_message_once_and_reports_what_it_deleted(
    harness: Harness,
) -> None:
    """A vote's group message is both its post and its live edits: one message, one delete."""
    from tests.kit.votes import open_vote

    b = await board_with_case(harness)
    vote = await open_vote(harness, b)
    for person in (b.ivan, b.petya, b.elena):  # each edit of the live message is a row of its own
        await harness.press(person, vote, key="vote.choice.agree")
        harness.clock.advance(timedelta(seconds=30))
        await harness.dispatch()
    asked = (await harness.private(b.maria, f"/erase {b.code}")).only
    calls = len(harness.api.calls)
    done = await harness.press(b.maria, asked, "Да, изтрий")
    deletes = [
        (c.params["chat_id"], c.params["message_id"])
        for c in harness.api.calls[calls:]
        if c.method == "deleteMessage"
    ]
    assert deletes and len(deletes) == len(set(deletes))
    deleted = sum(1 for m in harness.api.messages if m.deleted)
    assert f"Изтрити съобщения в чатовете: {deleted}." in done.edited_text()
