"""The demo's scenes, one a capability, each played by real presses and commands against the
in-process fake; :mod:`fakegram.demo` plays them in order and prints the transcript."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.kernel.i18n import Translator
from fakegram.harness import Group, Harness, Person


async def board_scenes(
    h: Harness,
    i18n: Translator,
    lang: str,
    maria: Person,
    georgi: Person,
    board: Group,
    scene: Callable[[str], None],
) -> None:
    """Setting up a board, joining it, approving, roles and settings."""
    t = i18n.t
    h.make_admin(board, maria)
    h.make_admin(board)
    scene("demo.scene.setup")
    await h.in_group(board, georgi, "/setup")
    setup = await h.in_group(board, maria, "/setup " + board.title)
    panel = setup.to(maria.id)[0]
    await h.press(maria, panel, t(lang, "sector.social"))

    scene("demo.scene.join")
    await h.private(georgi, "/start")
    asked = await h.in_group(board, georgi, "/join")
    question = asked.to(georgi.id)[0]
    await h.press(georgi, question, t(lang, "sector.education"))
    await h.press(georgi, question, t(lang, "button.accept"))
    await h.dispatch()
    request = [m for m in h.api.messages if m.chat_id == maria.id][-1]
    await h.press(maria, request, t(lang, "button.approve"))
    await h.dispatch()
    elena = h.person("Елена" if lang == "bg" else "Elena", language_code=lang)
    invited = await h.in_group(board, elena, "/join")
    link = invited.only.buttons()[0]["url"].split("?start=")[1]
    opened = await h.private(elena, f"/start {link}")
    await h.press(elena, opened.only, t(lang, "sector.health"))
    await h.press(elena, opened.only, t(lang, "button.accept"))
    await h.dispatch()
    await h.private(maria, "/pending")

    scene("demo.scene.roles")
    await h.in_group(board, georgi, "/members")
    listing = await h.private(maria, "/members")
    await h.press(maria, listing.only, georgi.name)
    await h.press(maria, listing.only, t(lang, "role.deputy"))
    settings = await h.private(maria, "/boardsettings")
    await h.press(maria, settings.only, t(lang, "setting.stall_days"))
    await h.press(maria, settings.only, "30")


async def case_scene(
    h: Harness,
    i18n: Translator,
    lang: str,
    georgi: Person,
    board: Group,
    scene: Callable[[str], None],
) -> str:
    """A member raises a case in private; the group sees only the card. Returns its code."""
    t = i18n.t
    scene("demo.scene.case")
    invited = await h.in_group(board, georgi, "/newcase")
    payload = invited.only.buttons()[0]["url"].split("?start=")[1]
    await h.private(georgi, f"/start {payload}")
    blanked = "Момчето на Мария Петрова" if lang == "bg" else "Maria Petrova's boy"
    preview = (await h.private(georgi, blanked)).messages[-1]
    await h.press(georgi, preview, t(lang, "pii.write_again"))
    screen = (await h.private(georgi, "момче, 14 г." if lang == "bg" else "boy, 14")).only
    await h.press(georgi, screen, t(lang, "criterion.multiple_risks"))
    await h.press(georgi, screen, t(lang, "criterion.stalls"))
    await h.press(georgi, screen, t(lang, "button.next"))
    await h.press(georgi, screen, t(lang, "factor.child.trauma"))
    await h.press(georgi, screen, t(lang, "button.next"))
    await h.press(georgi, screen, t(lang, "sector.education"))
    await h.press(georgi, screen, t(lang, "sector.health"))
    await h.press(georgi, screen, t(lang, "button.next"))
    await h.press(georgi, screen, t(lang, "newcase.no_keyworker"))
    await h.press(georgi, screen, t(lang, "urgency.soon"))
    await h.press(georgi, screen, t(lang, "legal.statutory"))
    summary = (
        "Отказва училище от септември; трима специалисти, без общ план."
        if lang == "bg"
        else "Refuses school since September; three professionals, no shared plan."
    )
    confirm = await h.private(georgi, summary)
    created = await h.press(georgi, confirm.only, t(lang, "button.create_case"))
    await h.dispatch()
    code = (created.toast or "").split()[1] if created.toast else ""
    await h.in_group(board, georgi, "/cases")
    await h.private(georgi, f"/case {code}")

    scene("demo.scene.casework")
    maria = next(p for p in h.people if p.id != georgi.id)
    details = await h.private(maria, f"/case {code}")
    await h.press(maria, details.only, t(lang, "case_action.accepted"))
    note = (
        "Училището предлага ресурсен учител; класната г-жа Колева ще помогне"
        if lang == "bg"
        else "The school offers a resource teacher; the class teacher Mrs Koleva will help"
    )
    preview = (await h.private(georgi, f"/note {code} {note}")).messages[-1]
    await h.press(georgi, preview, t(lang, "pii.save_blanked"))
    moves = (
        [("10.03.2026", "приемно семейство", "ЦНСТ"), ("20.10.2026", "ЦНСТ", "кризисен център")]
        if lang == "bg"
        else [
            ("10.03.2026", "foster family", "residential care"),
            ("20.10.2026", "residential care", "crisis centre"),
        ]
    )
    for day, source, target in moves:
        await h.private(georgi, f"/transfer {code}")
        for answer in (day, source, target, "—" if lang == "bg" else "no places left"):
            await h.private(georgi, answer)
    await h.dispatch()
    await h.private(georgi, "/mycases")
    return code


async def decision_scene(
    h: Harness,
    i18n: Translator,
    lang: str,
    people: tuple[Person, Person, Person],
    board: Group,
    code: str,
    scene: Callable[[str], None],
) -> None:
    """A proposal, a vote with a changed mind and a brief, the close, and the action's owner."""
    t = i18n.t
    maria, georgi, elena = people
    scene("demo.scene.deciding")
    request = next(
        m
        for m in reversed(h.api.messages)
        if m.chat_id == maria.id and elena.name in m.plain() and m.buttons()
    )
    await h.press(maria, request, f"✅ {elena.name}")
    await h.dispatch()
    title = "Психологическа оценка" if lang == "bg" else "Psychological assessment"
    draft = (await h.in_group(board, georgi, f"/propose {code} {title}")).only
    await h.press(georgi, draft, t(lang, "button.vote_open"))
    await h.press(elena, draft, t(lang, "vote.choice.disagree"))
    await h.press(elena, draft, t(lang, "vote.choice.agree"))
    await h.press(georgi, draft, t(lang, "vote.choice.agree"))
    h.clock.advance(timedelta(seconds=5))
    await h.dispatch()
    link = next(b["url"] for b in draft.buttons() if "url" in b).split("?start=")[1]
    brief = (await h.private(maria, f"/start {link}")).only
    await h.press(maria, brief, t(lang, "vote.choice.abstain"))
    h.clock.advance(timedelta(hours=72))
    h.transcript.append(t(lang, "demo.vote.clock"))
    await h.dispatch()
    ask = [m for m in h.api.messages if m.chat_id == georgi.id][-1]
    await h.press(georgi, ask, t(lang, "action_op.assign"))
    await h.press(georgi, ask, elena.name)
    await h.press(georgi, ask, t(lang, "propose.due_in", days=14))
    await h.dispatch()
    await h.in_group(board, maria, "/actions")
    owned = [m for m in h.api.messages if m.chat_id == elena.id][-1]
    await h.press(elena, owned, t(lang, "action_op.done"))


