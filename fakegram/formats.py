"""What Telegram accepts and shows: its HTML subset (an unsupported tag or entity is refused as
Telegram refuses it), the plain text a person reads, and the size of an image from its header."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser


class MarkupError(ValueError):
    """Markup Telegram would refuse; the message is Telegram's own description."""


ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}


class _HtmlCheck(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.error = f'Unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.error = f'Unexpected end tag "{tag}"'
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


INVISIBLE_ISOLATES = str.maketrans("", "", "\u2068\u2069")
"""The isolates the bot puts around people's names: a reader does not see them."""


def plain_text(text: str) -> str:
    """What a person reads in a message sent with parse_mode HTML."""
    return html.unescape(re.sub(r"<[^>]+>", "", text)).translate(INVISIBLE_ISOLATES)


def parse_html(text: str) -> str:
    """The plain text Telegram would show, or ApiError 400 as Telegram answers bad markup."""
    checker = _HtmlCheck()
    checker.feed(text)
    checker.close()
    if checker.error or checker.stack:
        raise MarkupError(f"Bad Request: can't parse entities: {checker.error or 'unclosed tag'}")
    for ampersand in range(len(text)):
        if text[ampersand] == "&":
            end = text.find(";", ampersand)
            entity = text[ampersand : end + 1] if end != -1 else ""
            if entity not in {"&lt;", "&gt;", "&amp;", "&quot;"} and not entity.startswith("&#"):
                raise MarkupError("Bad Request: can't parse entities: unsupported entity")
    return "".join(checker.text)


def image_size(data: bytes) -> tuple[int, int] | None:
    """A PNG's or JPEG's width and height from its header, or None for what is not one."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:2] == b"\xff\xd8":
        index = 2
        while index + 9 < len(data):
            if data[index] != 0xFF:
                return None
            marker, length = data[index + 1], int.from_bytes(data[index + 2 : index + 4], "big")
            if 0xC0 <= marker <= 0xC3:
                height = int.from_bytes(data[index + 5 : index + 7], "big")
                return int.from_bytes(data[index + 7 : index + 9], "big"), height
            index += 2 + length
    return None
