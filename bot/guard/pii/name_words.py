"""The words around people's names: what introduces a person ("майката", "инсп."), what
names an institution, a street, a saint or a holiday instead, and the famous people whose names
are not personal data. Data for :mod:`bot.guard.pii.names`; the long lists are in ``bot/data``."""

from __future__ import annotations

from functools import cache
from typing import Final

from bot.guard.pii.lexicon import (
    DATA,
    FAMILY_PLURAL_ENDINGS,
    SURNAME_ENDINGS,
    WEAK_SURNAME_ENDINGS,
    lexicon,
)

# Words that introduce a person: the name follows them ("майката Йоана", "инсп. Лазаров").
PERSON_WORDS: Final = frozenset(
    {
        "майка", "майката", "майка му", "мама", "мамо", "мамата", "баща", "бащата", "татко",
        "таткото", "детето", "дете", "момчето", "момче", "момичето", "момиче", "синът", "сина",
        "син", "дъщерята", "дъщеря", "брат", "братът", "брата", "братчето", "сестра", "сестрата",
        "сестричката", "баба", "бабата", "дядо", "дядото", "леля", "лелята", "чичо", "чичото",
        "вуйчо", "вуйна", "стринка", "кака", "каката", "батко", "бате", "братовчед",
        "братовчедът", "братовчедка", "братовчедката", "съпруг", "съпругът", "съпруга",
        "съпругата", "мъжът", "жената", "приятел", "приятелят", "приятелка", "приятелката",
        "партньор", "партньорът", "партньорката", "пастрок", "пастрокът", "мащеха", "мащехата",
        "доведеният", "доведената", "малкият", "малкия", "малката", "малкото", "голямата",
        "големият", "големия", "по-малкия", "по-малкият", "по-голямата", "по-големия",
        "бебето", "близнакът", "близначката", "ученикът", "ученичката", "ученик", "ученичка",
        "учителят", "учителката", "учителя", "директорът", "директорката", "директора",
        "колегата", "колежката", "съседът", "съседката", "съседа", "настойник", "настойникът",
        "настойничката", "приемната", "приемният", "осиновителят", "осиновителката", "лекарят",
        "лекарката", "докторът", "докторката", "психологът", "психоложката",
        "отговорник", "отговорникът", "отговорничката", "кл", "класната", "класният",
        "ръководител", "ръководителят", "ръководителката", "детенцето", "хлапето", "племенник",
        "племенникът", "племенничката", "внук", "внукът", "внучка", "внучката", "кръстникът",
        "кръстницата", "г-н", "г-жа", "г-ца", "д-р", "инсп", "инспектор", "инспекторът",
        "инспекторката", "инспекторка", "мл", "ст", "сержант", "полицай", "полицаят", "полицайката",
        "служителят", "служителката", "адв", "адвокат", "адвокатът", "адвокатката", "съдия",
        "съдията", "прокурор", "прокурорът", "проф", "доц", "другарят", "другарката",
        "вуйчото", "сватът", "кумът", "кумата", "тетка", "тетката", "бабчето", "бабче",
        "бабка", "дядка", "вуйната", "свако", "свакото", "етърва", "зълва", "шурей",
        "девер", "снаха", "снахата", "зет", "зетят", "тъща", "свекърва", "свекърът",
        "кръстник", "кръстница", "пастрока", "сестричето", "батето",
        "калеко", "леличка", "чичко",
        "mother", "mum", "mom", "father", "dad", "son", "daughter", "brother", "sister",
        "grandma", "grandmother", "grandpa", "grandfather", "aunt", "uncle", "cousin", "child",
        "boy", "girl", "baby", "mr", "mrs", "ms", "miss", "dr", "prof", "officer", "inspector",
        "sergeant", "teacher", "pupil", "student", "stepfather", "stepmother", "guardian",
        "foster", "carer", "neighbour", "neighbor", "nurse", "judge", "lawyer", "friend",
    }
)  # fmt: skip
HYPHEN_TITLES: Final = frozenset({("г", "н"), ("г", "жа"), ("г", "ца"), ("д", "р"), ("кл", "р")})
ABBREVIATED_TITLES: Final = frozenset(
    {"инсп", "мл", "ст", "кл", "проф", "доц", "адв", "mr", "mrs", "ms", "dr", "prof", "sgt"}
)
"""Titles written with a dot: the dot belongs to them, not to the end of a sentence."""
PERSON_VERBS: Final = frozenset(
    {"каза", "казва", "казват", "сподели", "споделя", "разказа", "разказва", "плаче", "плака",
     "живее", "отсъства", "отсъстваше", "спи", "ходи", "учи", "избяга", "избягал", "избягала",
     "дойде", "идва", "звънна", "звъни", "писа", "пише", "обеща", "отказа", "отказва",
     "said", "says", "told", "tells", "asked", "asks", "cried", "lives", "lived", "goes",
     "went", "came", "comes", "refused", "refuses", "wants", "wanted", "missed", "called"}
)  # fmt: skip
"""A name that is also a word, followed by one of these, is someone doing something."""
ACRONYM_MAX = 6
PERSON_PREPOSITIONS: Final = frozenset(
    {"с", "със", "на", "от", "при", "за", "до", "към", "и", "with", "to", "from", "and"}
)
"""Before a lower-case surname-shaped word, these make it someone ("говорих с иванова")."""
PLACE_ADJECTIVE_ENDINGS: Final = (
    "ски",
    "ска",
    "ско",
    "ческа",
    "чески",
    "ата",
    "ото",
    "ите",
    "ият",
)
TITLES: Final = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "prof", "officer", "inspector", "sergeant", "sgt", "жа",
     "н", "ца", "р", "инсп", "инспектор", "сержант", "проф", "доц", "адв", "judge"}
)  # fmt: skip
NAMING: Final = frozenset(
    {("казва", "се"), ("казват", "се"), ("на", "име"), ("викат", "му"), ("викат", "й"),
     ("викат", "ѝ"), ("наричат", "го"), ("наричат", "я"), ("казваше", "се"), ("is", "called"),
     ("was", "called"), ("named",), ("called",), ("name", "is"), ("името", "му"),
     ("името", "й"), ("името", "ѝ"), ("наречен",), ("наречена",), ("викат", "го"),
     ("викат", "я"), ("го", "викат"), ("я", "викат"), ("представя", "се", "като"),
     ("представи", "се", "като"), ("подписва", "се", "като"), ("прякорът", "му"),
     ("прякорът", "й"), ("прякорът", "ѝ"), ("прякор",), ("с", "прякор"), ("known", "as"),
     ("nicknamed",), ("goes", "by")}
)  # fmt: skip
FAMILY_WORDS: Final = frozenset(
    {"семейство", "семейството", "фамилия", "фамилията", "у", "при", "the", "family"}
)
# Words after which a capitalised word names a place, a street, a saint or an institution.
INSTITUTIONS: Final = frozenset(
    {
        "су", "оу", "ну", "пг", "пмг", "ег", "дг", "цдг", "сугс", "пгт", "соу", "смг", "пгее",
        "пгм", "мбал", "умбал", "сбал", "сбалдб", "дкц", "мц", "нч", "цнст", "цоп", "кцм",
        "дсп", "ддлрг", "дмсгд", "цспзд", "цмкд", "спи", "вуи", "пу", "ву", "ту", "юзу", "вту",
        "училище", "училището", "гимназия", "гимназията", "градина", "градината", "болница",
        "болницата", "читалище", "читалището", "фондация", "фондацията", "сдружение",
        "сдружението", "университет", "университета", "университетът", "библиотека",
        "библиотеката", "център", "центъра", "центърът", "клуб", "клуба", "дом", "дома",
        "домът", "лагер", "лагера", "награда", "наградата", "школа", "школата", "хотел",
        "хотела", "кафене", "кафенето", "ресторант", "магазин", "театър", "театъра", "кино",
        "стадион", "стадиона", "зала", "залата", "парк", "парка", "паркът", "пг-то", "ег-то",
        "кафе", "бира", "бирата", "вода", "шоколад", "шоколада", "вафла", "марка", "марката",
        "фирма", "фирмата", "ооод", "еоод", "оод", "ад", "верига", "веригата",
        "school", "college", "university", "hospital", "foundation", "centre", "center",
        "library", "club", "academy", "clinic",
    }
)  # fmt: skip
STREETS: Final = frozenset(
    {"ул", "улица", "бул", "булевард", "пл", "площад", "жк", "кв", "квартал", "ulitsa", "ul",
     "bul", "str", "street", "st", "road", "avenue", "ave", "square", "спирка", "спирката",
     "паметник", "паметника", "паметникът", "бюст", "бюста", "името"}
)  # fmt: skip
SAINTS: Final = frozenset(
    {"св", "свети", "света", "светите", "цар", "царица", "княз", "княгиня", "хан", "патриарх",
     "екзарх", "saint", "king", "queen", "tsar", "prince", "princess", "поп", "отец", "хаджи"}
)  # fmt: skip
PLACE_PREPOSITIONS: Final = frozenset(
    {"в", "във", "до", "край", "около", "гр", "град", "с", "село", "община", "област", "река",
     "р", "из", "под", "над", "към", "in", "to", "near", "at", "from", "of", "village", "town",
     "city", "river", "от"}
)  # fmt: skip
AFTER_INSTITUTION: Final = frozenset(
    {
        "centre", "center", "school", "academy", "hospital", "foundation", "institute",
        "university", "college", "clinic", "street", "road", "avenue", "lane", "square", "park",
        "kindergarten", "nursery", "gymnasium", "house", "hall", "trust", "unit", "library",
        "museum", "stadium", "prize", "award", "str", "st", "rd", "ave", "blvd", "boulevard",
        "office", "municipality", "district", "region", "bridge", "station",
        "университет", "болница", "училище", "гимназия", "център", "центъра", "мост", "гара",
        "гарата", "квартал", "улица", "площад",
    }
)  # fmt: skip
ADJECTIVE_ENDINGS: Final = (
    "ическа", "ически", "ческа", "чески", "ска", "ски", "ско", "цка", "цки", "на", "ни", "но",
    "ен", "та", "то", "те", "ят", "ка", "ки", "ата", "ото", "ите", "ият",
    "ical", "ian", "ish", "ese", "al",
)  # fmt: skip
DEFINITE: Final = ("ите", "ата", "ото", "ето", "ът", "ят", "ия")
STOP: Final = frozenset(
    {
        "януари", "февруари", "март", "април", "май", "юни", "юли", "август", "септември",
        "октомври", "ноември", "декември", "понеделник", "вторник", "сряда", "четвъртък",
        "петък", "събота", "неделя", "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "sunday", "коледа", "великден",
        "гергьовден", "бог", "богу", "господ", "христос", "исус", "аллах", "мвр", "озд", "дпс",
        "асп", "дазд", "руо", "рзи", "ддлрг", "мон", "мтсп", "оду", "рпу", "уницеф", "unicef",
        "the", "and", "of", "for", "in", "on", "at", "to", "is", "was", "has", "had", "will",
        "with", "from", "a", "an", "i", "we", "she", "he", "they", "it", "no", "yes", "not",
        "нов", "нова", "ново", "нови", "стар", "стара", "старо", "стари",
    }
)  # fmt: skip


