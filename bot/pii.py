"""Personal-data guard for free text typed into the bot.

Cases concern children, and the link between a case code and a real person must stay in the
lead agency's own records. Before the bot stores or shows any free text it asks this module
whether the text carries a personal number (ЕГН, ЛНЧ), a phone number, an e-mail address, a
street address, a date of birth or a person's name, so the text can be refused or redacted.

Design: the text is split once into tokens (digit runs, letter runs, single other
characters), and every detector scans the tokens with a bounded look-ahead. No regular
expression here can backtrack over more than a constant stretch, so the whole check is linear
in the length of the text. The checker is deliberately conservative about names (a lone first
name is not reported) and about dates (a date is reported only next to a birth word).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Final

__all__ = ["Finding", "PiiKind", "find_personal_data", "is_valid_egn", "is_valid_lnch"]


class PiiKind(StrEnum):
    EGN = "egn"
    LNCH = "lnch"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    BIRTH_DATE = "birth_date"
    NAME = "name"


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal data; ``text[start:end]`` is what a redactor should remove."""

    kind: PiiKind
    start: int
    end: int


# ---------------------------------------------------------------------------------------------
# Personal numbers
# ---------------------------------------------------------------------------------------------

_EGN_WEIGHTS: Final = (2, 4, 8, 5, 10, 9, 7, 3, 6)
_LNCH_WEIGHTS: Final = (21, 19, 17, 13, 11, 9, 7, 3, 1)
_ASCII_DIGITS: Final = frozenset("0123456789")


def _ten_digits(digits: str) -> bool:
    return len(digits) == 10 and all(c in _ASCII_DIGITS for c in digits)


def is_valid_egn(digits: str) -> bool:
    """Checksum plus a real birth date, so only about 1 in 100 random 10-digit numbers pass."""
    if not _ten_digits(digits):
        return False
    year, month, day = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    if 1 <= month <= 12:
        year += 1900
    elif 21 <= month <= 32:
        year, month = year + 1800, month - 20
    elif 41 <= month <= 52:
        year, month = year + 2000, month - 40
    else:
        return False
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return False
    check = sum(int(d) * w for d, w in zip(digits, _EGN_WEIGHTS, strict=False)) % 11
    return (0 if check == 10 else check) == int(digits[9])


def is_valid_lnch(digits: str) -> bool:
    """ЛНЧ (personal number of a foreigner) has only a checksum, no embedded date."""
    if not _ten_digits(digits):
        return False
    check = sum(int(d) * w for d, w in zip(digits, _LNCH_WEIGHTS, strict=False)) % 10
    return check == int(digits[9])


# ---------------------------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------------------------

_DIGIT: Final = 0
_WORD: Final = 1
_PUNCT: Final = 2

# Each alternative consumes at least one character and never backtracks into another.
_TOKEN_RE: Final = re.compile(r"[0-9]+|[^\W\d_]+|\S")
_INLINE_SPACE: Final = frozenset(" \t\u00a0\u202f\u2009\u2007")
_OPEN_QUOTES: Final = frozenset("„“\"«'‘‚‹")
_CLOSE_QUOTES: Final = frozenset("“”\"»'’‹›")
# Punctuation after which a capital letter says nothing about a word being a name.
_LEADING_PUNCT: Final = frozenset(".!?…:;\"'„“”«»[]-–—•*/")


@dataclass(frozen=True, slots=True)
class _Tok:
    start: int
    end: int
    kind: int
    text: str
    low: str


def _tokenize(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text):
        s = m.group()
        c = s[0]
        kind = _DIGIT if c in _ASCII_DIGITS else _WORD if c.isalpha() else _PUNCT
        out.append(_Tok(m.start(), m.end(), kind, s, s.lower()))
    return out


class _Text:
    """The text with its tokens and the few adjacency questions every detector asks."""

    __slots__ = ("n", "text", "toks")

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokenize(text)
        self.n = len(self.toks)

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
        return 0 <= i < self.n and self.toks[i].kind == _WORD

    def is_digits(self, i: int) -> bool:
        return 0 <= i < self.n and self.toks[i].kind == _DIGIT

    def is_punct(self, i: int, chars: str | frozenset[str]) -> bool:
        return 0 <= i < self.n and self.toks[i].kind == _PUNCT and self.toks[i].text in chars

    def low(self, i: int) -> str:
        return self.toks[i].low if 0 <= i < self.n else ""

    def skip_dot(self, i: int) -> int:
        """Index after an optional abbreviation dot right after token i-1."""
        return i + 1 if self.is_punct(i, ".") and self.tight(i) else i


def _is_cap(word: str) -> bool:
    return word[:1].isupper() and (len(word) == 1 or word[1:].islower())


def _is_upper(word: str) -> bool:
    return len(word) > 1 and word.isupper()


# ---------------------------------------------------------------------------------------------
# Numbers: ЕГН, ЛНЧ and phones
# ---------------------------------------------------------------------------------------------

_LNCH_WORDS: Final = frozenset({"лнч", "lnch", "lnc", "lnč"})
_ID_WORDS: Final = _LNCH_WORDS | {"егн", "egn"}
# fmt: off
_PHONE_WORDS: Final = frozenset(
    {
        "тел", "телефон", "телефона", "телефонът", "телефони", "телефонен", "gsm", "моб",
        "мобилен", "мобилния", "мобилният", "tel", "phone", "telephone", "mobile", "mob",
        "cell", "viber", "whatsapp", "телефонния", "телефонният", "звъннете", "landline",
    }
)
_DOC_WORDS: Final = frozenset(
    {"№", "no", "n", "nr", "изх", "вх", "рег", "протокол", "решение", "дело", "преписка",
     "заповед", "ref", "case"}
)
# fmt: on
_MOBILE_PREFIXES: Final = ("087", "088", "089", "098", "099")
_SERVICE_PREFIXES: Final = ("0700", "0800", "0900", "0701", "0801", "0901")
_HELPLINES: Final = frozenset({"112", "116111", "116000", "116123", "080019100"})
_SEPARATORS: Final = frozenset({"", "-", ".", "/", "–", "(", ")"})


def _words_before(t: _Text, i: int, count: int) -> list[str]:
    """Lower-case tokens (words and symbols) among the `count` tokens before i."""
    return [t.toks[j].low for j in range(max(0, i - count), i)]


def _is_mobile(national: str) -> bool:
    return len(national) == 10 and national.startswith(_MOBILE_PREFIXES)


def _is_landline(national: str) -> bool:
    return (
        len(national) == 9
        and national[0] == "0"
        and national[1] in "23456789"
        and not national.startswith(_MOBILE_PREFIXES)
        and not national.startswith(_SERVICE_PREFIXES)
    )


