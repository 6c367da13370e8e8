"""Hygiene for text the bot does not write itself: what people type and what Telegram says
their names are.

Control characters (a NUL byte, an escape) have no place in a note, and the bidirectional
controls can make one case code look like another ("VT-ABCD" shown reversed), so free text with
either is refused. People's Telegram names are not ours to refuse: they are cleaned of the same
characters and printed inside Unicode isolates, so a name written right to left cannot reorder
the rest of the line it sits in.
"""

from __future__ import annotations

import unicodedata
from typing import Final

ALLOWED_CONTROLS: Final = frozenset("\n\t\r")


BIDI_CONTROLS: Final = frozenset(
    "\u061c\u200e\u200f"  # ALM, LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
)


FIRST_STRONG_ISOLATE: Final = "\u2068"


POP_DIRECTIONAL_ISOLATE: Final = "\u2069"


MAX_NAME = 64


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" and char not in ALLOWED_CONTROLS


def has_forbidden_characters(text: str) -> bool:
    """A control character other than a line break or tab, or a bidirectional control."""
    return any(char in BIDI_CONTROLS or _is_control(char) for char in text)


def isolated_name(raw: str) -> str:
    """A Telegram name as the bot stores and prints it: without control and bidirectional
    characters, at most 64 characters, inside a first-strong isolate."""
    cleaned = "".join(
        " " if char in ALLOWED_CONTROLS else char
        for char in raw
        if char not in BIDI_CONTROLS and not _is_control(char)
    )
    cleaned = " ".join(cleaned.split())[:MAX_NAME]
    return f"{FIRST_STRONG_ISOLATE}{cleaned}{POP_DIRECTIONAL_ISOLATE}" if cleaned else ""


def spreadsheet_safe(value: str) -> str:
    """A spreadsheet must not run a cell as a formula (=, +, -, @ at the start): a quote first
    makes it text, in a CSV and in an .xlsx alike."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
