"""People's names, as they are written in notes: "майката Йоана", "бащата Живко", "Пепи",
"малкият Ицо", "Иване,", "говорих с явор райчев", "„Петър Стоянов“", "Инсп. Лазаров",
"У Георгиеви", "Петрова каза…", "ИВАН ПЕТРОВ", "Отговорник Петровски С.".

Rules, in the order a word is tried:
1. Inside the name of an institution, a street, a saint, a holiday or a famous person (СУ
   „Г. С. Раковски“, МБАЛ „Д-р Стефан Черкезов“, ул. Иван Вазов, Трифон Зарезан): not a person.
2. After a word that introduces a person (kinship, role, title, rank: "майката", "детето",
   "г-жа", "инсп.", "Mr"), or a naming verb ("казва се", "на име"): the next name-like words.
3. A known given name, diminutive, nickname or vocative, in any case, with the surname and
   patronymic that follow it; a name that is also an ordinary word (Вяра, Слава, Роза) counts
   only with a person's context (one of the above, a surname, or a capital inside a sentence
   that no place, street or institution explains).
4. A word shaped like a surname (-ов, -ева, -ски …) that is not an ordinary word, with an
   initial before or after it; a household by its surname ("Колеви", "семейство Петрови").
Spans cover the name and its initials, never the word that introduced it.
"""

from __future__ import annotations

from bot.guard.pii.kinds import Finding, PiiKind
from bot.guard.pii.lexicon import (
    FAMILY_PLURAL_ENDINGS,
    SURNAME_ENDINGS,
    WEAK_SURNAME_ENDINGS,
)
from bot.guard.pii.name_words import (
    ABBREVIATED_TITLES,
    AFTER_INSTITUTION,
    ANY_SURNAME_ENDING,
    DEFINITE,
    FAMILY_WORDS,
    HYPHEN_TITLES,
    INSTITUTIONS,
    NAMING,
    PERSON_PREPOSITIONS,
    PERSON_VERBS,
    PERSON_WORDS,
    PLACE_ADJECTIVE_ENDINGS,
    PLACE_PREPOSITIONS,
    POSSESSIVE_ENDINGS,
    STOP,
    TITLES,
    ends_with,
    place_first_words,
    trigger_words,
)
from bot.guard.pii.not_persons import NotAPerson
from bot.guard.pii.tokens import (
    DIGIT,
    OPEN_QUOTES,
    PUNCT,
    WORD,
    is_cap,
    is_upper,
)


