"""Personal numbers (ЕГН, ЛНЧ) and phone numbers, however they are typed.

Digits are read after normalisation (full-width, Arabic-Indic, zero-width characters between
them), and a number may be typed in groups: "850101 1234", "85.01.01.1234", every digit spaced,
a phone split over two lines. A chain of digit groups joined by one separator each is read as
one number where a personal number or phone fits it; a date, a time, a reference number
("изх. № 1234/05.11.2026"), a company's Булстат or an IBAN is left alone.
"""

from __future__ import annotations

import calendar
import itertools
import re
from typing import Final

from bot.guard.pii.kinds import Finding, PiiKind
from bot.guard.pii.tokens import INLINE_SPACE, Text

_EGN_WEIGHTS: Final = (2, 4, 8, 5, 10, 9, 7, 3, 6)
_LNCH_WEIGHTS: Final = (21, 19, 17, 13, 11, 9, 7, 3, 1)
_ASCII_DIGITS: Final = frozenset("0123456789")

LNCH_WORDS: Final = frozenset({"лнч", "lnch", "lnc", "lnč"})
ID_WORDS: Final = LNCH_WORDS | {"егн", "egn", "ег", "personal", "id", "идентификационен"}
_PHONE_WORDS: Final = frozenset(
    {
        "тел", "телефон", "телефона", "телефонът", "телефони", "телефонен", "gsm", "моб",
        "мобилен", "мобилния", "мобилният", "tel", "phone", "telephone", "mobile", "mob",
        "cell", "viber", "whatsapp", "телефонния", "телефонният", "звъннете", "звънни",
        "звъня", "звънят", "обадете", "обади", "landline", "call", "signal", "вайбър",
        "телефончето", "джиесем",
    }
)  # fmt: skip
_DOC_WORDS: Final = frozenset(
    {
        "№", "no", "n", "nr", "изх", "вх", "рег", "протокол", "решение", "дело", "преписка",
        "заповед", "ref", "case", "булстат", "еик", "ддс", "iban", "bic", "фактура",
        "сметка", "сметката", "invoice", "account", "код", "code", "идн", "неиспуо", "уин",
        "пин", "pin", "бр", "лв", "лева", "евро", "eur", "bgn", "%", "стр", "раздел", "чл",
        "член", "ал", "т", "точка", "кадастрален", "парцел", "имот", "рд", "зз", "зздет",
    }
)  # fmt: skip
_LABELS: Final = re.compile(r"егн|лнч|egn|lnc|\bег\b|\bid\b|идентификационен")
"""Whether the text names a personal number at all (a quick look before the token walk)."""
_DIGIT_WORDS: Final = {
    "нула": "0", "едно": "1", "един": "1", "две": "2", "два": "2", "три": "3", "четири": "4",
    "пет": "5", "шест": "6", "седем": "7", "осем": "8", "девет": "9", "zero": "0", "oh": "0",
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9",
}  # fmt: skip
_SPELLED_DIGIT: Final = re.compile(r"\b(?:нула|осем|девет|zero|eight|nine)\b")
_MOBILE_PREFIXES: Final = ("087", "088", "089", "098", "099")
_SERVICE_PREFIXES: Final = ("0700", "0800", "0900", "0701", "0801", "0901")
_HELPLINES: Final = frozenset({"112", "116111", "116000", "116123", "080019100", "080011311"})
_SEPARATORS: Final = frozenset({"", "-", ".", "/", "(", ")"})
_EGN_SPLITS: Final = ((6, 4), (2, 2, 2, 4), (2, 2, 6), (1,) * 10, (3, 3, 4), (5, 5))
"""How people split a personal number when no label says what it is."""


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
    """+359, 00359 and a bare 359 to the national 0… form; None if not Bulgarian."""
    if digits.startswith("00359"):
        rest = digits[5:]
    elif digits.startswith("359") and (international or len(digits) in (11, 12)):
        rest = digits[3:]
    elif digits.startswith("0") and not digits.startswith("00"):
        return digits
    else:
        return None
    return "0" + (rest[1:] if rest.startswith("0") else rest)