@cache
def famous_people() -> tuple[frozenset[tuple[str, ...]], frozenset[str]]:
    """Famous and fictional people (pairs and longer) and famous surnames used alone."""
    phrases: set[tuple[str, ...]] = set()
    singles: set[str] = set()
    for line in (DATA / "famous.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        words = tuple(line.lower().split())
        if len(words) == 1:
            singles.add(words[0])
        else:
            phrases.add(words)
    return frozenset(phrases), frozenset(singles)


@cache
def trigger_words() -> frozenset[str]:
    """Lower-case words that can start something the name rules look at."""
    naming = {words[0] for words in NAMING}
    hyphen = {first for first, _ in HYPHEN_TITLES}
    return frozenset(
        PERSON_WORDS
        | naming
        | hyphen
        | FAMILY_WORDS
        | INSTITUTIONS
        | STREETS
        | SAINTS
        | famous_first_words()
        | famous_people()[1]
        | {"the", "ъгъла", "ъгълът", "кръстовището", "с", "гр", "св", "кв", "ул", "бул", "пл"}
    )


@cache
def place_first_words() -> frozenset[str]:
    return frozenset(phrase[0] for phrase in lexicon().place_phrases)


@cache
def famous_first_words() -> frozenset[str]:
    return frozenset(phrase[0] for phrase in famous_people()[0])


POSSESSIVE_ENDINGS: Final = ("овите", "евите", "овата", "евата", "овия", "евия")
ANY_SURNAME_ENDING: Final = SURNAME_ENDINGS + WEAK_SURNAME_ENDINGS + FAMILY_PLURAL_ENDINGS


def ends_with(word: str, endings: tuple[str, ...]) -> bool:
    return len(word) >= 4 and word.endswith(endings)
