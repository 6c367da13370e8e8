"""The normalised text split once into tokens (digit runs, letter runs, single other
characters) with the few adjacency questions every detector asks.

Each token pattern consumes at least one character and never backtracks into another, so
tokenising, and every detector's bounded look-ahead over the tokens, is linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

DIGIT: Final = 0
WORD: Final = 1
PUNCT: Final = 2

_TOKEN_RE: Final = re.compile(r"([0-9]+)|([^\W\d_]+)|\S")
INLINE_SPACE: Final = frozenset(" \t\u00a0\u202f\u2009\u2007")
OPEN_QUOTES: Final = frozenset("„“\"«'‘‚‹")
CLOSE_QUOTES: Final = frozenset("“”\"»'’‹›")
LEADING_PUNCT: Final = frozenset(".!?…:;\"'„“”«»[]-–—•*/()")
"""Punctuation after which a capital letter says nothing about a word being a name."""
_ASCII_DIGITS: Final = frozenset("0123456789")


@dataclass(slots=True)
class Tok:
    start: int
    end: int
    kind: int
    text: str
    low: str


class Text:
    """The tokens of a normalised text."""

    __slots__ = ("digit_at", "has_digits", "lower", "n", "text", "toks")

    def __init__(self, text: str) -> None:
        self.text = text
        toks: list[Tok] = []
        add = toks.append
        for m in _TOKEN_RE.finditer(text):
            s = m.group()
            start, end = m.span()
            group = m.lastindex
            if group == 2:
                add(Tok(start, end, WORD, s, s.lower()))
            else:
                add(Tok(start, end, DIGIT if group == 1 else PUNCT, s, s))
        self.toks = toks
        self.n = len(self.toks)
        self.digit_at = [i for i, tok in enumerate(toks) if tok.kind == DIGIT]
        """Where the digit runs are: the number detectors start only there."""
        self.has_digits = bool(self.digit_at)
        self.lower = text.lower()

    def gap(self, i: int) -> str:
        """Characters between token i-1 and token i (only whitespace, by construction)."""
        if i <= 0 or i >= self.n:
            return ""
        return self.text[self.toks[i - 1].end : self.toks[i].start]

    def tight(self, i: int) -> bool:
        """Token i follows token i-1 with nothing in between."""
        return 0 < i < self.n and self.toks[i - 1].end == self.toks[i].start

    def spaced(self, i: int) -> bool:
        """Token i follows token i-1 on the same line with at most a little space between."""
        g = self.gap(i)
        return 0 < i < self.n and len(g) <= 3 and "\n" not in g and "\r" not in g

    def is_word(self, i: int) -> bool:
        return 0 <= i < self.n and self.toks[i].kind == WORD

    def is_digits(self, i: int) -> bool:
        return 0 <= i < self.n and self.toks[i].kind == DIGIT

    def is_punct(self, i: int, chars: str | frozenset[str]) -> bool:
        return 0 <= i < self.n and self.toks[i].kind == PUNCT and self.toks[i].text in chars

    def low(self, i: int) -> str:
        return self.toks[i].low if 0 <= i < self.n else ""

    def word(self, i: int) -> str:
        return self.toks[i].text if 0 <= i < self.n else ""

    def skip_dot(self, i: int) -> int:
        """Index after an optional abbreviation dot right after token i-1."""
        return i + 1 if self.is_punct(i, ".") and self.tight(i) else i

    def words_before(self, i: int, count: int) -> list[str]:
        """Lower-case tokens (words and symbols) among the ``count`` tokens before i."""
        return [self.toks[j].low for j in range(max(0, i - count), i)]

    def starts_sentence(self, i: int) -> bool:
        """Capitalised because it starts the text, a line, a sentence, a list item or a quote."""
        if i == 0 or "\n" in self.gap(i):
            return True
        prev = self.toks[i - 1]
        if prev.kind != PUNCT or prev.text not in LEADING_PUNCT:
            return False
        if prev.text == ".":  # "инсп. Лазаров", "гр. Русе": an abbreviation, not a full stop
            return not (
                self.tight(i - 1)
                and self.is_word(i - 2)
                and len(self.toks[i - 2].text) <= 4
                and self.toks[i - 2].text.islower()
            )
        return True


def is_cap(word: str) -> bool:
    """'Иван', 'Петрова-Иванова' (each part capitalised)."""
    return word[:1].isupper() and (len(word) == 1 or word[1:].islower())


def is_upper(word: str) -> bool:
    return len(word) > 1 and word.isupper()
