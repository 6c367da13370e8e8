"""``boardbot demo``: a scripted session against the in-process fake, printed as a transcript.

Each capability adds its scene here, so a newcomer sees every feature in one read.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from bot.i18n import Translator
from bot.notices import NOTICE
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

    scene("demo.scene.first_contact")
    welcome = await h.private(maria, "/start")
    await h.press(maria, welcome.only, i18n.t(lang, "button.help"))

    scene("demo.scene.language")
    picker = await h.private(georgi, "/lang")
    await h.press(georgi, picker.only, "English" if other == "en" else "Български")
    await h.private(georgi, "/help")

    scene("demo.scene.group")
    await h.in_group(board, maria, "/start")
    await h.in_group(board, maria, "/help")

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
