"""Follow-up nudges, driven like Telegram with a movable clock: each kind at its time, once, at a
decent hour; snooze, done, mute, unreachable people, stalled cases and the weekly digest."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fakegram.api import SentMessage
from tests.kit import Harness, Person
from tests.kit.boards import last_to
from tests.kit.votes import action_for_petya, board_with_case


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


async def nudges_to(h: Harness, person: Person) -> list[SentMessage]:
    """The nudges this person received, in order (as the outbox recorded them sent)."""
    async with h.db.read() as session:
        rows = await session.conn.execute_fetchall(
            "SELECT message_id FROM outbox WHERE kind = 'nudge' AND state = 'sent'"
            " AND recipient_id = ? ORDER BY updated_at, id",
            (person.id,),
        )
    sent = {m.message_id: m for m in h.api.messages if m.chat_id == person.id}
    return [sent[row[0]] for row in rows]


async def at(h: Harness, moment: datetime) -> None:
    h.clock.set(moment)
    await h.dispatch()


async def test_each_action_nudge_comes_at_its_time_once(harness: Harness) -> None:
    b = await board_with_case(harness)
    await action_for_petya(harness, b)  # due 10.12.2026
    await at(harness, utc(2026, 12, 8, 6, 59))
    assert (await nudges_to(harness, b.petya)) == []
    await at(harness, utc(2026, 12, 8, 7, 0))  # 09:00 in Sofia, two days before
    await harness.dispatch()
    assert [m.plain()[:12] for m in (await nudges_to(harness, b.petya))] == ["📌 Срокът на "]
    await at(harness, utc(2026, 12, 10, 7, 0))
    assert "Днес е срокът" in (await nudges_to(harness, b.petya))[-1].plain()
    for day, late in ((11, "1 ден"), (14, "4 дни"), (17, "7 дни")):  # every 3 days, 3 times
        await at(harness, utc(2026, 12, day, 7, 0))
        assert f"просрочено с {late} (" in (await nudges_to(harness, b.petya))[-1].plain()
    await at(harness, utc(2026, 12, 18, 7, 0))
    escalated = await nudges_to(harness, b.maria)
    assert len(escalated) == 1 and "Попитайте отговорника" in escalated[0].plain()
    await at(harness, utc(2026, 12, 28, 7, 0))
    assert len(await nudges_to(harness, b.petya)) == 5
    escalations = [m for m in await nudges_to(harness, b.maria) if "Попитайте" in m.plain()]
    assert len(escalations) == 1  # (the case itself also went quiet: that nudge is separate)


async def test_a_deputys_own_overdue_action_is_escalated_to_the_coordinator_not_to_them(
    harness: Harness,
) -> None:
    from tests.kit.boards import make_deputy

    b = await board_with_case(harness)
    await make_deputy(harness, b.maria, b.petya)
    await action_for_petya(harness, b)  # due 10.12.2026; Petya is now a deputy and its owner
    await at(harness, utc(2026, 12, 18, 7, 0))
    escalated = [
        m for m in await nudges_to(harness, b.maria) if "Попитайте отговорника" in m.plain()
    ]
    assert len(escalated) == 1 and "просрочено с 8 дни" in escalated[0].plain()
    assert not [
        m for m in await nudges_to(harness, b.petya) if "Попитайте отговорника" in m.plain()
    ]


async def test_done_from_a_nudge_cancels_the_rest(harness: Harness) -> None:
    b = await board_with_case(harness)
    await action_for_petya(harness, b)
    await at(harness, utc(2026, 12, 8, 7, 0))
    nudge = (await nudges_to(harness, b.petya))[-1]
    stranger = await harness.press_data(b.ivan, nudge, nudge.buttons()[0]["callback_data"])
    assert stranger.toast == "Това напомняне е за друг човек."
    done_data = next(x["callback_data"] for x in nudge.buttons() if "Изпълнено" in x["text"])
    done = await harness.press(b.petya, nudge, "Изпълнено")
    assert done.toast == "✅ Отбелязано като изпълнено."
    await at(harness, utc(2026, 12, 20, 7, 0))
    assert len(await nudges_to(harness, b.petya)) == 1
    assert (await nudges_to(harness, b.maria)) == []
    again = await harness.press_data(b.petya, nudge, done_data)
    assert again.answers[-1]["show_alert"] is True  # the item changed: it says so


async def test_snooze_brings_the_nudge_back_at_a_decent_hour(harness: Harness) -> None:
    b = await board_with_case(harness)
    await action_for_petya(harness, b)
    await at(harness, utc(2026, 12, 8, 7, 0))
    nudge = (await nudges_to(harness, b.petya))[-1]
    await harness.press(b.petya, nudge, "Отложи")
    snoozed = await harness.press(b.petya, nudge, key="nudge.snooze.morning")
    assert snoozed.toast == "💤 Ще напомня отново: ср 09.12 08:00."
    await at(harness, utc(2026, 12, 9, 5, 59))
    assert len(await nudges_to(harness, b.petya)) == 1
    await at(harness, utc(2026, 12, 9, 6, 0))
    assert len(await nudges_to(harness, b.petya)) == 2


async def test_a_snooze_for_an_hour_comes_back_the_same_day(harness: Harness) -> None:
    """One nudge a day per subject holds for what piles up, not for what the person asked."""
    b = await board_with_case(harness)
    await action_for_petya(harness, b)
    await at(harness, utc(2026, 12, 8, 7, 0))
    nudge = (await nudges_to(harness, b.petya))[-1]
    await harness.press(b.petya, nudge, "Отложи")
    await harness.press(b.petya, nudge, key="nudge.snooze.1h")
    await at(harness, utc(2026, 12, 8, 8, 1))
    assert len(await nudges_to(harness, b.petya)) == 2


async def test_holidays_and_weekends_move_nudges_to_the_next_working_morning(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    await action_for_petya(harness, b, due="26.12.2026")  # 24–28.12 are days off in Bulgaria
    await at(harness, utc(2026, 12, 23, 17, 50))
    assert await nudges_to(harness, b.petya) == []
    await at(harness, utc(2026, 12, 23, 17, 55))  # 19:55, before the long break begins
    assert "наближава: 26.12.2026" in (await nudges_to(harness, b.petya))[0].plain()
    await at(harness, utc(2026, 12, 28, 20, 0))
    assert len(await nudges_to(harness, b.petya)) == 1  # nothing on the days off
    await at(harness, utc(2026, 12, 29, 6, 0))  # Tuesday 08:00 in Sofia
    texts = [m.plain() for m in await nudges_to(harness, b.petya)]
    assert len(texts) == 2  # "due today" is of no use on another day: dropped, not sent early
    assert "просрочено с 3 дни" in texts[1]  # worded from today, not from when it was due


async def test_muted_action_nudges_do_not_come(harness: Harness) -> None:
    b = await board_with_case(harness)
    await action_for_petya(harness, b)
    settings = (await harness.private(b.petya, "/settings")).only
    assert "Тихи часове: от 20:00 (като борда) до 08:00 (като борда)" in settings.plain()
    muted = await harness.press(b.petya, settings, key="prefs.kind.actions")
    assert muted.toast == "Записано."
    assert "🔕 действия" in settings.plain()
    await at(harness, utc(2026, 12, 11, 7, 0))
    assert (await nudges_to(harness, b.petya)) == []


async def test_own_quiet_hours_are_set_with_buttons(harness: Harness) -> None:
    b = await board_with_case(harness)
    settings = (await harness.private(b.petya, "/settings")).only
    # not "from as the board to as the board": the board's own hours, said to be the board's
    assert "от 20:00 (като борда) до 08:00 (като борда)" in settings.plain()
    assert "празнични дни без известия: да (като борда)" in settings.plain()
    await harness.press(b.petya, settings, "Тихо от")
    await harness.press(b.petya, settings, "18:00")
    assert "от 18:00 до 08:00 (като борда)" in settings.plain()
    forged = await harness.press_data(b.petya, settings, "v1:prfv:quiet_start:9999")
    assert forged.answers[-1]["show_alert"] is True
    assert "от 18:00" in settings.plain()


async def test_someone_who_blocked_the_bot_is_listed_and_gets_it_after_start(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    await action_for_petya(harness, b)
    harness.api.blocked.add(b.petya.id)
    await at(harness, utc(2026, 12, 8, 7, 0))
    assert (await nudges_to(harness, b.petya)) == []
    pending = (await harness.private(b.maria, "/pending")).only.plain()
    assert "Петя не може да получава лични съобщения" in pending and "чакат 1" in pending
    harness.api.blocked.discard(b.petya.id)  # she unblocks the bot and presses Start
    await harness.private(b.petya, "/start")
    await harness.dispatch()
    assert len(await nudges_to(harness, b.petya)) == 1
    assert "Петя" not in (await harness.private(b.maria, "/pending")).only.plain()


async def test_a_stalled_case_nudges_the_keyworker_then_the_coordinators(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    await harness.runtime.core.nudges.start()
    await harness.dispatch()
    await at(harness, utc(2026, 12, 15, 7, 0))  # 21 days without activity: the board's limit
    await harness.dispatch()
    first = await nudges_to(harness, b.ivan)
    assert len(first) == 1 and "няма движение от 21 дни" in first[0].plain()
    assert (await nudges_to(harness, b.maria)) == []
    await at(harness, utc(2026, 12, 18, 7, 0))
    assert "въпреки напомнянето" in (await nudges_to(harness, b.maria))[-1].plain()
    assert len(await nudges_to(harness, b.ivan)) == 1


async def test_activity_on_a_stalled_case_stops_the_escalation(harness: Harness) -> None:
    b = await board_with_case(harness)
    await harness.runtime.core.nudges.start()
    await harness.dispatch()
    await at(harness, utc(2026, 12, 15, 7, 0))
    await harness.private(b.ivan, f"/note {b.code} Училището предлага ресурсен учител")
    await at(harness, utc(2026, 12, 18, 7, 0))
    assert (await nudges_to(harness, b.maria)) == []


async def test_the_weekly_digest_counts_without_singling_anyone_out(harness: Harness) -> None:
    b = await board_with_case(harness)
    await action_for_petya(harness, b, due="27.11.2026")
    await at(harness, utc(2026, 11, 30, 6, 59))
    await at(harness, utc(2026, 11, 30, 7, 0))  # Monday 09:00 in Sofia
    digest = last_to(harness, b.group.id).plain()
    assert digest.startswith("📊 Седмичен обзор")
    assert "Отворени случаи: 1" in digest
    # Petya is the only one in social services; no sector here has three people
    assert "Социални услуги" not in digest and "По-малките сектори: 1" in digest
    assert "Просрочени действия: 1" not in digest
    assert "Петя" not in digest and "Психологическа" not in digest
    await at(harness, utc(2026, 12, 7, 7, 0))
    assert sum(m.plain().startswith("📊") for m in harness.api.messages) == 2


async def test_a_sector_of_one_is_never_named_in_the_group(harness: Harness) -> None:
    """Petya is social services alone: neither the vote's result, nor /actions, nor the case's
    card names her sector in the group; in private, her action's card names her."""
    b = await board_with_case(harness)
    await action_for_petya(harness, b, due="27.11.2026")
    group_texts = [m.plain() for m in harness.api.messages if m.chat_id == b.group.id]
    listing = (await harness.in_group(b.group, b.ivan, "/actions")).only.plain()
    cases = (await harness.in_group(b.group, b.ivan, "/cases")).only.plain()
    card = (await harness.in_group(b.group, b.ivan, f"/case {b.code}")).only.plain()
    for text in (*group_texts, listing, cases, card):
        for sector in ("Социални услуги", "Образование", "Здравеопазване", "Детска педагогическа"):
            assert sector not in text, text
    assert "един от по-малките сектори" in listing
    assert "един от по-малките сектори" in cases and "един от по-малките сектори" in card
    mine = (await harness.private(b.petya, "/myactions")).only
    assert "Психологическа" in mine.plain()


