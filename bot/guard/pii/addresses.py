"""Street addresses: where someone lives, down to the house, the block or the flat.

With a street word ("ул. Марно поле 80, ет. 2", "ж.к. Люлин 5, бл. 512, вх. Б"), or without one
("живеят на Полтава 29", "Оборище 71", "в блок 12 на Бузлуджа"). A street named alone is a place,
not an address ("the office on бул. България"): a house number, a block or a flat makes it one.
The whole value is covered: the number and what follows it (блок, вход, етаж, апартамент), and a
settlement before it or a town after it when they are part of the same line.
"""

from __future__ import annotations

from typing import Final

from bot.guard.pii.kinds import Finding, PiiKind
from bot.guard.pii.tokens import CLOSE_QUOTES, DIGIT, OPEN_QUOTES, WORD, Text, is_cap, is_upper

# Street words that introduce a street name; the bool says whether a dot must follow.
_STREET_PREFIX: Final = {
    "ул": False, "улица": False, "бул": False, "булевард": False, "пл": True, "площад": False,
    "жк": False, "кв": True, "квартал": False, "ul": False, "ulitsa": False, "ulica": False,
    "bul": False, "blvd": True, "bulevard": False, "zhk": False, "jk": False, "kv": True,
    "kvartal": False, "pl": True, "ploshtad": False, "str": True,
}  # fmt: skip
# Parts of a flat's address; the bool says whether a dot must follow.
_COMPONENT: Final = {
    "бл": False, "блок": False, "вх": False, "вход": False, "ет": False, "етаж": False,
    "ап": False, "апартамент": False, "bl": False, "block": False, "vh": True, "entrance": False,
    "entr": False, "et": True, "floor": False, "fl": False, "ap": True, "apt": False,
    "apartment": False, "flat": False, "номер": False, "№": False,
}  # fmt: skip
_COMPONENT_KIND: Final = {
    "бл": "n", "блок": "n", "bl": "n", "block": "n", "номер": "n", "№": "n",
    "вх": "l", "вход": "l", "vh": "l", "entrance": "l", "entr": "l",
    "ет": "f", "етаж": "f", "et": "f", "floor": "f", "fl": "f",
    "ап": "n", "апартамент": "n", "ap": "n", "apt": "n", "apartment": "n", "flat": "n",
}  # fmt: skip
_STREET_SUFFIX: Final = frozenset(
    {"street", "str", "st", "road", "rd", "avenue", "ave", "lane", "boulevard", "blvd",
     "drive", "square", "crescent", "terrace", "close", "way"}
)  # fmt: skip
_NUMBERED_STREETS: Final = frozenset({"ул", "бул", "ul", "bul"})
"""Streets that may be numbered ("ул. 15") or named in lower case when the dot is there."""
_CONTINUATION_ONLY: Final = frozenset(
    {"блок", "вход", "вх", "етаж", "ет", "block", "floor", "entrance", "vh", "et", "номер", "№",
     "fl", "entr"}
)  # fmt: skip
"""Whole words that only continue an address ("бл. 5, вход А") but never start one alone."""
_FULL_STREET_WORDS: Final = frozenset(
    {"улица", "булевард", "площад", "квартал", "ulitsa", "ulica", "bulevard", "kvartal",
     "ploshtad"}
)  # fmt: skip
_ARTICLES: Final = frozenset({"the", "a", "an", "of", "on", "at", "in", "and", "to", "from"})
_NUMBER_WORDS: Final = frozenset({"№", "no", "n", "номер", "#", "nr"})
_SETTLEMENT: Final = {"с": True, "село": False, "гр": True, "град": False}
_ROMAN: Final = frozenset({"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi"})
_ORDINAL_FLOOR: Final = frozenset(
    {"първи", "втори", "трети", "четвърти", "пети", "шести", "седми", "осми", "девети",
     "последния", "последен", "горния", "долния", "третия", "втория", "първия", "четвъртия",
     "петия", "first", "second", "third", "fourth", "fifth", "top", "ground"}
)  # fmt: skip
_FLOOR_WORDS: Final = frozenset({"етаж", "вход", "floor", "entrance"})

