"""What the core asks to show: text plus buttons, with no Telegram types in it."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_MESSAGE_CHARS = 4096


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str | None = None
    url: str | None = None


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    keyboard: Keyboard = field(default_factory=tuple)


def fit(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Cut a message to Telegram's limit at a line break, never inside an HTML tag or entity."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit - 2)
    if cut < limit // 2:
        cut = limit - 2
    head = text[:cut]
    if head.rfind("<") > head.rfind(">"):
        head = head[: head.rfind("<")]
    if head.rfind("&") > head.rfind(";"):
        head = head[: head.rfind("&")]
    return head + "\n…"