def digests_in(h: Harness, chat_id: int) -> int:
    return sum(m.chat_id == chat_id and m.plain().startswith("📊") for m in h.api.messages)


async def test_a_board_with_nothing_yet_gets_no_digest_of_zeros(harness: Harness) -> None:
    from tests.kit.boards import set_up_board

    group, _ = await set_up_board(harness)
    await harness.runtime.core.nudges.start()
    await at(harness, utc(2026, 11, 30, 7, 0))  # Monday 09:00 in Sofia: the digest's time
    assert digests_in(harness, group.id) == 0


async def test_the_digest_of_a_holiday_monday_comes_on_the_working_tuesday(
    harness: Harness,
) -> None:
    """28.12.2026 is a public holiday in Bulgaria (for Boxing Day on the Saturday)."""
    b = await board_with_case(harness)
    await harness.runtime.core.nudges.start()
    await at(harness, utc(2026, 12, 28, 6, 0))
    before = digests_in(harness, b.group.id)
    await at(harness, utc(2026, 12, 28, 7, 0))  # Monday 09:00, a holiday: nothing
    await at(harness, utc(2026, 12, 28, 15, 0))
    assert digests_in(harness, b.group.id) == before
    await at(harness, utc(2026, 12, 29, 7, 0))  # Tuesday 09:00
    assert digests_in(harness, b.group.id) == before + 1


