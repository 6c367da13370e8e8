"""The words the name detector knows, loaded once from ``bot/data`` (see its README).

Given names come in Cyrillic from a curated list; their Latin spellings (the official
transliteration and the usual variants: "Zhivko", "Jivko", "Hristo", "Christo") and the male
vocatives ("Иване", "Стояне") are made here, at load time, so the three never disagree.
Which names are also ordinary words (Вяра, Слава, Will, Grace), and which surname-shaped words
are ordinary words (нова, това, софийски), comes from word lists derived at build time
(``scripts/build_lexicon.py``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

DATA: Final = Path(__file__).resolve().parents[2] / "data"

# The official Bulgarian transliteration (the Streamlined System of 2009), first, and the
# spellings people use besides it.
_LATIN: Final[dict[str, tuple[str, ...]]] = {
    "а": ("a",), "б": ("b",), "в": ("v", "w"), "г": ("g",), "д": ("d",), "е": ("e",),
    "ж": ("zh", "j", "z"), "з": ("z",), "и": ("i",), "й": ("y", "i", "j"), "к": ("k",),
    "л": ("l",), "м": ("m",), "н": ("n",), "о": ("o",), "п": ("p",), "р": ("r",), "с": ("s",),
    "т": ("t",), "у": ("u",), "ф": ("f",), "х": ("h", "kh"), "ц": ("ts", "c", "tz"),
    "ч": ("ch", "c"), "ш": ("sh", "s"), "щ": ("sht",), "ъ": ("a", "u", "y"), "ь": ("y", ""),
    "ю": ("yu", "iu", "ju"), "я": ("ya", "ia", "ja"),
}  # fmt: skip
MAX_SPELLINGS = 12

SURNAME_ENDINGS: Final = (
    "ов", "ова", "ев", "ева", "ски", "ска", "цки", "цка", "ич", "енко", "ук", "юк",
    "ov", "ova", "ev", "eva", "ski", "ska", "sky", "tski", "tska", "ich", "enko",
)  # fmt: skip
"""Endings of surnames of people in Bulgaria (and their neighbours)."""
WEAK_SURNAME_ENDINGS: Final = ("ин", "ина", "ян", "in", "ina", "yan")
FAMILY_PLURAL_ENDINGS: Final = ("ови", "еви", "ски", "ovi", "evi", "ovs", "evs")
"""'Колеви', 'семейство Петрови': a household by its surname."""


def transliterations(name: str) -> set[str]:
    """Latin spellings of a Cyrillic name, the official one first among at most a dozen."""
    low = name.lower()
    if not low or any(c not in _LATIN for c in low):
        return set()
    options = [_LATIN[c] for c in low]
    if low.endswith("ия"):  # "София" → "Sofia" (the official rule), "Sofiya"
        options[-2:] = [("i",), ("a", "ya", "ja")]
    spellings: list[str] = []
    for parts in itertools.product(*options):
        spellings.append("".join(parts))
        if len(spellings) >= MAX_SPELLINGS:
            break
    return {s for s in spellings if len(s) >= 2}


def vocatives(name: str) -> set[str]:
    """How a person is called by name: 'Иване', 'Стояне', 'Петре', 'Марийо', 'Пенке'."""
    low = name.lower()
    forms: set[str] = set()
    if low.endswith("ър"):
        forms.add(low[:-2] + "ре")
    elif low.endswith(("ай", "ей")):
        forms.add(low[:-1] + "е")  # "Николае", "Андрее"
    elif low[-1:] in "бвгджзклмнпрстфхцчшщ":
        forms.add(low + "е")
    elif low.endswith("ия"):
        forms.add(low[:-2] + "ийо")
    elif low.endswith("ка") and len(low) > 4:
        forms.add(low[:-1] + "е")
    elif low.endswith("а") and len(low) > 4:
        forms.update({low[:-1] + "о", low[:-1] + "е"})  # "Гергано", "Гергане"
    return forms


def _lines(file_name: str) -> list[str]:
    path = DATA / file_name
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


@dataclass(frozen=True, slots=True)
class Lexicon:
    given: frozenset[str]
    """Every given name, diminutive and nickname, in Cyrillic and Latin, lower case."""
    vocative: frozenset[str]
    """Male and female vocatives of the given names."""
    name_words: frozenset[str]
    """Given names that are also ordinary words: they need a person's context to count."""
    common: frozenset[str]
    """Ordinary words shaped like surnames (нова, това, софийски) and other words that
    are never a person on their own."""
    surnames: frozenset[str]
    """Surnames seen in Bulgaria, for the weak endings (-ин, -ина, -ски) that words share."""
    places: frozenset[str]
    """One-word places, and the first word of longer ones, lower case."""
    place_phrases: frozenset[tuple[str, ...]]


@cache
def lexicon() -> Lexicon:
    """Loaded once per process."""
    cyrillic = {name.lower() for name in _lines("given_names.txt")}
    latin = {name.lower() for name in _lines("latin_names.txt")}
    spelled = {spelling for name in cyrillic for spelling in transliterations(name)}
    called = {form for name in cyrillic for form in vocatives(name)}
    common_words = set(_lines("common_words.txt"))
    places: set[str] = set()
    phrases: set[tuple[str, ...]] = set()
    for place in _lines("places.txt"):
        words = tuple(place.lower().split())
        if len(words) == 1:
            places.add(words[0])
        else:
            phrases.add(words)
    given = cyrillic | latin | spelled
    name_words = given & common_words
    # "vyara" is as much a word as "вяра": a Latin spelling of a name that is a word
    name_words |= {s for name in cyrillic & common_words for s in transliterations(name)}
    return Lexicon(
        given=frozenset(given),
        vocative=frozenset(called - given - common_words),
        name_words=frozenset(name_words),
        common=frozenset(common_words - given),
        surnames=frozenset(_lines("known_surnames.txt")),
        places=frozenset(places),
        place_phrases=frozenset(phrases),
    )
