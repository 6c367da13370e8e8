"""The holes an attack on the bot found, each driven through the real handlers as the attacker
would: an anonymous vote that told who voted, a brief that opened a case's file to every voter,
a member moving their own sector, an escalation card read without a trace, control characters,
forged private-only buttons on group messages, edited messages, files in a dialogue, floods."""

from __future__ import annotations

from datetime import timedelta

from bot.kernel import callbacks
from fakegram.formats import plain_text
from tests.kit import Harness
from tests.kit.boards import last_to
from tests.kit.erasure import stored_bytes
from tests.kit.votes import MERGE, board_with_case, open_vote, proposal_id


# 2. anonymous votes -------------------------------------------------------------------------------
async def test_an_anonymous_vote_names_no_sector_in_the_group_open_or_closed(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)  # Georgi is the board's only health member
    vote = await open_vote(harness, b, anonymous=True)
    await harness.press(b.georgi, vote, key="vote.choice.disagree")
    harness.clock.advance(MERGE)
    await harness.dispatch()
    sectors = ("Здравеопазване", "Образование", "Социални услуги", "Детска педагогическа стая")
    assert "1 от 6" in vote.plain()
    assert not any(sector in vote.plain() for sector in sectors)
    member_brief = await harness.private(b.petya, f"/start brief_{await proposal_id(harness)}")
    assert not any(sector in member_brief.only.plain().split("Правило")[-1] for sector in sectors)
    harness.clock.advance(timedelta(hours=72))
    before = len(harness.api.messages)
    await harness.dispatch()
    closed = [m.plain() for m in harness.api.messages[before:] if m.chat_id == b.group.id]
    assert "Гласуването приключи" in vote.plain()  # the live message carries the result
    for text in [vote.plain(), *closed]:
        assert not any(sector in text for sector in sectors), text