def _bg_national(digits: str, international: bool) -> str | None:
    """Normalise +359 / 00359 prefixes to the national 0… form; None if not Bulgarian."""
    if digits.startswith("00359"):
        rest = digits[5:]
    elif international and digits.startswith("359"):
        rest = digits[3:]
    elif digits.startswith("0") and not digits.startswith("00"):
        return digits
    else:
        return None
    return "0" + (rest[1:] if rest.startswith("0") else rest)


class _NumberScanner:
    """Finds personal numbers and phones among runs of digit groups."""

    def __init__(self, t: _Text, out: list[Finding]) -> None:
        self.t = t
        self.out = out
        self.id_tokens: set[int] = set()

    def run(self) -> None:
        t = self.t
        for i in range(t.n):
            if t.toks[i].kind == _DIGIT and len(t.toks[i].text) == 10:
                self._personal_number(i)
            elif t.toks[i].kind == _WORD and t.toks[i].low in _ID_WORDS:
                self._split_personal_number(i)
        i = 0
        while i < t.n:
            if t.is_digits(i) and i not in self.id_tokens:
                groups, seps = self._chain(i)
                self._phones(groups, seps)
                i = groups[-1] + 1
            else:
                i += 1

    def _personal_number(self, i: int) -> None:
        t = self.t
        digits = t.toks[i].text
        before = _words_before(t, i, 5)
        lnch_word = any(w in _LNCH_WORDS for w in before)
        egn_ok = is_valid_egn(digits)
        lnch_ok = is_valid_lnch(digits)
        if lnch_ok and (lnch_word or not egn_ok):
            if digits.startswith(_MOBILE_PREFIXES) and not lnch_word:
                return  # a mobile number written without spaces
            if "№" in before and not lnch_word:
                return
            kind = PiiKind.LNCH
        elif egn_ok:
            kind = PiiKind.EGN
        else:
            return
        self.id_tokens.add(i)
        self.out.append(Finding(kind, t.toks[i].start, t.toks[i].end))

    def _split_personal_number(self, i: int) -> None:
        """'ЕГН 850101 1234': after the label, a number typed in groups is still a number."""
        t = self.t
        k = i + 1
        while k < i + 3 and t.is_punct(k, ":-–№"):
            k += 1
        if not (t.is_digits(k) and t.spaced(k)) or len(t.toks[k].text) >= 10:
            return
        digits = t.toks[k].text
        last = k
        while len(digits) < 10 and last + 1 < t.n:
            nxt = last + 2 if t.is_punct(last + 1, "-") and t.tight(last + 1) else last + 1
            if not t.is_digits(nxt):
                return
            gap = t.text[t.toks[last].end : t.toks[nxt].start]
            if gap.strip("-") not in ("", " "):
                return
            digits += t.toks[nxt].text
            last = nxt
        if len(digits) != 10 or (t.is_digits(last + 1) and t.spaced(last + 1)):
            return
        lnch_word = t.toks[i].low in _LNCH_WORDS
        if is_valid_egn(digits) and not (lnch_word and is_valid_lnch(digits)):
            kind = PiiKind.EGN
        elif is_valid_lnch(digits):
            kind = PiiKind.LNCH
        else:
            return
        self.id_tokens.update(range(k, last + 1))
        self.out.append(Finding(kind, t.toks[k].start, t.toks[last].end))

    def _chain(self, i: int) -> tuple[list[int], list[str]]:
        """Digit groups joined by phone-like separators, starting at token i."""
        t = self.t
        groups = [i]
        seps: list[str] = []
        j = i
        while len(groups) < 64:
            k = j + 1
            sep = ""
            if t.is_punct(k, "-./–()"):
                sep = t.toks[k].text
                k += 1
            if not t.is_digits(k) or k in self.id_tokens:
                break
            raw = t.text[t.toks[j].end : t.toks[k].start]
            if len(raw) > 3 or "\n" in raw or raw.strip("".join(_INLINE_SPACE)) not in _SEPARATORS:
                break
            groups.append(k)
            seps.append(sep)
            j = k
        return groups, seps

    def _date_like(self, groups: list[int], seps: list[str], s: int) -> int:
        """How many groups from s form a date or time (dd.mm.yyyy, dd.mm, hh.mm); 0 if none."""
        t = self.t
        lens = [len(t.toks[g].text) for g in groups[s : s + 3]]
        if len(lens) >= 2 and lens[0] <= 2 and lens[1] <= 2 and seps[s] in (".", "/", "-"):
            a, b = int(t.toks[groups[s]].text), int(t.toks[groups[s + 1]].text)
            if (
                len(lens) == 3
                and lens[2] in (2, 4)
                and seps[s + 1] == seps[s]
                and 1 <= a <= 31
                and 1 <= b <= 12
            ):
                return 3
            if seps[s] in (".", "/") and lens[1] == 2 and ((a <= 31 and 1 <= b <= 12) or a <= 23):
                return 2
        if len(lens) == 3 and lens[0] == 4 and lens[1] == 2 and lens[2] == 2 and seps[s] == "-":
            year, month, day = (int(t.toks[g].text) for g in groups[s : s + 3])
            if 1800 <= year <= 2199 and 1 <= month <= 12 and 1 <= day <= 31:
                return 3
        return 0

    def _context(self, first: int) -> tuple[bool, bool, bool, int]:
        """(international prefix, phone keyword, looks like a code, span start) for a chain."""
        t = self.t
        tok = t.toks[first]
        start = tok.start
        plus = False
        if t.is_punct(first - 1, "+") and t.spaced(first):
            plus = True
            start = t.toks[first - 1].start
        elif t.is_punct(first - 1, "(") and t.tight(first):
            start = t.toks[first - 1].start
        before = _words_before(t, first - (1 if plus else 0), 6)
        keyword = any(w in _PHONE_WORDS for w in before)
        code = False
        if t.tight(first) and t.is_word(first - 1) and t.low(first - 1) not in _PHONE_WORDS:
            code = True  # "ВТ2345", "BG0888…": part of a code
        if (
            t.is_punct(first - 1, "-/")
            and t.tight(first)
            and (t.is_word(first - 2) or t.is_digits(first - 2))
            and t.tight(first - 1)
        ):
            code = True  # "ВТ-0234", "12/0888…"
        if not keyword and any(w in _DOC_WORDS for w in before[-2:]):
            code = True
        return plus, keyword, code, start

    def _phones(self, groups: list[int], seps: list[str]) -> None:
        t = self.t
        plus, keyword, code, first_start = self._context(groups[0])
        if code and not keyword:
            return
        found = False
        k = len(groups)
        s = 0
        while s < k:
            skip = self._date_like(groups, seps, s) if s + 1 < k else 0
            if skip:
                s += skip
                continue
            end = self._phone_end(groups, seps, s, plus and s == 0)
            if end is None:
                s += 1
                continue
            start = first_start if s == 0 else t.toks[groups[s]].start
            self.out.append(Finding(PiiKind.PHONE, start, t.toks[groups[end]].end))
            found = True
            s = end + 1
        if not found and keyword:
            digits = "".join(t.toks[g].text for g in groups)
            short = len(groups) == 1 or not self._date_like(groups, seps, 0)
            if 5 <= len(digits) <= 13 and short and digits not in _HELPLINES:
                last = groups[-1]
                self.out.append(Finding(PiiKind.PHONE, first_start, t.toks[last].end))

    def _phone_end(self, groups: list[int], seps: list[str], s: int, plus: bool) -> int | None:
        """Index of the last group of a phone number starting at group s, if there is one."""
        t = self.t
        digits = ""
        foreign_end: int | None = None
        for e in range(s, min(len(groups), s + 8)):
            if e > s and seps[e - 1] == "/" and e - 1 != s:
                break
            digits += t.toks[groups[e]].text
            if len(digits) > 15:
                break
            national = _bg_national(digits, plus)
            if national is not None:
                if len(national) > 10:
                    break
                if _is_mobile(national) or _is_landline(national):
                    return e
            elif (plus or digits.startswith("00")) and len(digits) >= 9:
                foreign_end = e
        return foreign_end


