"""The fake Bot API: chats, messages, callback answers, failures on demand, every call recorded."""

from __future__ import annotations

import base64
import itertools
import json
import math
import re
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from fakegram.formats import MarkupError, image_size, parse_html, plain_text

BOT_ID = 7000000001
BOT_USERNAME = "boardbot_demo_bot"
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_CAPTION = 1024


ADMIN_RIGHTS: dict[str, bool] = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": False,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
}


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    """When the call arrived (``time.monotonic``), for tests that measure delays."""


@dataclass
class SentMessage:
    chat_id: int
    message_id: int
    text: str
    reply_markup: dict[str, Any] | None
    thread_id: int | None
    deleted: bool = False
    document: tuple[str, bytes] | None = None
    """A sent file's name and bytes (``text`` is then its caption)."""
    reply_to: int | None = None
    """The message this one answers (``reply_parameters.message_id``)."""
    photo: bytes | None = None
    """A sent picture's bytes (``text`` is then its caption)."""

    def buttons(self) -> list[dict[str, Any]]:
        if not self.reply_markup:
            return []
        return [b for row in self.reply_markup.get("inline_keyboard", []) for b in row]

    def plain(self) -> str:
        return plain_text(self.text)


@dataclass
class Failure:
    """A scripted failure: the next ``times`` calls of ``method`` (to ``chat_id``) fail."""

    method: str
    code: int
    description: str
    chat_id: int | None = None
    times: int = 1
    retry_after: int | None = None
    migrate_to: int | None = None


def _parsed(text: str) -> str:
    """The text Telegram shows for HTML markup, or its 400 answer to bad markup."""
    try:
        return parse_html(text)
    except MarkupError as exc:
        raise ApiError(400, str(exc)) from None