async def test_an_early_meetings_reminder_comes_the_evening_before_not_at_dawn(
    harness: Harness,
) -> None:
    from tests.kit.meetings import a_board, announcement_in, fixed_meeting, reminders

    b = await a_board(harness)
    await fixed_meeting(harness, b, "1.12 07:30")  # Tuesday, 07:30 in Sofia
    await harness.press(b.members[0], announcement_in(harness, b), key="rsvp.going")
    await harness.dispatch()
    await at(harness, utc(2026, 11, 30, 6, 0))  # Monday 08:00: the 24-hour one, after quiet
    assert len(reminders(harness, b.members[0].id)) == 1
    await at(harness, utc(2026, 11, 30, 17, 55))  # Monday 19:55, before the quiet evening
    second = reminders(harness, b.members[0].id)
    assert len(second) == 2 and "след 12 часа" in second[-1].plain()
    await at(harness, utc(2026, 12, 1, 4, 30))  # 06:30: nothing more at dawn
    assert len(reminders(harness, b.members[0].id)) == 2


async def test_nudges_due_while_the_bot_was_stopped_arrive_once_if_still_of_use(
    bot_db: Path,
) -> None:
    async with Harness.running(bot_db) as h:
        b = await board_with_case(h)
        await action_for_petya(h, b)
        api, stopped = h.api, h.clock.now()
    async with Harness.running(bot_db, api=api, start=stopped) as again:
        await again.runtime.core.nudges.start()  # as start_services does
        await at(again, utc(2026, 12, 10, 7, 30))
        await again.dispatch()
        texts = [m.plain() for m in await nudges_to(again, b.petya)]
        assert len(texts) == 1 and "Днес е срокът" in texts[0]  # "in 2 days" is of no use now
        async with again.db.read() as session:
            dropped = await session.conn.execute_fetchall(
                "SELECT reason FROM outbox WHERE kind = 'nudge' AND state = 'dropped'"
            )
        assert [row[0] for row in dropped] == ["expired"]


