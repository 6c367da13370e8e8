"""/today: what needs me today, in private, in one command: the whole board for a coordinator,
each person's own part for the others, each item one tap from its card, then what changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.kernel.refusal import Refusal
from tests.kit import Harness
from tests.kit.boards import join
from tests.kit.escalations import escalate
from tests.kit.votes import action_for_petya, board_with_case, open_vote


async def test_a_coordinator_sees_what_needs_them_today_and_then_what_changed(
    harness: Harness,
) -> None:
    h = harness
    b = await board_with_case(h)
    await action_for_petya(h, b, due="27.11")  # Petya's, due Friday 27.11
    h.clock.set(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))  # Tuesday, four days past the due date
    await h.dispatch()
    await open_vote(h, b)  # a second vote, still open
    await escalate(h, b, b.petya)
    await join(h, b.group, h.person("Стоян"), "Здравеопазване")  # waits for approval

    today = (await h.private(b.maria, "/today")).only
    text = today.plain()
    assert text.startswith("📋 ") and "вт 01.12" in text
    assert "Заявка за присъединяване: 1 — /pending" in text
    assert "Отворен сигнал: 1 — /escalations" in text
    assert "Действие за внимание: 1 (просрочени: 1)" in text
    assert f"{b.code} „Психологическа оценка до края на месеца“ — Петя" in text
    assert "просрочено с 4 дни" in text and "гласували 0 от 6" in text
    assert "следващия път" in text  # a first look: nothing to compare with yet
    labels = [button["text"] for button in today.buttons()]
    assert labels[0].startswith(f"📌 {b.code}") and any(x.startswith("🗳") for x in labels)
    opened = await h.press(b.maria, today, labels[0])
    assert "Петя" in opened.edits[-1].params["text"]  # the action's card, one tap away

    h.clock.advance(timedelta(minutes=30))
    await h.private(b.ivan, f"/note {b.code} Разговор с училището")
    again = (await h.private(b.maria, "/today")).only.plain()
    assert "Промени от вт 01.12" in again and f"{b.code}: 1 бележка" in again
    third = (await h.private(b.maria, "/today")).only.plain()
    assert "никой друг не е променял нищо" in third
    # a case closed meanwhile is the change that matters most: it is named, though not open
    from bot.cases.rules import CaseStatus
    from tests.kit.boards import make_deputy

    await make_deputy(h, b.maria, b.georgi)
    h.clock.advance(timedelta(minutes=5))
    case = await h.runtime.core.cases.by_code(b.code)
    assert case is not None
    declined = await h.runtime.core.casework.move(
        b.georgi.id, case.id, CaseStatus.DECLINED, "Не отговаря на критериите."
    )
    assert not isinstance(declined, Refusal) and declined.status == CaseStatus.DECLINED
    fourth = (await h.private(b.maria, "/today")).only.plain()
    assert f"{b.code}: нов статус" in fourth

    # Petya sees her own action and the vote waiting for her, not the board's joins or concerns
    mine = (await h.private(b.petya, "/today")).only.plain()
    assert "Вашето действие: 1 (просрочени: 1)" in mine and "Отворено гласуване: 1" in mine
    assert "/pending" not in mine and "/escalations" not in mine
    # in the group: private only, nothing listed
    refused = (await h.in_group(b.group, b.maria, "/today")).only.plain()
    assert b.code not in refused and "личния чат" in refused


async def test_a_member_with_nothing_pending_is_told_so_in_one_line(harness: Harness) -> None:
    b = await board_with_case(harness)
    quiet = (await harness.private(b.elena, "/today")).only.plain()
    assert "Днес нищо не ви чака" in quiet