# No street word: "на Полтава 29". Where it may begin, and what may follow the number.
_LOCATIVE: Final = frozenset(
    {"на", "в", "във", "адрес", "адресът", "адреса", "адресa", "живее", "живеят", "живеем",
     "at", "to", "on", "in", "е", "при", "до"}
)  # fmt: skip
_AFTER_NUMBER: Final = frozenset(
    {"а", "и", "но", "при", "с", "със", "в", "във", "до", "на", "над", "под", "където", "там",
     "като", "или", "е", "са", "беше", "бяха", "горе", "долу", "вдясно", "вляво", "отсреща",
     "срещу", "отзад", "or", "and", "with", "in", "but", "where", "is", "are", "was", "near",
     "няма", "никой", "има", "живее", "живеят", "мисля"}
)  # fmt: skip
_NUMBERED_NOUNS: Final = frozenset(
    {
        "клас", "класа", "стая", "стаята", "зала", "залата", "кабинет", "кабинета", "група",
        "групата", "протокол", "протокола", "решение", "решението", "член", "чл", "точка",
        "глава", "урок", "урока", "автобус", "автобуса", "тролей", "трамвай", "линия", "линията",
        "маршрут", "модул", "етап", "ниво", "приложение", "раздел", "параграф", "страница",
        "стр", "том", "брой", "сесия", "дело", "заповед", "писмо", "вариант", "задача", "тест",
        "изпит", "сграда", "сградата", "корпус", "корпуса", "каса", "гише", "гишето", "легло",
        "отделение", "звено", "район", "участък", "секция", "окръг", "сектор", "случай", "код",
        "room", "class", "group", "bus", "line", "page", "section", "level", "grade", "year",
        "week", "day", "step", "module", "covid", "windows", "iphone", "ковид", "апартамент",
        "кв", "квартал", "блок", "номер", "етаж", "вход", "ап", "ет", "бл", "вх", "седмица",
        "ден", "месец", "година", "часа", "час", "пункт", "ученик", "деца", "дете", "сигнал",
        "сигнала", "досие", "досието", "преписка", "молба", "жалба", "становище", "доклад",
        "справка", "уведомление", "договор", "акт", "акта", "наредба", "закон", "пмс", "рд",
        "изх", "входящ", "изходящ", "регистрационен", "партида", "опис", "списък",
    }
)  # fmt: skip
_COUNTED: Final = frozenset(
    {
        "деца", "дете", "души", "човека", "човек", "пъти", "път", "години", "година",
        "г", "год", "лв", "лева", "евро", "часа", "час", "ч", "минути", "мин", "дни", "дена",
        "ден", "седмици", "месеца", "месец", "км", "м", "метра", "ученици", "ученика", "клас",
        "класа", "семейства", "случая", "случай", "точки", "страници", "стр", "участници",
        "сигнала", "сигнал", "места", "легла", "броя", "бр", "%", "процента", "kids",
        "children", "people", "times", "years", "days", "hours", "minutes", "pupils",
        "families", "cases", "points", "pages", "от", "до",
    }
)  # fmt: skip
"""Words a number counts: what follows "Коледа 5" in "на Коледа 5 деца" is no house."""
_MONTHS: Final = frozenset(
    {"януари", "февруари", "март", "април", "май", "юни", "юли", "август", "септември",
     "октомври", "ноември", "декември", "january", "february", "march", "april", "may", "june",
     "july", "august", "september", "october", "november", "december"}
)  # fmt: skip


