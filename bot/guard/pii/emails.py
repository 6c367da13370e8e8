"""E-mail addresses, typed or spelled out: "ivan@abv.bg", "ivan (at) abv.bg",
"ivan at gmail dot com", "пепи маймунка абв.бг", "рая точка иванова маймунка гмаил точка ком".

An address is a local part, an "at" and a domain ending in a known top-level domain. A written
"@" (in any of its forms: full-width, in brackets) is enough; a spoken one ("at", "на") counts
only when the domain is a known mail provider or the local part looks like an address (a dot,
an underscore or digits in it), so "meet at school" is left alone.
"""

from __future__ import annotations

import re
from typing import Final

from bot.guard.pii.kinds import Finding, PiiKind
from bot.guard.pii.lexicon import lexicon
from bot.guard.pii.tokens import WORD, Text

_STRONG_AT: Final = frozenset(
    {"маймунка", "маймунката", "маймунско", "маймуна", "кльомба", "кльомбичка", "klyomba",
     "maimunka", "majmunka", "ет", "эт"}
)  # fmt: skip
_WEAK_AT: Final = frozenset({"at", "ат", "на", "na", "в", "v"})
_DOT_WORDS: Final = frozenset({"dot", "точка", "тчк", "tochka", "точк", "точчка"})
_JOIN_WORDS: Final = frozenset({"underscore", "dash", "тире", "черта"})
"""Spelled-out joiners of a local part: "ivan долна черта petrov", "ivan тире 85"."""
_TLDS: Final = frozenset(
    {
        "bg", "com", "net", "org", "eu", "de", "uk", "ru", "info", "edu", "gov", "io", "co",
        "tr", "gr", "ro", "rs", "ua", "it", "fr", "es", "nl", "at", "ch", "us", "biz", "me",
        "бг", "ком", "нет", "орг", "ру", "еу",
    }
)  # fmt: skip
_PROVIDERS: Final = frozenset(
    {
        "abv", "gmail", "mail", "yahoo", "hotmail", "outlook", "icloud", "dir", "gmx", "web",
        "live", "protonmail", "proton", "yandex", "ymail", "aol", "msn", "windowslive",
        "абв", "гмаил", "гмейл", "мейл", "майл", "яху", "хотмейл", "аутлук", "дир",
    }
)  # fmt: skip
_ANY_AT: Final = _STRONG_AT | _WEAK_AT
_ANY_ADDRESS: Final = re.compile(
    "@|(?<![^\\W\\d_])(?:"
    + "|".join(sorted(_TLDS | _PROVIDERS, key=len, reverse=True))
    + ")(?![^\\W\\d_])"
)
"""A written "@", a top-level domain or a mail provider as a word: the quick look before the
token walk."""
_BRACKETS: Final = {"(": ")", "[": "]", "{": "}"}
_LOCAL_JOINERS: Final = frozenset("._-+")


