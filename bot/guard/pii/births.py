"""Dates and years of birth, as people write them in a hurry.

A date counts as a birth date only beside a birth word ("роден", "р.", "род.", "г.р.", "набор",
"born", "DOB", and their typos: "раден", "роде", "роденна"), or as a year of birth ("2007
г.р.", "е от 2009-та"): a meeting's date or "since 2019" is not personal data. The reader of
dates is lenient with separators ("12,03,2014", "8.8..2015", "2 .3. 2018", "14.022015").
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from bot.guard.pii.kinds import Finding, PiiKind
from bot.guard.pii.lexicon import lexicon
from bot.guard.pii.tokens import PUNCT, WORD, Text

_MONTHS: Final = frozenset(
    {
        "януари", "февруари", "март", "април", "май", "юни", "юли", "август", "септември",
        "октомври", "ноември", "декември", "яну", "фев", "мар", "апр", "авг", "сеп", "септ",
        "окт", "ное", "дек", "january", "february", "march", "april", "may", "june", "july",
        "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr",
        "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    }
)  # fmt: skip
_ORDINALS: Final = frozenset({"st", "nd", "rd", "th", "ти", "ви", "ри", "ми"})
_BIRTH_WORDS: Final = frozenset(
    {
        "роден", "родена", "родено", "родени", "роденна", "роденa", "родил", "родила",
        "родило", "родили", "роди", "родиха", "раждане", "раждането", "раж", "рождена",
        "рожденна", "рожд", "раден", "радена", "радено", "роде", "рдоен", "born", "birth",
        "birthdate", "dob", "набор", "набора", "наборът",
    }
)  # fmt: skip
_BIRTHDAY_WORDS: Final = frozenset({"birthday", "рожден", "рождения", "рожденият", "рожденния"})
"""A birthday is often mentioned with an event (a party) whose date follows later."""
_ABBREVIATED: Final = frozenset({"р", "b", "род", "д"})
_SKIP: Final = frozenset(
    {"на", "през", "в", "във", "е", "on", "the", "in", "of", "дата", "date", "year", "година",
     "годината", "а", "a", "о", "o", "са", "било", "бил", "била", "малко", "около", "ок",
     "about", "around", "is", "was", "at"}
)  # fmt: skip
_WINDOW_STOP: Final = frozenset(
    {
        "но", "след", "преди", "когато", "докато", "който", "която", "което", "срещата",
        "среща", "but", "after", "before", "when", "while", "since", "then", "until", "meeting",
        "moved", "review", "от", "from", "до", "и", "and", "пристигна", "arrived", "came",
    }
)  # fmt: skip
_YEAR_SUFFIXES: Final = frozenset({"та", "а", "ма", "ия", "ва"})
_ABBREVIATIONS: Final = frozenset(
    {"гр", "с", "ул", "бул", "кв", "ж", "к", "св", "д", "р", "бл", "вх", "ап", "ет", "пл",
     "st", "mr", "mrs", "ms", "dr", "no", "г", "рожд", "дат", "род", "раж", "b"}
)  # fmt: skip
FIRST_YEAR = 1920
_ROMAN_MONTHS: Final = frozenset(
    {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}
)
_CUES: Final = re.compile(
    r"(?<![^\W\d_])(?:р|b|род|д\.\s?р|d\.o\.b|г\.\s?р|гр\.)\W|рож|раж|род[еи]|роде|рад[еи]н|рдо|"
    r"born|birth|dob|набор|\d-(?:та|а|ма)\b|(?<![^\W\d_])р[оа]?[дж]|(?<![^\W\d_])рдо"
)
"""Where a birth date could be: a birth word, its typos and abbreviations, a year of birth."""
_CUE_INITIALS: Final = frozenset("рbdгеснд")
"""Birth words, their abbreviations and "е от 2009-та" start with one of these."""
_TYPO_TARGETS: Final = frozenset(
    {"роден", "родена", "родено", "родени", "родил", "родила", "раждане", "рождена", "рожден"}
)
"""Typed in a hurry, a birth word one letter off ("роднен", "рдоена", "раждене") is still one."""


def _one_off(word: str, target: str) -> bool:
    """One letter inserted, deleted, replaced or two swapped."""
    if abs(len(word) - len(target)) > 1 or word == target:
        return False
    if len(word) == len(target):
        diffs = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and word[diffs[0]] == target[diffs[1]]
            and word[diffs[1]] == target[diffs[0]]
        )
    short, long_ = (word, target) if len(word) < len(target) else (target, word)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _birth_word(low: str) -> bool:
    if low in _BIRTH_WORDS or (low.startswith("рожд") and len(low) <= 9):
        return True
    if len(low) < 5 or low[0] != "р" or low in lexicon().common or low in lexicon().given:
        return False
    return any(_one_off(low, target) for target in _TYPO_TARGETS)


def _year(text: str) -> bool:
    return len(text) == 4 and FIRST_YEAR <= int(text) <= date.today().year + 1


class BirthScanner:
    def __init__(self, t: Text, out: list[Finding]) -> None:
        self.t = t
        self.out = out

    def run(self) -> None:
        t = self.t
        if not _CUES.search(t.lower):
            return  # no birth word, no "г.р.", no "е от 2009-та": no birth date here
        toks = t.toks
        i = 0
        while i < t.n:
            tok = toks[i]
            if tok.kind == PUNCT or (tok.kind == WORD and tok.low[0] not in _CUE_INITIALS):
                i += 1
                continue
            found = self._at(i)
            if found is None:
                i += 1
                continue
            start, last = found
            self.out.append(Finding(PiiKind.BIRTH_DATE, t.toks[start].start, t.toks[last].end))
            i = last + 1

    def _at(self, i: int) -> tuple[int, int] | None:
        t = self.t
        tok = t.toks[i]
        low = tok.low
        if t.is_word(i):
            if low in ("набор", "набора", "наборът"):
                return self._window(i + 1, 4, 0)  # "набор 2010", "наборът е 2009", not "набор за …"
            if _birth_word(low):
                return self._window(i + 1, 12, 6)
            if low in _BIRTHDAY_WORDS:
                return self._window(i + 1, 8, 4, strict=True)
            if low == "рд" and (t.is_digits(i + 1) or t.is_punct(i + 1, ".:")):
                return self._window(i + 1, 4, 1)  # "рд 2.2.2019"
            if (
                low == "р"
                and t.is_punct(i + 1, ".")
                and t.low(i + 2) == "д"
                and t.is_punct(i + 3, ".")
            ):
                return self._window(i + 4, 6, 2)  # "р.д." (рождена дата)
            if low in _ABBREVIATED and (
                t.is_punct(i + 1, ".") or (low == "род" and t.is_digits(i + 1))
            ):
                if low == "д":
                    if t.tight(i + 1) and t.low(i + 2) == "р" and t.is_punct(i + 3, "."):
                        return self._window(i + 4, 8, 4)  # "д.р." (дата на раждане)
                    return None
                return self._window(i + 1, 6, 2)
            if (
                low == "d"
                and t.is_punct(i + 1, ".")
                and t.low(i + 2) == "o"
                and t.low(i + 4) == "b"
            ):
                return self._window(i + 5, 8, 4)
            if low == "г" and self._gr(i):  # "г.р. 2008", "г. р. 2019"
                end = i + 3 if t.is_punct(i + 3, ".") else i + 2
                k = end + 1
                if t.is_digits(k) and _year(t.word(k)):
                    return i, k
            if (
                low in ("е", "са")
                and t.low(i + 1) == "от"
                and t.is_digits(i + 2)
                and _year(t.word(i + 2))
            ):
                k = i + 2
                if t.is_punct(k + 1, "-") and t.tight(k + 1) and t.low(k + 2) in _YEAR_SUFFIXES:
                    return k, k + 2  # "е от 2009-та": born in 2009
            return None
        if t.is_digits(i) and _year(tok.text):
            last = self._year_suffix(i)
            gr = self._gr_after(last + 1)
            if gr is not None:
                return i, gr  # "2007 г.р.", "2011г.р"
            if t.low(last + 1) in ("набор", "набора") and t.spaced(last + 1):
                return i, last  # "2006 набор"
            if (
                t.low(i + 1) in ("и", ",")
                and t.is_digits(i + 2)
                and _year(t.word(i + 2))
                and self._gr_after(self._year_suffix(i + 2) + 1) is not None
            ):
                return i, i  # "2012 и 2015 г.р.": the first of two
        if t.is_digits(i):
            date_end = self._date(i)
            gr_end = None if date_end is None else self._gr_after(date_end + 1)
            if gr_end is not None:
                return i, gr_end
        return None

    def _gr(self, i: int) -> bool:
        """'г.р.' / 'г. р.' / 'гр' starting at token i (година на раждане)."""
        t = self.t
        return t.low(i) == "г" and t.is_punct(i + 1, ".") and t.low(i + 2) == "р"

    def _gr_after(self, k: int) -> int | None:
        """The last token of 'г.р.' ('г. р.', 'г.р', 'гр.') at k, or None."""
        t = self.t
        if self._gr(k):
            return k + 3 if t.is_punct(k + 3, ".") else k + 2
        if t.low(k) == "гр" and t.is_punct(k + 1, ".") and not t.is_word(k + 2):
            return k + 1
        return None

    def _year_suffix(self, k: int) -> int:
        """'2015-та', '2005-а', '2014 г.', '2016 година', '2010г.'."""
        t = self.t
        if (
            t.is_punct(k + 1, "-")
            and t.tight(k + 1)
            and t.low(k + 2) in _YEAR_SUFFIXES
            and t.tight(k + 2)
        ):
            return k + 2
        if t.low(k + 1) == "г" and (t.spaced(k + 1) or t.tight(k + 1)):
            if t.is_punct(k + 2, ".") and t.tight(k + 2) and not self._gr(k + 1):
                return k + 2
            if not self._gr(k + 1):
                return k + 1
        if t.low(k + 1) in ("година", "год") and t.spaced(k + 1):
            return t.skip_dot(k + 2) - 1 if t.low(k + 1) == "год" else k + 1
        return k

    # reading a date --------------------------------------------------------------------------
    def _numeric_groups(self, j: int) -> tuple[list[int], int]:
        """Digit groups from j joined by '.', ',', '/', '-' and spaces, leniently (doubled or
        spaced separators): the group tokens and the last token."""
        t = self.t
        groups = [j]
        k = j
        while len(groups) < 4:
            m = k + 1
            seps = 0
            while t.is_punct(m, ".,/-") and seps < 2 and len(t.gap(m)) <= 1:
                m += 1
                seps += 1
            if not t.is_digits(m) or len(t.gap(m)) > 1 or "\n" in t.gap(m):
                break
            if seps == 0 and not t.gap(m):
                break
            if seps == 0 and len(t.word(m)) != 4:
                break  # "7.06 2013": only a year may follow after a bare space
            groups.append(m)
            k = m
        return groups, k

    def _date(self, j: int) -> int | None:
        """Last token of a date starting at token j: 12.03.2015, 3 май 2014, May 3, 2014 …"""
        t = self.t
        if t.is_digits(j):
            groups, last = self._numeric_groups(j)
            parts = [t.word(g) for g in groups]
            if len(parts) >= 3 and (
                self._dmy(parts[0], parts[1], parts[2]) or self._dmy(parts[1], parts[0], parts[2])
            ):  # day first, or (as in the US) month first
                return self._trailing_g(groups[2])
            roman = self._roman_month_date(j)
            if roman is not None:
                return roman
            if len(parts) >= 3 and len(parts[0]) == 4 and self._dmy(parts[2], parts[1], parts[0]):
                return groups[2]
            if (
                len(parts) == 2
                and len(parts[1]) == 6
                and self._dmy(parts[0], parts[1][:2], parts[1][2:])
            ):
                return self._trailing_g(groups[1])  # "14.022015"
            if len(parts) == 2 and self._dm(parts[0], parts[1]) and t.is_punct(groups[0] + 1, "./"):
                return groups[1]
            if (
                len(parts) == 1
                and t.is_digits(j + 1)
                and t.is_digits(j + 2)
                and t.spaced(j + 1)
                and t.spaced(j + 2)
                and len(t.word(j + 2)) == 4
                and self._dmy(t.word(j), t.word(j + 1), t.word(j + 2))
            ):
                return j + 2  # "12 03 2014"
            text = t.word(j)
            if len(text) <= 2 and 1 <= int(text) <= 31:
                k = j + 1
                if t.is_punct(k, "-") and t.tight(k) and t.low(k + 1) in _MONTHS and t.tight(k + 1):
                    if t.is_punct(k + 2, "-") and t.is_digits(k + 3) and t.tight(k + 3):
                        return k + 3  # 12-Mar-2015
                    return k + 1
                if t.is_punct(k, "-") and t.tight(k) and t.low(k + 1) in _ORDINALS:
                    k += 2
                elif t.low(k) in _ORDINALS and t.tight(k):
                    k += 1
                if t.low(k) == "of" and k > j + 1:
                    k += 1  # "3rd of May"
                if t.is_word(k) and t.low(k) in _MONTHS and t.spaced(k):
                    return self._trailing_g(self._year_after(k))
            return None
        if t.is_word(j) and t.low(j) in _MONTHS:
            k = t.skip_dot(j + 1)
            if t.is_digits(k) and t.spaced(k):
                text = t.word(k)
                if len(text) == 4:
                    return k
                if len(text) <= 2 and 1 <= int(text) <= 31:
                    last = k + 1 if t.low(k + 1) in _ORDINALS and t.tight(k + 1) else k
                    return self._year_after(last)
        return None

    def _roman_month_date(self, j: int) -> int | None:
        """'15.VIII.2013', '3 XI 2014': the month in Roman numerals."""
        t = self.t
        k = j + 1
        if t.is_punct(k, ".-/"):
            k += 1
        if not (t.is_word(k) and t.word(k).upper() in _ROMAN_MONTHS and t.word(k).isupper()):
            return None
        m = k + 1
        if t.is_punct(m, ".-/"):
            m += 1
        if t.is_digits(m) and len(t.word(m)) in (2, 4) and len(t.word(j)) <= 2:
            return self._trailing_g(m)
        return None

    @staticmethod
    def _dmy(day: str, month: str, year: str) -> bool:
        return (
            len(day) <= 2
            and len(month) <= 2
            and len(year) in (2, 4)
            and 1 <= int(day) <= 31
            and 1 <= int(month) <= 12
        )

    @staticmethod
    def _dm(day: str, month: str) -> bool:
        return len(day) <= 2 and len(month) <= 2 and 1 <= int(day) <= 31 and 1 <= int(month) <= 12

    def _trailing_g(self, last: int) -> int:
        """'27.10.2019г.', '05.11.2012 г.': the year's 'г.' belongs to the date."""
        t = self.t
        if t.low(last + 1) == "г" and not self._gr(last + 1):
            return last + 2 if t.is_punct(last + 2, ".") and t.tight(last + 2) else last + 1
        return last

    def _year_after(self, last: int) -> int:
        t = self.t
        k = last + 1
        if t.is_punct(k, ".") and t.tight(k) and len(t.word(last)) <= 4:
            k += 1  # "Dec. 2014", "мар. 2015"
        if t.is_punct(k, ","):
            k += 1
        if t.is_digits(k) and len(t.word(k)) == 4 and (t.spaced(k) or t.tight(k)):
            return k
        return last

    def _sentence_break(self, k: int) -> bool:
        t = self.t
        if t.is_punct(k, "!?;…"):
            return True
        if t.is_punct(k, "."):
            before = t.low(k - 1)
            return not (t.tight(k) and (len(before) <= 2 or before in _ABBREVIATIONS))
        return False

    def _short_year(self, k: int) -> tuple[int, int] | None:
        """'86-та', "'81", "'09": a year of birth in two digits, marked as a year."""
        t = self.t
        if len(t.word(k)) != 2:
            return None
        if t.is_punct(k + 1, "-") and t.tight(k + 1) and t.low(k + 2) in _YEAR_SUFFIXES:
            return k, k + 2
        if t.is_punct(k - 1, "'’`") and t.tight(k):
            return k - 1, k
        return None

    def _window(
        self, j: int, limit: int, max_words: int, *, strict: bool = False
    ) -> tuple[int, int] | None:
        """The first date, or year, within a few words after a birth word, in its sentence."""
        t = self.t
        words = 0
        for k in range(j, min(t.n, j + limit)):
            if self._sentence_break(k):
                return None
            if "\n" in t.gap(k) and words > 0:
                return None
            if t.is_digits(k):
                last = self._date(k)
                if last is not None:
                    return k, last
                if _year(t.word(k)):
                    end = self._year_suffix(k)
                    gr = self._gr_after(end + 1)
                    return k, gr if gr is not None else end
                short = self._short_year(k)
                if short is not None:
                    return short
                words += 1
                if words > max_words:
                    return None
                continue
            if t.is_word(k):
                if t.low(k) in _MONTHS:
                    last = self._date(k)
                    if last is not None:
                        return k, last
                # "роден/а", "роден(а)": the ending is not the conjunction "а"
                suffix = t.is_punct(k - 1, "/(") and t.tight(k) and len(t.word(k)) == 1
                if t.low(k) in _WINDOW_STOP and not suffix:
                    return None
                if (strict or t.low(k) not in _SKIP) and not suffix:
                    words += 1
                if words > max_words:
                    return None
        return None