def _int_or_zero(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@dataclass(frozen=True)
class Webhook:
    url: str
    secret: str | None

    def post(self, update: dict[str, Any], *, secret: str | None = None) -> int:
        """POST one update as Telegram does (with the secret token header when one was set);
        the bot's HTTP status (0 when nothing answered)."""
        headers = {"Content-Type": "application/json"}
        token = self.secret if secret is None else secret
        if token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = token
        request = urllib.request.Request(
            self.url, data=json.dumps(update).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return int(error.code)
        except (urllib.error.URLError, OSError):
            return 0


OVERALL_LIMIT = (30, 1.0)
GROUP_LIMIT = (20, 60.0)
PRIVATE_LIMIT = (8, 5.0)
"""(how many, within how many seconds) before Telegram answers 429. Telegram asks for about one
message a second in a private chat and tolerates a short burst: eight within five seconds is
past that whatever the network's jitter."""


class FakeBotApi:
    """Thread-safe: the HTTP server calls it from its own thread."""

    def __init__(self, token: str = "123456:TEST-token", *, enforce_limits: bool = False) -> None:
        self.token = token
        self.enforce_limits = enforce_limits
        """Answer 429 with ``retry_after``, as Telegram does, to a bot that sends faster than
        the ``*_LIMIT`` constants (real time: over HTTP a breach shows as a 429 call)."""
        self._sent_at: dict[str, list[float]] = {}
        self.throttled: list[ApiCall] = []
        """The calls answered 429 for breaking a limit."""
        self.calls: list[ApiCall] = []
        self.messages: list[SentMessage] = []
        self._by_key: dict[tuple[int, int], SentMessage] = {}
        self.callback_answers: list[dict[str, Any]] = []
        self._answered: set[Any] = set()
        self.started: set[int] = set()
        """Users who opened the private chat (the bot may write to them first)."""
        self.blocked: set[int] = set()
        self.failures: list[Failure] = []
        self.chat_members: dict[tuple[int, int], str] = {}
        self.slow_chats: dict[int, float] = {}
        """Seconds to hold a sendMessage to these chats before answering (a slow Telegram)."""
        self.incoming: dict[tuple[int, int], dict[str, Any]] = {}
        self.webhook: Webhook | None = None
        self.webhook_answers: list[int] = []
        """The HTTP status the bot's webhook answered to each update POSTed to it."""
        self._ids = itertools.count(1)
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._lock = threading.RLock()
        self._updates_ready = threading.Condition(self._lock)

    # what the bot receives ----------------------------------------------------------------------
    def next_message_id(self) -> int:
        with self._lock:
            return next(self._ids)

    def next_update_id(self) -> int:
        with self._lock:
            return next(self._update_ids)

    def push_update(self, update: dict[str, Any]) -> None:
        """What Telegram would deliver: kept for getUpdates, or POSTed to the webhook."""
        hook = self.webhook
        if hook is not None:
            self.webhook_answers.append(hook.post(update))
            return
        with self._updates_ready:
            self._updates.append(update)
            self._updates_ready.notify_all()

    def remember_incoming(self, message: dict[str, Any]) -> None:
        with self._lock:
            self.incoming[(message["chat"]["id"], message["message_id"])] = message

    # what the bot calls -------------------------------------------------------------------------
    def fail(self, failure: Failure) -> None:
        with self._lock:
            self.failures.append(failure)

    def call(self, method: str, params: dict[str, Any]) -> Any:
        """Run one Bot API method; raises ApiError like Telegram's error answers."""
        with self._lock:
            self.calls.append(ApiCall(method, dict(params)))
            self._maybe_fail(method, params)
            if self.enforce_limits:
                self._check_limits(method, params)
            hold = self.slow_chats.get(_int_or_zero(params.get("chat_id")), 0.0)
        if hold and method.lower() == "sendmessage":
            time.sleep(hold)
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        if method.lower() == "getupdates":
            return handler(params)
        with self._lock:
            return handler(params)

    def _check_limits(self, method: str, params: dict[str, Any]) -> None:
        """Telegram's published flood limits: about 30 messages a second overall, 20 a minute
        in one group (edits count there), about one a second in one private chat."""
        name = method.lower()
        sends = name.startswith(("send", "copy", "forward"))
        chat_id = _int_or_zero(params.get("chat_id"))
        group_edit = name.startswith("edit") and chat_id < 0
        if not (sends or group_edit):
            return
        now = time.monotonic()
        keys = [("overall", OVERALL_LIMIT)] if sends else []
        keys.append((f"chat:{chat_id}", GROUP_LIMIT if chat_id < 0 else PRIVATE_LIMIT))
        waits = []
        for key, (count, seconds) in keys:
            recent = [t for t in self._sent_at.get(key, []) if now - t < seconds]
            self._sent_at[key] = recent
            if len(recent) >= count:
                waits.append(seconds - (now - recent[0]))
        if waits:
            self.throttled.append(ApiCall(method, dict(params)))
            retry = max(1, math.ceil(max(waits)))
            raise ApiError(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})
        for key, _ in keys:
            self._sent_at[key].append(now)

    def _maybe_fail(self, method: str, params: dict[str, Any]) -> None:
        for failure in self.failures:
            if failure.method.lower() != method.lower() or failure.times <= 0:
                continue
            if failure.chat_id is not None and int(params.get("chat_id", 0)) != failure.chat_id:
                continue
            failure.times -= 1
            parameters: dict[str, Any] = {}
            if failure.retry_after is not None:
                parameters["retry_after"] = failure.retry_after
            if failure.migrate_to is not None:
                parameters["migrate_to_chat_id"] = failure.migrate_to
            raise ApiError(failure.code, failure.description, parameters or None)

    def _m_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "boardbot",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _m_deletewebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    def _m_setwebhook(self, params: dict[str, Any]) -> bool:
        """As Telegram: an https URL (http is allowed here, for a local test), a secret token
        of 1–256 characters from A–Z, a–z, 0–9, _ and -; updates are then POSTed to it."""
        url = str(params.get("url") or "")
        if not url:
            self.webhook = None
            return True
        if not url.startswith(("https://", "http://")):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        self.webhook = Webhook(url, None if secret is None else str(secret))
        return True

    def _m_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        hook = self.webhook
        return {"url": "" if hook is None else hook.url, "pending_update_count": 0}

    def _m_setmycommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands", [])
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: too many commands")
        for command in commands:
            if not 1 <= len(command["description"]) <= 256:
                raise ApiError(400, "Bad Request: command description is invalid")
        return True

    def _m_deletemycommands(self, params: dict[str, Any]) -> bool:
        return True

    def _m_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + min(timeout, 5.0)
        with self._updates_ready:
            while True:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                if self._updates or time.monotonic() >= deadline:
                    return list(self._updates[: int(params.get("limit") or 100)])
                self._updates_ready.wait(max(deadline - time.monotonic(), 0.01))

    def _chat_id(self, params: dict[str, Any]) -> int:
        raw = params.get("chat_id")
        if raw is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise ApiError(400, "Bad Request: chat not found") from None

    def _check_markup(self, markup: Any) -> None:
        if markup is None:
            return
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise ApiError(400, "Bad Request: text buttons are unallowed")

    def _check_text(self, params: dict[str, Any]) -> str:
        text = params.get("text")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        shown = _parsed(text) if params.get("parse_mode") == "HTML" else text
        if not shown.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(shown.encode("utf-16-le")) // 2 > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        return str(text)

    def _recipient(self, params: dict[str, Any]) -> int:
        """The chat to send to; a person who blocked the bot or never started it is refused."""
        chat_id = self._chat_id(params)
        if chat_id > 0:
            if chat_id in self.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if chat_id not in self.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        return chat_id

    def _store(self, message: SentMessage) -> dict[str, Any]:
        self.messages.append(message)
        self._by_key[(message.chat_id, message.message_id)] = message
        return self.message_json(message)

    def _m_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._recipient(params)
        text = self._check_text(params)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        thread_id = params.get("message_thread_id")
        message = SentMessage(
            chat_id, next(self._ids), text, markup, None if thread_id is None else int(thread_id)
        )
        replied = params.get("reply_parameters")
        if isinstance(replied, dict) and "message_id" in replied:
            message.reply_to = int(replied["message_id"])
        return self._store(message)

    def _check_caption(self, params: dict[str, Any]) -> str:
        """A file's caption as Telegram checks it: at most 1024 characters once parsed."""
        caption = str(params.get("caption") or "")
        shown = _parsed(caption) if params.get("parse_mode") == "HTML" else caption
        if len(shown.encode("utf-16-le")) // 2 > MAX_CAPTION:
            raise ApiError(400, "Bad Request: message caption is too long")
        return caption

    def _m_senddocument(self, params: dict[str, Any]) -> dict[str, Any]:
        document = params.get("document")
        if not isinstance(document, dict) or "data" not in document:
            raise ApiError(400, "Bad Request: there is no document in the request")
        name = str(document.get("file_name", "file"))
        return self._store_file(params, document=(name, base64.b64decode(document["data"])))

    def _store_file(self, params: dict[str, Any], **file: Any) -> dict[str, Any]:
        """A file or a picture with its caption, keyboard and topic, as sent."""
        chat_id = self._recipient(params)
        caption = self._check_caption(params)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        thread_id = params.get("message_thread_id")
        message = SentMessage(
            chat_id,
            next(self._ids),
            caption,
            markup,
            None if thread_id is None else int(thread_id),
            **file,
        )
        return self._store(message)

    def _m_sendphoto(self, params: dict[str, Any]) -> dict[str, Any]:
        """A picture, checked as Telegram checks one: an image (here PNG or JPEG), at most 10 MB,
        width and height together at most 10,000 and their ratio at most 20."""
        photo = params.get("photo")
        if not isinstance(photo, dict) or "data" not in photo:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        data = base64.b64decode(photo["data"])
        size = image_size(data)
        if size is None or len(data) > 10 * 1024 * 1024:
            raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
        width, height = size
        if width + height > 10_000 or max(width, height) > 20 * max(min(width, height), 1):
            raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
        return self._store_file(params, photo=data)

    def _find(self, params: dict[str, Any]) -> SentMessage:
        chat_id = self._chat_id(params)
        message = self._by_key.get((chat_id, int(params.get("message_id") or 0)))
        if message is None or message.deleted:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    def _m_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._find(params)
        if message.document is not None or message.photo is not None:  # a file: its caption
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        text = self._check_text(params)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        if text == message.text and markup == message.reply_markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        message.text = text
        message.reply_markup = markup
        return self.message_json(message)

    def _m_editmessagecaption(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._find(params)
        if message.document is None:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        caption = self._check_caption(params)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        if caption == message.text and markup == message.reply_markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message.text = caption
        message.reply_markup = markup
        return self.message_json(message)

    def _m_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._find(params)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        if markup == message.reply_markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message.reply_markup = markup
        return self.message_json(message)

    def _m_deletemessage(self, params: dict[str, Any]) -> bool:
        chat_id = self._chat_id(params)
        message_id = int(params.get("message_id") or 0)
        if (chat_id, message_id) in self.incoming:
            del self.incoming[(chat_id, message_id)]
            return True
        message = self._by_key.get((chat_id, message_id))
        if message is not None and not message.deleted:
            message.deleted = True
            return True
        raise ApiError(400, "Bad Request: message to delete not found")

    def _m_answercallbackquery(self, params: dict[str, Any]) -> bool:
        text = params.get("text")
        if text is not None and len(text) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        if params.get("callback_query_id") in self._answered:
            # Telegram takes one answer a press; the second is refused as an unknown query
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._answered.add(params.get("callback_query_id"))
        self.callback_answers.append(dict(params))
        return True

    def _m_getchatmember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        user_id = int(params.get("user_id") or 0)
        status = self.chat_members.get((chat_id, user_id), "left")
        member: dict[str, Any] = {
            "status": status,
            "user": {"id": user_id, "is_bot": False, "first_name": str(user_id)},
        }
        if status == "administrator":
            member.update(ADMIN_RIGHTS)
        return member

    def message_json(self, message: SentMessage) -> dict[str, Any]:
        chat: dict[str, Any] = (
            {"id": message.chat_id, "type": "private", "first_name": str(message.chat_id)}
            if message.chat_id > 0
            else {"id": message.chat_id, "type": "supergroup", "title": "group"}
        )
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "boardbot",
                "username": BOT_USERNAME,
            },
        }
        shown = (
            _parsed(message.text) if "<" in message.text or "&" in message.text else message.text
        )
        if message.photo is not None:
            width, height = image_size(message.photo) or (1, 1)
            data["photo"] = [
                {
                    "file_id": f"photo{message.message_id}",
                    "file_unique_id": f"p{message.message_id}",
                    "width": width,
                    "height": height,
                    "file_size": len(message.photo),
                }
            ]
            if shown:
                data["caption"] = shown
        elif message.document is None:
            data["text"] = shown
        else:
            name, content = message.document
            data["document"] = {
                "file_id": f"doc{message.message_id}",
                "file_unique_id": f"u{message.message_id}",
                "file_name": name,
                "file_size": len(content),
            }
            if shown:
                data["caption"] = shown
        if message.reply_markup:
            data["reply_markup"] = message.reply_markup
        if message.thread_id is not None:
            data["message_thread_id"] = message.thread_id
            data["is_topic_message"] = True
        return data


def error_body(error: ApiError) -> dict[str, Any]:
    body: dict[str, Any] = {"ok": False, "error_code": error.code, "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return body


@dataclass
class Recorded:
    """What the bot did in answer to one update."""

    messages: list[SentMessage] = field(default_factory=list)
    edits: list[ApiCall] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    calls: list[ApiCall] = field(default_factory=list)