class AddressScanner:
    def __init__(self, t: Text, out: list[Finding]) -> None:
        self.t = t
        self.out = out

    def run(self) -> None:
        t = self.t
        toks = t.toks
        i = 0
        while i < t.n:
            tok = toks[i]
            if tok.kind == WORD:
                plain = tok.text[0].islower() and tok.low not in _TRIGGERS
                found = None if plain else self._at(i)
            else:
                found = self._at(i) if tok.text == "№" else None
            if found is None:
                i += 1
                continue
            start, last = found
            start = self._settlement_before(start)
            last = self._town_after(last)
            self.out.append(Finding(PiiKind.ADDRESS, t.toks[start].start, t.toks[last].end))
            i = last + 1

    # entry points --------------------------------------------------------------------------
    def _at(self, i: int) -> tuple[int, int] | None:
        t = self.t
        low = t.low(i)
        zhk = low in ("ж", "zh", "j") and t.is_punct(i + 1, ".") and t.low(i + 2) in ("к", "k")
        if low in _STREET_PREFIX or zhk:
            found = self._street(i)
            if found is not None:
                return i, self._components(found)
        if low in _COMPONENT:
            last = self._component(i)
            if last is not None:
                end = self._components(last)
                end = self._on_street(end)
                if low not in _CONTINUATION_ONLY or end != last:
                    return i, end
        if low in _STREET_SUFFIX:
            return self._suffix(i)
        if low in _SETTLEMENT:
            last = self._settlement(i)
            if last is not None:
                return i, last
        return self._unmarked(i)

    def _after_trigger(self, i: int, dot_required: bool) -> int | None:
        t = self.t
        j = t.skip_dot(i + 1)
        if dot_required and j == i + 1:
            return None
        return j if j < t.n and (t.spaced(j) or t.tight(j)) else None

    # with a street word --------------------------------------------------------------------
    def _street(self, i: int) -> int | None:
        """The last token of a street name and its house number after a street word at i;
        None when no number follows (a street named as a place)."""
        t = self.t
        low = t.low(i)
        if low in _STREET_PREFIX:
            j = self._after_trigger(i, _STREET_PREFIX[low])
        else:  # ж.к. / zh.k.
            if not (t.is_punct(i + 1, ".") and t.tight(i + 1)):
                return None
            j = self._after_trigger(i + 2, False)
        if j is None:
            return None
        quoted = t.is_punct(j, OPEN_QUOTES)
        named = quoted or (t.is_word(j) and (is_cap(t.word(j)) or is_upper(t.word(j))))
        numbered_street = low in _NUMBERED_STREETS and t.is_digits(j)
        if not named and not numbered_street and not (t.is_word(j) and j > i + 1):
            return None
        last = self._street_name(j)
        if last is None:
            return None
        number = self._house_number(last)
        if number == last:
            # a quarter may be given by its blocks alone ("ж.к. Тракия, бл. 12"): the
            # components say it is an address
            if zhk_or_quarter(low) and self._components(last) != last:
                return last
            return None
        return number

    def _street_name(self, j: int) -> int | None:
        """The last word of a street's name: capitalised words, a quoted name, a numbered
        street ("ул. 15"), and lower-case words when a house number follows them."""
        t = self.t
        if t.is_punct(j, OPEN_QUOTES):
            for k in range(j + 1, min(t.n, j + 9)):
                if "\n" in t.gap(k):
                    break
                if t.is_punct(k, CLOSE_QUOTES):
                    return k if k > j + 1 else None
            j += 1
        if t.is_digits(j) and len(t.word(j)) <= 3:
            if t.is_punct(j + 1, "-") and t.is_word(j + 2) and t.tight(j + 2):
                # "6-ти септември"
                return j + 3 if t.is_word(j + 3) and t.spaced(j + 3) else j + 2
            return j
        last: int | None = None
        k = j
        while k < t.n and k < j + 6:
            if k > j and not (t.spaced(k) or t.tight(k)):
                break
            tok = t.toks[k]
            if tok.kind == WORD and (is_cap(tok.text) or is_upper(tok.text)):
                last = k
                k += 1
                if t.is_punct(k, ".") and len(tok.text) <= 3 and t.is_word(k + 1):
                    k += 1  # "Св. Климент"
                continue
            if tok.kind == WORD and tok.low in _ROMAN and last is not None:
                last = k
                k += 1
                continue
            if tok.kind == WORD and tok.text.islower() and k - j < 4 and tok.low not in _COMPONENT:
                # "ул. Марно поле 80", "ул. Ален мак 14", "ул. шипка 5": only if a number
                # follows the lower-case words
                m = k
                while m < k + 2 and t.is_word(m) and t.word(m).islower() and t.spaced(m):
                    m += 1
                if self._house_number(m - 1) != m - 1:
                    return m - 1
                break
            if tok.kind != DIGIT and tok.text == "-" and t.tight(k) and t.is_word(k + 1):
                k += 1
                continue
            break
        return last

    def _house_number(self, last: int) -> int:
        """The last token of the house number after ``last``, or ``last`` if there is none."""
        t = self.t
        k = last + 1
        if t.is_punct(k, CLOSE_QUOTES):
            k += 1
        if t.is_punct(k, ","):
            k += 1
        if t.low(k) in _NUMBER_WORDS or t.is_punct(k, "№#"):
            k = t.skip_dot(k + 1)
        if (
            t.is_digits(k)
            and len(t.word(k)) <= 3
            and t.word(k)[0] != "0"
            and (t.spaced(k) or t.tight(k))
            and not (t.is_punct(k + 1, ".:") and t.is_digits(k + 2) and t.tight(k + 2))
            and not (t.is_punct(k + 1, "/") and t.is_digits(k + 2) and len(t.word(k + 2)) == 4)
        ):  # (not a time, a date, or a reference number "№ 318/2026")
            end = self._number_suffix(k)
            if t.low(end + 1) in ("или", "or") and t.is_digits(end + 2):
                end = end + 2  # "30 или 32"
            return end
        return last

    def _number_suffix(self, k: int) -> int:
        """Include a letter after a house number: '15А', '15-А', '15 А'."""
        t = self.t
        if t.is_word(k + 1) and t.tight(k + 1) and len(t.word(k + 1)) == 1:
            return k + 1
        if t.is_punct(k + 1, "-/") and t.tight(k + 1) and t.tight(k + 2):
            if t.is_word(k + 2) and len(t.word(k + 2)) == 1:
                return k + 2
            if t.is_digits(k + 2) and len(t.word(k + 2)) <= 3:
                return k + 2
        if (
            t.is_word(k + 1)
            and t.spaced(k + 1)
            and len(t.word(k + 1)) == 1
            and t.word(k + 1).isupper()
            and not t.is_word(k + 2)
        ):
            return k + 1
        return k

    # parts of a flat ---------------------------------------------------------------------------
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
        if tok is None:
            return None
        if kind == "l":
            ok = (tok.kind == WORD and len(tok.text) == 1 and tok.text.isupper()) or (
                tok.kind == DIGIT and len(tok.text) <= 2
            )
            if not ok or t.is_punct(j + 1, "/") or t.is_punct(j + 1, "."):
                return None
            return j
        if tok.kind != DIGIT:
            return None
        if kind == "f":
            if len(tok.text) > 2 or t.is_punct(j + 1, "/"):
                return None
            return j
        if len(tok.text) > 4 or (t.is_punct(j + 1, "/") and t.is_digits(j + 2)):
            return None
        if t.is_punct(j + 1, ".:") and t.is_digits(j + 2) and t.tight(j + 2):
            return None  # "№ 3.11", a time or a date
        return self._number_suffix(j)

    def _floor_phrase(self, k: int) -> int | None:
        """'втори етаж', '2-ри етаж', '5 етаж', 'третия етаж', 'втори вход', 'third floor'."""
        t = self.t
        j = k
        if t.low(j) == "на" and t.spaced(j + 1):
            j += 1
        if t.low(j) in _ORDINAL_FLOOR and t.low(j + 1) in _FLOOR_WORDS:
            return j + 1
        if t.is_digits(j) and len(t.word(j)) <= 2:
            m = j + 1
            if t.is_punct(m, "-") and t.is_word(m + 1) and t.tight(m + 1):
                m += 2
            if t.low(m) in _FLOOR_WORDS:
                return m
        return None

    def _components(self, last: int) -> int:
        """Extend an address over following 'бл. 12, вх. А, ет. 3, ап. 5' parts."""
        t = self.t
        for _ in range(6):
            k = last + 1
            if t.is_punct(k, ","):
                k += 1
            floor = self._floor_phrase(k)
            if floor is not None:
                last = floor
                continue
            if not ((t.is_word(k) or t.is_punct(k, "№")) and t.low(k) in _COMPONENT):
                return last
            nxt = self._component(k)
            if nxt is None:
                return last
            last = nxt
        return last

    def _on_street(self, last: int) -> int:
        """'блок 12 на Бузлуджа', 'номер 14 на Марно поле', 'bl. 45, entr. B, Lyulin 7'."""
        t = self.t
        k = last + 1
        if t.low(k) == "на" and t.is_word(k + 1) and is_cap(t.word(k + 1)):
            end = k + 1
            if (
                t.is_word(end + 1)
                and t.word(end + 1).islower()
                and t.low(end + 1) not in _AFTER_NUMBER
                and (t.low(end + 2) in _AFTER_NUMBER or not t.is_word(end + 2))
            ):
                end += 1
            return end
        if t.is_punct(k, ",") and t.is_word(k + 1) and is_cap(t.word(k + 1)):
            number = self._house_number(k + 1)
            if number != k + 1:
                return number
        return last

    # without a street word ---------------------------------------------------------------------
    def _unmarked(self, i: int) -> tuple[int, int] | None:
        """'живеят на Полтава 29', 'Оборище 71, 2-ри етаж', 'на Христо Ботев 78'."""
        t = self.t
        toks = t.toks
        if not any(toks[k].kind == DIGIT for k in range(i + 1, min(t.n, i + 6))):
            return None  # no house number within reach
        if not (t.is_word(i) and is_cap(t.word(i))):
            return None
        low = t.low(i)
        if (
            low in _NUMBERED_NOUNS
            or low in _MONTHS
            or low in _COMPONENT
            or low in _LOCATIVE
            or low in _AFTER_NUMBER
            or len(low) < 3
        ):
            return None
        before = t.low(i - 1)
        at_start = t.starts_sentence(i)
        latin = t.word(i).isascii()
        address_word = any(w.startswith("адрес") for w in t.words_before(i, 4))
        if not (before in _LOCATIVE or at_start or address_word):
            return None
        if latin and before not in ("at", "to", "on", "in"):
            return None
        k = i
        while (
            k < i + 3
            and t.is_word(k + 1)
            and t.spaced(k + 1)
            and (is_cap(t.word(k + 1)) or t.low(k + 1) in _ROMAN)
        ):
            k += 1
        number = self._house_number(k)
        if number == k or t.is_punct(k + 1, ","):
            return None
        if not self._ends_address(number):
            return None
        return i, self._components(number)

    def _ends_address(self, number: int) -> bool:
        """What follows a house number: the end, punctuation, a flat's parts, a small word;
        never a noun it counts ('на Коледа 5 деца', 'Клас 5 ученици')."""
        t = self.t
        k = number + 1
        if k >= t.n or "\n" in t.gap(k):
            return True
        if t.toks[k].kind != WORD:
            return t.word(k) not in ("%", ":", "/") and not t.is_digits(k)
        low = t.low(k)
        return low not in _COUNTED and low not in _MONTHS and not is_cap(t.word(k))

    # streets named before their word ("12 Baker Street") ---------------------------------------
    def _suffix(self, i: int) -> tuple[int, int] | None:
        """'12 Baker Street', 'Rakovski Str. 15': name words before a street word."""
        t = self.t
        k = i
        first: int | None = None
        while k - 1 >= 0 and i - k < 3 and t.spaced(k) and t.is_word(k - 1):
            w = t.word(k - 1)
            if not is_cap(w) or w.lower() in _ARTICLES:
                break
            first = k - 1
            k -= 1
        if first is None:
            return None
        has_number = False
        if t.is_digits(first - 1) and t.spaced(first) and len(t.word(first - 1)) <= 4:
            first -= 1
            has_number = True
        last = t.skip_dot(i + 1) - 1
        nxt = self._house_number(last)
        if nxt != last:
            has_number = True
            last = nxt
        if not has_number:
            return None  # "Ivan Vazov Street is closed" names a street, not where someone lives
        flat = self._flat_before(first)
        return flat if flat is not None else first, self._components(last)

    def _flat_before(self, first: int) -> int | None:
        """'Flat 3, 27 Oak Road': a flat's number given before its street."""
        t = self.t
        k = first - 1
        if t.is_punct(k, ","):
            k -= 1
        if t.is_digits(k) and t.low(k - 1) in ("flat", "apt", "apartment"):
            return k - 1
        return None

    def _settlement(self, i: int) -> int | None:
        """'с. Русаля № 15': a village house number is as precise as a street address."""
        t = self.t
        j = self._after_trigger(i, _SETTLEMENT[t.low(i)])
        if j is None:
            return None
        k = j
        while k < t.n and k < j + 3 and t.is_word(k) and is_cap(t.word(k)):
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

    # the line around it ------------------------------------------------------------------------
    def _settlement_before(self, start: int) -> int:
        """'гр. Велико Търново, ул. …', 'с. Церова кория, ул. Трета 5', 'кв. Факултета, ул. …'."""
        t = self.t
        k = start - 1
        if not t.is_punct(k, ","):
            return start
        m = k - 1
        words = 0
        while m >= 0 and t.is_word(m) and words < 3:
            m -= 1
            words += 1
        if words == 0:
            return start
        if t.is_punct(m, ".") and t.low(m - 1) in ("гр", "с", "кв", "жк", "к", "ж"):
            marker = m - 1
            if t.low(marker) == "к" and t.is_punct(marker - 1, ".") and t.low(marker - 2) == "ж":
                marker -= 2
            return marker
        if t.low(m) in ("град", "село") and t.is_word(m + 1):
            return m
        return start

    def _town_after(self, last: int) -> int:
        """', Видин', ', гр. Габрово', ', London' closing the address line."""
        t = self.t
        k = last + 1
        if not t.is_punct(k, ","):
            return last
        k += 1
        if t.low(k) in ("гр", "с") and t.is_punct(k + 1, "."):
            k += 2
        if not (t.is_word(k) and is_cap(t.word(k))):
            return last
        end = k
        if t.is_word(end + 1) and is_cap(t.word(end + 1)) and t.spaced(end + 1):
            end += 1
        nxt = end + 1
        if nxt >= t.n or "\n" in t.gap(nxt) or t.is_punct(nxt, ".;-—,)"):
            return end  # the line ends with the town
        return last


_TRIGGERS: Final = frozenset(
    {*_STREET_PREFIX, *_COMPONENT, *_STREET_SUFFIX, *_SETTLEMENT, "ж", "zh", "j"}
)
"""Lower-case words an address can start with; otherwise it starts with a capital."""


def zhk_or_quarter(low: str) -> bool:
    return low in ("ж", "zh", "j", "жк", "zhk", "jk", "кв", "kv", "квартал", "kvartal")