class NumberScanner:
    """Finds personal numbers and phones among chains of digit groups."""

    def __init__(self, t: Text, out: list[Finding]) -> None:
        self.t = t
        self.out = out
        self.taken: set[int] = set()

    def run(self) -> None:
        t = self.t
        if not t.has_digits:
            if _SPELLED_DIGIT.search(t.lower):
                self._spelled_phones()
            return
        if _LABELS.search(t.lower):
            self._labelled_numbers()
        after = -1
        for i in t.digit_at:
            if i <= after or i in self.taken:
                continue
            groups, seps = self._chain(i, lines=True)
            self._personal_numbers(groups, seps)
            after = groups[-1]
        after = -1
        for i in t.digit_at:
            if i <= after or i in self.taken:
                continue
            groups, seps = self._chain(i, lines=True)
            self._phones(groups, seps)
            after = groups[-1]
        if _SPELLED_DIGIT.search(t.lower):
            self._spelled_phones()

    def _spelled_phones(self) -> None:
        """'нула осем осем осем, едно две три …': a phone number read out digit by digit."""
        t = self.t
        i = 0
        while i < t.n:
            if t.low(i) not in _DIGIT_WORDS:
                i += 1
                continue
            k = i
            digits = ""
            last = i
            while k < t.n and len(digits) < 15:
                if t.low(k) in _DIGIT_WORDS:
                    digits += _DIGIT_WORDS[t.low(k)]
                    last = k
                    k += 1
                elif t.is_punct(k, ",-") and t.low(k + 1) in _DIGIT_WORDS:
                    k += 1
                else:
                    break
            national = _bg_national(digits, False)
            if len(digits) >= 9 and (
                national is None or _is_mobile(national) or _is_landline(national)
            ):
                self.out.append(Finding(PiiKind.PHONE, t.toks[i].start, t.toks[last].end))
            i = last + 1

    # chains -----------------------------------------------------------------------------------
    def _chain(self, i: int, *, lines: bool = False) -> tuple[list[int], list[str]]:
        """Digit groups joined by one separator each (a space, '-', '.', '/', brackets; with
        ``lines``, one line break too: a number split over two lines)."""
        t = self.t
        groups = [i]
        seps: list[str] = []
        j = i
        while len(groups) < 64:
            k = j + 1
            sep = ""
            if t.is_punct(k, "-./()"):
                sep = t.toks[k].text
                k += 1
                if t.is_punct(k, "()") and sep in "()":
                    k += 1
            if not t.is_digits(k) or k in self.taken:
                break
            raw = t.text[t.toks[j].end : t.toks[k].start]
            bare = raw.strip("".join(INLINE_SPACE))
            if lines and bare.replace("\n", "").replace("\r", "") in _SEPARATORS:
                bare = bare.replace("\n", "").replace("\r", "")
                if raw.count("\n") > 1:
                    break
            elif "\n" in raw:
                break
            if len(raw) > 3 or bare not in _SEPARATORS:
                break
            groups.append(k)
            seps.append(sep)
            j = k
        return groups, seps

    def _label_before(self, first: int) -> str | None:
        """'ЕГН', 'ЛНЧ' (or 'EGN') among the few tokens before the number."""
        for word in reversed(self.t.words_before(first, 5)):
            if word in LNCH_WORDS:
                return "lnch"
            if word in ("егн", "egn"):
                return "egn"
        return None

    # personal numbers ---------------------------------------------------------------------------
    def _labelled_numbers(self) -> None:
        """After a label ('ЕГН', 'ЛНЧ'), whatever number follows is one, even cut short
        ('ЕГН на детето 164826') or typed with a letter O for a zero ('O752061748')."""
        t = self.t
        for i in range(t.n):
            if not (t.is_word(i) and t.low(i) in ID_WORDS and t.low(i) not in ("personal", "id")):
                continue
            k = i + 1
            for _ in range(4):  # "ЕГН на детето:", "ЕГН-то", "ЛНЧ №"
                if t.is_digits(k) or self._letter_zero(k):
                    break
                if t.is_word(k) and len(t.word(k)) > 8:
                    break
                k += 1
            if not (t.is_digits(k) or self._letter_zero(k)):
                continue
            zero = self._letter_zero(k)
            groups, _ = self._chain(k + 1 if zero else k, lines=True)
            first = k
            last = groups[-1]
            digits = ("0" if zero else "") + "".join(t.word(g) for g in groups)
            if not 6 <= len(digits) <= 10 or any(g in self.taken for g in groups):
                continue
            kind = PiiKind.LNCH if t.low(i) in LNCH_WORDS else PiiKind.EGN
            self.taken.update(range(first, last + 1))
            self.out.append(Finding(kind, t.toks[first].start, t.toks[last].end))

    def _letter_zero(self, k: int) -> bool:
        """A capital O (Latin or Cyrillic) typed for a zero, right before digits."""
        t = self.t
        return t.word(k) in ("O", "О", "o", "о") and t.is_digits(k + 1) and t.tight(k + 1)

    def _personal_numbers(self, groups: list[int], seps: list[str]) -> None:
        t = self.t
        k = len(groups)
        s = 0
        while s < k:
            digits = ""
            matched = False
            for e in range(s, k):
                digits += t.toks[groups[e]].text
                if len(digits) > 10:
                    break
                if len(digits) == 10:
                    kind = self._personal_kind(groups, s, e, digits)
                    if kind is not None:
                        self.taken.update(range(groups[s], groups[e] + 1))
                        start, end = t.toks[groups[s]].start, t.toks[groups[e]].end
                        self.out.append(Finding(kind, start, end))
                        s = e + 1
                        matched = True
                    break
            if not matched:
                s += 1

    def _personal_kind(self, groups: list[int], s: int, e: int, digits: str) -> PiiKind | None:
        t = self.t
        label = self._label_before(groups[s])
        lengths = tuple(len(t.toks[g].text) for g in groups[s : e + 1])
        joined = len(lengths) > 1
        before = t.words_before(groups[s], 5)
        if joined and label is None and lengths not in _EGN_SPLITS:
            uniform = len(set(seps_between(t, groups[s : e + 1]))) == 1
            if not (uniform and len(lengths) <= 4 and min(lengths[:-1]) >= 2):
                return None
        if joined and self._continues(groups, s, e):
            return None  # part of a longer run of numbers
        egn_ok = is_valid_egn(digits)
        lnch_ok = is_valid_lnch(digits)
        if label == "lnch" and lnch_ok:
            return PiiKind.LNCH
        if egn_ok:
            return PiiKind.EGN
        if lnch_ok and (label is not None or not joined):
            if digits.startswith(_MOBILE_PREFIXES) and label is None:
                return None  # a mobile number written without spaces
            if "№" in before and label is None:
                return None
            return PiiKind.LNCH
        return None

    def _continues(self, groups: list[int], s: int, e: int) -> bool:
        """The joined groups are only part of a longer chain (a date and an amount)."""
        return (s > 0 and len(self.t.toks[groups[s - 1]].text) > 1) or (
            e + 1 < len(groups) and len(self.t.toks[groups[e + 1]].text) > 1
        )

    # phones ---------------------------------------------------------------------------------------
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
        before = t.words_before(first - (1 if plus else 0), 6)
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
        if not keyword and any(w in _DOC_WORDS for w in before[-3:]):
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
        for e in range(s, min(len(groups), s + 10)):
            if e > s and seps[e - 1] == "/" and e - 1 != s:
                break
            digits += t.toks[groups[e]].text
            if len(digits) > 15:
                break
            if digits in _HELPLINES:
                return None
            national = _bg_national(digits, plus)
            if national is not None:
                if len(national) > 10:
                    break
                if _is_mobile(national) or _is_landline(national):
                    return e
            elif (plus or (digits.startswith("00") and digits[2:3] not in ("", "0"))) and len(
                digits
            ) >= 9:
                foreign_end = e
        return foreign_end


def seps_between(t: Text, groups: list[int]) -> list[str]:
    """The separators between consecutive digit groups, as typed ('.', '-', ' ')."""
    return [t.text[t.toks[a].end : t.toks[b].start] for a, b in itertools.pairwise(groups)]
