"""What looks like a name but is not a person: an institution ("СУ „Г. С. Раковски“"), a
street ("ул. Иван Вазов"), a saint or a holiday ("Трифон Зарезан"), a famous person. The first
rule :class:`bot.guard.pii.names.NameScanner` tries on a word."""

from __future__ import annotations

from bot.guard.pii.kinds import Finding
from bot.guard.pii.lexicon import Lexicon, lexicon
from bot.guard.pii.name_words import (
    ACRONYM_MAX,
    INSTITUTIONS,
    PERSON_WORDS,
    SAINTS,
    STREETS,
    famous_first_words,
    famous_people,
    place_first_words,
)
from bot.guard.pii.tokens import CLOSE_QUOTES, OPEN_QUOTES, Text, is_cap, is_upper


class NotAPerson:
    """The scanner's state and the checks that rule a word out as a person's name."""

    def __init__(self, t: Text, out: list[Finding]) -> None:
        self.t = t
        self.out = out
        self.lex: Lexicon = lexicon()
        self.famous, self.famous_singles = famous_people()
        self.famous_first = famous_first_words()
        self._quote_institution: set[int] = set()

    # 1. what is not a person -------------------------------------------------------------------
    def _not_a_person(self, i: int) -> int | None:
        """The last token of an institution's, street's, saint's or famous person's name
        starting at i (or introduced by token i), to be passed over."""
        t = self.t
        if not t.is_word(i):
            return None
        low = t.low(i)
        famous = self._famous_at(i)
        if famous is not None:
            return famous
        place = self._place_phrase_at(i)
        if place is not None:
            return place
        word = t.word(i)
        if (
            is_upper(word)
            and len(word) <= ACRONYM_MAX
            and low not in self.lex.given
            and t.is_punct(i + 1, OPEN_QUOTES)
        ):  # "ВТУ „Св. св. Кирил и Методий“", "OU „Hristo Botev“": an institution's name
            close = self._closing_quote(i + 1)
            if close is not None:
                return close
        if low in ("ъгъла", "кръстовището", "ъгълът") and t.low(i + 1) == "на":
            return self._street_words(i + 2)
        if low in INSTITUTIONS or low in STREETS or low in SAINTS:
            j = t.skip_dot(i + 1)
            if low in ("пг", "ег") and t.is_punct(j, "-"):
                j += 2
            # "СУ „Г. С. Раковски“", "ОУ "Христо Ботев"", "МБАЛ - Сливен"
            k = j
            while k < j + 4 and t.is_word(k) and t.word(k).islower() and low in INSTITUTIONS:
                k += 1  # "ПГ по туризъм „…“"
            if t.is_punct(k, OPEN_QUOTES):
                close = self._closing_quote(k)
                if close is not None:
                    return close
            run = self._capital_run(j)
            if run is not None and (low not in SAINTS or is_cap(t.word(j))):
                if low in ("с", "село", "гр", "град") and not t.is_punct(i + 1, "."):
                    return None
                return run
        if low in ("с", "гр", "св", "кв", "ул", "бул", "пл") and t.is_punct(i + 1, "."):
            run = self._capital_run(i + 2)
            if run is not None:
                return run
        return None

    def _famous_at(self, i: int) -> int | None:
        t = self.t
        low = t.low(i)
        if low not in self.famous_first and low not in self.famous_singles:
            return None
        for length in (4, 3, 2):
            words = tuple(t.low(k) for k in self._word_run(i, length))
            if len(words) == length and words in self.famous:
                return self._word_run(i, length)[-1]
        if t.low(i) in self.famous_singles and is_cap(t.word(i)):
            prev = self._previous_word(i)
            if prev is None or (prev not in self.lex.given and prev not in PERSON_WORDS):
                return i
        return None

    def _word_run(self, i: int, length: int) -> list[int]:
        """Up to ``length`` words from i on one line, possibly joined by "и" (Кирил и Методий)."""
        t = self.t
        run: list[int] = []
        k = i
        while k < t.n and len(run) < length:
            if not t.is_word(k) or (run and not t.spaced(k)):
                break
            run.append(k)
            k += 1
        return run

    def _previous_word(self, i: int) -> str | None:
        t = self.t
        k = i - 1
        if t.is_punct(k, "."):
            k -= 1
        return t.low(k) if t.is_word(k) and t.spaced(i) else None

    def _closing_quote(self, k: int) -> int | None:
        t = self.t
        for m in range(k + 1, min(t.n, k + 12)):
            if "\n" in t.gap(m):
                return None
            if t.is_punct(m, CLOSE_QUOTES):
                return m
        return None

    def _street_words(self, j: int) -> int:
        """'на ъгъла на никола габровски и магистрална': up to five words of street names."""
        t = self.t
        k = j
        while k < j + 5 and t.is_word(k + 1) and t.spaced(k + 1):
            k += 1
        return k

    def _place_phrase_at(self, i: int) -> int | None:
        """'Гоце Делчев', 'Горна Оряховица', 'Генерал Тошево': a place of several words."""
        t = self.t
        if t.low(i) not in place_first_words() or not self._capitalised(i):
            return None
        for length in (3, 2):
            run = self._word_run(i, length)
            if len(run) == length and tuple(t.low(k) for k in run) in self.lex.place_phrases:
                return run[-1]
        return None

    def _capital_run(self, j: int) -> int | None:
        """The last of up to four capitalised words (with initials, and "и" between two
        names: "Кирил и Методий") from j."""
        t = self.t
        last: int | None = None
        k = j
        for _ in range(6):
            if (
                last is not None
                and t.low(k) in ("и", "and")
                and t.is_word(k + 1)
                and is_cap(t.word(k + 1))
            ):
                k += 1
            if not t.is_word(k) or not (is_cap(t.word(k)) or is_upper(t.word(k))):
                break
            if last is not None and not t.spaced(k):
                break
            last = k
            k += 1
            if t.is_punct(k, ".") and len(t.word(k - 1)) <= 3:
                last = k
                k += 1
        return last

    def _capitalised(self, k: int) -> bool:
        w = self.t.word(k)
        return is_cap(w) or is_upper(w)
