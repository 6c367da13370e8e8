"""What the core asks to show: text plus buttons, with no Telegram types in it."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

MAX_MESSAGE_CHARS = 4096


MAX_CAPTION_CHARS = 1024
"""A file's or a picture's caption (Telegram's limit)."""


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str | None = None
    url: str | None = None


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class DetailsOf:
    """Whose details a message carries: a case (its board's hours apply), or a board alone
    (a concern raised without a case, a draft before its case exists)."""

    case_id: int | None = None
    board_id: int | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    keyboard: Keyboard = field(default_factory=tuple)
    details_of: DetailsOf | None = None
    """Sent in private, a message with details is deleted from the chat after the board's
    hours (24 when no board is known): the database stays the record."""


_TAG = re.compile(r"<(/?)([a-z][a-z0-9-]*)[^>]*>")


def utf16_length(text: str) -> int:
    """Telegram counts message length in UTF-16 code units (an emoji may count twice)."""
    return len(text.encode("utf-16-le")) // 2


def plain_text(html_text: str) -> str:
    """The text a reader sees once tags and entities are parsed (toasts take no HTML)."""
    return html.unescape(_TAG.sub("", html_text))


def visible_length(html_text: str) -> int:
    """What Telegram counts: the text after tags and entities are parsed, in UTF-16 units."""
    return utf16_length(plain_text(html_text))


def fit(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Cut a message to Telegram's limit at a line break, keeping its HTML well formed."""
    if visible_length(text) <= limit:
        return text
    budget = limit - 64  # room for "…" and the closing tags added below
    head = text
    while visible_length(head) > budget:
        head = head[: max(len(head) - max((visible_length(head) - budget) // 2, 1), 0)]
    cut = head.rfind("\n")
    if cut > len(head) // 2:
        head = head[:cut]
    if head.rfind("<") > head.rfind(">"):
        head = head[: head.rfind("<")]
    if head.rfind("&") > head.rfind(";"):
        head = head[: head.rfind("&")]
    open_tags: list[str] = []
    for closing, name in _TAG.findall(head):
        if not closing:
            open_tags.append(name)
        elif open_tags and open_tags[-1] == name:
            open_tags.pop()
    return head + "\n…" + "".join(f"</{name}>" for name in reversed(open_tags))
