"""Meetings, part 2, driven like Telegram: the agenda, the brief before the meeting, a written
update, "thinking together" minutes for two cases, approval and amendments, and a monthly series
across a daylight-saving change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.agenda.refusals import UpdateRefusal
from bot.kernel import callbacks
from bot.meetings.calendar import read_ics
from bot.minutes.buttons import MinuteTaker
from bot.minutes.refusals import AttendanceRefusal, DraftRefusal
from fakegram.api import SentMessage
from fakegram.formats import plain_text
from storage.models import SeriesRecord
from tests.kit import Harness, Person
from tests.kit.boards import last_to
from tests.kit.cases import LABEL
from tests.kit.erasure import stored_bytes
from tests.kit.meetings import MeetingBoard, announcement_in, documents
from tests.kit.minutes import meeting_with_two_agenda_cases, rows
from tests.kit.votes import Board, board_with_case

SOFIA = ZoneInfo("Europe/Sofia")


async def case_id(h: Harness, code: str) -> int:
    return int((await rows(h, "SELECT id FROM cases WHERE code = ?", code))[0][0])


async def series_from_december(h: Harness, b: Board, pattern: str) -> SeriesRecord:
    """Board sessions from Tuesday 1 December at 14:00, until cancelled."""
    core = h.runtime.core
    board = await core.boards.by_chat(b.group.id)
    assert board is not None
    series = await core.series.create(
        b.maria.id,
        board.id,
        kind="board_session",
        first_start=datetime(2026, 12, 1, 14, 0, tzinfo=SOFIA),
        pattern=pattern,
        until_day=None,
        duration_minutes=90,
        place="",
    )
    assert isinstance(series, SeriesRecord)
    return series


async def answer(h: Harness, person: Person, *texts: str) -> SentMessage:
    said = None
    for text in texts:
        said = (await h.private(person, text)).only
    assert said is not None
    return said


async def test_a_meeting_with_two_agenda_cases_ends_with_minutes_for_both(
    harness: Harness,
) -> None:
    h = harness
    b, second, meeting = await meeting_with_two_agenda_cases(h)

    added = await h.in_group(b.group, b.ivan, f"/agenda add {b.code}")
    assert "в дневния ред" in added.only.plain()
    refused = await h.in_group(b.group, b.petya, f"/agenda add {second}")
    assert "Само водещият" in refused.only.plain()
    card = await h.private(b.maria, f"/case {second}")
    await h.press(b.maria, card.messages[-1], "дневния ред на следващата")
    agenda = (await h.in_group(b.group, b.petya, "/agenda")).only.plain()
    assert b.code in agenda and second in agenda and LABEL not in agenda
    card = (await h.private(b.petya, "/meetings")).only
    await h.press(b.petya, card, key="meeting_kind.supervision")
    assert f"Дневен ред: {b.code}, {second}" in card.plain()

    # two days before the meeting each case's team gets its brief in private
    h.clock.set(datetime(2026, 11, 23, 12, 1, tzinfo=UTC))
    await h.dispatch()
    briefs = [m for m in h.api.messages if m.chat_id == b.ivan.id and "в дневния ред:" in m.plain()]
    assert len(briefs) == 2 and LABEL in briefs[0].plain()
    await h.press(b.ivan, briefs[0], "писмена информация")
    saved = await h.private(b.ivan, "Детето посещава училище от понеделник.")
    assert "изпратена на протоколчика" in saved.only.plain()
    assert "Отговорът ви за срещата вече е „не идвам“." in saved.only.plain()
    await h.dispatch()
    assert "Писмена информация" in last_to(h, b.maria.id).plain()
    # a written update says "I can't come": Ivan was going, now he is not
    view = await h.runtime.core.meetings.view(meeting)
    assert view is not None and (b.ivan.id, "no") in view.rsvps

    h.clock.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))  # the meeting has taken place
    listing = (await h.private(b.maria, "/minutes")).only
    await h.press(b.maria, listing, key="meeting_kind.supervision")
    sheet = listing
    assert "Присъстваха: 1" in sheet.plain() and "Иван" not in sheet.plain()
    before = len(h.api.messages)
    await h.press(b.maria, sheet, f"Протокол {b.code}")
    question = h.api.messages[before]
    assert "1/5" in question.plain() and "Писмена информация от отсъстващи: 1" in question.plain()
    first_view = await answer(
        h, b.maria, "Как да върнем детето в училище?", "Отсъства от септември."
    )
    screens = [first_view]
    for _ in range(6):  # health, then education: problem, what to do, who does what
        screens.append(await answer(h, b.maria, "Отсъствия и напрежение вкъщи."))
    # education (Ivan's sector, the case's lead) was away but is heard, through his update
    away = [
        s for s in screens if "Секторът не присъстваше; изпрати писмена информация" in s.plain()
    ]
    assert len(away) == 3 and all("Образование" in s.plain() for s in away)
    await answer(h, b.maria, "Училището иска наказание, социалните — подкрепа.")
    review = await answer(h, b.maria, "Общ план с училищен медиатор.")
    actions = await answer(h, b.maria, "15.01")
    await h.press(b.maria, actions, "Добави действие")
    owner = await answer(h, b.maria, "Среща с медиатора")
    await h.press(b.maria, owner, "Петя")
    more = await answer(h, b.maria, "20.12")
    await h.press(b.maria, more, "Добави действие")
    owner = await answer(h, b.maria, "Домашно посещение")
    await h.press(b.maria, owner, "Иван")
    await h.press(b.maria, owner, key="button.skip")
    await h.press(b.maria, owner, "Готово")
    assert review is not None and "Одобри протокола" in str(owner.buttons())
    minutes_id = int((await rows(h, "SELECT id FROM minutes ORDER BY id"))[0][0])

    forged = await h.press_data(b.ivan, owner, callbacks.encode("mnok", minutes_id))
    assert forged.toast is not None and "Само координатор" in forged.toast
    await h.press(b.maria, owner, "Одобри протокола")
    await h.dispatch()
    summary = last_to(h, b.group.id).plain()
    assert summary == f"🗒 Протокол за {b.code}: 2 действия, следващ преглед 15.01."

    # the second case: only the question and the decision, no actions
    await h.press(b.maria, owner, "Назад")
    await h.press(b.maria, owner, f"Протокол {second}")
    step = await answer(h, b.maria, "Нужна ли е оценка на здравето?")
    for _ in range(8):  # skip the summary, both sectors' three answers and the clash
        await h.press(b.maria, step, key="button.skip")
    step = await answer(h, b.maria, "Насочване към детски психиатър.")
    await h.press(b.maria, step, key="button.skip")
    await h.press(b.maria, step, "Готово")
    await h.press(b.maria, step, "Одобри протокола")
    await h.dispatch()
    assert last_to(h, b.group.id).plain() == f"🗒 Протокол за {second}: 0 действия."

    group_texts = " ".join(m.plain() for m in h.api.messages if m.chat_id == b.group.id)
    assert "медиатор" not in group_texts.replace("Среща с медиатора", "")
    assert "Училището иска" not in group_texts and LABEL not in group_texts
    for code in (b.code, second):
        kinds = await rows(
            h,
            "SELECT kind FROM case_events WHERE case_id = ? AND kind = 'minutes_approved'",
            await case_id(h, code),
        )
        assert len(kinds) == 1
    details = (await h.private(b.ivan, f"/case {b.code}")).messages[-1]
    await h.press(b.ivan, details, "Хронология")
    assert (
        "случаят е обсъден на срещата от 25.11.2026: протоколът е одобрен, действия: 2"
        in details.plain()
    )
    listed = (await h.in_group(b.group, b.maria, "/actions")).only.plain()
    assert "Среща с медиатора" in listed and "Домашно посещение" in listed

    # approved minutes are read-only: only amendments
    again = await h.press_data(
        b.maria, owner, callbacks.encode("mnr", meeting, await case_id(h, b.code))
    )
    assert again.toast is not None and "вече е одобрен" in again.toast
    doc = (await h.private(b.ivan, f"/minutes {b.code}")).only
    assert "Общ план с училищен медиатор" in doc.plain() and "Поправка" not in str(doc.buttons())
    numbers = [line.split(" ")[0] for line in doc.plain().splitlines() if line[:1].isdigit()]
    assert numbers == ["1.", "2.", "3.", "3.1.", "3.2.", "4.", "5."], numbers  # each once
    card = (await h.private(b.ivan, f"/case {b.code}")).messages[-1]
    await h.press(b.ivan, card, "Последният протокол")
    assert "Общ план с училищен медиатор" in card.plain()
    mine = (await h.private(b.maria, f"/minutes {b.code}")).only
    await h.press(b.maria, mine, "Поправка")
    amended = await h.private(b.maria, "Срокът за посещението е до края на месеца.")
    assert "Поправката е добавена" in amended.only.plain()
    shown = (await h.private(b.ivan, f"/minutes {b.code}")).only.plain()
    assert "Общ план с училищен медиатор" in shown and "до края на месеца" in shown
    audit = await rows(h, "SELECT COUNT(*) FROM audit_log WHERE action = 'minutes.read'")
    assert int(str(audit[0][0])) >= 3

    # the review date: the lead is asked whether the case goes on the next agenda
    h.clock.set(datetime(2027, 1, 15, 8, 0, tzinfo=UTC))
    await h.dispatch()
    review = [m for m in h.api.messages if m.chat_id == b.ivan.id and "прегледът" in m.plain()]
    assert len(review) == 1 and b.code in review[0].plain()


async def test_personal_data_in_the_minutes_is_refused_and_nothing_is_stored(
    harness: Harness,
) -> None:
    h = harness
    b, _, _ = await meeting_with_two_agenda_cases(h)
    await h.in_group(b.group, b.ivan, f"/agenda add {b.code}")
    h.clock.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    listing = (await h.private(b.maria, "/minutes")).only
    await h.press(b.maria, listing, key="meeting_kind.supervision")
    await h.press(b.maria, listing, f"Протокол {b.code}")
    refused = await h.private(
        b.maria, "Майката Мария Петрова, тел. 0888123456, пита какво да прави."
    )
    assert "0888123456" not in " ".join(refused.texts)
    assert (await rows(h, "SELECT question FROM minutes"))[0][0] == ""


async def test_a_monthly_series_keeps_its_local_time_and_one_cancellation_leaves_the_rest(
    harness: Harness,
) -> None:
    h = harness
    b = await board_with_case(h)
    started = await h.in_group(b.group, b.maria, "/meeting")
    screen = started.to(b.maria.id)[0]
    await h.press(b.maria, screen, key="meeting_kind.board_session")
    await h.press(b.maria, screen, "Повтаряща се")
    echo = (await h.private(b.maria, "1.12 14:00")).only
    await h.press(b.maria, echo, "Да")
    await h.press(b.maria, echo, "първия вторник")
    await h.press(b.maria, echo, key="series.until_cancelled")
    await h.press(b.maria, echo, key="button.skip")
    await h.press(b.maria, echo, "90 мин")
    await h.press(b.maria, echo, "Обяви в групата")
    await h.dispatch()
    posted = " ".join(m.plain() for m in h.api.messages if m.chat_id == b.group.id)
    assert "всеки месец, първия вторник, в 14:00, до отмяна" in posted
    series_file = read_ics(documents(h, b.group.id)[0].document[1])[0]  # type: ignore[index]
    assert series_file.rrule == "FREQ=MONTHLY;BYDAY=1TU" and series_file.uid == "series-1@boardbot"

    for _ in range(5):  # the daily sweep makes each next occurrence about a month ahead
        h.clock.advance(timedelta(days=31))
        await h.runtime.core.series.extend()
    starts = [
        datetime.fromtimestamp(int(str(r[0])), UTC).astimezone(SOFIA)
        for r in await rows(h, "SELECT starts_at FROM meetings WHERE series_id = 1 ORDER BY 1")
    ]
    assert [s.strftime("%d.%m %H:%M") for s in starts[:6]] == [
        "01.12 14:00",
        "05.01 14:00",
        "02.02 14:00",
        "02.03 14:00",
        "06.04 14:00",  # summer time: 11:00 UTC instead of 12:00, still 14:00 in Sofia
        "04.05 14:00",
    ]
    assert starts[4].utcoffset() == timedelta(hours=3)


async def test_cancelling_one_occurrence_leaves_the_others_and_their_reminders(
    harness: Harness,
) -> None:
    h = harness
    b = await board_with_case(h)
    series = await series_from_december(h, b, "weekly")
    await h.dispatch()
    made = await rows(
        h, "SELECT id FROM meetings WHERE series_id = ? ORDER BY starts_at", series.id
    )
    assert len(made) == 4  # weekly, 35 days ahead: 1, 8, 15 and 22 December
    cancelled, kept = int(str(made[1][0])), [int(str(r[0])) for r in made if r != made[1]]
    card = (await h.private(b.maria, "/meetings")).only
    await h.press_data(b.maria, card, callbacks.encode("mcx", cancelled, "y"))
    await h.dispatch()
    statuses = dict(await rows(h, "SELECT id, status FROM meetings WHERE series_id = ?", series.id))
    assert statuses[cancelled] == "cancelled"
    assert all(statuses[m] == "scheduled" for m in kept)
    pending = await rows(
        h,
        "SELECT DISTINCT subject_id FROM outbox WHERE kind = 'meeting_remind_task'"
        " AND state = 'pending'",
    )
    assert {int(str(r[0])) for r in pending} == set(kept)
    cancel_file = read_ics(documents(h, b.group.id)[-1].document[1])[0]  # type: ignore[index]
    assert cancel_file.uid == f"series-{series.id}@boardbot"
    assert cancel_file.method == "CANCEL" and cancel_file.recurrence_id is not None
    assert cancel_file.recurrence_id.astimezone(SOFIA).strftime("%d.%m %H:%M") == "08.12 14:00"


async def test_minutes_are_exported_with_the_case_and_leave_no_text_when_it_is_erased(
    harness: Harness,
) -> None:
    from tests.kit.privacy import json_escaped

    h = harness
    core = h.runtime.core
    b, _, meeting = await meeting_with_two_agenda_cases(h)
    await h.in_group(b.group, b.ivan, f"/agenda add {b.code}")
    case = await case_id(h, b.code)
    texts = ("Въпросът за изтриване", "Решението за изтриване", "Писмото за изтриване")
    await core.agenda.add_update(b.ivan.id, meeting, case, texts[2])
    h.clock.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    minutes = await core.minutes.begin(b.maria.id, meeting, case)
    assert isinstance(minutes, int)
    assert minutes is not None
    await core.minutes.write(b.maria.id, minutes, "question", texts[0])
    await core.minutes.write(b.maria.id, minutes, "decision", texts[1])
    await core.minutes.write_view(
        b.maria.id, minutes, "education", "problem", "Изгледът за изтриване"
    )
    assert await core.minutes.approve(b.maria.id, minutes) is None
    await core.minutes.amend(b.maria.id, minutes, "Поправката за изтриване")
    await h.dispatch()

    exported = await h.private(b.maria, f"/export {b.code}")
    data = next(
        m.document for m in exported.messages if m.document and m.document[0].endswith(".json")
    )
    assert texts[1] in data[1].decode() and "Поправката за изтриване" in data[1].decode()

    asked = (await h.private(b.maria, f"/erase {b.code}")).only
    await h.press(b.maria, asked, "Да, изтрий")
    raw = await stored_bytes(h.db)
    for text in (*texts, "Изгледът за изтриване", "Поправката за изтриване"):
        assert text.encode() not in raw and json_escaped(text) not in raw, text
    assert await rows(h, "SELECT id FROM minutes") == []


async def held_meeting_with_agenda(h: Harness) -> tuple[Board, int, SentMessage]:
    """After the meeting of 25.11 (Ivan and Georgi said "going"), Maria opens its sheet."""
    b, _, meeting = await meeting_with_two_agenda_cases(h)
    await h.in_group(b.group, b.ivan, f"/agenda add {b.code}")
    h.clock.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    sheet = (await h.private(b.maria, "/minutes")).only
    await h.press(b.maria, sheet, key="meeting_kind.supervision")
    return b, meeting, sheet


async def test_marking_someone_absent_keeps_everyone_else_present(harness: Harness) -> None:
    h = harness
    b, meeting, sheet = await held_meeting_with_agenda(h)
    await h.press(b.maria, sheet, "Присъствие")
    await h.press(b.maria, sheet, "✅ Георги")
    present = await rows(h, "SELECT user_id FROM meeting_attendance WHERE meeting_id = ?", meeting)
    assert present == [(b.ivan.id,)]
    labels = [plain_text(b["text"]) for b in sheet.buttons()]
    assert "▫️ Георги · Здравеопазване" in labels and "✅ Иван · Образование" in labels
    forged = await h.press_data(b.petya, sheet, callbacks.encode("mnp", meeting, b.petya.id))
    assert forged.toast is not None and "Само координатор" in forged.toast
    async with h.db.read() as session:  # what /stats reads of it: one supervision, one sector
        board = await session.boards.by_chat(b.group.id)
        assert board is not None
        [held] = await session.stats.supervisions(board.id)
    assert held.sectors == {"education"}
    stats = (await h.private(b.maria, "/stats")).messages[0].plain()
    assert "Супервизии: <5" in stats


async def test_a_button_of_an_earlier_question_does_not_act_on_the_current_one(
    harness: Harness,
) -> None:
    h = harness
    b, _, sheet = await held_meeting_with_agenda(h)
    before = len(h.api.messages)
    await h.press(b.maria, sheet, f"Протокол {b.code}")
    await answer(h, b.maria, "Въпросът")
    summary_screen = h.api.messages[-1]  # 2/5, with its Skip
    await answer(h, b.maria, "Накратко")
    stale = await h.press(b.maria, summary_screen, key="button.skip")
    assert stale.toast is not None and "вече не е валиден" in stale.toast
    dialog = await h.runtime.core.dialogs.current(b.maria.id)
    assert dialog is not None and dialog.step == "view" and dialog.draft["part"] == "problem"
    assert h.api.messages[before].plain().count("1/5") == 1


async def test_a_paused_draft_resumes_at_its_actions_and_a_mistyped_action_can_go(
    harness: Harness,
) -> None:
    h = harness
    b, _, sheet = await held_meeting_with_agenda(h)
    await h.press(b.maria, sheet, f"Протокол {b.code}")
    screen = await answer(h, b.maria, "Въпросът")
    for _ in range(8):
        await h.press(b.maria, screen, key="button.skip")
    screen = await answer(h, b.maria, "Решението")
    await h.press(b.maria, screen, key="button.skip")
    await h.press(b.maria, screen, "Добави действие")
    owner = await answer(h, b.maria, "Грешно действие")
    await h.press(b.maria, owner, "Иван")
    await h.press(b.maria, owner, key="button.skip")
    await h.press(b.maria, owner, "По-късно")
    again = (await h.private(b.maria, "/minutes")).only
    await h.press(b.maria, again, key="meeting_kind.supervision")
    before = len(h.api.messages)
    await h.press(b.maria, again, f"Протокол {b.code}")
    resumed = h.api.messages[before]
    assert "Действия за" in resumed.plain() and "Грешно действие" in resumed.plain()
    await h.press(b.maria, resumed, "✖ Грешно действие")
    assert "Действия за" in resumed.plain() and "Грешно действие" not in resumed.plain()
    assert await rows(h, "SELECT id FROM minutes_actions") == []


async def test_a_written_update_after_approval_is_refused_and_the_minutes_stay(
    harness: Harness,
) -> None:
    h = harness
    core = h.runtime.core
    b, meeting, _ = await held_meeting_with_agenda(h)
    case = await case_id(h, b.code)
    minutes = await core.minutes.begin(b.maria.id, meeting, case)
    assert isinstance(minutes, int)
    assert minutes is not None
    await core.minutes.write(b.maria.id, minutes, "question", "Въпросът")
    await core.minutes.write(b.maria.id, minutes, "decision", "Решението")
    assert await core.minutes.approve(b.maria.id, minutes) is None
    assert (
        await core.agenda.add_update(b.ivan.id, meeting, case, "Късно")
        is UpdateRefusal.MINUTES_APPROVED
    )
    assert (
        await core.minutes.write(b.maria.id, minutes, "decision", "Друго") is DraftRefusal.APPROVED
    )
    assert (
        await core.minutes.toggle_present(b.maria.id, meeting, b.ivan.id)
        is AttendanceRefusal.APPROVED
    )
    assert await rows(h, "SELECT decision FROM minutes") == [("Решението",)]


async def test_ending_a_series_keeps_the_held_sessions_in_calendars(harness: Harness) -> None:
    h = harness
    b = await board_with_case(h)
    core = h.runtime.core
    series = await series_from_december(h, b, "monthly_nth")
    h.clock.set(datetime(2026, 12, 10, 9, 0, tzinfo=UTC))
    await core.series.extend()
    assert len(await rows(h, "SELECT id FROM meetings WHERE series_id = ?", series.id)) == 2
    card = (await h.private(b.maria, "/meetings")).only
    await h.press(b.maria, card, "05.01")
    forged = await h.press_data(b.ivan, card, callbacks.encode("mse", series.id, 0, "y"))
    assert forged.toast is not None and "Ролята" in forged.toast
    await h.press(b.maria, card, "Край на поредицата")
    ended = await h.press(b.maria, card, "Да, без повече срещи")
    assert ended.toast == "Поредицата приключи."
    await h.dispatch()
    final = read_ics(documents(h, b.group.id)[-1].document[1])[0]  # type: ignore[index]
    assert final.method == "PUBLISH" and final.rrule is not None
    assert "UNTIL=20261201" in final.rrule  # the session held on 1.12 stays
    statuses = await rows(
        h, "SELECT status FROM meetings WHERE series_id = ? ORDER BY starts_at", series.id
    )
    assert statuses == [("scheduled",), ("cancelled",)]
    assert await core.series.extend() == 0


async def test_marking_the_last_person_absent_leaves_nobody_present(harness: Harness) -> None:
    h = harness
    b, meeting, sheet = await held_meeting_with_agenda(h)
    await h.press(b.maria, sheet, "Присъствие")
    await h.press(b.maria, sheet, "✅ Георги")
    await h.press(b.maria, sheet, "✅ Иван")
    assert "✅" not in str(sheet.buttons())
    await h.press(b.maria, sheet, "Назад")
    assert "Присъстваха: 0" in sheet.plain()
    await h.press(b.maria, sheet, "Присъствие")
    await h.press(b.maria, sheet, "▫️ Петя")
    present = await rows(h, "SELECT user_id FROM meeting_attendance WHERE meeting_id = ?", meeting)
    assert present == [(b.petya.id,)]


async def test_recording_from_a_sheet_too_old_to_show_still_asks_the_first_question(
    harness: Harness,
) -> None:
    from fakegram.updates import callback_update

    h = harness
    b, meeting, sheet = await held_meeting_with_agenda(h)
    old = {"chat": {"id": b.maria.id, "type": "private"}, "message_id": sheet.message_id, "date": 0}
    data = callbacks.encode("mnr", meeting, await case_id(h, b.code))
    asked = await h.feed(
        callback_update(h.api.next_update_id(), "old-sheet", b.maria.json(), old, data)
    )
    assert "1/5" in asked.only.plain() and asked.only.chat_id == b.maria.id


async def test_a_button_on_a_message_telegram_no_longer_shows_answers_in_a_new_message(
    harness: Harness,
) -> None:
    from fakegram.updates import callback_update

    h = harness
    b, meeting, sheet = await held_meeting_with_agenda(h)
    old = {"chat": {"id": b.maria.id, "type": "private"}, "message_id": sheet.message_id, "date": 0}
    shown = await h.feed(
        callback_update(
            h.api.next_update_id(), "gone", b.maria.json(), old, callbacks.encode("mns", meeting)
        )
    )
    assert shown.edits == [] and "Протокол" in shown.only.plain()


async def test_the_lead_takes_a_case_off_the_agenda_and_a_member_may_not(harness: Harness) -> None:
    h = harness
    b, _, _ = await meeting_with_two_agenda_cases(h)
    await h.in_group(b.group, b.ivan, f"/agenda add {b.code}")
    refused = await h.in_group(b.group, b.petya, f"/agenda remove {b.code}")
    assert "Само водещият" in refused.only.plain()
    removed = await h.in_group(b.group, b.ivan, f"/agenda remove {b.code}")
    assert "махнат от дневния ред" in removed.only.plain()
    again = await h.in_group(b.group, b.ivan, f"/agenda remove {b.code}")
    assert "не е в дневния ред" in again.only.plain()
    assert b.code not in (await h.in_group(b.group, b.petya, "/agenda")).only.plain()


async def test_a_coordinator_passing_on_a_written_update_still_comes(harness: Harness) -> None:
    """Only a team member's update says "I can't come"; the coordinator (or the minute-taker)
    may pass information on and still chair the meeting."""
    h = harness
    core = h.runtime.core
    b, _, meeting = await meeting_with_two_agenda_cases(h)
    announcement = announcement_in(h, MeetingBoard(b.group, b.maria, b.voters))
    await h.press(b.maria, announcement, "Идвам")
    await h.in_group(b.group, b.ivan, f"/agenda add {b.code}")
    case = await case_id(h, b.code)
    not_coming = await core.agenda.add_update(b.maria.id, meeting, case, "От училището.")
    view = await core.meetings.view(meeting)
    assert not_coming is False
    assert view is not None and (b.maria.id, "going") in view.rsvps


async def test_the_minute_taker_is_a_voter_and_a_forged_choice_says_so(harness: Harness) -> None:
    """The picker lists the board's voters; a press naming anyone else (a forged button, or a
    member who left meanwhile) says who may take the minutes, and changes nothing."""
    h = harness
    b, _, meeting = await meeting_with_two_agenda_cases(h)
    words = h.runtime.core.i18n
    anchor = (await h.private(b.maria, "/help")).messages[0]
    named = await h.press_data(b.maria, anchor, MinuteTaker(meeting, b.ivan.id).pack())
    assert named.toast == words.t("bg", "minutes.taker_named")
    outsider = h.person("Стоян")
    forged = await h.press_data(b.maria, anchor, MinuteTaker(meeting, outsider.id).pack())
    assert forged.toast == words.t("bg", "minutes.taker_not_voter")
    assert forged.answers[-1]["show_alert"] is True
    by_ivan = await h.press_data(b.ivan, anchor, MinuteTaker(meeting, b.georgi.id).pack())
    assert by_ivan.toast == words.t("bg", "deny.role")
    taker = await rows(h, "SELECT minute_taker_id FROM meetings WHERE id = ?", meeting)
    assert taker == [(b.ivan.id,)]
