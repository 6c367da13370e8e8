"""Scheduling a supervision, driven like Telegram: the set-up in private, the poll and RSVPs in
the group, calendar files, reminders at their offsets, moving and cancelling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.meetings.calendar import read_ics
from tests.kit import Harness
from tests.kit.boards import last_to
from tests.kit.meetings import (
    a_board,
    add_time,
    announcement_in,
    documents,
    finish,
    fixed_meeting,
    last_meeting,
    reminders,
    start_set_up,
)

SOFIA = ZoneInfo("Europe/Sofia")


# a time poll ----------------------------------------------------------------------------------
async def test_a_three_slot_poll_answered_by_five_members_ends_in_a_scheduled_meeting(
    harness: Harness,
) -> None:
    b = await a_board(harness)
    await start_set_up(harness, b, "poll")
    for text in ("вторник 9:00", "25.11 14:00", "next Thu 10:30"):
        echo = await add_time(harness, b, text)
        await harness.press(b.maria, echo, "Да")
    await harness.press(b.maria, echo, "Готово")
    await finish(harness, b, echo)
    poll = last_to(harness, b.group.id)
    assert "Търсим време" in poll.plain() and len(poll.buttons()) == 9
    ivan, petya, georgi, elena, dimitar = b.members
    for person in (ivan, petya, georgi):
        await harness.press(person, poll, "2 ✅")
    await harness.press(elena, poll, "2 ❔")
    await harness.press(dimitar, poll, "1 ✅")
    await harness.press(dimitar, poll, "2 ❌")
    stranger = await harness.press(harness.person("Непознат"), poll, "1 ✅")
    assert stranger.toast == "Това е само за членове на борда."
    harness.clock.advance(timedelta(seconds=5))
    await harness.dispatch()
    assert "2) ср 25.11 14:00 — ✅ 3 · ❔ 1 · ❌ 1" in poll.plain()
    # every sector here has one or two people: the group sees them pooled, the card names them
    assert "Детска педагогическа стая" not in poll.plain()
    assert "могат да дойдат: По-малките сектори" in poll.plain()
    listing = (await harness.private(b.maria, "/meetings")).only
    card = await harness.press(b.maria, listing, "анкета")
    assert "⭐ Предложение: вариант 2" in str(card.edits[-1].params["text"])
    assert "Детска педагогическа стая" in str(card.edits[-1].params["text"])
    await harness.press(b.maria, listing, "Избери времето")
    picked = await harness.press(b.maria, listing, "⭐")
    assert picked.toast is not None and "избрано" in picked.toast
    await harness.dispatch()
    assert "Избрано време" in poll.plain() and not poll.buttons()
    files = documents(harness, b.group.id)
    assert len(files) == 1
    [event] = read_ics(files[0].document[1])  # type: ignore[index]
    assert event.start.astimezone(SOFIA).replace(tzinfo=None) == datetime(2026, 11, 25, 14, 0)
    assert event.start.astimezone(UTC) == datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert (event.sequence, event.method) == (1, "PUBLISH")
    going = {m.chat_id for m in harness.api.messages if m.document is not None}
    assert {ivan.id, petya.id, georgi.id, elena.id} <= going and dimitar.id not in going
    announced = announcement_in(harness, b)
    assert "Идват: 3 · може би: 1" in announced.plain()
    assert "Иван" not in announced.plain()  # names only in private, to members


async def test_a_poll_suggests_the_time_that_brings_the_sectors_together_and_says_when_all_answered(
    harness: Harness,
) -> None:
    """Four teachers can come on Tuesday; social services, health and the coordinator on
    Wednesday. Wednesday is suggested, with the reason; once all seven have answered the
    coordinator hears it in private, with one tap to fix the time."""
    from tests.kit.boards import set_up_board
    from tests.kit.meetings import MeetingBoard
    from tests.kit.votes import approve

    h = harness
    group, maria = await set_up_board(h)
    teachers = [h.person(name) for name in ("Иван", "Димитър", "Стела", "Калина")]
    others = [(h.person("Петя"), "Социални услуги"), (h.person("Георги"), "Здравеопазване")]
    for person in teachers:
        await approve(h, group, maria, person, "Образование")
    for person, sector in others:
        await approve(h, group, maria, person, sector)
    b = MeetingBoard(group, maria, [*teachers, *(p for p, _ in others)])
    await start_set_up(h, b, "poll")
    for text in ("1.12 10:00", "2.12 10:00"):
        echo = await add_time(h, b, text)
        await h.press(maria, echo, "Да")
    await h.press(maria, echo, "Готово")
    await finish(h, b, echo)
    poll = last_to(h, group.id)
    for person in teachers:
        await h.press(person, poll, "1 ✅")
    for person, _ in others:
        await h.press(person, poll, "2 ✅")
    await h.dispatch()
    assert not [
        m for m in h.api.messages if m.chat_id == maria.id and "отговориха всички" in m.plain()
    ]
    await h.press(maria, poll, "2 ✅")  # the last one to answer
    await h.dispatch()
    told = last_to(h, maria.id)
    assert "отговориха всички — 7 души" in told.plain()
    assert "вариант 2 (ср 02.12 10:00) — събира най-много сектори: 3 от 4" in told.plain()
    picked = await h.press(maria, told, "Насрочи за вариант 2")
    assert picked.toast is not None and "избрано" in picked.toast
    await h.dispatch()
    assert "Избрано време" in poll.plain()
    async with h.db.read() as session:
        told_rows = await session.conn.execute_fetchall(
            "SELECT COUNT(*) FROM outbox WHERE kind = 'meeting_poll_complete'"
        )
    assert next(iter(told_rows))[0] == 1  # once, however many answers come after


async def test_a_summer_meeting_set_in_winter_keeps_its_local_hour(harness: Harness) -> None:
    b = await a_board(harness)
    await fixed_meeting(harness, b, "15.06.2027 14:00")  # set in November (EET), held in EEST
    [event] = read_ics(documents(harness, b.group.id)[-1].document[1])  # type: ignore[index]
    assert event.start.astimezone(SOFIA).replace(tzinfo=None) == datetime(2027, 6, 15, 14, 0)
    assert event.start.astimezone(UTC) == datetime(2027, 6, 15, 11, 0, tzinfo=UTC)


async def test_the_second_of_a_repeated_hour_is_kept_when_chosen(harness: Harness) -> None:
    b = await a_board(harness)
    await start_set_up(harness, b, "fixed")
    twice = await add_time(harness, b, "31.10.2027 03:30")
    await harness.press(b.maria, twice, "зимно време")
    await finish(harness, b, twice)
    [event] = read_ics(documents(harness, b.group.id)[-1].document[1])  # type: ignore[index]
    assert event.start.astimezone(UTC) == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)


async def test_an_older_echo_cannot_confirm_a_newer_time(harness: Harness) -> None:
    b = await a_board(harness)
    await start_set_up(harness, b, "poll")
    tuesday = await add_time(harness, b, "вторник 9:00")
    await add_time(harness, b, "25.11 14:00")
    old = await harness.press(b.maria, tuesday, "Да")
    assert old.answers[-1]["show_alert"] is True
    dialog = await harness.runtime.core.dialogs.current(b.maria.id)
    assert dialog is not None and dialog.draft.get("slots") == []


# dates as people write them ---------------------------------------------------------------------
async def test_bad_past_and_impossible_times_are_refused_and_asked_again(
    harness: Harness,
) -> None:
    b = await a_board(harness)
    await start_set_up(harness, b, "fixed")
    assert "Не разбрах" in (await harness.private(b.maria, "някога")).only.plain()
    assert "минало" in (await harness.private(b.maria, "23.11 09:00")).only.plain()
    assert "Липсва час" in (await harness.private(b.maria, "25.11")).only.plain()
    gap = (await harness.private(b.maria, "28.03.2027 03:30")).only.plain()
    assert "не съществува" in gap
    twice = (await harness.private(b.maria, "31.10.2027 03:30")).only
    assert "два пъти" in twice.plain()
    assert [x["text"] for x in twice.buttons()][:2] == [
        "неделя, 31 октомври 2027, 03:30 (лятно време)",
        "неделя, 31 октомври 2027, 03:30 (зимно време)",
    ]
    async with harness.db.read() as session:
        count = list(await session.conn.execute_fetchall("SELECT COUNT(*) FROM meetings"))
    assert count[0][0] == 0


async def test_the_echo_names_the_day_in_full(harness: Harness) -> None:
    b = await a_board(harness)
    await start_set_up(harness, b, "fixed")
    echo = await add_time(harness, b, "вторник 9:00")  # typed on Monday 23.11.2026
    assert "вторник, 24 ноември 2026, 09:00" in echo.plain()
    english = await add_time(harness, b, "next Tue 10:30")
    assert "вторник, 24 ноември 2026, 10:30" in english.plain()
    dated = await add_time(harness, b, "1.12.2026 г. 9ч")
    assert "вторник, 1 декември 2026, 09:00" in dated.plain()


async def test_a_member_who_is_not_a_coordinator_cannot_schedule(harness: Harness) -> None:
    b = await a_board(harness)
    refused = await harness.in_group(b.group, b.members[0], "/meeting")
    assert refused.only.plain() == "Ролята ви в борда не позволява това."
    in_private = await harness.private(b.members[0], "/meeting")
    assert in_private.only.plain() == "Ролята ви в борда не позволява това."


# RSVPs, reminders, moving and cancelling --------------------------------------------------------
async def test_going_gets_the_calendar_file_and_outsiders_are_refused(harness: Harness) -> None:
    b = await a_board(harness)
    await fixed_meeting(harness, b)
    announced = announcement_in(harness, b)
    ivan, petya = b.members[0], b.members[1]
    going = await harness.press(ivan, announced, key="rsvp.going")
    assert going.toast == "Записах: Идвам."
    again = await harness.press(ivan, announced, key="rsvp.going")
    assert again.toast == "Отговорът ви вече е „Идвам“."
    await harness.press(petya, announced, key="rsvp.no")
    stranger = await harness.press(harness.person("Непознат"), announced, "Идвам")
    assert stranger.answers[-1]["show_alert"] is True
    harness.clock.advance(timedelta(seconds=5))
    await harness.dispatch()
    assert [m.document[0] for m in documents(harness, ivan.id)] == ["supervision-1.ics"]  # type: ignore[index]
    assert documents(harness, petya.id) == []
    assert "Идват: 1 · може би: 0 · не идват: 1" in announced.plain()
    assert "По-малките сектори (1)" in announced.plain()  # Ivan's sector has fewer than three


async def test_reminders_arrive_at_their_offsets_once_even_after_a_restart(
    bot_db: Path,
) -> None:
    async with Harness.running(bot_db) as h:
        b = await a_board(h)
        await fixed_meeting(h, b, "25.11 14:00")
        await h.press(b.members[0], announcement_in(h, b), key="rsvp.going")
        await h.dispatch()
        api, stopped = h.api, h.clock.now()
    start = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    async with Harness.running(bot_db, api=api, start=stopped) as again:
        again.clock.set(start - timedelta(hours=24))
        await again.dispatch()
        await again.dispatch()
        assert len(reminders(again, b.group.id)) == 1
        assert len(reminders(again, b.members[0].id)) == 1
        assert reminders(again, b.members[1].id) == []  # did not answer "going"
        again.clock.set(start - timedelta(hours=1))
        await again.dispatch()
        assert len(reminders(again, b.group.id)) == 2
        assert "след 1 час" in reminders(again, b.group.id)[-1].plain()
        again.clock.set(start + timedelta(minutes=5))
        await again.dispatch()
        assert len(reminders(again, b.group.id)) == 2


async def test_after_an_outage_only_the_nearest_reminder_goes_and_says_the_truth(
    harness: Harness,
) -> None:
    b = await a_board(harness)
    await fixed_meeting(harness, b, "25.11 14:00")
    harness.clock.set(datetime(2026, 11, 25, 11, 30, tzinfo=UTC))  # 30 minutes before
    await harness.dispatch()
    sent = reminders(harness, b.group.id)
    assert len(sent) == 1 and "след 30 мин." in sent[0].plain()


async def test_a_cancelled_meeting_sends_a_cancellation_and_no_reminders(
    harness: Harness,
) -> None:
    b = await a_board(harness)
    meeting_id = await fixed_meeting(harness, b)
    announced = announcement_in(harness, b)
    await harness.press(b.members[0], announced, key="rsvp.going")
    await harness.dispatch()
    listing = (await harness.private(b.maria, "/meetings")).only
    await harness.press(b.maria, listing, key="meeting_kind.supervision")
    await harness.press(b.maria, listing, "Отмени срещата")
    done = await harness.press(b.maria, listing, "Да, отмени")
    assert done.toast == "Срещата е отменена."
    await harness.dispatch()
    cancel_file = documents(harness, b.group.id)[-1]
    [event] = read_ics(cancel_file.document[1])  # type: ignore[index]
    assert (event.method, event.status, event.sequence) == ("CANCEL", "CANCELLED", 2)
    assert read_ics(documents(harness, b.members[0].id)[-1].document[1])[0].method == "CANCEL"  # type: ignore[index]
    assert "отменена" in announced.plain().lower() and not announced.buttons()
    late = await harness.press_data(b.members[1], announced, f"v1:rsv:{meeting_id}:g")
    assert late.answers[-1]["show_alert"] is True
    harness.clock.set(datetime(2026, 11, 25, 11, 0, tzinfo=UTC))
    await harness.dispatch()
    assert reminders(harness, b.group.id) == []


async def test_moving_a_meeting_sends_an_updated_file_and_new_reminders_only(
    harness: Harness,
) -> None:
    b = await a_board(harness)
    await fixed_meeting(harness, b, "25.11 14:00")
    await harness.press(b.members[0], announcement_in(harness, b), key="rsvp.going")
    await harness.dispatch()
    listing = (await harness.private(b.maria, "/meetings")).only
    await harness.press(b.maria, listing, key="meeting_kind.supervision")
    await harness.press(b.maria, listing, "Премести")
    confirm = (await harness.private(b.maria, "27.11 10:00")).only
    moved = await harness.press(b.maria, confirm, "Премести за")
    assert moved.toast == "Срещата е преместена; всички получават обновен файл."
    await harness.dispatch()
    notices = [m for m in harness.api.messages if m.plain().startswith("🔁 Ново време")]
    assert [m.chat_id for m in notices] == [b.group.id]
    assert "петък, 27 ноември 2026, 10:00" in notices[0].plain()
    group_files = [read_ics(m.document[1])[0] for m in documents(harness, b.group.id)]  # type: ignore[index]
    assert [e.sequence for e in group_files] == [1, 2]
    [event] = read_ics(documents(harness, b.members[0].id)[-1].document[1])  # type: ignore[index]
    assert event.sequence == 2
    assert event.start.astimezone(SOFIA).replace(tzinfo=None) == datetime(2026, 11, 27, 10, 0)
    harness.clock.set(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))  # 24 h before the old time
    await harness.dispatch()
    assert reminders(harness, b.group.id) == []
    harness.clock.set(datetime(2026, 11, 26, 8, 0, tzinfo=UTC))  # 24 h before the new time
    await harness.dispatch()
    assert len(reminders(harness, b.group.id)) == 1


async def test_cancelling_a_poll_closes_it_without_an_error(harness: Harness) -> None:
    b = await a_board(harness)
    await start_set_up(harness, b, "poll")
    for text in ("вторник 9:00", "25.11 14:00"):
        echo = await add_time(harness, b, text)
        await harness.press(b.maria, echo, "Да")
    await harness.press(b.maria, echo, "Готово")
    await finish(harness, b, echo)
    poll = last_to(harness, b.group.id)
    listing = (await harness.private(b.maria, "/meetings")).only
    await harness.press(b.maria, listing, "анкета")
    await harness.press(b.maria, listing, "Отмени срещата")
    done = await harness.press(b.maria, listing, "Да, отмени")
    assert done.toast == "Срещата е отменена."
    assert "Отменена" in str(done.edits[-1].params["text"])
    await harness.dispatch()
    assert "Отменена" in poll.plain() and not poll.buttons()
    assert any(m.plain().startswith("❌ Отменено: Супервизия") for m in harness.api.messages)
    late = await harness.press_data(b.members[0], poll, "v1:msl:1:y")
    assert late.answers[-1]["show_alert"] is True


async def test_a_move_then_a_cancel_tells_the_group_once_and_a_former_member_nothing(
    harness: Harness,
) -> None:
    b = await a_board(harness)
    await fixed_meeting(harness, b, "25.11 14:00")
    ivan, petya = b.members[0], b.members[1]
    announced = announcement_in(harness, b)
    await harness.press(ivan, announced, key="rsvp.going")
    await harness.press(petya, announced, key="rsvp.going")
    await harness.dispatch()
    meetings = harness.runtime.core.meetings
    meeting_id = await last_meeting(harness)
    moved = await meetings.move(b.maria.id, meeting_id, datetime(2026, 11, 27, 8, tzinfo=UTC))
    listing = await harness.private(b.maria, "/members")
    await harness.press(b.maria, listing.only, "Петя")
    await harness.press(b.maria, listing.only, "Премахни")
    cancelled = await meetings.cancel(b.maria.id, meeting_id)
    assert (moved, cancelled) == (None, None)
    before = len(harness.api.messages)
    await harness.dispatch()
    new = harness.api.messages[before:]
    group_texts = [m.plain() for m in new if m.chat_id == b.group.id]
    assert sum(text.startswith("❌ Отменено") for text in group_texts) == 1
    [notice] = [m for m in new if m.chat_id == b.group.id and m.plain().startswith("❌")]
    assert notice.document is not None and read_ics(notice.document[1])[0].method == "CANCEL"
    assert not any(text.startswith("🔁") for text in group_texts)
    assert [read_ics(m.document[1])[0].method for m in new if m.chat_id == ivan.id] == ["CANCEL"]  # type: ignore[index]
    assert [m for m in new if m.chat_id == petya.id and m.document is not None] == []


async def test_poll_options_typed_out_of_order_are_numbered_by_date_as_the_poll_will_be(
    harness: Harness,
) -> None:
    b = await a_board(harness)
    await start_set_up(harness, b, "poll")
    echo = await add_time(harness, b, "26.11 10:00")
    await harness.press(b.maria, echo, "Да")
    echo = await add_time(harness, b, "24.11 09:00")
    screen = await harness.press(b.maria, echo, "Да")
    shown = str(screen.edits[-1].params["text"]) if screen.edits else screen.messages[-1].plain()
    assert "подредени по дата" in shown
    assert shown.index("1) вт 24.11 09:00") < shown.index("2) чт 26.11 10:00")


async def test_the_announcement_is_the_calendar_file_one_message_whose_caption_stays_live(
    harness: Harness,
) -> None:
    b = await a_board(harness)
    before = len(harness.api.messages)
    await fixed_meeting(harness, b, "25.11 14:00")
    in_group = [m for m in harness.api.messages[before:] if m.chat_id == b.group.id]
    [announced] = [m for m in in_group if m.reply_to is None]  # beside the pointer: one message
    assert announced.document is not None and announced.document[0].endswith(".ics")
    assert "Идват: 0" in announced.plain() and announced.buttons()
    await harness.press(b.members[0], announced, key="rsvp.going")
    harness.clock.advance(timedelta(seconds=5))
    await harness.dispatch()
    edits = [c.method for c in harness.api.calls if c.method.lower().startswith("editmessage")]
    assert edits[-1].lower() == "editmessagecaption" and "Идват: 1" in announced.plain()
