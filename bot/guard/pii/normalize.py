"""The text as the detectors read it, and the way back to the text as it was typed.

People disguise personal data, on purpose or by accident: full-width or Arabic-Indic digits,
zero-width spaces and soft hyphens between digits, a label typed with Latin look-alike letters
("EГH"), a full-width "＠". The detectors read a normalised copy (NFKC, format characters
dropped, every Unicode digit as its ASCII value, Latin look-alikes folded to Cyrillic inside a
word that mixes both scripts); every character of the copy remembers where it came from, so a
finding's span covers exactly what the person typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

# Latin letters that look like Cyrillic ones: folded only inside a word that also has Cyrillic.
_LATIN_TO_CYRILLIC: Final = str.maketrans("ABCEHKMOPTXYaceopxyk", "АВСЕНКМОРТХУасеорхук")
_KEEP: Final = frozenset("№")
"""NFKC would make "№" the letters "No": it is a sign the detectors read as it is."""
_DASHES: Final = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")


@dataclass(frozen=True, slots=True)
class Normalized:
    text: str
    """What the detectors read."""
    origin: tuple[int, ...] | None
    """For each character of ``text``, the index of the character it came from (None: the
    same index, when nothing was dropped or widened)."""
    source: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that ``text[start:end]`` came from."""
        if self.origin is None:
            return start, end
        if start >= end:
            at = self.origin[start] if start < len(self.origin) else len(self.source)
            return at, at
        first = self.origin[start]
        last = self.origin[end - 1]
        stop = last + 1
        # Characters dropped right inside the span (a soft hyphen between two digits) are
        # covered already; ones dropped right after its last character belong to it too.
        while stop < len(self.source) and _dropped(self.source[stop]) and stop < self._next(end):
            stop += 1
        return first, stop

    def _next(self, end: int) -> int:
        assert self.origin is not None
        return self.origin[end] if end < len(self.origin) else len(self.source)


def _dropped(char: str) -> bool:
    return unicodedata.category(char) == "Cf"


_PLAIN: Final = re.compile(r"[\x00-\x7f\u0400-\u045f\u00a0„“”«»‘’…№\u2013\u2014]*")
"""Text in these characters needs no per-character work (most notes): a fast path."""
_MIXED: Final = re.compile(r"[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]")


def normalize(source: str) -> Normalized:
    if _PLAIN.fullmatch(source):
        text = source.replace("\u00a0", " ").replace("\u2013", "-").replace("\u2014", "-")
        text = _zero_letters(text)
        if _MIXED.search(text):
            text = _fold_mixed_words(text)
        return Normalized(text, None, source)
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(source):
        if char.isascii():
            out.append(char)
            origin.append(index)
            continue
        if _dropped(char):  # zero-width space and joiners, soft hyphen, word joiner, marks
            continue
        digit = unicodedata.decimal(char, None)
        if digit is not None:
            out.append(str(digit))
            origin.append(index)
            continue
        if char in _KEEP:
            out.append(char)
            origin.append(index)
            continue
        if char in _DASHES:
            out.append("-")
            origin.append(index)
            continue
        folded = unicodedata.normalize("NFKC", char)
        for piece in folded or char:
            out.append(piece)
            origin.append(index)
    text = _zero_letters("".join(out))
    if _MIXED.search(text):
        text = _fold_mixed_words(text)
    return Normalized(text, tuple(origin), source)


_ZERO_LETTER: Final = re.compile(r"(?<=[0-9])[OoОо]+(?=[0-9])")


def _zero_letters(text: str) -> str:
    """'2оо8', '1О43133137': a letter O between digits is a zero typed by a slip (or on
    purpose); the same length, so the origin map is unchanged."""
    if "о" not in text and "О" not in text and "o" not in text and "O" not in text:
        return text
    return _ZERO_LETTER.sub(lambda m: "0" * len(m.group()), text)


_MIXED_WORD: Final = re.compile(
    r"[^\W\d_]*(?:[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z])[^\W\d_]*"
)


def _fold_mixed_words(text: str) -> str:
    """'EГH' → 'ЕГН': a word with both Cyrillic and Latin letters is Cyrillic with look-alikes
    (the same length, so the origin map is unchanged)."""
    return _MIXED_WORD.sub(lambda m: m.group().translate(_LATIN_TO_CYRILLIC), text)
