"""Callback data: short, versioned, never trusted.

``v1:<prefix>:<part>:<part>`` fits Telegram's 64-byte limit; decoding something else (forged,
from an older version, cut short) gives ``None`` and the button is answered as stale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "v1"


MAX_BYTES = 64


MAX_ID = 2**63 - 1
"""SQLite's largest INTEGER: a bigger id in forged data must not reach a query."""


_PART = re.compile(r"[A-Za-z0-9_\-]{1,32}")


class CallbackTooLongError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class CallbackData:
    prefix: str
    parts: tuple[str, ...]

    def int_part(self, index: int) -> int | None:
        """An id, or None: not a number, or beyond what SQLite stores (a forged button)."""
        try:
            value = int(self.parts[index])
        except (IndexError, ValueError):
            return None
        return value if 0 <= value <= MAX_ID else None


def parse_id(text: str) -> int | None:
    """An id from a deep link's payload, or None (see :meth:`CallbackData.int_part`)."""
    return CallbackData("", (text,)).int_part(0)


def encode(prefix: str, *parts: str | int) -> str:
    texts = [prefix, *(str(part) for part in parts)]
    for text in texts:
        if not _PART.fullmatch(text):
            raise ValueError(f"callback part {text!r} has characters outside [A-Za-z0-9_-]")
    data = ":".join([VERSION, *texts])
    if len(data.encode()) > MAX_BYTES:
        raise CallbackTooLongError(data)
    return data


def decode(data: str | None) -> CallbackData | None:
    if not data:
        return None
    try:
        size = len(data.encode())
    except UnicodeEncodeError:  # a lone surrogate: not something our buttons ever carry
        return None
    if size > MAX_BYTES:
        return None
    pieces = data.split(":")
    if len(pieces) < 2 or pieces[0] != VERSION:
        return None
    if not all(_PART.fullmatch(piece) for piece in pieces[1:]):
        return None
    return CallbackData(pieces[1], tuple(pieces[2:]))
