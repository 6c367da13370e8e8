"""/stats end to end: a coordinator reads the board's figures in private, small counts hidden;
a member, a forged press and the group get nothing."""

from __future__ import annotations

from datetime import timedelta

from tests.kit import Harness
from tests.kit.cases import board_with_member
from tests.kit.stats import seven_cases


async def test_a_coordinator_reads_the_figures_with_small_counts_hidden(harness: Harness) -> None:
    group, maria, ivan = await board_with_member(harness)
    async with harness.db.read() as session:
        board = await session.boards.by_chat(group.id)
    assert board is not None
    codes = await seven_cases(harness, board.id, ivan.id)
    harness.clock.advance(timedelta(days=1))
    sent = await harness.private(maria, "/stats")
    shown = sent.messages[0]
    text = shown.plain()
    photos = [m for m in sent.messages if m.photo is not None]
    assert len(photos) == 2 and all(m.chat_id == maria.id for m in photos)  # criteria, factors
    assert photos[0].plain().startswith("📊 Критерии")
    assert text.startswith("📈 Статистика — Местен борд ВТ · това тримесечие")
    assert "Подадени случаи: 7 · закрити: 0 · отворени сега: 7" in text
    # 7 of 7 have multiple risks: shown (nothing outside it); 2 with "stalls": "<5"
    assert "• Множество рискове: 7" in text and "<5" in text
    # lead sectors: 6 + 1 = 7 shown as a total: the 1 hides, and the 6 with it ("…")
    assert "• Образование: …" in text
    assert "Здравеопазване: <5" in text
    assert not any(code in text for code in codes) and "случай 0" not in text
    # the period buttons: the same figures for the year, all time
    await harness.press(maria, shown, key="stats.period.all")
    assert "от началото" in shown.plain() and "Подадени случаи: 7" in shown.plain()
    again = await harness.press(maria, shown, key="button.stats_charts")
    assert len([m for m in again.messages if m.photo is not None]) == 2
    # a member is refused, and a forged press for the board too
    refused = await harness.private(ivan, "/stats")
    assert "Подадени" not in refused.only.plain()
    forged = await harness.press_data(ivan, shown, f"v1:st:{board.id}:all")
    assert forged.answers[-1]["show_alert"] is True and not forged.edits
    forged = await harness.press_data(ivan, shown, f"v1:stc:{board.id}:all")
    assert forged.answers[-1]["show_alert"] is True and not forged.messages
    # never in the group
    in_group = await harness.in_group(group, maria, "/stats")
    assert not any("Подадени" in m.plain() for m in in_group.messages)


async def test_closing_outcomes_appear_once_there_are_enough(harness: Harness) -> None:
    group, maria, ivan = await board_with_member(harness)
    async with harness.db.read() as session:
        board = await session.boards.by_chat(group.id)
    assert board is not None
    codes = await seven_cases(harness, board.id, ivan.id)
    for code in codes[:5]:
        card = (await harness.private(maria, f"/case {code}")).only
        await harness.press(maria, card, "Приеми")
        await harness.press(maria, card, key="case_action.closed")
        await harness.press(maria, card, key="closing.in_school")
        await harness.private(maria, "Посещава редовно.")
    sent = await harness.private(maria, "/stats")
    text = sent.messages[0].plain()
    assert "закрити: 5" in text
    assert sent.messages[-1].plain().startswith("📊 Изход при закриване")
    assert "Изход при закриване" in text and "• Остава в училище: 5" in text
    assert "до закриването: 0 (0–0), от 5 случая" in text