class EmailScanner:
    def __init__(self, t: Text, out: list[Finding]) -> None:
        self.t = t
        self.out = out

    def run(self) -> None:
        t = self.t
        if not _ANY_ADDRESS.search(t.lower):
            return  # no "@" and no top-level domain: no e-mail address here
        toks = t.toks
        i = 0
        floor = 0
        while i < t.n:
            tok = toks[i]
            if (tok.kind == WORD and tok.low not in _ANY_AT) or (
                tok.kind != WORD and tok.text not in "@([{"
            ):
                i += 1
                continue
            marker = self._at_marker(i)
            if marker is None:
                i += 1
                continue
            at_end, strong = marker
            domain = self._domain(at_end + 1, any_tld=t.is_punct(at_end, "@"))
            local = self._local(i - 1, floor)
            if domain is None or local is None:
                i += 1
                continue
            local_start, local_has_marks = local
            domain_end, provider = domain
            if not (strong or local_has_marks or (provider and self._plausible_local(local_start))):
                i += 1
                continue
            self.out.append(
                Finding(PiiKind.EMAIL, t.toks[local_start].start, t.toks[domain_end].end)
            )
            floor = domain_end + 1
            i = domain_end + 1

    def _plausible_local(self, k: int) -> bool:
        """A local part that looks like one ("ivan", "пепи") and not like a small word of the
        sentence ("е на gmail.com")."""
        word = self.t.word(k)
        return len(word) >= 3 and (word.isascii() or word.lower() in lexicon().given)

    def _at_marker(self, i: int) -> tuple[int, bool] | None:
        """(last token of the "at", whether it is written rather than spoken)."""
        t = self.t
        tok = t.toks[i]
        if t.is_punct(i, "@"):
            return i, True
        if t.is_punct(i, "({["):
            close = _BRACKETS[tok.text]
            inner = i + 1
            if (t.is_punct(inner, "@") or t.low(inner) in ("at", "а", "a", "ат")) and t.is_punct(
                inner + 1, close
            ):
                return inner + 1, True
            return None
        if tok.low in _STRONG_AT:
            if tok.low == "маймунско" and t.low(i + 1) in ("а", "a"):
                return i + 1, True
            return i, True
        if tok.low in _WEAK_AT and t.spaced(i) and t.spaced(i + 1):
            return i, False
        return None

    def _separator(self, k: int) -> int | None:
        """Index after a dot between two labels ('.', 'dot', 'точка', '[dot]')."""
        t = self.t
        if t.is_punct(k, "."):
            return k + 1
        if t.low(k) in _DOT_WORDS:
            return k + 1
        if (
            t.is_punct(k, "({[")
            and t.is_punct(k + 2, ")}]")
            and (t.low(k + 1) in _DOT_WORDS or t.is_punct(k + 1, "."))
        ):
            return k + 3  # "[dot]", "(.)"
        return None

    def _label_end(self, k: int) -> int | None:
        """Last token of a domain label starting at k ('lex-bg', 'mail')."""
        t = self.t
        if not (t.is_word(k) or t.is_digits(k)):
            return None
        end = k
        while (
            t.is_punct(end + 1, "-")
            and t.tight(end + 1)
            and (t.is_word(end + 2) or t.is_digits(end + 2))
            and t.tight(end + 2)
        ):
            end += 2
        return end

    def _domain(self, k: int, *, any_tld: bool = False) -> tuple[int, bool] | None:
        """(last token, whether the first label is a known provider) of a domain at k; after a
        written "@" any top-level domain of letters will do."""
        t = self.t
        first = self._label_end(k)
        if first is None or "\n" in t.gap(k):
            return None
        provider = t.low(k) in _PROVIDERS
        end = first
        labels = 1
        while labels < 6:
            nxt = self._separator(end + 1)
            if nxt is None and provider and labels == 1 and t.low(end + 1) in _TLDS:
                nxt = end + 1  # "маймунка абв бг": the dot left out after a provider
            if nxt is None or "\n" in t.gap(end + 1):
                break
            label = self._label_end(nxt)
            if label is None:
                break
            end = label
            labels += 1
        tld = t.low(end)
        known = tld in _TLDS or (any_tld and t.is_word(end) and 2 <= len(tld) <= 6)
        if labels < 2 or not known:
            # "маймунка абв", "sashka точка б на абв": a mail provider, the end left out
            return (first, True) if provider and labels == 1 else None
        return end, provider

    def _local(self, j: int, floor: int) -> tuple[int, bool] | None:
        """(first token, whether it has dots, underscores or digits) of the local part ending
        at token j."""
        t = self.t
        if j < floor or not (t.is_word(j) or t.is_digits(j)):
            return None
        start = j
        marks = t.is_digits(j) or any(c.isdigit() for c in t.toks[j].text)
        for _ in range(8):
            if (
                t.is_punct(start - 1, _LOCAL_JOINERS)
                and t.tight(start)
                and t.tight(start - 1)
                and (t.is_word(start - 2) or t.is_digits(start - 2))
                and start - 2 >= floor
            ):
                start -= 2
                marks = True
            elif (
                t.low(start - 1) in _DOT_WORDS | _JOIN_WORDS
                and (t.is_word(start - 2) or t.is_digits(start - 2))
                and start - 2 >= floor
            ):
                start -= 2
                if t.low(start) == "долна" and (t.is_word(start - 1) or t.is_digits(start - 1)):
                    start -= 1  # "долна черта"
                marks = True
            elif (
                (t.is_digits(start - 1) or t.is_word(start - 1))
                and t.tight(start)
                and start - 1 >= floor
                and t.toks[start - 1].kind != t.toks[start].kind
            ):
                start -= 1  # "petrova87": letters and digits typed together
                marks = True
            else:
                break
        return start, marks