class NameScanner(NotAPerson):
    """Finds people's names in a text, by the rules above."""

    def run(self) -> None:
        t = self.t
        toks = t.toks
        triggers = trigger_words()
        given = self.lex.given
        vocative = self.lex.vocative
        n = t.n
        i = 0
        while i < n:
            tok = toks[i]
            kind = tok.kind
            if kind == DIGIT or (kind == PUNCT and tok.text not in OPEN_QUOTES):
                i += 1
                continue
            low = tok.low
            if (
                kind == WORD
                and tok.text[0].islower()
                and low not in triggers
                and low not in given
                and low not in vocative
                and not low.endswith(ANY_SURNAME_ENDING)
            ):
                i += 1  # an ordinary lower-case word, the common case: decided at once
                continue
            if tok.kind == WORD and (
                tok.low in triggers
                or tok.low in place_first_words()
                or (tok.text.isupper() and t.is_punct(i + 1, OPEN_QUOTES))
            ):
                skip = self._not_a_person(i)
                if skip is not None:
                    i = skip + 1
                    continue
            found = self._at(i)
            if found is None:
                i += 1
                continue
            start, last = found
            if start >= 0:
                self.out.append(Finding(PiiKind.NAME, t.toks[start].start, t.toks[last].end))
            i = last + 1

    # 2.–4. a person -----------------------------------------------------------------------------
    def _at(self, i: int) -> tuple[int, int] | None:
        t = self.t
        if t.is_punct(i, OPEN_QUOTES):
            return self._quoted(i, context=self._cue_before(i))
        if not t.is_word(i):
            return None
        low = t.low(i)
        if low not in trigger_words():
            return self._name_phrase(i, context=False, any_case=True)
        cue = self._person_word_end(i)
        if cue is not None:
            found = self._after_cue(cue + 1)
            if found is not None:
                return found
        naming = self._naming_end(i)
        if naming is not None:
            if t.is_punct(naming + 1, OPEN_QUOTES):
                found = self._quoted(naming + 1, context=True)
            else:
                found = self._name_phrase(naming + 1, context=True, any_case=True)
            if found is not None:
                return found
        if low in FAMILY_WORDS and low not in ("the",):
            found = self._family(i + 1)
            if found is not None:
                return found
        if low == "the":
            found = self._english_family(i + 1)
            if found is not None:
                return found
        return self._name_phrase(i, context=False, any_case=True)

    def _person_word_end(self, i: int) -> int | None:
        """The last token of a word that introduces a person at i ("майката", "г-жа",
        "инсп.", "мл. инспектор", "кл. р-л", "майка му"), or None."""
        t = self.t
        low = t.low(i)
        if t.is_punct(i + 1, "-") and t.tight(i + 1) and (low, t.low(i + 2)) in HYPHEN_TITLES:
            end = i + 2
            if t.low(i + 2) == "р" and t.is_punct(i + 3, "-") and t.low(i + 4) == "л":
                end = i + 4  # "р-л" (ръководител)
            return t.skip_dot(end + 1) - 1
        if low not in PERSON_WORDS:
            return None
        if low in ("мл", "ст", "кл") and not t.is_punct(i + 1, "."):
            return None
        end = t.skip_dot(i + 1) - 1 if low in ABBREVIATED_TITLES else i
        if t.low(end + 1) in ("му", "й", "ѝ", "им", "ми", "ни") and t.spaced(end + 1):
            end += 1  # "майка му Ани"
        if t.low(i) in ("мл", "ст", "кл") and t.is_word(end + 1):
            nxt = self._person_word_end(end + 1)  # "мл. инспектор", "кл. ръководител"
            if nxt is not None:
                return nxt
        return end

    def _cue_before(self, i: int) -> bool:
        """A person word or a naming verb right before token i."""
        for k in (i - 1, i - 2, i - 3):
            if k < 0:
                return False
            end = self._person_word_end(k)
            if end == i - 1:
                return True
            naming = self._naming_end(k)
            if naming == i - 1:
                return True
        return False

    def _naming_end(self, i: int) -> int | None:
        t = self.t
        one = (t.low(i),)
        two = (t.low(i), t.low(i + 1))
        three = (t.low(i), t.low(i + 1), t.low(i + 2))
        if three in NAMING and t.spaced(i + 1) and t.spaced(i + 2):
            return i + 2
        if two in NAMING and t.spaced(i + 1):
            end = i + 1
            if t.low(end + 1) in ("е", "is") and t.spaced(end + 1):
                end += 1
            return end
        if one in NAMING:
            return i
        return None

    def _after_cue(self, j: int) -> tuple[int, int] | None:
        """The name after a word that introduces a person: known names in any case, and
        capitalised words that are not ordinary words."""
        t = self.t
        if t.is_punct(j, ":–-") and t.is_word(j + 1):
            j += 1
        if t.is_punct(j, OPEN_QUOTES):
            return self._quoted(j, context=True)
        if t.low(j) == "на" and t.is_word(j + 1) and t.spaced(j + 1):
            found = self._name_phrase(j + 1, context=True, any_case=True)  # "бащата на габи"
            if found is not None and self._is_given(t.low(j + 1)):
                return found
        if not t.is_word(j) or not t.spaced(j):
            return None
        return self._name_phrase(j, context=True, any_case=True)

    def _quoted(self, i: int, *, context: bool = False) -> tuple[int, int] | None:
        """'детето „Петър Стоянов“', 'казва се "Мими"': a name inside quotes. An institution's
        quotes were passed over already; a title in quotes ("Шрек") is not a name unless a
        person's context puts it there."""
        close = self._closing_quote(i)
        if close is None or close == i + 1:
            return None
        if self._famous_at(i + 1) is not None:
            return -1, close
        found = self._name_phrase(i + 1, context=context, any_case=True)
        if found is None or found[1] != close - 1:
            return None
        return found

    # a name phrase -------------------------------------------------------------------------
    def _is_given(self, low: str) -> bool:
        return low in self.lex.given or low in self.lex.vocative

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
                and (is_cap(t.word(k + 2)) or t.word(k + 2).islower() == t.word(i).islower())
                and (
                    self._surname_shaped(t.low(k + 2), strong_only=False)
                    or ends_with(t.low(k + 2), SURNAME_ENDINGS)
                )
            ):
                k += 2
            else:
                break
        return k

    def _surname_shaped(self, low: str, *, strong_only: bool = True) -> bool:
        """Shaped like a surname and not an ordinary word (or a place)."""
        if low in self.lex.common or low in STOP or low in self.lex.places:
            return False
        if ends_with(low, SURNAME_ENDINGS) or ends_with(low, FAMILY_PLURAL_ENDINGS):
            return not low.endswith(("ски", "ска", "ski", "ska")) or low in self.lex.surnames
        if strong_only:
            return False
        return ends_with(low, WEAK_SURNAME_ENDINGS) and low in self.lex.surnames

    def _initial(self, k: int) -> bool:
        """'М.' — one capital letter and a dot."""
        t = self.t
        w = t.word(k)
        return (
            t.is_word(k)
            and len(w) == 1
            and w.isupper()
            and t.is_punct(k + 1, ".")
            and t.tight(k + 1)
        )

    def _next_on_line(self, k: int) -> int | None:
        t = self.t
        j = k + 1
        return j if t.is_word(j) and t.spaced(j) and not t.tight(j) else None

    def _name_phrase(self, i: int, *, context: bool, any_case: bool) -> tuple[int, int] | None:
        """A person's name starting at token i: initials, given names, surnames. ``(-1, k)``
        passes over tokens up to k that are not a person ("Victoria Street")."""
        t = self.t
        lex = self.lex
        if not t.is_word(i):
            return None
        if self._initial(i):
            return self._initial_surname(i, context)
        word = t.word(i)
        low = t.low(i)
        cap = self._capitalised(i)
        upper = is_upper(word)
        if low in STOP or len(low) < 2:
            return None
        if (
            not context
            and low not in lex.given
            and low not in lex.vocative
            and not low.endswith(ANY_SURNAME_ENDING)
            and not low.endswith(POSSESSIVE_ENDINGS)
        ):
            # an ordinary word (the common case): only "Unknownname Surnameova" and
            # "Вангел и Милчо" are left
            nxt = i + 1
            if not (cap and not upper and t.is_word(nxt) and t.spaced(nxt)):
                return None
            if not (
                (is_cap(t.word(nxt)) and t.low(nxt).endswith(SURNAME_ENDINGS))
                or (t.low(nxt) in ("и", "and") and self._is_given(t.low(nxt + 1)))
            ):
                return None
        end = self._word_end(i)
        second = self._next_on_line(end)
        if second is not None and t.low(second) in AFTER_INSTITUTION and cap:
            return -1, second  # "Victoria Street", "Anna Freud Centre"
        given = self._is_given(low)
        ambiguous = low in lex.name_words or low in lex.places
        surname_next = (
            second is not None
            and self._same_case(i, second)
            and (
                self._surname_shaped(t.low(second), strong_only=False)
                or (self._is_given(t.low(second)) and cap)
                or (given and cap and not upper and self._any_surname(second))
            )
        )
        if given:
            if not cap and t.low(end + 1) in ("съм", "си"):
                return None  # "рада съм": glad, not Рада
            if ambiguous and not (
                context or surname_next or self._person_capital(i) or self._acting(end)
            ):
                return None
            if ambiguous and low in lex.places and not surname_next and self._among_places(i, end):
                return None
            last = self._more_names(second) if surname_next and second is not None else end
            return i, self._initial_after(last)
        possessive = self._possessive(i)
        if possessive:
            return i, end
        if (
            not cap
            and ends_with(low, ("ов", "ова", "ев", "ева", "ov", "ova", "ev", "eva"))
            and low not in lex.common
            and low not in self.famous_singles
            and t.low(i - 1) in PERSON_PREPOSITIONS
        ):
            return i, end  # "говорих с иванова", "звъня на пенчев"
        shaped = self._surname_shaped(low) or (
            (context or self._initial(end + 1)) and self._surname_shaped(low, strong_only=False)
        )
        if not shaped and cap and not upper and (context or self._person_capital(i)):
            # capitalised inside a sentence, a surname that is also a word ("с Маринова")
            shaped = ends_with(low, ("ов", "ова", "ев", "ева")) and low not in lex.places
        if not shaped and cap and context and (self._initial(end + 1) or self._titled(i)):
            shaped = low not in STOP  # "Отговорник: Петровски С.", "инсп. Хаджийска"
        if shaped:
            if not cap and not (context or surname_next):
                return None
            if upper and not (context or surname_next) and (len(low) < 6 or low in lex.common):
                return None  # a heading in capitals more often than not
            if not context and self._place_before(i):
                return None
            last = end
            if surname_next and second is not None and self._is_given(t.low(second)):
                last = self._more_names(second)  # "Петрова Мария"
            return i, self._initial_after(last)
        cyrillic = not word.isascii()
        titled = context and self._titled(i)
        if (
            context
            and cap
            and not upper
            and (cyrillic or titled)
            and low not in lex.common
            and len(low) >= 3
        ):
            # an unknown name after "майката", "г-жа": capitalised and not an ordinary word
            if self._is_word_of_language(low):
                return None
            last = self._more_names(second) if surname_next and second is not None else end
            return i, self._initial_after(last)
        if cap and second is not None and len(low) >= 3 and self._same_case(i, second):
            # "Бисерка Чолакова", "ЖАНЕТ ХРИСТОВА": an unknown first name before a surname
            w2 = t.low(second)
            if (
                self._capitalised(second)
                and self._surname_shaped(w2)
                and not low.endswith(PLACE_ADJECTIVE_ENDINGS)
                and low not in lex.common
                and low not in lex.places
                and not self._is_word_of_language(low)
            ):
                return i, self._initial_after(self._more_names(second))
        if (
            cap
            and not upper
            and t.low(end + 1) in ("и", "and")
            and self._is_given(t.low(end + 2))
            and self._capitalised(end + 2)
            and low not in lex.common
            and low not in lex.places
            and not self._is_word_of_language(low)
        ):
            return i, end  # "Вангел и Милчо": a name beside a name
        return None

    def _any_surname(self, k: int) -> bool:
        """After a given name, a capitalised word that is no ordinary word, place or title is
        a surname, whatever its ending ("Сорина Попеску", "Галина Мельник", "Пешо Топката")."""
        t = self.t
        low = t.low(k)
        if not is_cap(t.word(k)) or low in STOP or low in self.lex.places:
            return False
        if low in AFTER_INSTITUTION or low in INSTITUTIONS or low in PERSON_WORDS:
            return False
        if low in self.lex.common:
            return low.endswith(("ата", "ът", "ия", "ото"))  # a nickname: "Пешо Топката"
        return len(low) >= 3

    def _titled(self, i: int) -> bool:
        """Right after a title ("Mrs Jones", "Dr. Hale", "г-жа Колева"): any capitalised word."""
        t = self.t
        k = i - 1
        if t.is_punct(k, "."):
            k -= 1
        return t.low(k) in TITLES

    def _acting(self, end: int) -> bool:
        """'Поли от ДСП ще прати', 'Ani said': a word that is also a name, doing something."""
        t = self.t
        k = end + 1
        if t.low(k) in PERSON_VERBS:
            return True
        return t.low(k) in ("от", "from") and is_upper(t.word(k + 1)) and len(t.word(k + 1)) <= 6
        # ("Деси от ЦОП": someone from an institution)

    def _among_places(self, i: int, end: int) -> bool:
        """'Симеоновград и Радомир', 'Генерал Тошево и Тервел': a place among places."""
        t = self.t
        places = self.lex.places
        before = i - 1
        if t.low(before) in ("и", "and", ",") or t.is_punct(before, ","):
            prev = before - 1
            if t.is_word(prev) and (t.low(prev) in places or self._place_phrase_end(prev)):
                return True
        after = end + 1
        if t.low(after) in ("и", "and") or t.is_punct(after, ","):
            nxt = after + 1
            if t.is_word(nxt) and (t.low(nxt) in places or self._place_phrase_at(nxt) is not None):
                return True
        return False

    def _place_phrase_end(self, k: int) -> bool:
        t = self.t
        for length in (2, 3):
            start = k - length + 1
            if (
                start >= 0
                and tuple(t.low(m) for m in range(start, k + 1)) in self.lex.place_phrases
            ):
                return True
        return False

    def _possessive(self, i: int) -> bool:
        """'Ивановите деца', 'Петровата къща': a household named by its surname."""
        t = self.t
        low = t.low(i)
        if not self._capitalised(i) or (t.starts_sentence(i) and not low.endswith("ите")):
            return False
        for article in ("ите", "ата", "ия"):
            if low.endswith(article):
                stem = low[: -len(article)]
                if ends_with(stem, ("ов", "ев")) and self._surname_shaped(stem):
                    return True
        return False

    def _same_case(self, a: int, b: int) -> bool:
        """Both capitalised, or both lower case ("явор райчев"), or both in capitals."""
        wa, wb = self.t.word(a), self.t.word(b)
        if is_upper(wa):
            return is_upper(wb)
        return self._capitalised(a) == self._capitalised(b)

    def _more_names(self, k: int) -> int:
        """Extend over a surname and a patronymic: 'Иван Петров Иванов'."""
        t = self.t
        last = self._word_end(k)
        nxt = self._next_on_line(last)
        if (
            nxt is not None
            and self._same_case(k, nxt)
            and self._surname_shaped(t.low(nxt), strong_only=False)
            and t.low(nxt) not in AFTER_INSTITUTION
        ):
            last = self._word_end(nxt)
        return last

    def _initial_after(self, last: int) -> int:
        """'Петровски С.', 'Мария П.': an initial after the name is part of it."""
        t = self.t
        k = last + 1
        if self._initial(k) and t.spaced(k):
            return k + 1
        return last

    def _initial_surname(self, i: int, context: bool) -> tuple[int, int] | None:
        """'М. Петрова', 'Г. С. Петров'; an initial alone ('детето А.') is the usual
        pseudonym and is not a name."""
        t = self.t
        k = i
        while self._initial(k) and k < i + 6:
            k += 2
        if not (t.is_word(k) and t.spaced(k)):
            return None
        low = t.low(k)
        if self._capitalised(k) and (
            self._surname_shaped(low, strong_only=False) or self._is_given(low)
        ):
            return i, self._word_end(k)
        if context and self._capitalised(k) and low not in self.lex.common and low not in STOP:
            return i, self._word_end(k)
        return None

    def _person_capital(self, i: int) -> bool:
        """A capital inside a sentence, where no place, street or institution explains it."""
        t = self.t
        if not is_cap(t.word(i)) or t.starts_sentence(i):
            return False
        if self._place_before(i):
            return False
        nxt = self._next_on_line(i)
        if nxt is not None and t.low(nxt) in AFTER_INSTITUTION:
            return False
        return not t.is_punct(i - 1, OPEN_QUOTES)

    def _place_before(self, i: int) -> bool:
        """'в Елена', 'гр. Троян', 'от Девин': a place, not a person."""
        t = self.t
        k = i - 1
        if t.is_punct(k, "."):
            k -= 1
        return t.is_word(k) and t.low(k) in PLACE_PREPOSITIONS and t.low(i) in self.lex.places

    def _is_word_of_language(self, low: str) -> bool:
        """An ordinary word of the language, by its ending (adjectives and articles)."""
        return low.endswith(DEFINITE) and len(low) > 5

    def _family(self, j: int) -> tuple[int, int] | None:
        """'семейство Петрови', 'У Георгиеви', 'при Стоянови': a household by its surname."""
        t = self.t
        if not (t.is_word(j) and t.spaced(j) and self._capitalised(j)):
            return None
        low = t.low(j)
        if low in self.lex.common or low in STOP:
            return None
        if ends_with(low, FAMILY_PLURAL_ENDINGS) or self._surname_shaped(low, strong_only=False):
            return j, self._word_end(j)
        return None

    def _english_family(self, j: int) -> tuple[int, int] | None:
        """'the Ivanov family', 'the Petrovs'."""
        t = self.t
        if not (t.is_word(j) and is_cap(t.word(j))):
            return None
        low = t.low(j)
        if (t.low(j + 1) == "family" and ends_with(low, SURNAME_ENDINGS)) or ends_with(
            low, ("ovs", "evs", "skis", "ovi", "evi")
        ):
            return j, j
        return None