# ---------------------------------------------------------------------------------------------
# E-mail
# ---------------------------------------------------------------------------------------------

_LOCAL_EXTRA: Final = frozenset("._%+-")
_DOMAIN_EXTRA: Final = frozenset(".-")
_AT_WORD_RE: Final = re.compile(r"[ \t]?[\[(][ \t]?(?:at|ат)[ \t]?[\])][ \t]?", re.IGNORECASE)


def _emails(text: str, out: list[Finding]) -> None:
    n = len(text)
    ats: list[tuple[int, int]] = []
    pos = text.find("@")
    while pos != -1:
        ats.append((pos, pos + 1))
        pos = text.find("@", pos + 1)
    ats.extend((m.start(), m.end()) for m in _AT_WORD_RE.finditer(text))
    ats.sort()
    floor = 0
    for at_start, at_end in ats:
        if at_start < floor:
            continue
        if (
            at_start >= 2
            and at_end + 1 < n
            and text[at_start - 1] == " "
            and text[at_end] == " "
            and text[at_start - 2].isalnum()
            and text[at_end + 1].isalnum()
        ):
            at_start, at_end = at_start - 1, at_end + 1  # "mimi.2010 @ abv.bg"
        i = at_start
        while i > floor and (text[i - 1].isalnum() or text[i - 1] in _LOCAL_EXTRA):
            i -= 1
        j = at_end
        while j < n and (text[j].isalnum() or text[j] in _DOMAIN_EXTRA):
            j += 1
        while i < at_start and text[i] in _LOCAL_EXTRA:
            i += 1
        while j > at_end and text[j - 1] in _DOMAIN_EXTRA:
            j -= 1
        if i >= at_start or not _valid_domain(text[at_end:j]):
            floor = max(floor, at_end)
            continue
        out.append(Finding(PiiKind.EMAIL, i, j))
        floor = j


def _spelled_emails(t: _Text, out: list[Finding]) -> None:
    """'ivan at abv dot bg': an address spelled out to dodge spam filters is still an address."""
    for i in range(1, t.n - 3):
        if not (
            t.low(i) in ("at", "ат")
            and t.low(i + 2) in ("dot", "точка")
            and t.is_word(i + 3)
            and len(t.toks[i + 3].text) >= 2
            and (t.is_word(i + 1) or t.is_digits(i + 1))
            and (t.is_word(i - 1) or t.is_digits(i - 1))
        ):
            continue
        start = i - 1
        for _ in range(8):  # local part: "ivan.petrov_85"
            if (
                t.tight(start)
                and t.is_punct(start - 1, "._-+")
                and t.tight(start - 1)
                and (t.is_word(start - 2) or t.is_digits(start - 2))
            ):
                start -= 2
            else:
                break
        out.append(Finding(PiiKind.EMAIL, t.toks[start].start, t.toks[i + 3].end))


def _valid_domain(domain: str) -> bool:
    labels = domain.split(".")
    if len(labels) < 2 or any(not label for label in labels):
        return False
    tld = labels[-1]
    return len(tld) >= 2 and tld.isalpha()


# ---------------------------------------------------------------------------------------------
# Street addresses
# ---------------------------------------------------------------------------------------------

# Street words that introduce a street name; the bool says whether a dot must follow.
# fmt: off
_STREET_PREFIX: Final = {
    "ул": False, "улица": False, "бул": False, "булевард": False, "пл": True, "площад": False,
    "жк": False, "кв": True, "квартал": False, "ul": False, "ulitsa": False, "ulica": False,
    "bul": False, "blvd": True, "bulevard": False, "zhk": False, "jk": False, "kv": True,
    "kvartal": False, "pl": True, "ploshtad": False,
}
# fmt: on
# Parts of a flat's address; the bool says whether a dot must follow.
# fmt: off
_COMPONENT: Final = {
    "бл": False, "блок": False, "вх": False, "вход": False, "ет": False, "етаж": False,
    "ап": False, "апартамент": False, "bl": True, "block": False, "vh": True, "entrance": False,
    "et": True, "floor": False, "ap": True, "apt": False, "apartment": False, "flat": False,
}
_COMPONENT_KIND: Final = {
    "бл": "n", "блок": "n", "bl": "n", "block": "n",
    "вх": "l", "вход": "l", "vh": "l", "entrance": "l",
    "ет": "f", "етаж": "f", "et": "f", "floor": "f",
    "ап": "n", "апартамент": "n", "ap": "n", "apt": "n", "apartment": "n", "flat": "n",
}
_STREET_SUFFIX: Final = frozenset(
    {"street", "str", "st", "road", "rd", "avenue", "ave", "lane", "boulevard", "blvd",
     "drive", "square", "crescent", "terrace"}
)
# fmt: on
# Streets that may be numbered ("ул. 15") or named in lower case when the dot is there.
_NUMBERED_STREETS: Final = frozenset({"ул", "бул", "ul", "bul"})
# Whole words that only continue an address ("бл. 5, вход А") but never start one alone.
# fmt: off
_CONTINUATION_ONLY: Final = frozenset(
    {"блок", "вход", "вх", "етаж", "ет", "block", "floor", "entrance", "vh", "et"}
)
_FULL_STREET_WORDS: Final = frozenset(
    {"улица", "булевард", "площад", "квартал", "ulitsa", "ulica", "bulevard", "kvartal",
     "ploshtad"}
)
# fmt: on
_ARTICLES: Final = frozenset({"the", "a", "an", "of", "on", "at", "in", "and", "to", "from"})
_NUMBER_WORDS: Final = frozenset({"№", "no", "n", "номер", "#", "nr"})
_SETTLEMENT: Final = {"с": True, "село": False, "гр": True, "град": False}
_ROMAN: Final = frozenset({"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi"})