async def test_quiet_hours_changed_after_planning_still_hold(harness: Harness) -> None:
    b = await board_with_case(harness)
    await action_for_petya(harness, b)  # "due soon" planned for 08.12 09:00 in Sofia
    settings = (await harness.private(b.petya, "/settings")).only
    await harness.press(b.petya, settings, "Тихо до")
    await harness.press(b.petya, settings, "09:00")
    await harness.press(b.petya, settings, "Тихо от")
    await harness.press(b.petya, settings, "18:00")
    async with harness.db.transaction() as session:  # as if planned before the change, at 08:00
        await session.conn.execute(
            "UPDATE outbox SET send_after = send_after - 3600, due_at = due_at - 3600"
            " WHERE kind = 'nudge' AND recipient_id = ?",
            (b.petya.id,),
        )
    await at(harness, utc(2026, 12, 8, 6, 0))  # 08:00 in Sofia: quiet for Petya now
    assert await nudges_to(harness, b.petya) == []
    await at(harness, utc(2026, 12, 8, 7, 0))
    assert len(await nudges_to(harness, b.petya)) == 1


async def test_blocking_and_reopening_an_action_keeps_its_nudges(harness: Harness) -> None:
    b = await board_with_case(harness)
    await action_for_petya(harness, b)
    mine = (await harness.private(b.petya, "/myactions")).only
    await harness.press(b.petya, mine, b.code)
    await harness.press(b.petya, mine, "Блокирано")
    await harness.private(b.petya, "Чакаме направление")
    mine = (await harness.private(b.petya, "/myactions")).only
    await harness.press(b.petya, mine, b.code)
    await harness.press(b.petya, mine, "Отвори отново")
    await at(harness, utc(2026, 12, 8, 7, 0))
    assert len(await nudges_to(harness, b.petya)) == 1
    await at(harness, utc(2026, 12, 18, 7, 0))
    assert any("Попитайте" in m.plain() for m in await nudges_to(harness, b.maria))


