"""``boardbot demo``: a scripted session against the in-process fake, printed as a transcript.

Each capability adds its scene here, so a newcomer sees every feature in one read.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bot.i18n import Translator
from bot.notices import NOTICE
from fakegram.harness import Group, Harness, Person
from storage.models import NewOutboxItem


async def play(lang: str = "bg") -> str:
    i18n = Translator()
    with tempfile.TemporaryDirectory(prefix="boardbot-demo-") as folder:
        async with Harness.running(Path(folder) / "demo.sqlite3", language=lang) as h:
            await _scenes(h, i18n, lang)
            lines = [i18n.t(lang, "demo.title"), "", *h.transcript]
    return "\n".join(lines)


async def _board_scenes(
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


async def _case_scene(
    h: Harness,
    i18n: Translator,
    lang: str,
    georgi: Person,
    board: Group,
    scene: Callable[[str], None],
) -> None:
    """A member raises a case in private; the group sees only the card."""
    t = i18n.t
    scene("demo.scene.case")
    invited = await h.in_group(board, georgi, "/newcase")
    payload = invited.only.buttons()[0]["url"].split("?start=")[1]
    await h.private(georgi, f"/start {payload}")
    refused = "Момчето на Мария Петрова" if lang == "bg" else "Maria Petrova's boy"
    await h.private(georgi, refused)
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
        "Училището предлага ресурсен учител"
        if lang == "bg"
        else "The school offers a resource teacher"
    )
    await h.private(georgi, f"/note {code} {note}")
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


async def _scenes(h: Harness, i18n: Translator, lang: str) -> None:
    other = "en" if lang == "bg" else "bg"
    maria = h.person("Мария" if lang == "bg" else "Maria", language_code=lang)
    georgi = h.person("Георги" if lang == "bg" else "George", language_code=lang)
    board = h.group("Местен борд ВТ" if lang == "bg" else "Local Board VT")

    def scene(key: str) -> None:
        h.transcript.extend(["", f"── {i18n.t(lang, key)} ──"])

    scene("demo.scene.first_contact")
    welcome = await h.private(maria, "/start")
    await h.press(maria, welcome.only, i18n.t(lang, "button.help"))

    scene("demo.scene.group")
    await h.in_group(board, maria, "/start")
    await h.in_group(board, maria, "/help")

    await _board_scenes(h, i18n, lang, maria, georgi, board, scene)

    await _case_scene(h, i18n, lang, georgi, board, scene)

    scene("demo.scene.language")
    picker = await h.private(georgi, "/lang")
    await h.press(georgi, picker.only, "English" if other == "en" else "Български")
    await h.private(georgi, "/help")

    scene("demo.scene.safety")
    await h.private(maria, "/unknown")
    await h.private(
        maria, "Здравейте, искам да питам нещо" if lang == "bg" else "Hello, a question"
    )
    await h.press_data(maria, welcome.only, "v1:vote:999:agree")
    await h.private(maria, "x" * 5000)

    scene("demo.scene.outbox")
    core = h.runtime.core
    now = h.clock.now()
    async with core.db.transaction() as session:
        await core.outbox.add(
            session,
            [
                NewOutboxItem(
                    chat_id=maria.id,
                    recipient_id=maria.id,
                    kind=NOTICE,
                    payload={"key": "demo.reminder"},
                    due_at=now + timedelta(hours=1),
                    useful_until=now + timedelta(hours=2),
                    dedupe_key="demo:reminder:1",
                ),
                NewOutboxItem(
                    chat_id=maria.id,
                    recipient_id=maria.id,
                    kind=NOTICE,
                    payload={"key": "demo.reminder"},
                    due_at=now + timedelta(minutes=30),
                    useful_until=now + timedelta(minutes=45),
                    dedupe_key="demo:reminder:stale",
                ),
            ],
            now,
        )
    h.transcript.append(i18n.t(lang, "demo.outbox.queued"))
    h.clock.advance(timedelta(hours=1))
    h.transcript.append(i18n.t(lang, "demo.outbox.clock"))
    report = await h.dispatch()
    h.transcript.append(
        i18n.t(lang, "demo.outbox.report", sent=report.sent, dropped=report.dropped)
    )