class _AddressScanner:
    """Street phrases: 'ул. „Шипка“ № 5, бл. 12, вх. А', '12 Baker Street', 'flat 5'."""

    def __init__(self, t: _Text, out: list[Finding]) -> None:
        self.t = t
        self.out = out

    def run(self) -> None:
        t = self.t
        i = 0
        while i < t.n:
            end = self._at(i) if t.is_word(i) else None
            if end is None:
                i += 1
                continue
            start, last = end
            self.out.append(Finding(PiiKind.ADDRESS, t.toks[start].start, t.toks[last].end))
            i = last + 1

    def _at(self, i: int) -> tuple[int, int] | None:
        t = self.t
        low = t.low(i)
        zhk = low in ("ж", "zh", "j") and t.is_punct(i + 1, ".") and t.low(i + 2) in ("к", "k")
        if low in _STREET_PREFIX or zhk:
            last = self._street(i)
            if last is not None:
                return i, self._components(last)
        if low in _COMPONENT:
            last = self._component(i)
            if last is not None:
                end = self._components(last)
                if low not in _CONTINUATION_ONLY or end != last:
                    return i, end
        if low in _STREET_SUFFIX:
            return self._suffix(i)
        if low in _SETTLEMENT:
            last = self._settlement(i)
            if last is not None:
                return i, last
        return None

    def _after_trigger(self, i: int, dot_required: bool) -> int | None:
        t = self.t
        j = t.skip_dot(i + 1)
        if dot_required and j == i + 1:
            return None
        return j if j < t.n and t.spaced(j) else None

    def _street(self, i: int) -> int | None:
        """Last token of a street name (and house number) after a street word at i."""
        t = self.t
        low = t.low(i)
        if low in _STREET_PREFIX:
            j = self._after_trigger(i, _STREET_PREFIX[low])
        else:  # ж.к. / zh.k.
            if not (t.is_punct(i + 1, ".") and t.tight(i + 1) and t.spaced(i + 2)):
                return None
            j = self._after_trigger(i + 2, False)
        if j is None:
            return None
        # a full word ("улица") or an abbreviation without its dot must precede a name
        bare = low in _FULL_STREET_WORDS or (low in ("ул", "бул", "ul", "bul") and j == i + 1)
        named = t.is_punct(j, _OPEN_QUOTES) or (t.is_word(j) and _is_cap(t.toks[j].text))
        if bare and not named:
            return None
        last = self._street_name(j, numbered=low in _NUMBERED_STREETS)
        if last is None:
            return self._lowercase_street(j) if j > i + 1 and low in _NUMBERED_STREETS else None
        return self._house_number(last)

    def _lowercase_street(self, j: int) -> int | None:
        """'ул. шипка 5': typed in a hurry, the name is lower-case but a number follows."""
        t = self.t
        k = j
        while k < j + 3 and t.is_word(k) and t.toks[k].text.islower() and t.spaced(k):
            k += 1
        if k == j:
            return None
        last = self._house_number(k - 1)
        return last if last != k - 1 else None

    def _street_name(self, j: int, numbered: bool) -> int | None:
        t = self.t
        if t.is_punct(j, _OPEN_QUOTES):
            for k in range(j + 1, min(t.n, j + 9)):
                if "\n" in t.gap(k):
                    break
                if t.is_punct(k, _CLOSE_QUOTES):
                    return k if k > j + 1 else None
            j += 1
        last: int | None = None
        k = j
        while k < t.n and k < j + 6:
            if k > j and not t.spaced(k) and not t.tight(k):
                break
            tok = t.toks[k]
            if tok.kind == _WORD and (_is_cap(tok.text) or _is_upper(tok.text)):
                last = k
                k += 1
                if t.is_punct(k, ".") and len(tok.text) <= 3 and t.is_word(k + 1):
                    k += 1  # "Св. Климент"
                continue
            if tok.kind == _WORD and tok.low in _ROMAN and last is not None:
                last = k
                k += 1
                continue
            if tok.kind == _DIGIT and last is None and numbered:
                last = k
                if t.is_punct(k + 1, "-") and t.is_word(k + 2) and t.tight(k + 2):
                    last = k + 2  # "6-ти септември"
                    if t.is_word(k + 3) and t.spaced(k + 3):
                        last = k + 3
                    return last
                return last
            if tok.kind == _PUNCT and tok.text == "-" and t.tight(k) and t.is_word(k + 1):
                k += 1
                continue
            break
        return last

    def _house_number(self, last: int) -> int:
        t = self.t
        k = last + 1
        if t.is_punct(k, _CLOSE_QUOTES):
            k += 1
        if t.is_punct(k, ","):
            k += 1
        if t.low(k) in _NUMBER_WORDS:
            k = t.skip_dot(k + 1)
        if (
            t.is_digits(k)
            and len(t.toks[k].text) <= 3
            and t.toks[k].text[0] != "0"
            and t.spaced(k)
            and not (t.is_punct(k + 1, ".:") and t.is_digits(k + 2) and t.tight(k + 2))
        ):
            return self._number_suffix(k)
        return last

    def _number_suffix(self, k: int) -> int:
        """Include a letter after a house number: '15А', '15-А', '15 А'."""
        t = self.t
        if t.is_word(k + 1) and t.tight(k + 1) and len(t.toks[k + 1].text) == 1:
            return k + 1
        if t.is_punct(k + 1, "-/") and t.tight(k + 1) and t.tight(k + 2):
            if t.is_word(k + 2) and len(t.toks[k + 2].text) == 1:
                return k + 2
            if t.is_digits(k + 2) and len(t.toks[k + 2].text) <= 3:
                return k + 2
        return k

    def _component(self, i: int) -> int | None:
        t = self.t
        low = t.low(i)
        j = self._after_trigger(i, _COMPONENT[low])
        if j is None:
            return None
        if low in ("flat", "apt", "apartment", "floor", "block", "entrance") and t.is_punct(
            j, "№#"
        ):
            j += 1
        kind = _COMPONENT_KIND[low]
        tok = t.toks[j] if j < t.n else None
        if tok is None or not (t.spaced(j) or t.tight(j)):
            return None
        if kind == "l":
            ok = (tok.kind == _WORD and len(tok.text) == 1 and tok.text.isupper()) or (
                tok.kind == _DIGIT and len(tok.text) <= 2
            )
            if not ok or t.is_punct(j + 1, "/") or t.is_punct(j + 1, "."):
                return None
            return j
        if tok.kind != _DIGIT:
            return None
        if kind == "f":
            return j if len(tok.text) <= 2 and not t.is_punct(j + 1, "/") else None
        if len(tok.text) > 4 or (t.is_punct(j + 1, "/") and t.is_digits(j + 2)):
            return None
        return self._number_suffix(j)

    def _components(self, last: int) -> int:
        """Extend an address over following 'бл. 12, вх. А, ет. 3, ап. 5' parts."""
        t = self.t
        for _ in range(6):
            k = last + 1
            if t.is_punct(k, ","):
                k += 1
            if not (t.is_word(k) and t.low(k) in _COMPONENT and t.spaced(k)):
                return last
            nxt = self._component(k)
            if nxt is None:
                return last
            last = nxt
        return last

    def _suffix(self, i: int) -> tuple[int, int] | None:
        """'12 Baker Street', 'Rakovski Str. 15': name words before a street word."""
        t = self.t
        k = i
        first: int | None = None
        while k - 1 >= 0 and i - k < 3 and t.spaced(k) and t.is_word(k - 1):
            w = t.toks[k - 1].text
            if not _is_cap(w) or w.lower() in _ARTICLES:
                break
            first = k - 1
            k -= 1
        if first is None:
            return None
        has_number = False
        if t.is_digits(first - 1) and t.spaced(first) and len(t.toks[first - 1].text) <= 4:
            first -= 1
            has_number = True
        last = t.skip_dot(i + 1) - 1
        nxt = self._house_number(last)
        if nxt != last:
            has_number = True
            last = nxt
        if not has_number:
            return None  # "Ivan Vazov Street is closed" names a street, not where someone lives
        return first, self._components(last)

    def _settlement(self, i: int) -> int | None:
        """'с. Русаля № 15': a village house number is as precise as a street address."""
        t = self.t
        j = self._after_trigger(i, _SETTLEMENT[t.low(i)])
        if j is None:
            return None
        k = j
        while k < t.n and k < j + 3 and t.is_word(k) and _is_cap(t.toks[k].text):
            k += 1
        if k == j:
            return None
        if t.is_punct(k, ","):
            k += 1
        if t.low(k) not in _NUMBER_WORDS:
            return None
        k = t.skip_dot(k + 1)
        if not t.is_digits(k):
            return None
        return self._components(self._number_suffix(k))


