"""Act as people in Telegram: write in groups and private chats, press buttons, move the clock.

Updates are built as Bot API JSON and decoded with ``Update.de_json``, run through the real
``Application``; what the bot sent back is read from the fake Bot API and kept as a transcript.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from telegram import Update
from telegram.ext import AIORateLimiter

from bot.kernel.clock import ManualClock
from bot.kernel.config import Config
from bot.kernel.i18n import LANGUAGES
from bot.kernel.outbox import DispatchReport
from fakegram.api import (
    BOT_USERNAME,
    ApiCall,
    FakeBotApi,
    SentMessage,
)
from fakegram.formats import INVISIBLE_ISOLATES, image_size, plain_text
from fakegram.request import FakeRequest
from fakegram.updates import callback_update, message_update
from handlers.app import BotRuntime, build_runtime
from storage import Database, open_database
from storage.leadership import new_instance_id

DEFAULT_START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    language_code: str | None = "bg"

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.name}
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass(frozen=True)
class Group:
    id: int
    title: str

    def json(self) -> dict[str, Any]:
        return {"id": self.id, "type": "supergroup", "title": self.title}


@dataclass
class Exchange:
    """What the bot did in answer to one thing a person did."""

    messages: list[SentMessage] = field(default_factory=list)
    edits: list[ApiCall] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    deletions: list[ApiCall] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [message.plain() for message in self.messages]

    def to(self, chat_id: int) -> list[SentMessage]:
        return [message for message in self.messages if message.chat_id == chat_id]

    @property
    def only(self) -> SentMessage:
        assert len(self.messages) == 1, f"expected one message, got {self.texts}"
        return self.messages[0]

    @property
    def toast(self) -> str | None:
        """The last toast as the person reads it."""
        if not self.answers or self.answers[-1].get("text") is None:
            return None
        return str(self.answers[-1]["text"]).translate(INVISIBLE_ISOLATES)

    def edited_text(self, index: int = -1) -> str:
        """An edit's text as the person reads it."""
        return plain_text(str(self.edits[index].params["text"]))


