"""``boardbot demo``: a scripted session against the in-process fake, printed as a transcript.

Each capability adds its scene (:mod:`fakegram.scenes`), so a newcomer sees every feature in one
read.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from bot.kernel.i18n import Translator
from bot.kernel.notices import NOTICE
from fakegram import scenes
from fakegram.harness import Harness
from storage.models import NewOutboxItem


async def play(lang: str = "bg") -> str:
    i18n = Translator()
    with tempfile.TemporaryDirectory(prefix="boardbot-demo-") as folder:
        async with Harness.running(Path(folder) / "demo.sqlite3", language=lang) as h:
            await _scenes(h, i18n, lang)
            lines = [i18n.t(lang, "demo.title"), "", *h.transcript]
    return "\n".join(lines)


async def _scenes(h: Harness, i18n: Translator, lang: str) -> None:
    other = "en" if lang == "bg" else "bg"
    maria = h.person("Мария" if lang == "bg" else "Maria", language_code=lang)
    georgi = h.person("Георги" if lang == "bg" else "George", language_code=lang)
    board = h.group("Местен борд ВТ" if lang == "bg" else "Local Board VT")

    def scene(key: str) -> None:
        h.transcript.extend(["", f"── {i18n.t(lang, key)} ──"])

    await h.runtime.core.nudges.start()  # as the bot does when it starts: the daily sweep
    scene("demo.scene.first_contact")
    welcome = await h.private(maria, "/start")
    await h.press(maria, welcome.only, i18n.t(lang, "button.help"))

    scene("demo.scene.group")
    await h.in_group(board, maria, "/start")
    await h.in_group(board, maria, "/help")

    await scenes.board_scenes(h, i18n, lang, maria, georgi, board, scene)

    code = await scenes.case_scene(h, i18n, lang, georgi, board, scene)
    elena = next(p for p in h.people if p.id not in (maria.id, georgi.id))
    await scenes.decision_scene(h, i18n, lang, (maria, georgi, elena), board, code, scene)
    await scenes.meeting_scene(h, i18n, lang, (maria, georgi, elena), board, scene)
    await scenes.minutes_scene(h, i18n, lang, (maria, georgi), board, code, scene)
    await scenes.series_scene(h, i18n, lang, maria, board, scene)

    scene("demo.scene.language")
    picker = await h.private(georgi, "/lang")
    await h.press(georgi, picker.only, "English" if other == "en" else "Български")
    await h.private(georgi, "/help")

    await scenes.follow_up_scene(h, i18n, lang, (maria, georgi), scene)
    await scenes.escalation_scene(h, i18n, lang, (maria, elena), code, scene)
    scene("demo.scene.today")
    await h.private(maria, "/today")
    await h.private(georgi, "/today")
    await scenes.learning_scene(h, i18n, lang, maria, code, scene)
    await scenes.quarter_scene(h, i18n, lang, (maria, georgi), board, code, scene)
    await scenes.data_protection_scene(h, i18n, lang, maria, code, scene)

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
    await h.dispatch()
    async with core.db.read() as session:
        states = [
            row.state
            for key in ("demo:reminder:1", "demo:reminder:stale")
            if (row := await session.outbox.by_dedupe_key(key)) is not None
        ]
    h.transcript.append(
        i18n.t(
            lang,
            "demo.outbox.report",
            sent=states.count("sent"),
            dropped=states.count("dropped"),
        )
    )