# ---------------------------------------------------------------------------------------------
# Dates of birth
# ---------------------------------------------------------------------------------------------

# fmt: off
_MONTHS: Final = frozenset(
    {
        "януари", "февруари", "март", "април", "май", "юни", "юли", "август", "септември",
        "октомври", "ноември", "декември", "яну", "фев", "мар", "апр", "авг", "сеп", "септ",
        "окт", "ное", "дек", "january", "february", "march", "april", "may", "june", "july",
        "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr",
        "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    }
)
# fmt: on
_ORDINALS: Final = frozenset({"st", "nd", "rd", "th", "ти", "ви", "ри", "ми"})
# fmt: off
_BIRTH_WORDS: Final = frozenset(
    {
        "роден", "родена", "родено", "родени", "роди", "родила", "родил", "раждане",
        "раждането", "рождена", "рожден", "рождения", "рожденият", "рождената", "рожд", "born",
        "birth",
        "birthdate", "birthday", "dob",
    }
)
# fmt: on
# A birthday is often mentioned with an event (a party) whose date follows later.
_BIRTHDAY_WORDS: Final = frozenset({"birthday", "рожден", "рождения", "рожденият"})
_BIRTH_ABBREV: Final = frozenset({"р", "b"})
# fmt: off
_WINDOW_STOP: Final = frozenset(
    {
        "и", "но", "а", "след", "преди", "когато", "докато", "който", "която", "което", "срещата",
        "среща", "and", "but", "after", "before", "when", "while", "since", "then", "until",
        "meeting", "moved", "review",
    }
)
_ABBREVIATIONS: Final = frozenset(
    {"гр", "с", "ул", "бул", "кв", "ж", "к", "св", "д", "р", "бл", "вх", "ап", "ет", "пл",
     "st", "mr", "mrs", "ms", "dr", "no", "г", "рожд", "дат"}
)
# fmt: on


def _date_at(t: _Text, j: int) -> int | None:
    """Last token of a date starting at token j: 12.03.2015, 3 май 2014, May 3, 2014 …"""
    if t.is_digits(j):
        text = t.toks[j].text
        if (
            len(text) <= 2
            and t.is_punct(j + 1, "./-")
            and t.tight(j + 1)
            and t.is_digits(j + 2)
            and t.tight(j + 2)
            and len(t.toks[j + 2].text) <= 2
        ):
            day, month = int(text), int(t.toks[j + 2].text)
            if not (1 <= day <= 31 and 1 <= month <= 12):
                return None
            sep = t.toks[j + 1].text
            if (
                t.is_punct(j + 3, sep)
                and t.tight(j + 3)
                and t.is_digits(j + 4)
                and t.tight(j + 4)
                and len(t.toks[j + 4].text) in (2, 4)
            ):
                return j + 4
            return j + 2
        if (
            len(text) == 4
            and t.is_punct(j + 1, "-")
            and t.tight(j + 1)
            and t.is_digits(j + 2)
            and t.tight(j + 2)
            and t.is_punct(j + 3, "-")
            and t.is_digits(j + 4)
            and t.tight(j + 4)
            and 1 <= int(t.toks[j + 2].text[:2]) <= 12
            and 1 <= int(t.toks[j + 4].text[:2]) <= 31
        ):
            return j + 4
        if len(text) <= 2 and 1 <= int(text) <= 31:
            k = j + 1
            if t.is_punct(k, "-") and t.tight(k) and t.low(k + 1) in _MONTHS and t.tight(k + 1):
                # 12-Mar-2015
                if t.is_punct(k + 2, "-") and t.is_digits(k + 3) and t.tight(k + 3):
                    return k + 3
                return k + 1
            if t.is_punct(k, "-") and t.tight(k) and t.low(k + 1) in _ORDINALS:
                k += 2
            elif t.low(k) in _ORDINALS and t.tight(k):
                k += 1
            if t.low(k) == "of" and k > j + 1:
                k += 1  # "3rd of May"
            if t.is_word(k) and t.low(k) in _MONTHS and t.spaced(k):
                return _year_after(t, k)
        return None
    if t.is_word(j) and t.low(j) in _MONTHS:
        k = t.skip_dot(j + 1)
        if t.is_digits(k) and t.spaced(k):
            text = t.toks[k].text
            if len(text) == 4:
                return k
            if len(text) <= 2 and 1 <= int(text) <= 31:
                last = k + 1 if t.low(k + 1) in _ORDINALS and t.tight(k + 1) else k
                return _year_after(t, last)
    return None


def _year_after(t: _Text, last: int) -> int:
    k = last + 1
    if t.is_punct(k, ".") and t.tight(k) and len(t.toks[last].text) <= 4:
        k += 1  # "Dec. 2014", "мар. 2015"
    if t.is_punct(k, ","):
        k += 1
    if t.is_digits(k) and len(t.toks[k].text) == 4 and (t.spaced(k) or t.tight(k)):
        return k
    return last


def _sentence_break(t: _Text, k: int) -> bool:
    if t.is_punct(k, "!?;…"):
        return True
    if t.is_punct(k, "."):
        before = t.low(k - 1)
        return not (t.tight(k) and (len(before) <= 2 or before in _ABBREVIATIONS))
    return False


def _birth_dates(t: _Text, out: list[Finding]) -> None:
    i = 0
    while i < t.n:
        tok = t.toks[i]
        found: tuple[int, int] | None = None
        if tok.kind == _WORD and tok.low in _BIRTH_WORDS:
            found = _date_in_window(t, i + 1, 12, 4 if tok.low in _BIRTHDAY_WORDS else 6)
        elif tok.kind == _WORD and tok.low in _BIRTH_ABBREV and t.is_punct(i + 1, "."):
            if t.tight(i + 1):
                found = _date_in_window(t, i + 2, 1)
        elif _dotted_birth_label(t, i):
            found = _date_in_window(t, i + 3, 10)
        elif tok.kind == _DIGIT:
            last = _date_at(t, i)
            if last is not None and _followed_by_gr(t, last + 1):
                found = (i, last)
        if found is None:
            i += 1
            continue
        start, last = found
        out.append(Finding(PiiKind.BIRTH_DATE, t.toks[start].start, t.toks[last].end))
        i = last + 1


def _dotted_birth_label(t: _Text, i: int) -> bool:
    """'D.O.B.' and 'д.р.' (дата на раждане) written with dots."""
    if not (t.is_word(i) and t.is_punct(i + 1, ".") and t.tight(i + 1)):
        return False
    low = t.low(i)
    if low == "д":
        return t.low(i + 2) == "р" and t.tight(i + 2)
    return low == "d" and t.low(i + 2) == "o" and t.is_punct(i + 3, ".") and t.low(i + 4) == "b"


def _followed_by_gr(t: _Text, k: int) -> bool:
    """'12.03.2015 г.р.' (година на раждане)."""
    return t.low(k) == "г" and t.is_punct(k + 1, ".") and t.low(k + 2) == "р"


def _date_in_window(t: _Text, j: int, limit: int, max_words: int = 6) -> tuple[int, int] | None:
    """The first date within a few words after a birth word, in the same sentence."""
    words = 0
    for k in range(j, min(t.n, j + limit)):
        if _sentence_break(t, k):
            return None
        if "\n" in t.gap(k) and words > 0:
            return None
        last = _date_at(t, k)
        if last is not None:
            return k, last
        if t.is_word(k):
            # "роден/а", "роден(а)": the ending is not the conjunction "а"
            suffix = t.is_punct(k - 1, "/(") and t.tight(k) and len(t.toks[k].text) == 1
            if t.low(k) in _WINDOW_STOP and not suffix:
                return None
            words += 1
            if words > max_words:
                return None
        elif t.is_digits(k):
            words += 1
    return None


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------


def _load_names(filename: str) -> frozenset[str]:
    path = Path(__file__).parent / "data" / filename
    names: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names.add(line.lower())
    return frozenset(names)


_FIRST_NAMES: Final = _load_names("bg_first_names.txt") | _load_names("latin_first_names.txt")

# fmt: off
_SURNAME_STRONG: Final = (
    "ов", "ова", "ев", "ева", "ски", "ска", "цки", "цка", "ич", "ян", "енко",
    "ov", "ova", "ev", "eva", "ski", "ska", "sky", "tski", "tska", "ich", "yan", "enko",
)
# fmt: on
_SURNAME_LONE: Final = ("ов", "ова", "ев", "ева", "ov", "ova", "ev", "eva")
_DEFINITE_ARTICLES: Final = ("ите", "ата", "ото", "ето", "ът", "ят")
_SURNAME_WEAK: Final = ("ин", "ина", "in", "ina")
_FAMILY_PLURAL: Final = ("ови", "еви", "ски", "ovi", "evi", "ovs", "evs", "ski")
# fmt: off
_ADJECTIVE_ENDINGS: Final = (
    "ическа", "ически", "ческа", "чески", "ска", "ски", "ско", "цка", "цки", "на", "ни", "но",
    "ен", "та", "то", "те", "ят", "ка", "ки",
    "ical", "ian", "ish", "ese", "al",
)
# fmt: on

# Words that turn a following capitalised pair into the name of a place, school or saint:
# the first set counts only when written with an abbreviation dot ("с. Иваново" is a village,
# "с Иван Петров" is "with Ivan Petrov").
# fmt: off
_BLOCK_DOTTED: Final = frozenset(
    {"св", "ул", "бул", "пл", "жк", "кв", "к", "ul", "bul", "гр", "с", "st", "su", "ou"}
)
_BLOCK_PLAIN: Final = frozenset(
    {
        "св", "свети", "света", "светите", "цар", "царица", "княз", "княгиня", "хан", "патриарх",
        "екзарх", "st", "saint", "king", "queen", "tsar", "prince", "princess", "ул", "улица",
        "бул", "булевард", "площад", "жк", "квартал", "ulitsa", "су", "оу", "ну", "пг", "пмг",
        "ег", "дг", "цдг", "сугс", "пгт", "училище", "училището", "гимназия", "гимназията",
        "фондация", "фондацията", "сдружение", "читалище", "читалището", "болница", "мбал",
        "университет", "университета", "школа", "foundation", "school", "college",
        "university", "hospital", "село", "град", "паметник", "паметника", "името", "ou", "su",
        "дом", "дома", "домът", "център", "центъра", "клуб", "клуба", "лагер", "награда",
    }
)
_FAMOUS: Final = frozenset(
    {
        ("васил", "левски"), ("христо", "ботев"), ("иван", "вазов"), ("иван", "рилски"),
        ("паисий", "хилендарски"), ("софроний", "врачански"), ("неофит", "рилски"),
        ("климент", "охридски"), ("георги", "раковски"), ("любен", "каравелов"),
        ("алеко", "константинов"), ("никола", "вапцаров"), ("пейо", "яворов"),
        ("димчо", "дебелянов"), ("елин", "пелин"), ("йордан", "йовков"), ("христо", "смирненски"),
        ("стефан", "стамболов"), ("петко", "славейков"), ("пенчо", "славейков"),
        ("георги", "бенковски"), ("панайот", "волов"), ("мария", "луиза"), ("иван", "асен"),
        ("вела", "благоева"), ("стефан", "караджа"), ("хаджи", "димитър"), ("гео", "милев"),
        ("александър", "стамболийски"), ("васил", "априлов"), ("емилиян", "станев"),
        ("vasil", "levski"), ("hristo", "botev"), ("ivan", "vazov"), ("ivan", "rilski"),
        ("kliment", "ohridski"), ("georgi", "rakovski"), ("aleko", "konstantinov"),
        ("maria", "luiza"), ("anna", "freud"), ("emiliyan", "stanev"), ("mother", "teresa"),
        ("майка", "тереза"), ("асен", "златаров"), ("asen", "zlatarov"),
    }
)
_STOP: Final = frozenset(
    {
        # months and weekdays
        "януари", "февруари", "март", "април", "май", "юни", "юли", "август", "септември",
        "октомври", "ноември", "декември", "понеделник", "вторник", "сряда", "четвъртък",
        "петък", "събота", "неделя", "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "sunday",
        # places
        "софия", "пловдив", "варна", "бургас", "русе", "търново", "габрово", "плевен", "ловеч",
        "враца", "видин", "монтана", "шумен", "добрич", "силистра", "разград", "търговище",
        "сливен", "ямбол", "хасково", "кърджали", "смолян", "пазарджик", "благоевград",
        "кюстендил", "перник", "свищов", "самоков", "петрич", "горна", "долна", "стара", "нова",
        "велико", "оряховица", "загора", "дебелец", "лясковец", "елена", "павликени", "килифарево",
        "арбанаси", "самоводене", "златарица", "стражица", "полски", "тръмбеш", "българия",
        "европа", "гърция", "турция", "германия", "англия", "sofia", "plovdiv", "varna", "burgas",
        "ruse", "tarnovo", "turnovo", "veliko", "gabrovo", "pleven", "bulgaria", "europe",
        "greece", "turkey", "germany", "london", "england", "uk", "svishtov", "lovech",
        "молдова", "moldova", "украйна", "ukraine", "сирия", "syria", "кишинев", "kishinev",
        "ростов", "rostov", "харков", "kharkov", "kharkiv", "львов", "lvov", "киев", "kiev",
        "samokov", "белослав", "тутракан", "исперих", "гоце", "делчев", "delchev",
        # institutions and common nouns written with a capital
        "община", "общината", "общински", "център", "центъра", "цоп", "озд", "дпс", "руо", "дсп",
        "асп", "рзи", "мкбппмн", "мвр", "оду", "рпу", "мон", "мтсп", "дазд", "уницеф", "sos",
        "министерство", "агенция", "дирекция", "отдел", "служба", "съд", "прокуратура",
        "полиция", "болница", "училище", "гимназия", "градина", "ясла", "клуб", "фондация",
        "сдружение", "комисия", "управление", "област", "областна", "районен", "районна",
        "регионален", "регионална", "университет", "академия", "читалище", "библиотека",
        "музей", "парк", "улица", "булевард", "площад", "квартал", "бог", "богу", "господ",
        "закрила", "детето", "детска", "социални", "социална", "услуги", "борд", "местен",
        "рилски", "chairman", "пирогов", "pirogov", "александровска", "лозенец", "токуда",
        "social", "services", "service", "centre", "center", "school", "academy", "hospital",
        "police", "department", "team", "unit", "court", "foundation", "council", "municipality",
        "ministry", "agency", "office", "board", "university", "college", "street", "road",
        "avenue", "lane", "square", "park", "bulgarian", "english", "case", "review", "meeting",
        "protection", "child", "children", "family", "mother", "father", "teacher", "the", "and",
        "of", "for", "in", "on", "at", "to", "is", "was", "has", "had", "will", "with", "from",
        "clinic", "institute", "trust", "house", "hall", "library", "museum", "station",
        "airport", "church", "group", "project", "programme", "program", "plan", "report",
        "notes", "note", "update", "action", "actions", "health", "education", "safeguarding",
        "support", "youth", "local", "national", "regional", "district", "city", "town",
        "village", "county", "state", "government", "nhs", "gp", "a", "an", "i",
    }
)
_AFTER_INSTITUTION: Final = frozenset(
    {
        "centre", "center", "school", "academy", "hospital", "foundation", "institute",
        "university", "college", "clinic", "street", "road", "avenue", "lane", "square", "park",
        "kindergarten", "nursery", "gymnasium", "centres", "centers", "schools",
        "house", "hall", "trust", "unit", "library", "museum", "stadium", "prize", "award",
        "str", "st", "rd", "ave", "blvd", "boulevard",
    }
)
# fmt: on
_TITLES: Final = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof"})
# Titles and ranks that precede a surname in any case: "инспектор Петров", "officer Smith".
# fmt: off
_RANKS: Final = frozenset(
    {"проф", "доц", "инспектор", "инспекторка", "сержант", "съдия", "прокурор", "адв",
     "адвокат", "sgt", "sergeant", "inspector", "officer", "judge"}
)
# fmt: on
_HYPHEN_TITLES: Final = frozenset({("г", "н"), ("г", "жа"), ("г", "ца"), ("д", "р")})
_FAMILY_WORDS: Final = frozenset({"семейство", "семейството", "фамилия", "фамилията"})


def _ends(word: str, endings: tuple[str, ...]) -> bool:
    return len(word) >= 4 and word.endswith(endings)


class _NameScanner:
    """First name + surname pairs and other strong name patterns."""

    def __init__(self, t: _Text, out: list[Finding]) -> None:
        self.t = t
        self.out = out

    def run(self) -> None:
        t = self.t
        i = 0
        while i < t.n:
            res = self._at(i)
            if res is None:
                i += 1
                continue
            start, last = res
            if start >= 0:
                self.out.append(Finding(PiiKind.NAME, t.toks[start].start, t.toks[last].end))
            i = last + 1

    # -- word helpers --------------------------------------------------------------------------

    def _word_end(self, i: int) -> int:
        """Last token of a possibly hyphenated word starting at i ('Петрова-Иванова')."""
        t = self.t
        k = i
        for _ in range(2):
            if (
                t.is_punct(k + 1, "-")
                and t.tight(k + 1)
                and t.is_word(k + 2)
                and t.tight(k + 2)
                and _is_cap(t.toks[k + 2].text)
            ):
                k += 2
            else:
                break
        return k

    def _next_word(self, end: int, upper: bool) -> int | None:
        """Index of a capitalised word right after token `end`, on the same line."""
        t = self.t
        j = end + 1
        if not (t.is_word(j) and t.spaced(j) and not t.tight(j)):
            return None
        w = t.toks[j].text
        if upper:
            return j if _is_upper(w) and len(w) >= 3 else None
        return j if _is_cap(w) and len(w) >= 2 else None

    def _blocked(self, i: int) -> bool:
        t = self.t
        if t.is_punct(i - 1, _OPEN_QUOTES) and t.tight(i):
            return True
        if t.is_punct(i - 1, "."):
            return t.is_word(i - 2) and t.toks[i - 2].low in _BLOCK_DOTTED
        return t.is_word(i - 1) and t.toks[i - 1].low in _BLOCK_PLAIN

    def _skip_run(self, i: int) -> tuple[int, int]:
        """Skip a whole capitalised run (a school or street name)."""
        k = self._word_end(i)
        for _ in range(6):
            j = self._next_word(k, False)
            if j is None:
                break
            k = self._word_end(j)
        return -1, k

    # -- rules -----------------------------------------------------------------------------

    def _at(self, i: int) -> tuple[int, int] | None:
        t = self.t
        if not t.is_word(i):
            return None
        tok = t.toks[i]
        if tok.low in _FAMILY_WORDS:
            return self._family(i)
        if (
            (tok.low in _TITLES and _is_cap(tok.text))
            or tok.low in _RANKS
            or (
                t.is_punct(i + 1, "-")
                and t.tight(i + 1)
                and (tok.low, t.low(i + 2)) in _HYPHEN_TITLES
            )
        ):
            return self._title(i)
        upper = _is_upper(tok.text)
        if not (_is_cap(tok.text) or upper):
            return None
        if len(tok.text) == 1:
            return self._initial_surname(i)
        w1_end = self._word_end(i)
        j = self._next_word(w1_end, upper)
        if j is None:
            return self._lone_surname(i, w1_end)
        w1, w2 = tok.low, t.toks[j].low
        if self._blocked(i) or (w1, w2) in _FAMOUS:
            return self._skip_run(i)
        if w2 in _STOP or (w1 in _STOP and w1 not in _FIRST_NAMES):
            return self._lone_surname(i, w1_end)
        j_end = self._word_end(j)
        if self._institution_follows(j_end, upper):
            return self._skip_run(i)
        if w2.endswith(_DEFINITE_ARTICLES):
            return None  # "София Практиките": a noun with an article, not a surname
        if w1 in _FIRST_NAMES:
            return i, self._third(j, j_end, upper)
        if upper:
            return None
        if w2 in _FIRST_NAMES and _ends(w1, _SURNAME_STRONG + _SURNAME_WEAK):
            return i, self._third(j, j_end, upper)
        if len(w1) >= 3 and not w1.endswith(_ADJECTIVE_ENDINGS) and _ends(w2, _SURNAME_STRONG):
            return i, self._third(j, j_end, upper)
        return self._lone_surname(i, w1_end)

    def _lone_surname(self, i: int, end: int) -> tuple[int, int] | None:
        """'Говорих с Иванова от ОЗД': inside a sentence, -ова/-ев words are surnames."""
        t = self.t
        w = t.toks[i].text
        if (
            len(w) < 5
            or not _is_cap(w)
            or self._initial(i)
            or self._blocked(i)
            or t.toks[i].low in _STOP
            or not w.lower().endswith(_SURNAME_LONE)
        ):
            return None
        return i, end

    def _initial(self, i: int) -> bool:
        """Capitalised because it starts a sentence, a line, a list item or a quotation."""
        t = self.t
        if i == 0 or "\n" in t.gap(i):
            return True
        prev = t.toks[i - 1]
        return prev.kind == _PUNCT and prev.text in _LEADING_PUNCT

    def _institution_follows(self, end: int, upper: bool) -> bool:
        """'Anna Freud Centre', 'Emiliyan Stanev Secondary School': a name inside a name."""
        k = end
        for _ in range(3):
            nxt = self._next_word(k, upper)
            if nxt is None:
                return False
            if self.t.toks[nxt].low in _AFTER_INSTITUTION:
                return True
            k = self._word_end(nxt)
        return False

    def _third(self, j: int, j_end: int, upper: bool) -> int:
        """Extend over a patronymic or surname: 'Иван Петров Иванов'."""
        t = self.t
        k = self._next_word(j_end, upper)
        if k is None:
            return j_end
        w = t.toks[k].low
        if w in _STOP or w in _AFTER_INSTITUTION:
            return j_end
        if _ends(w, _SURNAME_STRONG + _SURNAME_WEAK):
            return self._word_end(k)
        return j_end

    def _title(self, i: int) -> tuple[int, int] | None:
        """'г-жа Петрова', 'Mrs Jones', 'д-р Иванов': a title makes any surname a name."""
        t = self.t
        k = i + 2 if t.is_punct(i + 1, "-") else i
        k = t.skip_dot(k + 1) - 1
        j = self._next_word(k, False)
        if j is None or t.toks[j].low in _STOP:
            return None
        if len(t.toks[j].text) == 1 and t.is_punct(j + 1, "."):
            nxt = self._next_word(j + 1, False)
            return (j, self._word_end(nxt)) if nxt is not None else None
        end = self._word_end(j)
        k2 = self._next_word(end, False)
        if (
            k2 is not None
            and t.toks[k2].low not in _STOP
            and t.toks[k2].low not in _AFTER_INSTITUTION
            and (t.toks[j].low in _FIRST_NAMES or _ends(t.toks[k2].low, _SURNAME_STRONG))
        ):
            end = self._word_end(k2)
        return j, end

    def _family(self, i: int) -> tuple[int, int] | None:
        """'семейство Петрови': a family surname identifies the household."""
        t = self.t
        j = self._next_word(i, False)
        if j is None:
            return None
        w = t.toks[j].low
        if w in _STOP or not _ends(w, _SURNAME_STRONG + _FAMILY_PLURAL + _SURNAME_WEAK):
            return None
        return j, self._word_end(j)

    def _initial_surname(self, i: int) -> tuple[int, int] | None:
        """'М. Петрова' is still a name; 'Мария П.' is the usual pseudonym and is not."""
        t = self.t
        tok = t.toks[i]
        if not tok.text.isupper() or not t.is_punct(i + 1, "."):
            return None
        if self._blocked(i) or not t.tight(i + 1):
            return None
        j = self._next_word(i + 1, False)
        if j is None:
            return None
        w = t.toks[j].low
        if w in _STOP or not _ends(w, _SURNAME_STRONG + _SURNAME_WEAK):
            return None
        return i, self._word_end(j)


def _english_family(t: _Text, out: list[Finding]) -> None:
    """'the Ivanov family', 'the Petrovs'."""
    for i in range(1, t.n):
        if t.toks[i].kind != _WORD or t.toks[i - 1].low != "the":
            continue
        w = t.toks[i].text
        if not _is_cap(w):
            continue
        low = w.lower()
        if (t.low(i + 1) == "family" and _ends(low, _SURNAME_STRONG)) or _ends(
            low, ("ovs", "evs", "skis")
        ):
            out.append(Finding(PiiKind.NAME, t.toks[i].start, t.toks[i].end))


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def _resolve(found: list[Finding]) -> list[Finding]:
    """Sort, drop exact duplicates and findings that lie wholly inside an earlier one."""
    found.sort(key=lambda f: (f.start, -f.end))
    out: list[Finding] = []
    reach = -1
    for f in found:
        if f.end <= reach and out:
            continue
        out.append(f)
        reach = max(reach, f.end)
    return out


def find_personal_data(text: str) -> list[Finding]:
    """All personal data found in `text`, sorted by start; spans refer to the original text."""
    if not text:
        return []
    t = _Text(text)
    found: list[Finding] = []
    _emails(text, found)
    _spelled_emails(t, found)
    _NumberScanner(t, found).run()
    _AddressScanner(t, found).run()
    _birth_dates(t, found)
    _NameScanner(t, found).run()
    _english_family(t, found)
    return _resolve(found)
