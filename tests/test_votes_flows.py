"""Deciding together, driven like Telegram: proposals, votes, the live message, closing, actions."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from fakegram.api import SentMessage
from tests.kit import Harness
from tests.kit.boards import last_to
from tests.kit.votes import (
    MERGE,
    TITLE,
    Board,
    accepted_without_owner,
    block,
    board_with_case,
    open_vote,
    proposal_id,
)


async def set_board_setting(h: Harness, b: Board, key: str, value: str) -> None:
    board = await h.runtime.core.boards.by_chat(b.group.id)
    assert board is not None
    await h.runtime.core.boards.change_setting(
        b.maria.id, board.id, key, value, h.runtime.core.settings
    )


async def vote_status(h: Harness) -> str:
    proposal = await h.runtime.core.votes.get(await proposal_id(h))
    assert proposal is not None
    return proposal.status


async def five_votes(h: Harness, b: Board, vote: SentMessage, *, georgi_votes: bool = True) -> None:
    """Agree ×3 (Elena changes her mind from abstain), disagree ×1 (Georgi), one block."""
    await h.press(b.ivan, vote, key="vote.choice.agree")
    await h.press(b.petya, vote, key="vote.choice.agree")
    await h.press(b.elena, vote, key="vote.choice.abstain")
    changed = await h.press(b.elena, vote, key="vote.choice.agree")
    assert changed.toast is not None and "За" in changed.toast
    if georgi_votes:
        await h.press(b.georgi, vote, key="vote.choice.disagree")
    await block(h, b.dimitar, vote, "Няма психолог в района до януари")


# the whole vote ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("rule", "every_sector", "georgi_votes", "outcome"),
    [
        ("consent", "false", True, "Отхвърлено"),
        ("majority", "false", True, "Прието"),
        ("majority", "true", True, "Прието"),
        ("majority", "true", False, "Няма кворум"),
        ("consent", "true", False, "Няма кворум"),
    ],
)
async def test_five_members_of_four_sectors_decide_under_each_rule(
    harness: Harness, rule: str, every_sector: str, georgi_votes: bool, outcome: str
) -> None:
    b = await board_with_case(harness)
    await set_board_setting(harness, b, "vote_outcome_rule", rule)
    await set_board_setting(harness, b, "vote_every_sector", every_sector)
    vote = await open_vote(harness, b)
    await five_votes(harness, b, vote, georgi_votes=georgi_votes)
    harness.clock.advance(MERGE)
    await harness.dispatch()
    live = vote.plain()
    assert "👍 За: 3" in live and "🤷 Въздържам се: 0" in live and "✋ Блокирам: 1" in live
    assert ("👎 Против: 1" in live) is georgi_votes
    # no sector here has three people: the group sees them pooled, never by name
    assert "Образование" not in live and "Детска педагогическа стая" not in live
    assert "сектори: По-малките сектори" in live
    assert "Няма психолог" not in live  # a block's reason never reaches the group
    assert "Иван" in live  # an open vote shows names
    assert [row["text"] for row in vote.buttons()][:4] == [
        "👍 За",
        "🤷 Въздържам се",
        "👎 Против",
        "✋ Блокирам",
    ]
    if every_sector == "true" and not georgi_votes:  # named in the private brief only
        assert "Още не са гласували сектори: По-малките сектори" in live
        brief = await harness.private(b.maria, f"/start brief_{await proposal_id(harness)}")
        assert "Още не са гласували сектори: Здравеопазване" in brief.only.plain()
    harness.clock.advance(timedelta(hours=72))
    await harness.dispatch()
    result = last_to(harness, b.group.id).plain()
    assert b.code in result and TITLE in result and outcome in result
    assert outcome in vote.plain() and not any("callback_data" in x for x in vote.buttons())


async def test_a_closed_vote_edits_its_message_and_posts_only_what_is_new(
    harness: Harness,
) -> None:
    """Accepted: the live message shows the result, and one short post says what is new, the
    action (the counts are not repeated). Not accepted: the edit is all."""
    b = await board_with_case(harness)
    vote = await open_vote(harness, b)
    for person in (b.ivan, b.petya, b.georgi):
        await harness.press(person, vote, key="vote.choice.agree")
    harness.clock.advance(timedelta(hours=72))
    before = len(harness.api.messages)
    await harness.dispatch()
    posted = [m for m in harness.api.messages[before:] if m.chat_id == b.group.id]
    assert "✅ Прието" in vote.plain() and "👍 За: 3" in vote.plain()
    assert [m.plain().splitlines()[0] for m in posted] == [f"🗳 {b.code} „{TITLE}“: ✅ Прието"]
    assert "За: 3" not in posted[0].plain() and "действие" in posted[0].plain()


async def test_presses_within_seconds_become_one_edit_of_the_group_message(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    vote = await open_vote(harness, b)
    for person in (b.ivan, b.petya, b.georgi):
        await harness.press(person, vote, key="vote.choice.agree")
    harness.clock.advance(MERGE)
    before = len([c for c in harness.api.calls if c.method.lower() == "editmessagetext"])
    await harness.dispatch()
    edits = [c for c in harness.api.calls if c.method.lower() == "editmessagetext"][before:]
    assert len(edits) == 1
    assert edits[0].params.get("reply_markup")  # an edit without the keyboard drops the buttons
    assert "👍 За: 3" in vote.plain()


async def test_a_vote_whose_deadline_passed_while_stopped_closes_once_on_start(
    bot_db: Path,
) -> None:
    async with Harness.running(bot_db) as h:
        b = await board_with_case(h)
        vote = await open_vote(h, b)
        for person in (b.ivan, b.petya, b.georgi):
            await h.press(person, vote, key="vote.choice.agree")
        stopped_at = h.clock.now()
        api = h.api
    async with Harness.running(bot_db, start=stopped_at + timedelta(days=4), api=api) as again:
        await again.dispatch()
        await again.dispatch()
        results = [m for m in again.api.messages if "🗳 " + b.code in m.plain()]
        assert len(results) == 1 and "Прието" in results[0].plain()
        assert await vote_status(again) == "accepted"
        async with again.db.read() as session:
            closings = await session.conn.execute_fetchall(
                "SELECT COUNT(*) FROM case_events WHERE kind = 'proposal_closed'"
            )
        assert next(iter(closings))[0] == 1


# who may vote -----------------------------------------------------------------------------------
async def test_an_observer_a_stranger_a_forged_button_and_a_late_vote_change_nothing(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    vote = await open_vote(harness, b)
    listing = await harness.private(b.maria, "/members")
    await harness.press(b.maria, listing.only, "Елена")
    await harness.press(b.maria, listing.only, key="role.observer")
    observer = await harness.press(b.elena, vote, key="vote.choice.agree")
    assert observer.answers[-1]["show_alert"] is True
    stranger = await harness.press(harness.person("Непознат"), vote, "За")
    assert stranger.toast == "Това е само за членове на борда."
    forged = await harness.press_data(b.ivan, vote, "v1:vt:99999:a")
    assert forged.answers[-1]["show_alert"] is True
    garbage = await harness.press_data(b.ivan, vote, "v1:vt:x:zz")
    assert garbage.answers[-1]["show_alert"] is True
    first = await harness.press(b.ivan, vote, key="vote.choice.agree")
    double = await harness.press(b.ivan, vote, key="vote.choice.agree")
    assert first.toast is not None and "Записах" in first.toast
    assert double.toast == "Гласът ви вече е „За“ — нищо не се промени."
    harness.clock.advance(timedelta(hours=73))
    await harness.dispatch()
    late = await harness.press_data(b.petya, vote, f"v1:vt:{await proposal_id(harness)}:a")
    assert late.toast == "Това гласуване е приключило — гласове не се приемат."
    async with harness.db.read() as session:
        votes = list(await session.conn.execute_fetchall("SELECT user_id FROM votes"))
    assert [row[0] for row in votes] == [b.ivan.id]


async def test_only_the_proposer_opens_the_draft_and_it_opens_once(harness: Harness) -> None:
    b = await board_with_case(harness)
    draft = (await harness.in_group(b.group, b.ivan, f"/propose {b.code} {TITLE}")).only
    other = await harness.press(b.petya, draft, "Явно")
    assert other.toast == "Само авторът на предложението може да го пусне за гласуване."
    await harness.press(b.ivan, draft, "Тайно")
    stale_data = "v1:pro:" + str(await proposal_id(harness)) + ":o"
    again = await harness.press_data(b.ivan, draft, stale_data)
    assert again.toast == "Гласуването вече е пуснато."
    proposal = await harness.runtime.core.votes.get(await proposal_id(harness))
    assert proposal is not None and proposal.anonymous  # never switched to open


async def test_personal_data_in_a_proposal_title_is_refused_and_deleted(harness: Harness) -> None:
    b = await board_with_case(harness)
    reply = await harness.in_group(b.group, b.ivan, f"/propose {b.code} Оценка за Иван Петров")
    assert "име на човек" in reply.only.plain()
    assert reply.deletions  # the group would otherwise keep reading it
    async with harness.db.read() as session:
        count = list(await session.conn.execute_fetchall("SELECT COUNT(*) FROM proposals"))
    assert count[0][0] == 0


async def test_a_proposal_on_another_boards_case_is_not_found(harness: Harness) -> None:
    b = await board_with_case(harness)
    reply = await harness.in_group(b.group, b.ivan, f"/propose VT-ZZZZ {TITLE}")
    assert "не е намерен" in reply.only.plain() or "няма" in reply.only.plain().lower()


# anonymity, the brief, reminders -----------------------------------------------------------------
async def test_an_anonymous_vote_shows_no_names_and_seals_choices_at_close(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    vote = await open_vote(harness, b, anonymous=True)
    await harness.press(b.ivan, vote, key="vote.choice.agree")
    await harness.press(b.petya, vote, key="vote.choice.disagree")
    await block(harness, b.georgi, vote, "Няма психолог в района до януари")
    harness.clock.advance(MERGE)
    await harness.dispatch()
    assert "Иван" not in vote.plain() and "Петя" not in vote.plain()
    assert "Тайно гласуване" in vote.plain()
    coordinator_brief = await harness.private(b.maria, f"/start brief_{await proposal_id(harness)}")
    text = coordinator_brief.only.plain()
    assert "(виждат само координаторите; отговорите остават тайни): Георги, Иван, Петя" in text
    assert "За: 1" not in vote.plain() and "при приключване" in vote.plain()
    assert "• Няма психолог в района до януари" in text and "(Георги)" not in text
    async with harness.db.read() as session:
        audit = [
            row[0]
            for row in await session.conn.execute_fetchall(
                "SELECT action FROM audit_log WHERE subject_type = 'proposal'"
            )
        ]
    assert audit.count("proposal.voted") == 3
    assert not any("agree" in a or "disagree" in a for a in audit)
    harness.clock.advance(timedelta(hours=72))
    await harness.dispatch()
    async with harness.db.read() as session:
        choices = {
            row[0] for row in await session.conn.execute_fetchall("SELECT choice FROM votes")
        }
    assert choices == {"sealed"}
    # rejected: the live message shows it, and nothing new is posted to say it again
    assert "Гласуването приключи · " + b.code in vote.plain() and "Отхвърлено" in vote.plain()
    assert not last_to(harness, b.group.id).plain().startswith("🗳 " + b.code)


async def test_the_brief_shows_criteria_and_is_audited_but_not_for_observers(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    vote = await open_vote(harness, b)
    brief_link = next(x["url"] for x in vote.buttons() if "url" in x)
    payload = brief_link.split("?start=")[1]
    lead_brief = (await harness.private(b.ivan, f"/start {payload}")).only.plain()
    assert "Множество рискове" in lead_brief and "травма" in lead_brief  # the case's team
    assert "Срок: не е определен" in lead_brief  # not "Срок: без срок"
    brief = (await harness.private(b.petya, f"/start {payload}")).only
    text = brief.plain()
    assert "Резюме за решение" in text and TITLE in text
    assert "Множество рискове" not in text and "травма" not in text  # not on the case's team
    assert "Още не сте гласували" in text
    voted = await harness.press(b.petya, brief, key="vote.choice.agree")
    assert voted.toast is not None and "Записах" in voted.toast
    assert "Вашият глас: За" in brief.plain()
    async with harness.db.read() as session:
        reads = list(
            await session.conn.execute_fetchall(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'proposal.brief_read'"
            )
        )
    assert reads[0][0] >= 2
    stranger = harness.person("Непознат")
    refused = await harness.private(stranger, f"/start {payload}")
    assert "които гласуват по този случай" in refused.only.plain()


async def test_non_voters_are_reminded_a_day_before_close_once(harness: Harness) -> None:
    b = await board_with_case(harness)
    vote = await open_vote(harness, b)
    await harness.press(b.ivan, vote, key="vote.choice.agree")
    harness.clock.advance(timedelta(hours=48, minutes=1))
    await harness.dispatch()
    reminded = {m.chat_id for m in harness.api.messages if "Още не сте гласували по" in m.plain()}
    assert reminded == {b.maria.id, b.petya.id, b.georgi.id, b.elena.id, b.dimitar.id}
    brief = (await harness.private(b.maria, f"/start brief_{await proposal_id(harness)}")).only
    asked = await harness.press(b.maria, brief, "Напомни")
    assert asked.toast == "Изпратих напомняне на 5 души."  # the coordinator's own, once each
    again = await harness.press(b.maria, brief, "Напомни")
    assert again.toast == "Всички негласували вече са получили вашето напомняне."
    await harness.dispatch()
    total = [m for m in harness.api.messages if "Още не сте гласували по" in m.plain()]
    assert len(total) == 10


async def test_the_coordinator_closes_early_after_confirming(harness: Harness) -> None:
    b = await board_with_case(harness)
    vote = await open_vote(harness, b)
    for person in (b.ivan, b.petya, b.georgi):
        await harness.press(person, vote, key="vote.choice.agree")
    brief = (await harness.private(b.maria, f"/start brief_{await proposal_id(harness)}")).only
    asked = await harness.press(b.maria, brief, "Приключи сега")
    assert "Да приключа ли" in str(asked.edits[-1].params["text"])
    assert await vote_status(harness) == "open"
    done = await harness.press(b.maria, brief, key="button.close_vote_yes")
    assert done.toast == "Гласуването приключи."
    assert await vote_status(harness) == "accepted"
    forged = await harness.press_data(b.ivan, brief, f"v1:vcl:{await proposal_id(harness)}:y")
    assert forged.answers[-1]["show_alert"] is True


# actions ----------------------------------------------------------------------------------------
async def test_a_private_proposal_names_owner_and_due_date_and_becomes_an_action(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    started = await harness.private(b.ivan, f"/propose {b.code}")
    assert "Кратко заглавие" in started.only.plain()
    details = await harness.private(b.ivan, TITLE)
    skipped = await harness.press(b.ivan, details.only, key="button.skip")
    owner_screen = skipped.edits[-1]
    assert "Кой ще отговаря" in str(owner_screen.params["text"])
    await harness.press(b.ivan, details.only, "Петя")
    await harness.press(b.ivan, details.only, "след 14 дни")
    posted = await harness.press(b.ivan, details.only, "Явно")
    assert "пуснато в групата" in str(posted.edits[-1].params["text"])
    await harness.dispatch()
    vote = last_to(harness, b.group.id)
    assert TITLE in vote.plain() and "За" in vote.buttons()[0]["text"]
    for person in (b.ivan, b.petya, b.georgi):
        await harness.press(person, vote, key="vote.choice.agree")
    harness.clock.advance(MERGE)
    await harness.dispatch()
    assert "👍 За: 3" in vote.plain()  # the posted message is kept live too
    harness.clock.advance(timedelta(hours=72))
    await harness.dispatch()
    result = last_to(harness, b.group.id).plain()
    assert "Социални услуги" not in result and "един от по-малките сектори" in result
    notice = last_to(harness, b.petya.id)
    assert "Вие отговаряте за действие" in notice.plain() and "07.12.2026" in notice.plain()
    actions = (await harness.in_group(b.group, b.maria, "/actions")).only.plain()
    assert b.code in actions and TITLE in actions and "един от по-малките сектори" in actions
    assert "Петя" not in actions
    done = await harness.press(b.petya, notice, "Изпълнено")
    assert done.toast == f"{b.code}: действието е „изпълнено“."
    assert (
        "Няма отворени действия"
        in (await harness.in_group(b.group, b.maria, "/actions")).only.plain()
    )
    card = (await harness.private(b.ivan, f"/case {b.code}")).only
    timeline = await harness.press(b.ivan, card, "Хронология")
    text = str(timeline.edits[-1].params["text"])
    assert "гласуването приключи" in text or "изпълнено" in text


async def test_an_accepted_vote_without_owner_asks_the_lead_who_names_one(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    ask = await accepted_without_owner(harness, b)
    assert "Определете отговорник и срок" in ask.plain()
    await harness.press(b.ivan, ask, "Отговорник и срок")
    await harness.press(b.ivan, ask, "Георги")
    typed = await harness.press(b.ivan, ask, "Друга дата")
    assert "Напишете срока" in str(typed.edits[-1].params["text"])
    bad = await harness.private(b.ivan, "вчера")
    assert "не разбрах" in bad.only.plain().lower()
    saved = await harness.private(b.ivan, "15.12")
    assert "Записано" in saved.only.plain() and "15.12.2026" in saved.only.plain()
    await harness.dispatch()
    owned = last_to(harness, b.georgi.id)
    assert "Вие отговаряте" in owned.plain()
    mine = (await harness.private(b.georgi, "/myactions")).only
    assert TITLE in mine.plain()
    await harness.press(b.georgi, mine, b.code)
    blocked = await harness.press(b.georgi, mine, "Блокирано")
    assert "Какво блокира" in str(blocked.edits[-1].params["text"])
    await harness.private(b.georgi, "Чакаме направление от личния лекар")
    actions = (await harness.in_group(b.group, b.maria, "/actions")).only.plain()
    assert "блокирано" in actions and "Чакаме" not in actions
    async with harness.db.read() as session:
        action_id = next(iter(await session.conn.execute_fetchall("SELECT MAX(id) FROM actions")))[
            0
        ]
    not_owner = await harness.press_data(b.petya, mine, f"v1:act:{action_id}:done")
    assert not_owner.answers[-1]["show_alert"] is True
    action = await harness.runtime.core.actions.access(action_id, b.georgi.id)
    assert action is not None and action.action.status == "blocked"


async def test_an_overdue_action_is_shown_as_overdue_and_snooze_keeps_the_due_date(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    ask = await accepted_without_owner(harness, b)
    await harness.press(b.ivan, ask, "Отговорник и срок")
    await harness.press(b.ivan, ask, "Иван")
    await harness.press(b.ivan, ask, "след 7 дни")
    harness.clock.advance(timedelta(days=10))
    actions = (await harness.in_group(b.group, b.maria, "/actions")).only.plain()
    assert "просрочено с 3 дни" in actions
    mine = (await harness.private(b.ivan, "/myactions")).only
    await harness.press(b.ivan, mine, b.code)
    await harness.press(b.ivan, mine, "Отложи")
    snoozed = await harness.press(b.ivan, mine, key="snooze.tomorrow")
    assert snoozed.toast == "Ще напомня утре сутринта."
    assert "просрочено с 3 дни" in mine.plain() and "отложени до" in mine.plain()


async def test_the_case_card_and_a_bare_propose_both_lead_to_the_proposal_dialogue(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    listing = (await harness.private(b.ivan, "/propose")).only
    assert "По кой случай" in listing.plain()
    picked = await harness.press(b.ivan, listing, b.code)
    assert "Кратко заглавие" in str(picked.edits[-1].params["text"])
    card = (await harness.private(b.ivan, f"/case {b.code}")).only
    from_card = await harness.press(b.ivan, card, "Предложи действие")
    assert "Кратко заглавие" in str(from_card.edits[-1].params["text"])
    coordinator_view = (await harness.private(b.maria, f"/case {b.code}")).only
    assert any("Предложи действие" in x["text"] for x in coordinator_view.buttons())


async def test_a_draft_withdrawn_by_its_proposer_never_opens(harness: Harness) -> None:
    b = await board_with_case(harness)
    draft = (await harness.in_group(b.group, b.ivan, f"/propose {b.code} {TITLE}")).only
    await harness.press(b.ivan, draft, "Отказ")
    assert draft.plain() == "Предложението е оттеглено."
    assert await vote_status(harness) == "withdrawn"


async def test_a_block_from_someone_who_never_opened_a_private_chat_asks_them_to(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    vote = await open_vote(harness, b)
    harness.api.blocked.add(b.elena.id)
    refused = await harness.press(b.elena, vote, key="vote.choice.block")
    assert refused.answers[-1]["show_alert"] is True
    assert "Резюме" in str(refused.toast)
    assert await harness.runtime.core.dialogs.current(b.elena.id) is None
    async with harness.db.read() as session:
        votes = list(await session.conn.execute_fetchall("SELECT COUNT(*) FROM votes"))
    assert votes[0][0] == 0


async def test_the_lead_cancels_an_action_after_confirming_and_the_owner_reopens_a_block(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    ask = await accepted_without_owner(harness, b)
    await harness.press(b.ivan, ask, "Отговорник и срок")
    await harness.press(b.ivan, ask, "Иван")
    await harness.press(b.ivan, ask, "след 30 дни")
    await harness.press(b.ivan, ask, "Блокирано")
    await harness.private(b.ivan, "Чакаме съгласие на родителя")
    mine = (await harness.private(b.ivan, "/myactions")).only
    await harness.press(b.ivan, mine, b.code)
    reopened = await harness.press(b.ivan, mine, "Отвори отново")
    assert reopened.toast == f"{b.code}: действието е „отворено“."
    asked = await harness.press(b.ivan, mine, "Отмени действието")
    assert "Да отменя ли" in str(asked.edits[-1].params["text"])
    cancelled = await harness.press(b.ivan, mine, "Да, отмени")
    assert cancelled.toast == f"{b.code}: действието е „отменено“."
    assert "Нямате отворени действия" in (await harness.private(b.ivan, "/myactions")).only.plain()


async def test_choosing_again_after_pressing_block_withdraws_the_unwritten_block(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    vote = await open_vote(harness, b)
    await harness.press(b.dimitar, vote, key="vote.choice.block")
    await harness.press(b.dimitar, vote, key="vote.choice.agree")
    later = await harness.private(b.dimitar, "добре, ще прегледам по-късно")
    assert "отговор на мой въпрос" in later.only.plain()
    vote_now = await harness.runtime.core.votes.my_vote(b.dimitar.id, await proposal_id(harness))
    assert vote_now is not None and (vote_now.choice, vote_now.reason) == ("agree", None)


async def test_an_observer_here_who_coordinates_elsewhere_still_cannot_vote_here(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    vote = await open_vote(harness, b)
    listing = await harness.private(b.maria, "/members")
    await harness.press(b.maria, listing.only, "Елена")
    await harness.press(b.maria, listing.only, key="role.observer")
    other = harness.group("Борд Г")
    harness.make_admin(other, b.elena)
    harness.make_admin(other)
    await harness.in_group(other, b.elena, "/setup Друг борд")
    brief = await harness.private(b.elena, f"/start brief_{await proposal_id(harness)}")
    assert "които гласуват по този случай" in brief.only.plain()
    forged = await harness.press_data(b.elena, brief.only, f"v1:vt:{await proposal_id(harness)}:a")
    assert forged.toast is not None and "наблюдателите" in forged.toast
    assert await harness.runtime.core.votes.my_vote(b.elena.id, await proposal_id(harness)) is None
    assert "За" in vote.buttons()[0]["text"]


async def test_a_deadline_row_woken_early_waits_for_the_deadline(harness: Harness) -> None:
    b = await board_with_case(harness)
    vote = await open_vote(harness, b)
    for person in (b.ivan, b.petya, b.georgi):
        await harness.press(person, vote, key="vote.choice.agree")
    async with harness.db.transaction() as session:
        await session.conn.execute(
            "UPDATE outbox SET send_after = due_at - 3600 * 48 WHERE kind = 'vote_deadline'"
        )
    harness.clock.advance(timedelta(hours=30))
    await harness.dispatch()
    assert await vote_status(harness) == "open"
    harness.clock.advance(timedelta(hours=42))
    await harness.dispatch()
    assert await vote_status(harness) == "accepted"


async def test_an_owner_named_without_a_due_date_is_asked_for_one(harness: Harness) -> None:
    b = await board_with_case(harness)
    await harness.private(b.ivan, f"/propose {b.code}")
    details = await harness.private(b.ivan, TITLE)
    await harness.press(b.ivan, details.only, key="button.skip")
    await harness.press(b.ivan, details.only, "Петя")
    await harness.press(b.ivan, details.only, "Без срок")
    await harness.press(b.ivan, details.only, "Явно")
    await harness.dispatch()
    vote = last_to(harness, b.group.id)
    for person in (b.ivan, b.petya, b.georgi):
        await harness.press(person, vote, key="vote.choice.agree")
    harness.clock.advance(timedelta(hours=72))
    await harness.dispatch()
    notice = last_to(harness, b.petya.id)
    assert "Срокът не е определен" in notice.plain()
    await harness.press(b.petya, notice, "Срок")
    saved = await harness.press(b.petya, notice, "след 7 дни")
    assert "Срок: чт 03.12.2026" in str(saved.edits[-1].params["text"])  # closed 26.11, +7
    mine = (await harness.private(b.petya, "/myactions")).only.plain()
    assert TITLE in mine and "без отговорник" not in mine


async def test_an_action_card_says_plainly_what_is_not_decided_yet(harness: Harness) -> None:
    """Not "Отговорник: без отговорник" or "Срок: до …": the owner is not named yet, the date
    is the date, and an overdue one counts its days in words."""
    b = await board_with_case(harness)
    ask = await accepted_without_owner(harness, b)
    text = ask.plain()
    assert "Отговорник: още не е определен" in text and "без отговорник" not in text
    assert "Срок: " in text and "Срок: до " not in text
