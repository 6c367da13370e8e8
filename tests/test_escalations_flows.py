"""Private escalation, driven like Telegram: raising a worry in private, routing to the
coordinators only, levels at deadlines, replies and outcomes to the raiser, and refusals."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fakegram.api import SentMessage
from tests.kit import Harness, Person
from tests.kit.boards import last_to
from tests.kit.escalations import DESCRIPTION, escalate
from tests.kit.votes import Board, board_with_case


async def make_deputy(h: Harness, b: Board, person: Person) -> None:
    listing = await h.private(b.maria, "/members")
    await h.press(b.maria, listing.only, person.name)
    await h.press(b.maria, listing.only, "заместник")


def concerns_to(h: Harness, person: Person) -> list[SentMessage]:
    return [m for m in h.api.messages if m.chat_id == person.id and "🔔" in m.plain()[:3]]


async def test_a_worry_reaches_only_the_coordinators_and_the_group_sees_nothing(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    await make_deputy(harness, b, b.georgi)
    before = len(harness.api.messages)
    await escalate(harness, b, b.petya)
    await harness.dispatch()
    new = harness.api.messages[before:]
    told = {m.chat_id for m in new if "🔔 Сигнал (" in m.plain()}
    assert told == {b.maria.id, b.georgi.id}
    notice = concerns_to(harness, b.maria)[-1]
    assert DESCRIPTION in notice.plain() and "От: Петя" in notice.plain()
    assert [x["text"] for x in notice.buttons()][:2] == ["✅ Приемам", "💬 Отговори"]
    assert not any(m.chat_id == b.group.id for m in new)
    assert not any(m.chat_id in (b.ivan.id, b.elena.id, b.dimitar.id) for m in new)


async def test_a_neutral_line_is_all_the_group_sees_when_the_raiser_agrees(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    await escalate(harness, b, b.petya, neutral=True)
    await harness.dispatch()
    line = last_to(harness, b.group.id).plain()
    assert line == f"🔔 Подаден е сигнал за {b.code}. Координацията го разглежда."


async def test_replies_and_the_outcome_reach_the_raiser(harness: Harness) -> None:
    b = await board_with_case(harness)
    await escalate(harness, b, b.petya)
    await harness.dispatch()
    notice = concerns_to(harness, b.maria)[-1]
    ack = await harness.press(b.maria, notice, "Приемам")
    assert ack.toast == "Прието. Подателят е уведомен."
    await harness.press(b.maria, notice, "Отговори")
    await harness.private(b.maria, "Говорих с училището, ще има среща в четвъртък")
    await harness.press(b.maria, notice, "Приключи")
    await harness.private(b.maria, "Детето се върна в училище")
    await harness.dispatch()
    told = [m.plain() for m in harness.api.messages if m.chat_id == b.petya.id][-3:]
    assert told[0].startswith("✅ Координацията прие")
    assert "ще има среща в четвъртък" in told[1]
    assert "Изход: Детето се върна в училище" in told[2]
    again = await harness.press(b.maria, notice, "Приемам")
    assert again.answers[-1]["show_alert"] is True


async def test_unanswered_it_climbs_to_the_deputy_then_the_external_contact_once(
    bot_db: Path,
) -> None:
    async with Harness.running(bot_db) as h:
        b = await board_with_case(h)
        await make_deputy(h, b, b.georgi)
        listing = (await h.private(b.maria, "/escalations")).only
        invited = await h.press(b.maria, listing, "Покани външен контакт")
        link = str(invited.edits[-1].params["text"]).split("?start=")[1].split()[0]
        expert = h.person("Експерт")
        welcome = await h.private(expert, f"/start {link}")
        assert "външният контакт" in welcome.only.plain()
        await escalate(h, b, b.petya, "Спешно")
        await h.dispatch()
        api, stopped = h.api, h.clock.now()
    async with Harness.running(bot_db, api=api, start=stopped) as again:
        again.clock.advance(timedelta(hours=4, minutes=1))
        await again.dispatch()
        level_two = [m for m in concerns_to(again, b.georgi) if "ниво 2" in m.plain()]
        assert len(level_two) == 1
        assert concerns_to(again, expert) == []
        again.clock.advance(timedelta(hours=4, minutes=1))
        await again.dispatch()
        await again.dispatch()
        external = concerns_to(again, expert)
        assert len(external) == 1 and b.code in external[0].plain()
        assert DESCRIPTION not in external[0].plain() and "Петя" not in external[0].plain()


async def test_an_acknowledged_worry_does_not_climb(harness: Harness) -> None:
    b = await board_with_case(harness)
    await make_deputy(harness, b, b.georgi)
    await escalate(harness, b, b.petya, "Спешно")
    await harness.dispatch()
    await harness.press(b.maria, concerns_to(harness, b.maria)[-1], "Приемам")
    harness.clock.advance(timedelta(hours=9))
    await harness.dispatch()
    assert not any("ниво 2" in m.plain() for m in concerns_to(harness, b.georgi))


async def test_outsiders_another_boards_member_and_forged_buttons_get_nothing(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    await escalate(harness, b, b.petya)
    await harness.dispatch()
    notice = concerns_to(harness, b.maria)[-1]
    data = notice.buttons()[0]["callback_data"]
    member = await harness.press_data(b.ivan, notice, data)  # a member, not coordinating
    assert member.answers[-1]["show_alert"] is True
    other = harness.group("Друг борд")
    outsider = harness.person("Непознат")
    harness.make_admin(other, outsider)
    harness.make_admin(other)
    await harness.private(outsider, "/start")
    await harness.in_group(other, outsider, "/setup Друг")
    foreign = await harness.press_data(outsider, notice, data)  # coordinates another board
    assert foreign.answers[-1]["show_alert"] is True
    forged = await harness.press_data(b.maria, notice, "v1:esa:999:ack")
    assert forged.answers[-1]["show_alert"] is True
    code = await harness.private(outsider, f"/escalate {b.code}")
    assert "не е намерен" in code.only.plain() or "няма" in code.only.plain().lower()
    escalation = await harness.runtime.core.escalations.access(b.maria.id, 1)
    assert escalation is not None and escalation.escalation.status == "open"


async def test_the_raiser_withdraws_and_the_coordinators_are_told(harness: Harness) -> None:
    b = await board_with_case(harness)
    await escalate(harness, b, b.petya)
    await harness.dispatch()
    mine = (await harness.private(b.petya, "/escalations")).only
    done = await harness.press(b.petya, mine, "Оттегли")
    assert done.toast == "Сигналът е оттеглен."
    await harness.dispatch()
    assert "Подателят оттегли" in last_to(harness, b.maria.id).plain()


async def test_nobody_reachable_at_the_first_level_sends_it_up_at_once(harness: Harness) -> None:
    b = await board_with_case(harness)
    listing = (await harness.private(b.maria, "/escalations")).only
    invited = await harness.press(b.maria, listing, "Покани външен контакт")
    link = str(invited.edits[-1].params["text"]).split("?start=")[1].split()[0]
    expert = harness.person("Експерт")
    await harness.private(expert, f"/start {link}")
    async with harness.db.transaction() as session:  # the coordinator blocked the bot
        await session.users.mark_private_chat_closed(b.maria.id, harness.clock.now())
    await escalate(harness, b, b.petya)
    await harness.dispatch()
    assert len(concerns_to(harness, expert)) == 1


async def test_the_timeline_hides_who_raised_it_from_the_team(harness: Harness) -> None:
    b = await board_with_case(harness)
    await escalate(harness, b, b.petya)
    card = (await harness.private(b.ivan, f"/case {b.code}")).only
    timeline = await harness.press(b.ivan, card, "Хронология")
    text = str(timeline.edits[-1].params["text"])
    assert "подаден е сигнал" in text and "Петя" not in text
    coordinator_card = (await harness.private(b.maria, f"/case {b.code}")).only
    seen = await harness.press(b.maria, coordinator_card, "Хронология")
    assert "Петя: подаден е сигнал" in seen.edited_text()


async def test_a_coordinator_cannot_answer_their_own_concern(harness: Harness) -> None:
    b = await board_with_case(harness)
    await make_deputy(harness, b, b.georgi)
    await escalate(harness, b, b.georgi)
    await harness.dispatch()
    told = {m.chat_id for m in harness.api.messages if "🔔 Сигнал (" in m.plain()}
    assert told == {b.maria.id}  # not the raiser, though a deputy
    own = await harness.press_data(b.georgi, concerns_to(harness, b.maria)[-1], "v1:esa:1:ack")
    assert own.answers[-1]["show_alert"] is True
    access = await harness.runtime.core.escalations.access(b.maria.id, 1)
    assert access is not None and access.escalation.status == "open"


async def test_with_nobody_reachable_anywhere_the_coordinators_get_it_when_they_return(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    harness.api.blocked.add(b.maria.id)
    async with harness.db.transaction() as session:
        await session.users.mark_private_chat_closed(b.maria.id, harness.clock.now())
    await escalate(harness, b, b.petya)
    await harness.dispatch()
    assert concerns_to(harness, b.maria) == []
    harness.api.blocked.discard(b.maria.id)
    await harness.private(b.maria, "/start")
    await harness.dispatch()
    assert len(concerns_to(harness, b.maria)) == 1


async def test_a_worry_about_a_stalled_case_does_not_make_it_look_active(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    case = await harness.runtime.core.cases.by_code(b.code)
    assert case is not None
    harness.clock.advance(timedelta(days=10))
    await escalate(harness, b, b.petya)
    after = await harness.runtime.core.cases.by_code(b.code)
    assert after is not None and after.last_activity_at == case.last_activity_at


async def test_a_deputy_named_later_can_act_from_the_list(harness: Harness) -> None:
    b = await board_with_case(harness)
    await escalate(harness, b, b.petya)
    await harness.dispatch()
    await make_deputy(harness, b, b.georgi)
    listing = (await harness.private(b.georgi, "/escalations")).only
    opened = await harness.press(b.georgi, listing, b.code)
    assert DESCRIPTION in str(opened.edits[-1].params["text"])
    ack = await harness.press(b.georgi, listing, "Приемам")
    assert ack.toast == "Прието. Подателят е уведомен."