async def meeting_scene(
    h: Harness,
    i18n: Translator,
    lang: str,
    people: tuple[Person, Person, Person],
    board: Group,
    scene: Callable[[str], None],
) -> None:
    """A time poll with two options, the pick, the announcement with its calendar file, an RSVP
    and the reminder a day before."""
    t = i18n.t
    maria, georgi, elena = people
    scene("demo.scene.meeting")
    started = await h.in_group(board, maria, "/meeting")
    screen = started.to(maria.id)[0]
    await h.press(maria, screen, t(lang, "meeting_kind.supervision"))
    await h.press(maria, screen, t(lang, "meeting.mode_poll"))
    await h.private(maria, "20.11 10:00")  # a day that has passed: said so, asked again
    echo = None
    for typed in ("вторник 9:00", "2.12 14:00") if lang == "bg" else ("Tuesday 9:00", "2.12 14:00"):
        echo = (await h.private(maria, typed)).only
        await h.press(maria, echo, t(lang, "meeting.yes_time"))
    assert echo is not None
    await h.press(maria, echo, t(lang, "meeting.slots_done"))
    place = (
        await h.private(maria, "Общината, зала 3" if lang == "bg" else "Town hall, room 3")
    ).only
    await h.press(maria, place, t(lang, "meeting.minutes", minutes=90))
    await h.press(maria, place, t(lang, "meeting.post_poll"))
    await h.dispatch()
    poll = [m for m in h.api.messages if m.chat_id == board.id][-1]
    await h.press(georgi, poll, "2 ✅")
    await h.press(elena, poll, "2 ❔")
    await h.press(elena, poll, "1 ❌")
    h.clock.advance(timedelta(seconds=5))
    await h.dispatch()
    card = (await h.private(maria, "/meetings")).only
    await h.press(maria, card, t(lang, "meetings.polling"))
    await h.press(maria, card, t(lang, "button.pick_time"))
    await h.press(maria, card, "⭐")
    await h.dispatch()
    announced = next(
        m
        for m in reversed(h.api.messages)
        if m.chat_id == board.id and any("rsv" in b.get("callback_data", "") for b in m.buttons())
    )
    await h.press(maria, announced, t(lang, "rsvp.going"))
    h.clock.advance(timedelta(seconds=5))
    await h.dispatch()
    await h.in_group(board, georgi, "/meetings")
    h.clock.set(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    h.transcript.append(t(lang, "demo.meeting.clock"))
    await h.dispatch()


async def minutes_scene(
    h: Harness,
    i18n: Translator,
    lang: str,
    people: tuple[Person, Person],
    board: Group,
    code: str,
    scene: Callable[[str], None],
) -> None:
    """The case on the agenda, its team's brief, a written update, then "thinking together"
    minutes after the meeting, approved by the coordinator; the group sees one line."""
    t = i18n.t
    maria, georgi = people
    bg = lang == "bg"
    scene("demo.scene.minutes")
    await h.in_group(board, georgi, f"/agenda add {code}")
    await h.in_group(board, maria, "/agenda")
    await h.dispatch()  # the meeting is a day away: the brief goes to the case's team at once
    brief = [m for m in h.api.messages if m.chat_id == georgi.id][-1]
    await h.press(georgi, brief, t(lang, "button.written_update"))
    await h.private(
        georgi,
        "Здравната оценка е готова; идва и училищният психолог."
        if bg
        else "The health assessment is ready; the school psychologist is coming too.",
    )
    await h.dispatch()
    h.clock.set(datetime(2026, 12, 2, 14, 0, tzinfo=UTC))
    h.transcript.append(t(lang, "demo.minutes.clock"))
    listing = (await h.private(maria, "/minutes")).only
    await h.press(maria, listing, t(lang, "meeting_kind.supervision"))
    await h.press(maria, listing, t(lang, "button.attendance"))
    await h.press(maria, listing, f"✅ {georgi.name}")  # he wrote he could not come: absent
    await h.press(maria, listing, t(lang, "button.back"))
    before = len(h.api.messages)
    await h.press(maria, listing, t(lang, "button.minutes_write", code=code))
    screen = h.api.messages[before]
    for answer in (
        ("Как да върне детето в училище?", "Отказва училище; няколко служби, без общ план.")
        if bg
        else (
            "How does the child get back to school?",
            "Refuses school; several services, no plan.",
        )
    ):
        screen = (await h.private(maria, answer)).only
    views = iter(
        (
            "Напрежение вкъщи; майката не търси помощ.",
            "Консултации за семейството.",
            "ДСП и НПО-то в квартала.",
            "Отсъства от септември.",
            "Ресурсен учител и медиатор.",
            "Училището.",
        )
        if bg
        else (
            "Tension at home; the mother seeks no help.",
            "Counselling for the family.",
            "Social services and the local NGO.",
            "Absent since September.",
            "A resource teacher and a mediator.",
            "The school.",
        )
    )
    # each sector present gives its view; a case's sector that was away is heard through its
    # written update, and one that sent none is skipped
    while "4/5" not in screen.plain():
        if t(lang, "minutes.sector_away") in screen.plain():
            await h.press(maria, screen, key="button.skip")
            continue
        screen = (await h.private(maria, next(views))).only
    for answer in (
        ("Училището иска наказание, социалните — подкрепа.", "Общ план с училищен медиатор.")
        if bg
        else (
            "The school wants sanctions, social services support.",
            "A shared plan with a mediator.",
        )
    ):
        screen = (await h.private(maria, answer)).only
    screen = (await h.private(maria, "15.01")).only
    await h.press(maria, screen, t(lang, "button.add_action"))
    screen = (await h.private(maria, "Среща с медиатора" if bg else "Meet the mediator")).only
    await h.press(maria, screen, georgi.name)
    screen = (await h.private(maria, "20.12")).only
    await h.press(maria, screen, t(lang, "button.minutes_done"))
    await h.press(maria, screen, t(lang, "button.minutes_approve"))
    await h.dispatch()
    await h.private(georgi, f"/minutes {code}")


async def series_scene(
    h: Harness,
    i18n: Translator,
    lang: str,
    maria: Person,
    board: Group,
    scene: Callable[[str], None],
) -> None:
    """A monthly board session: "the first Tuesday of every month at 14:00", until cancelled."""
    t = i18n.t
    scene("demo.scene.series")
    started = await h.in_group(board, maria, "/meeting")
    screen = started.to(maria.id)[0]
    await h.press(maria, screen, t(lang, "meeting_kind.board_session"))
    await h.press(maria, screen, t(lang, "meeting.mode_series"))
    echo = (await h.private(maria, "5.01 14:00")).only
    await h.press(maria, echo, t(lang, "meeting.yes_time"))
    await h.press(maria, echo, "първия вторник" if lang == "bg" else "first Tuesday")
    await h.press(maria, echo, t(lang, "series.until_cancelled"))
    await h.press(maria, echo, t(lang, "button.skip"))
    await h.press(maria, echo, t(lang, "meeting.minutes", minutes=120))
    await h.press(maria, echo, t(lang, "meeting.announce"))
    await h.dispatch()


async def follow_up_scene(
    h: Harness,
    i18n: Translator,
    lang: str,
    people: tuple[Person, Person],
    scene: Callable[[str], None],
) -> None:
    """Own quiet hours, the weekly digest, and an overdue action's nudge held over a holiday."""
    t = i18n.t
    maria, georgi = people
    scene("demo.scene.follow_up")
    settings = (await h.private(maria, "/settings")).only
    await h.press(maria, settings, t(lang, "prefs.set_start"))
    await h.press(maria, settings, "21:00")
    h.clock.set(datetime(2026, 12, 7, 7, 0, tzinfo=UTC))
    h.transcript.append(t(lang, "demo.follow_up.monday"))
    await h.dispatch()
    h.clock.set(datetime(2026, 12, 28, 7, 0, tzinfo=UTC))
    h.transcript.append(t(lang, "demo.follow_up.holiday"))
    await h.dispatch()
    h.clock.set(datetime(2026, 12, 29, 6, 0, tzinfo=UTC))
    h.transcript.append(t(lang, "demo.follow_up.morning"))
    await h.dispatch()
    nudge = [m for m in h.api.messages if m.chat_id == georgi.id][-1]
    await h.press(georgi, nudge, "💤")
    morning = next(
        b["callback_data"] for b in nudge.buttons() if b["callback_data"].endswith("morning")
    )
    await h.press(georgi, nudge, morning)  # by its data: Georgi may have chosen either language


async def escalation_scene(
    h: Harness,
    i18n: Translator,
    lang: str,
    people: tuple[Person, Person],
    code: str,
    scene: Callable[[str], None],
) -> None:
    """A worried member reaches the coordinator in private; the group hears nothing."""
    t = i18n.t
    maria, elena = people
    scene("demo.scene.escalation")
    first = (await h.private(elena, f"/escalate {code}")).only
    await h.press(elena, first, t(lang, "escalation.kind.disagreement"))
    await h.press(elena, first, t(lang, "escalation.urgency.urgent"))
    worry = (
        "Здравеопазване и училището дават противоположни препоръки; семейството е объркано"
        if lang == "bg"
        else "Health and the school give opposite advice; the family is confused"
    )
    screen = (await h.private(elena, worry)).only
    await h.press(elena, screen, t(lang, "escalation.neutral_no"))
    await h.press(elena, screen, t(lang, "escalation.send"))
    await h.dispatch()
    notice = [m for m in h.api.messages if m.chat_id == maria.id][-1]
    await h.press(maria, notice, t(lang, "escalation.button.ack"))
    await h.press(maria, notice, t(lang, "escalation.button.rep"))
    await h.private(
        maria,
        "Ще ги поканя на обща среща в сряда"
        if lang == "bg"
        else "I will invite both to a joint meeting",
    )
    await h.dispatch()
    await h.private(maria, "/escalations")


async def data_protection_scene(
    h: Harness, i18n: Translator, lang: str, maria: Person, code: str, scene: Callable[[str], None]
) -> None:
    """The coordinator reads the audit trail, exports the case, and erases it for good."""
    t = i18n.t
    scene("demo.scene.data_protection")
    await h.private(maria, f"/audit {code}")
    await h.private(maria, f"/export {code}")
    asked = (await h.private(maria, f"/erase {code}")).only
    await h.press(maria, asked, t(lang, "erase.yes", code=code))
    await h.private(maria, f"/case {code}")


async def learning_scene(
    h: Harness, i18n: Translator, lang: str, maria: Person, code: str, scene: Callable[[str], None]
) -> None:
    """What the board learns from a case: strengths, needs, the child's view, what helped,
    a small success."""
    t = i18n.t
    scene("demo.scene.learning")
    card = (await h.private(maria, f"/case {code}")).only
    await h.press(maria, card, t(lang, "button.learn"))
    for part, keys in (
        ("strengths", ("strength.trusted_adult", "strength.school_attached")),
        ("needs", ("need.education_support",)),
        ("child_view", ("child_view.yes",)),
        (
            "interventions",
            ("intervention.mediator", "intervention.mediator", "intervention.school_support"),
        ),
    ):
        await h.press(maria, card, key=f"learn.part.{part}")
        for key in keys:
            await h.press(maria, card, key=key)
        await h.press(maria, card, key="button.back")
    await h.press(maria, card, key="button.success")
    await h.private(
        maria,
        "Три седмици подред на училище." if lang == "bg" else "Three weeks in school in a row.",
    )
    await h.private(maria, f"/case {code}")


async def quarter_scene(
    h: Harness,
    i18n: Translator,
    lang: str,
    people: tuple[Person, Person],
    board: Group,
    code: str,
    scene: Callable[[str], None],
) -> None:
    """A quarter of the board's life, added quietly; a case closed with its outcome; /stats
    with its charts; the expert council's quarterly post (counts only, no case code)."""
    maria, georgi = people
    t = i18n.t
    scene("demo.scene.quarter")
    codes = await quiet_quarter(h, maria, georgi, board)
    h.transcript.append(t(lang, "demo.quarter.added", count=len(codes)))
    card = (await h.private(maria, f"/case {codes[0]}")).only
    await h.press(maria, card, key="case_action.closed")
    await h.press(maria, card, key="closing.in_school")
    await h.private(
        maria,
        "Посещава редовно; семейството работи с центъра." if lang == "bg" else "Attends regularly.",
    )
    await h.private(maria, f"/link {code} {codes[1]}")
    linked = h.api.messages[-1]
    await h.press(maria, linked, key="link.sibling")
    stats = (await h.private(maria, "/stats")).messages[0]
    await h.press(maria, stats, key="stats.period.all")

    scene("demo.scene.council")
    council, nikolay = (
        h.group("Национален експертен съвет" if lang == "bg" else "National Expert Council"),
        h.person("Николай" if lang == "bg" else "Nicholas", language_code=lang),
    )
    h.make_admin(council, nikolay)
    registered = (await h.in_group(council, nikolay, "/council")).only.plain()
    share = registered.split("/stats share ")[1].strip()
    await h.private(maria, f"/stats share {share}")
    h.clock.set(datetime(2027, 1, 1, 7, 0, tzinfo=UTC))
    h.transcript.append(t(lang, "demo.quarter.new_year"))
    await h.dispatch()
    h.clock.advance(timedelta(minutes=1))
    await h.dispatch()


async def quiet_quarter(h: Harness, maria: Person, georgi: Person, board: Group) -> list[str]:
    """Eleven cases raised over the quarter (through the same service the dialogue uses),
    accepted, six of them closed with an outcome: the figures /stats then shows."""
    from bot.cases.rules import CaseDraft
    from storage.models import CaseStatus

    core = h.runtime.core
    mark = len(h.transcript)
    board_record = await core.boards.by_chat(board.id)
    assert board_record is not None
    codes = []
    plan = [
        (("multiple_risks", "stalls"), ("child.trauma", "family.poverty"), "education"),
        (("multiple_risks",), ("child.sen",), "education"),
        (("no_help_sought", "multiple_risks"), ("family.addiction",), "social"),
        (("multiple_risks", "many_resources"), ("child.trauma",), "child_protection"),
        (("no_timely_support",), ("law.school_dropout",), "education"),
        (("multiple_risks", "stalls"), ("leaving_care.turning_18",), "social"),
        (("multiple_risks",), ("child.trauma", "relations.differing_views"), "health"),
        (("no_help_sought",), ("family.poverty",), "social"),
        (("multiple_risks", "no_timely_support"), ("child.other_language",), "education"),
        (("many_resources",), ("framework.no_sync",), "municipality"),
        (("multiple_risks",), ("child.trauma",), "education"),
    ]
    for criteria, factors, lead in plan:
        draft = CaseDraft(
            label="—",
            criteria=criteria,
            factors=factors,
            lead_sector=lead,
            urgency="soon",
            legal_basis="consent",
            summary="—",
        )
        nonce = await core.dialogs.open(
            georgi.id, "newcase", "confirm", board_id=board_record.id, draft=draft.to_json()
        )
        case = await core.cases.raise_case(georgi.id, nonce)
        assert case is not None
        codes.append(case.code)
        await core.casework.move(maria.id, case.id, CaseStatus.ACCEPTED)
    for case_code, closing in zip(
        codes[2:7], ("in_school", "in_family", "improved", "in_school", "unchanged"), strict=True
    ):
        case = await core.cases.by_code(case_code)
        assert case is not None
        await core.casework.move(maria.id, case.id, CaseStatus.CLOSED, "—", closing=closing)
    await h.dispatch()  # their cards in the group: true, but left out of the transcript
    del h.transcript[mark:]
    return codes