class Harness:
    def __init__(
        self, runtime: BotRuntime, api: FakeBotApi, clock: ManualClock, db: Database
    ) -> None:
        self.runtime = runtime
        self.api = api
        self.clock = clock
        self.db = db
        self.transcript: list[str] = []
        self.people: list[Person] = []
        self._people = itertools.count(100001)
        self._groups = itertools.count(1001)
        self._names: dict[int, str] = {}

    @classmethod
    @contextlib.asynccontextmanager
    async def running(
        cls,
        db_path: Path | str,
        *,
        start: datetime = DEFAULT_START,
        api: FakeBotApi | None = None,
        language: str = "bg",
        clock: ManualClock | None = None,
    ) -> AsyncIterator[Harness]:
        api = api or FakeBotApi()
        clock = clock or ManualClock(start)
        config = Config(
            telegram_bot_token=api.token,  # type: ignore[arg-type]
            boardbot_db=db_path if isinstance(db_path, Path) else Path("unused.sqlite3"),
            boardbot_database_url=None if isinstance(db_path, Path) else SecretStr(db_path),
            boardbot_language=language,
            _env_file=None,  # type: ignore[call-arg]
        )
        db = await open_database(db_path)
        await db.migrate()
        runtime = build_runtime(
            config,
            db,
            clock,
            request=FakeRequest(api),
            # No throttling and no in-limiter retries: tests move a clock, they never sleep.
            rate_limiter=AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=0),
            strict_i18n=True,
            instance=new_instance_id(),  # as a process: a restart is another instance
        )
        try:
            async with runtime.application:
                await runtime.dispatcher.recover()
                yield cls(runtime, api, clock, db)
        finally:
            await db.close()

    # people and chats --------------------------------------------------------------------------
    def person(self, name: str, language_code: str | None = "bg") -> Person:
        person = Person(next(self._people), name, language_code)
        self._names[person.id] = name
        self.people.append(person)
        return person

    def group(self, title: str) -> Group:
        group = Group(-1000000000000 - next(self._groups), title)
        self._names[group.id] = title
        return group

    def make_admin(self, group: Group, person: Person | None = None) -> None:
        """``person`` (or, with None, the bot itself) becomes an administrator of ``group``."""
        from fakegram.api import BOT_ID

        user_id = BOT_ID if person is None else person.id
        self.api.chat_members[(group.id, user_id)] = "administrator"

    async def member_event(
        self, group: Group, person: Person, old: str, new: str, *, bot: bool = False
    ) -> Exchange:
        """A ``chat_member`` update (or ``my_chat_member`` for the bot) as Telegram sends it."""
        from fakegram.api import ADMIN_RIGHTS, BOT_ID, BOT_USERNAME

        def member(status: str) -> dict[str, Any]:
            extra: dict[str, Any] = {}
            if status == "administrator":
                extra = dict(ADMIN_RIGHTS)
            elif status == "kicked":
                extra = {"until_date": 0}
            return {"status": status, "user": subject, **extra}

        subject = (
            {"id": BOT_ID, "is_bot": True, "first_name": "boardbot", "username": BOT_USERNAME}
            if bot
            else person.json()
        )
        change = {
            "chat": group.json(),
            "from": person.json(),
            "date": int(self.clock.now().timestamp()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        key = "my_chat_member" if bot else "chat_member"
        self._note(f"[{group.title}] {person.name}: ({key} {old} → {new})")
        return await self.feed({"update_id": self.api.next_update_id(), key: change})

    async def migrate(self, group: Group, new_id: int) -> Group:
        """The group became a supergroup: Telegram posts a service message in the old chat."""
        update = {
            "update_id": self.api.next_update_id(),
            "message": {
                "message_id": self.api.next_message_id(),
                "date": int(self.clock.now().timestamp()),
                "chat": {"id": group.id, "type": "group", "title": group.title},
                "migrate_to_chat_id": new_id,
            },
        }
        await self.feed(update)
        moved = Group(new_id, group.title)
        self._names[new_id] = group.title
        return moved

    def name_of(self, chat_id: int) -> str:
        return self._names.get(chat_id, str(chat_id))

    # acting --------------------------------------------------------------------------------------
    async def private(self, person: Person, text: str) -> Exchange:
        self.api.started.add(person.id)
        chat = {"id": person.id, "type": "private", "first_name": person.name}
        return await self._message(person, chat, text, f"[{person.name}, private]")

    async def in_group(self, group: Group, person: Person, text: str) -> Exchange:
        return await self._message(person, group.json(), text, f"[{group.title}] {person.name}")

    async def press(
        self, person: Person, message: SentMessage, button: str = "", *, key: str = ""
    ) -> Exchange:
        """Press a button: with ``key``, the one whose label is (or else carries) that catalog
        message in any language the bot speaks, a placeholder matching anything, so a change of
        wording does not break the test; else the one whose label contains ``button`` (or whose
        data is it)."""
        buttons = message.buttons()
        if key:
            shapes = [label_shape(self.runtime.core.i18n.raw(lang, key)) for lang in LANGUAGES]
            if not any(self.runtime.core.i18n.raw(lang, key) for lang in LANGUAGES):
                raise AssertionError(f"no catalog message {key!r}")
            labels = [b.get("text", "").translate(INVISIBLE_ISOLATES) for b in buttons]
            # the label is the message, or carries it beside a mark ("☐ …", "… ➡")
            chosen = next(
                (
                    b
                    for b, text in zip(buttons, labels, strict=True)
                    if any(s.fullmatch(text) for s in shapes)
                ),
                None,
            ) or next(
                (
                    b
                    for b, text in zip(buttons, labels, strict=True)
                    if any(s.search(text) for s in shapes)
                ),
                None,
            )
        else:
            chosen = next(
                (
                    b
                    for b in buttons
                    if b.get("callback_data") == button
                    or button in b.get("text", "").translate(INVISIBLE_ISOLATES)
                ),
                None,
            )
        if chosen is None or "callback_data" not in chosen:
            raise AssertionError(
                f"no button {key or button!r} in {[b.get('text') for b in buttons]}"
            )
        self._note(f"{self._where(message.chat_id, person)} presses [{chosen['text']}]")
        return await self.press_data(person, message, chosen["callback_data"], quiet=True)

    async def press_data(
        self, person: Person, message: SentMessage, data: str, *, quiet: bool = False
    ) -> Exchange:
        """Send any callback data, as a forged or replayed button would."""
        if not quiet:
            self._note(f"{self._where(message.chat_id, person)} sends button data {data!r}")
        update = callback_update(
            self.api.next_update_id(),
            str(self.api.next_update_id()),
            person.json(),
            self.api.message_json(message),
            data,
        )
        return await self.feed(update)

    async def feed(self, update: dict[str, Any]) -> Exchange:
        """Run one raw update (as JSON) through the bot and collect what it did."""
        before_messages = len(self.api.messages)
        before_calls = len(self.api.calls)
        before_answers = len(self.api.callback_answers)
        decoded = Update.de_json(update, self.runtime.application.bot)
        await self.runtime.application.process_update(decoded)
        exchange = self._collect(before_messages, before_calls, before_answers)
        self._write(exchange)
        return exchange

    async def dispatch(self) -> DispatchReport:
        """Let the outbox send what is due at the clock's current time."""
        before_messages = len(self.api.messages)
        before_calls = len(self.api.calls)
        report = await self.runtime.dispatch()
        self._write(self._collect(before_messages, before_calls, len(self.api.callback_answers)))
        return report

    async def _message(
        self, person: Person, chat: dict[str, Any], text: str, label: str
    ) -> Exchange:
        update = message_update(
            self.api.next_update_id(),
            self.api.next_message_id(),
            person.json(),
            chat,
            text,
            int(self.clock.now().timestamp()),
        )
        self.api.remember_incoming(update["message"])
        shown = text if len(text) <= 200 else f"{text[:60]}… ({len(text)} characters)"
        self._note(f"{label}: {shown}")
        return await self.feed(update)

    def _collect(self, messages: int, calls: int, answers: int) -> Exchange:
        new_calls = self.api.calls[calls:]
        return Exchange(
            messages=self.api.messages[messages:],
            edits=[c for c in new_calls if c.method.lower().startswith("editmessage")],
            answers=self.api.callback_answers[answers:],
            deletions=[c for c in new_calls if c.method.lower() == "deletemessage"],
        )

    # transcript ----------------------------------------------------------------------------------
    def _where(self, chat_id: int, person: Person) -> str:
        return (
            f"[{person.name}, private]"
            if chat_id > 0
            else f"[{self.name_of(chat_id)}] {person.name}"
        )

    def _note(self, line: str) -> None:
        self.transcript.append(line)

    def _write(self, exchange: Exchange) -> None:
        for message in exchange.messages:
            target = self.name_of(message.chat_id)
            where = f"{target}, private" if message.chat_id > 0 else target
            self._note(f"  🤖 → [{where}]")
            if message.document is not None:
                name, content = message.document
                self._note(f"     📎 {name} ({len(content)} bytes)")
            if message.photo is not None:
                width, height = image_size(message.photo) or (0, 0)
                self._note(f"     🖼 a picture, {width}×{height} ({len(message.photo)} bytes)")
            self._note_text(message.text, message.reply_markup)
        for edit in exchange.edits:
            self._note("  🤖 edits its message:")
            words = edit.params.get("text", edit.params.get("caption", ""))  # a file's caption
            self._note_text(str(words), edit.params.get("reply_markup"))
        for answer in exchange.answers:
            if answer.get("text"):
                kind = "alert" if answer.get("show_alert") else "toast"
                self._note(f"  🤖 ({kind}) {answer['text']}")
        for deletion in exchange.deletions:
            self._note(f"  🤖 deletes message {deletion.params.get('message_id')}")

    def _note_text(self, text: str, markup: dict[str, Any] | None) -> None:
        for line in plain_text(text).splitlines():
            self._note(f"     {line}" if line.strip() else "")
        if markup:
            for row in markup.get("inline_keyboard", []):
                self._note("     " + " ".join(f"[ {button['text']} ]" for button in row))


__all__ = ["BOT_USERNAME", "Exchange", "Group", "Harness", "Person"]


def label_shape(template: str) -> re.Pattern[str]:
    """A catalog message as a pattern for a button's label: its words as written, each
    placeholder any text (plain text: a label is not HTML)."""
    parts = re.split(r"\{[^}]*\}", html.unescape(template))
    return re.compile(".*?".join(re.escape(part) for part in parts), re.S)