async def test_a_snooze_stands_for_the_reminders_it_holds_back_and_counts_once(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    await action_for_petya(harness, b)
    await at(harness, utc(2026, 12, 11, 7, 0))  # overdue by a day (Friday)
    nudge = (await nudges_to(harness, b.petya))[-1]
    await harness.press(b.petya, nudge, "Отложи")
    week = next(x["callback_data"] for x in nudge.buttons() if x["callback_data"].endswith("week"))
    first = await harness.press_data(b.petya, nudge, week)
    second = await harness.press_data(b.petya, nudge, week)  # a double press
    assert first.toast == second.toast == "💤 Ще напомня отново: пн 14.12 09:00."
    await at(harness, utc(2026, 12, 14, 7, 0))  # Monday: the snoozed one, not also overdue #2
    await harness.dispatch()
    texts = [m.plain() for m in await nudges_to(harness, b.petya)]
    assert len(texts) == 2 and "просрочено с 4 дни" in texts[1]


async def test_a_lost_daily_sweep_is_queued_again_on_start(harness: Harness) -> None:
    await harness.runtime.core.nudges.start()
    async with harness.db.transaction() as session:
        await session.conn.execute(
            "UPDATE outbox SET state = 'undeliverable', reason = 'gave_up' WHERE kind = 'sweep'"
        )
        assert not await session.outbox.has_pending("sweep")
    await harness.runtime.core.nudges.start()
    async with harness.db.read() as session:
        assert await session.outbox.has_pending("sweep")


async def test_nudges_that_piled_up_say_it_once_in_the_newest_words(bot_db: Path) -> None:
    """Stopped from before the due date until the Monday eleven days after it: "due today" and
    three "overdue" reminders are all due at once; the owner gets one, "overdue by 11 days", and
    a restart after it sends nothing more that day."""
    async with Harness.running(bot_db) as h:
        b = await board_with_case(h)
        await action_for_petya(h, b)  # due 10.12.2026
        await at(h, utc(2026, 12, 8, 7, 0))
        api, stopped = h.api, h.clock.now()
    async with Harness.running(bot_db, api=api, start=stopped) as again:
        await again.runtime.core.nudges.start()
        await at(again, utc(2026, 12, 21, 8, 0))
        await again.dispatch()
        texts = [m.plain() for m in await nudges_to(again, b.petya)]
        assert len(texts) == 2 and "просрочено с 11 дни" in texts[1], texts
        api = again.api
    async with Harness.running(bot_db, api=api, start=utc(2026, 12, 21, 9, 0)) as third:
        await third.runtime.core.nudges.start()
        await at(third, utc(2026, 12, 21, 15, 0))
        assert len(await nudges_to(third, b.petya)) == 2  # nothing again the same day


async def test_reminders_that_land_together_are_sent_once(harness: Harness) -> None:
    from tests.kit.meetings import a_board, fixed_meeting, reminders

    b = await a_board(harness)
    await fixed_meeting(harness, b, "7.12 07:30")  # Monday at dawn: both fall on Friday evening
    await at(harness, utc(2026, 12, 4, 17, 55))
    await at(harness, utc(2026, 12, 7, 5, 0))
    assert len(reminders(harness, b.group.id)) == 1


async def test_a_failing_bot_api_delays_nudges_but_loses_none(harness: Harness) -> None:
    from fakegram.request import TIMEOUT
    from tests.kit import Failure

    b = await board_with_case(harness)
    await action_for_petya(harness, b)
    for code, description in ((429, "Too Many Requests"), (500, "Internal"), (TIMEOUT, "")):
        harness.api.fail(
            Failure(
                "sendMessage",
                code,
                description,
                chat_id=b.petya.id,
                retry_after=3 if code == 429 else None,
            )
        )
    await at(harness, utc(2026, 12, 8, 7, 0))
    assert await nudges_to(harness, b.petya) == []
    other = await harness.private(b.ivan, "/myactions")  # others are served meanwhile
    assert other.only.plain()
    for minutes in (1, 3, 6, 12):
        await at(harness, utc(2026, 12, 8, 7, minutes))
    assert len(await nudges_to(harness, b.petya)) == 1


async def test_the_digest_can_come_as_a_chart_with_its_words_below(harness: Harness) -> None:
    b = await board_with_case(harness)
    async with harness.db.read() as session:
        board = await session.boards.by_chat(b.group.id)
    assert board is not None
    core = harness.runtime.core
    await core.boards.change_setting(b.maria.id, board.id, "digest_chart", "true", core.settings)
    await harness.runtime.core.nudges.start()
    await at(harness, utc(2026, 11, 30, 6, 59))
    await at(harness, utc(2026, 11, 30, 7, 0))  # Monday 09:00 in Sofia
    digest = last_to(harness, b.group.id)
    assert digest.photo is not None and digest.photo.startswith(b"\x89PNG")
    assert digest.plain().startswith("📊 Седмичен обзор") and "Отворени случаи: 1" in digest.plain()