# 3. the brief -------------------------------------------------------------------------------------
async def test_the_brief_shows_a_cases_details_only_to_those_who_may_read_them(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    vote = await open_vote(harness, b)
    await harness.press(b.petya, vote, key="vote.choice.block")
    await harness.private(b.petya, "Георги Петров не е съгласен с плана")
    brief_of = f"/start brief_{await proposal_id(harness)}"
    outsider = (await harness.private(b.elena, brief_of)).only.plain()  # a voter off the team
    for detail in ("Множество рискове", "травма", "Георги Петров", "Блокирания"):
        assert detail not in outsider, detail
    assert "Психологическа оценка" in outsider and "Още не сте гласували" in outsider
    for reader in (b.ivan, b.maria):  # the lead and the coordinator
        text = (await harness.private(reader, brief_of)).only.plain()
        assert "Множество рискове" in text and "травма" in text
    async with harness.db.read() as session:
        reads = [
            tuple(row)
            for row in await session.conn.execute_fetchall(
                "SELECT actor_id, action FROM audit_log WHERE action IN"
                " ('proposal.brief_read', 'case.details_read') ORDER BY id"
            )
        ]
    assert (b.elena.id, "case.details_read") not in reads
    assert (b.elena.id, "proposal.brief_read") in reads
    assert (b.ivan.id, "case.details_read") in reads


# 4. sectors ---------------------------------------------------------------------------------------
async def test_a_member_cannot_change_their_own_sector_with_a_forged_button(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    board = await harness.runtime.core.boards.by_chat(b.group.id)
    assert board is not None
    anchor = (await harness.private(b.petya, "/help")).messages[0]
    refused = await harness.press_data(
        b.petya, anchor, callbacks.encode("mysec", board.id, "health")
    )
    assert refused.answers[-1]["show_alert"] is True
    member = await harness.runtime.core.boards.membership(board.id, b.petya.id)
    assert member is not None and member.sector == "social"
    forged = await harness.press_data(
        b.petya, anchor, callbacks.encode("msec", board.id, b.petya.id, "health")
    )
    assert forged.answers[-1]["show_alert"] is True
    member = await harness.runtime.core.boards.membership(board.id, b.petya.id)
    assert member is not None and member.sector == "social"


async def test_a_coordinator_changes_a_members_sector_from_the_member_card(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    board = await harness.runtime.core.boards.by_chat(b.group.id)
    assert board is not None
    listing = (await harness.private(b.maria, "/members")).only
    await harness.press(b.maria, listing, "Петя")
    await harness.press(b.maria, listing, key="button.change_sector")
    saved = await harness.press(b.maria, listing, "Здравеопазване")
    assert saved.toast is not None and "Здравеопазване" in saved.toast
    member = await harness.runtime.core.boards.membership(board.id, b.petya.id)
    assert member is not None and member.sector == "health"
    async with harness.db.read() as session:
        rows = await session.conn.execute_fetchall(
            "SELECT actor_id FROM audit_log WHERE action = 'member.sector_changed'"
        )
    assert [row[0] for row in rows] == [b.maria.id]


# 5. escalation cards ------------------------------------------------------------------------------
async def test_reading_an_escalation_card_is_audited_and_the_card_leaves_the_chat(
    harness: Harness,
) -> None:
    from tests.kit.escalations import escalate

    b = await board_with_case(harness)
    await escalate(harness, b, b.petya)
    await harness.dispatch()
    listing = (await harness.private(b.maria, "/escalations")).only
    button = next(x for x in listing.buttons() if x.get("callback_data", "").endswith(":v"))
    seen = await harness.press_data(b.maria, listing, button["callback_data"])
    assert seen.edits, "the card replaces the list"
    async with harness.db.read() as session:
        rows = await session.conn.execute_fetchall(
            "SELECT actor_id, subject_type FROM audit_log WHERE action = 'escalation.details_read'"
        )
    assert [tuple(row) for row in rows] == [(b.maria.id, "escalation")]
    harness.clock.advance(timedelta(hours=25))
    assert await harness.runtime.delete_detail_messages() >= 1
    assert listing.deleted


# 6. control characters ----------------------------------------------------------------------------
async def test_control_characters_and_bidi_overrides_in_free_text_are_refused(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    nul = await harness.private(b.ivan, f"/note {b.code} Среща\x00 с училището")
    assert "управляващи знаци" in nul.only.plain()
    override = await harness.in_group(
        b.group, b.ivan, f"/propose {b.code} Оценка \u202eQ3K7-TV\u202c до петък"
    )
    assert "управляващи знаци" in override.only.plain()
    async with harness.db.read() as session:
        notes = await session.conn.execute_fetchall("SELECT body FROM case_notes")
        titles = await session.conn.execute_fetchall("SELECT title FROM proposals")
    assert not notes and not titles
    await harness.private(b.ivan, f"/note {b.code}")
    typed = await harness.private(b.ivan, "Бележка\u2066 с изолатор")
    assert "управляващи знаци" in typed.only.plain()


async def test_a_telegram_name_is_cleaned_and_printed_inside_isolates(harness: Harness) -> None:
    from tests.kit.boards import join, set_up_board

    group, maria = await set_up_board(harness)
    tricky = harness.person("Ани\u202e ов\x07")
    await join(harness, group, tricky)
    await harness.dispatch()
    request = last_to(harness, maria.id)
    assert "\u2068Ани ов\u2069" in request.text
    assert "\u202e" not in request.text and "\x07" not in request.text
    assert "Ани ов" in plain_text(request.text)


# 8. defence in depth ------------------------------------------------------------------------------
async def test_a_double_submit_of_a_new_case_makes_one_case_even_when_both_run_at_once(
    harness: Harness,
) -> None:
    import asyncio

    from tests.kit.cases import LABEL, SUMMARY, board_with_member

    group, _, ivan = await board_with_member(harness)
    invited = await harness.in_group(group, ivan, "/newcase")
    payload = invited.only.buttons()[0]["url"].split("?start=")[1]
    await harness.private(ivan, f"/start {payload}")
    screen = (await harness.private(ivan, LABEL)).only
    for label in ("Множество рискове", "Напред", "Напред", "Образование", "Напред", "Иван"):
        await harness.press(ivan, screen, label)
    await harness.press(ivan, screen, key="urgency.urgent")
    await harness.press(ivan, screen, "съгласие")
    confirm = (await harness.private(ivan, SUMMARY)).only
    create = next(b["callback_data"] for b in confirm.buttons() if "Подай" in b["text"])
    await asyncio.gather(*(harness.press_data(ivan, confirm, create) for _ in range(3)))
    async with harness.db.read() as session:
        rows = await session.conn.execute_fetchall("SELECT COUNT(*) FROM cases")
    assert rows[0][0] == 1


async def test_an_edited_message_never_runs_a_command_or_a_dialogue_step_again(
    harness: Harness,
) -> None:
    from fakegram.updates import message_update

    b = await board_with_case(harness)
    before = len(harness.api.calls)
    for text in (f"/note {b.code} Поправен текст", "/newcase", "Просто отговор"):
        update = message_update(
            9001,
            77,
            b.ivan.json(),
            {"id": b.ivan.id, "type": "private"},
            text,
            int(harness.clock.now().timestamp()),
        )
        edited = {
            "update_id": update["update_id"],
            "edited_message": {
                **update["message"],
                "edit_date": int(harness.clock.now().timestamp()),
            },
        }
        done = await harness.feed(edited)
        assert not done.messages and not done.edits
    assert len(harness.api.calls) == before
    async with harness.db.read() as session:
        notes = await session.conn.execute_fetchall("SELECT COUNT(*) FROM case_notes")
        dialogs = await session.conn.execute_fetchall("SELECT COUNT(*) FROM dialogs")
    assert notes[0][0] == 0 and dialogs[0][0] == 0


async def test_a_photo_or_document_in_a_dialogue_is_answered_removed_and_not_kept(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    await harness.private(b.ivan, f"/note {b.code}")
    at = int(harness.clock.now().timestamp())
    chat = {"id": b.ivan.id, "type": "private"}
    photo = {
        "update_id": 9100,
        "message": {
            "message_id": 501,
            "date": at,
            "chat": chat,
            "from": b.ivan.json(),
            "photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}],
            "caption": "ЕГН 8501011234 на снимката",
        },
    }
    document = {
        "update_id": 9101,
        "message": {
            "message_id": 502,
            "date": at,
            "chat": chat,
            "from": b.ivan.json(),
            "document": {"file_id": "d1", "file_unique_id": "u2", "file_name": "x.pdf"},
        },
    }
    for update in (photo, document):
        harness.api.remember_incoming(update["message"])
        answered = await harness.feed(update)
        assert "не мога да приема файлове" in answered.only.plain()
        assert answered.deletions, "the file is removed from the chat"
    async with harness.db.read() as session:
        notes = await session.conn.execute_fetchall("SELECT COUNT(*) FROM case_notes")
    assert notes[0][0] == 0


# 9. forged private-only buttons on a group message ------------------------------------------------
async def test_a_forged_private_only_button_on_the_groups_vote_never_deletes_it(
    harness: Harness,
) -> None:
    b = await board_with_case(harness)
    vote = await open_vote(harness, b)
    pid = await proposal_id(harness)
    member = await harness.press_data(b.petya, vote, callbacks.encode("vcl", pid, "y"))
    assert not member.deletions and not vote.deleted
    assert member.toast == "Ролята ви в борда не позволява това."
    coordinator = await harness.press_data(b.maria, vote, callbacks.encode("vcl", pid))
    assert not coordinator.deletions and not vote.deleted
    assert coordinator.toast is not None and "личния чат" in coordinator.toast
    proposal = await harness.runtime.core.votes.get(pid)
    assert proposal is not None and proposal.status == "open"


# 7. floods ----------------------------------------------------------------------------------------
async def test_a_flood_of_notes_is_cut_at_the_bucket_and_nothing_past_it_is_stored(
    harness: Harness,
) -> None:
    import asyncio

    from telegram import Update

    from bot.kernel.flood import INCOMING_BURST, MAX_QUEUED_PER_SENDER
    from fakegram.updates import message_update

    b = await board_with_case(harness)
    app = harness.runtime.application
    processor = app.update_processor
    chat = {"id": b.ivan.id, "type": "private"}
    at = int(harness.clock.now().timestamp())
    updates = [
        Update.de_json(
            message_update(
                20_000 + i, 20_000 + i, b.ivan.json(), chat, f"/note {b.code} бележка {i}", at
            ),
            app.bot,
        )
        for i in range(300)
    ]
    before = len(harness.api.messages)
    await asyncio.gather(*(processor.process_update(u, app.process_update(u)) for u in updates))
    async with harness.db.read() as session:
        notes = await session.conn.execute_fetchall("SELECT COUNT(*) FROM case_notes")
    assert 1 <= notes[0][0] <= min(INCOMING_BURST, MAX_QUEUED_PER_SENDER + 1)
    replies = [m.plain() for m in harness.api.messages[before:] if m.chat_id == b.ivan.id]
    assert sum("твърде много" in text for text in replies) == 1  # one "slow down"
    other = await harness.private(b.petya, "/help")  # another person is not held up at all
    assert other.messages


async def test_the_overview_and_helps_more_button_give_an_outsider_nothing(
    harness: Harness,
) -> None:
    """/today from a stranger or in the group lists nothing; a forged "more commands" press
    shows the presser's own commands, never a coordinator's; a member pressing the poll's
    "fix this time" button (forged) is refused."""
    from bot.kernel.buttons import MenuPress, MenuTarget
    from bot.meetings.buttons import PickSlot
    from tests.kit.meetings import a_board, add_time, finish, last_meeting, start_set_up

    b = await a_board(harness)
    stranger = harness.person("Непознат")
    told = (await harness.private(stranger, "/today")).only.plain()
    assert "членове на борда" in told and "📋" not in told
    assert "📋" not in (await harness.in_group(b.group, b.maria, "/today")).only.plain()
    anchor = (await harness.private(stranger, "/help")).only
    more = await harness.press_data(stranger, anchor, MenuPress(MenuTarget.HELP_ALL).pack())
    shown = str(more.edits[-1].params["text"]) if more.edits else ""
    assert "/erase" not in shown and "/pending" not in shown and "/today" not in shown
    await start_set_up(harness, b, "poll")
    for text in ("1.12 10:00", "2.12 10:00"):
        echo = await add_time(harness, b, text)
        await harness.press(b.maria, echo, "Да")
    await harness.press(b.maria, echo, "Готово")
    await finish(harness, b, echo)
    meeting = await last_meeting(harness)
    member = b.members[0]
    async with harness.db.read() as session:
        slot = (await session.meetings.slots(meeting))[0]
    card = (await harness.private(member, "/meetings")).only
    forged = await harness.press_data(member, card, PickSlot(meeting, slot.id).pack())
    assert forged.answers[-1]["show_alert"] is True
    view = await harness.runtime.core.meetings.view(meeting)
    assert view is not None and view.meeting.status == "polling"


# What the board learns, attacked --------------------------------------------------------------
async def test_a_forged_link_to_another_boards_case_or_kind_changes_nothing(
    harness: Harness,
) -> None:
    """Гергана coordinates another board: a forged "link" button naming this board's case
    and hers is refused, as is a kind past the list; no link is stored, nothing is told."""
    from tests.kit.cases import raise_case
    from tests.kit.stats import seven_cases

    b = await board_with_case(harness)
    other, gergana = harness.group("Друг борд"), harness.person("Гергана")
    harness.make_admin(other, gergana)
    await harness.private(gergana, "/start")
    await harness.in_group(other, gergana, "/setup Друг борд")
    async with harness.db.read() as session:
        theirs = await session.boards.by_chat(other.id)
        ours = await session.cases.by_code(b.code)
    assert theirs is not None and ours is not None
    code = (await seven_cases(harness, theirs.id, gergana.id))[0]
    async with harness.db.read() as session:
        hers = await session.cases.by_code(code)
    assert hers is not None
    usage = (await harness.private(gergana, f"/link {code} {b.code}")).only
    assert "/link" in usage.plain()  # she cannot see ours: only how to use it
    forged = await harness.press_data(gergana, usage, f"v1:clk:{hers.id}:{ours.id}:0")
    assert forged.answers[-1]["show_alert"] is True
    mine = (await harness.private(b.maria, f"/case {b.code}")).only
    second = await raise_case(harness, b.group, b.ivan)
    async with harness.db.read() as session:
        ours_too = await session.cases.by_code(second)
    assert ours_too is not None
    past = await harness.press_data(b.maria, mine, f"v1:clk:{ours.id}:{ours_too.id}:99")
    assert past.answers[-1]["show_alert"] is True
    async with harness.db.read() as session:
        links = await session.conn.execute_fetchall("SELECT COUNT(*) FROM case_links")
    assert links[0][0] == 0


async def test_a_disguised_phone_in_a_small_success_is_held_back(harness: Harness) -> None:
    b = await board_with_case(harness)
    card = (await harness.private(b.maria, f"/case {b.code}")).only
    await harness.press(b.maria, card, key="button.learn")
    await harness.press(b.maria, card, key="button.success")
    held = await harness.private(b.maria, "Майката се обади от нула осем осем 123 45 67, доволна е")
    assert "Малкият успех" not in held.only.plain()
    raw = await stored_bytes(harness.db)
    assert b"123 45 67" not in raw
