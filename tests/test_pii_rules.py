"""Unit tests for the personal-data guard: checksums, exact spans, negatives, robustness."""

from __future__ import annotations

import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.guard.pii import Finding, PiiKind, find_personal_data, is_valid_egn, is_valid_lnch


def spans(text: str) -> list[tuple[str, str]]:
    """(kind, covered text) for every finding, in order."""
    return [(f.kind.value, text[f.start : f.end]) for f in find_personal_data(text)]


def kinds(text: str) -> set[str]:
    return {f.kind.value for f in find_personal_data(text)}


# --- ЕГН ---------------------------------------------------------------------------------------


def test_egn_born_in_the_1900s_with_the_right_checksum_is_valid() -> None:
    assert is_valid_egn("8501011234")


def test_egn_with_month_plus_20_is_read_as_born_in_the_1800s() -> None:
    assert is_valid_egn("7523169263")  # 16 March 1875
    assert is_valid_egn("0829123458")  # 12 September 1808


def test_egn_with_month_plus_40_is_read_as_born_in_the_2000s() -> None:
    assert is_valid_egn("1045141234")  # 14 May 2010


def test_egn_on_29_february_of_a_leap_year_is_valid() -> None:
    assert is_valid_egn("1642291232")  # 2016
    assert is_valid_egn("0042291239")  # 2000 is a leap year


def test_egn_on_29_february_of_a_common_year_is_invalid_even_with_a_good_checksum() -> None:
    assert not is_valid_egn("1542291239")  # 2015
    assert not is_valid_egn("0002291230")  # 1900 is not a leap year


def test_egn_with_month_outside_the_three_encodings_is_invalid() -> None:
    assert not is_valid_egn("0013011238")  # month 13
    assert not is_valid_egn("8533011230")  # month 33
    assert not is_valid_egn("8500011236")  # month 0


def test_egn_with_day_32_is_invalid() -> None:
    assert not is_valid_egn("8501321230")


def test_egn_whose_checksum_remainder_is_10_ends_in_zero() -> None:
    assert is_valid_egn("8501010080")


def test_egn_with_one_wrong_digit_is_invalid() -> None:
    assert not is_valid_egn("8501011235")


@pytest.mark.parametrize(
    "value", ["", "850101123", "85010112345", "85O1011234", "８５０１０１１２３４"]
)
def test_egn_must_be_exactly_ten_ascii_digits(value: str) -> None:
    assert not is_valid_egn(value)


# --- ЛНЧ ---------------------------------------------------------------------------------------


def test_lnch_with_the_right_checksum_is_valid() -> None:
    assert is_valid_lnch("1000000126")


def test_lnch_with_one_wrong_digit_is_invalid() -> None:
    assert not is_valid_lnch("1000000127")


@pytest.mark.parametrize("value", ["", "100000012", "1O00000126", "10000001260"])
def test_lnch_must_be_exactly_ten_ascii_digits(value: str) -> None:
    assert not is_valid_lnch(value)


def test_a_number_valid_as_both_is_reported_as_egn_by_default() -> None:
    assert is_valid_egn("9003150037")
    assert is_valid_lnch("9003150037")
    assert spans("Номер 9003150037 в досието.") == [("egn", "9003150037")]


def test_a_number_valid_as_both_is_reported_as_lnch_after_the_word_lnch() -> None:
    assert spans("ЛНЧ: 9003150037") == [("lnch", "9003150037")]
    assert spans("LNCh 9003150037") == [("lnch", "9003150037")]


def test_a_valid_lnch_that_is_not_a_valid_egn_is_reported_as_lnch_without_a_keyword() -> None:
    assert spans("Номер 1000000126.") == [("lnch", "1000000126")]


def test_a_mobile_number_that_happens_to_pass_the_lnch_checksum_is_a_phone() -> None:
    assert is_valid_lnch("0888100003")
    assert spans("Звънни на 0888100003") == [("phone", "0888100003")]


def test_ten_digits_failing_both_checksums_are_not_reported() -> None:
    assert not is_valid_egn("8501011235")
    assert not is_valid_lnch("8501011235")
    assert find_personal_data("Номер на преписката: 8501011235.") == []


def test_an_egn_typed_in_groups_is_found_after_its_label() -> None:
    assert spans("ЕГН 850101 1234, клас 5Б") == [("egn", "850101 1234")]
    assert spans("ЕГН: 850101-1234") == [("egn", "850101-1234")]
    assert spans("ЛНЧ 100 000 0126") == [("lnch", "100 000 0126")]


def test_a_number_after_its_label_is_reported_even_when_mistyped_or_cut_short() -> None:
    """The person said what it is: a digit off, or six digits of ten, still identify."""
    assert spans("ЕГН 850101 1235") == [("egn", "850101 1235")]
    assert spans("ЕГН на детето 164826") == [("egn", "164826")]
    assert spans("ЕГН O752061748 (буква О)") == [("egn", "O752061748")]


# --- exact spans -----------------------------------------------------------------------------


def test_egn_span_covers_only_the_digits_after_the_label() -> None:
    text = "ЕГН:8501011234, клас 5Б"
    assert find_personal_data(text) == [Finding(PiiKind.EGN, 4, 14)]


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("тел. +359 88 123 4567 вечер", "+359 88 123 4567"),
        ("тел. 00359 88 123 4567", "00359 88 123 4567"),
        ("GSM 0888 123 456!", "0888 123 456"),
        ("на 0888-123-456.", "0888-123-456"),
        ("на 0888.123.456.", "0888.123.456"),
        ("на 088 812 3456", "088 812 3456"),
        ("домашен 02 987 6543", "02 987 6543"),
        ("у баба 062 62 12 34", "062 62 12 34"),
        ("у баба (062) 621234", "(062) 621234"),
        ("съседка 032/123456", "032/123456"),
        ("номер +359888123456", "+359888123456"),
    ],
)
def test_phone_spans_cover_the_number_as_written(text: str, phone: str) -> None:
    assert spans(text) == [("phone", phone)]


def test_email_span_excludes_the_sentence_full_stop() -> None:
    assert spans("Пишете на maria.petrova85@abv.bg.") == [("email", "maria.petrova85@abv.bg")]


def test_address_span_runs_from_the_street_word_to_the_flat_number() -> None:
    text = "Живеят на ул. „Шипка“ № 5, бл. 12, вх. А, ап. 5 от година."
    assert spans(text) == [("address", "ул. „Шипка“ № 5, бл. 12, вх. А, ап. 5")]


def test_english_address_span_includes_the_house_number_and_the_flat() -> None:
    assert spans("lives at 12 Baker Street, flat 5.") == [("address", "12 Baker Street, flat 5")]


def test_birth_date_span_is_the_date_itself() -> None:
    assert spans("роден на 12.03.2015 г.") == [("birth_date", "12.03.2015 г.")]
    assert spans("родена на 3 май 2014") == [("birth_date", "3 май 2014")]
    assert spans("born on 3 May 2014.") == [("birth_date", "3 May 2014")]
    assert spans("DOB 12/03/2015") == [("birth_date", "12/03/2015")]


def test_name_span_covers_first_name_and_surname() -> None:
    assert spans("Майката Мария Петрова не дойде.") == [("name", "Мария Петрова")]


def test_name_span_covers_a_patronymic_too() -> None:
    assert spans("с Иван Петров Иванов, дядото") == [("name", "Иван Петров Иванов")]


def test_name_span_covers_a_double_surname() -> None:
    text = "сестрата Лилия Христова-Маринова"
    assert spans(text) == [("name", "Лилия Христова-Маринова")]


def test_findings_are_sorted_by_start() -> None:
    text = "ЕГН 8501011234, тел. 0888 123 456, Мария Петрова, ivan@abv.bg"
    found = find_personal_data(text)
    assert [f.start for f in found] == sorted(f.start for f in found)
    assert [f.kind for f in found] == [PiiKind.EGN, PiiKind.PHONE, PiiKind.NAME, PiiKind.EMAIL]


# --- what each detector finds --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "ЛНЧ на бащата: 1000000126",
        "Mother is a Ukrainian national, LNCh 1000000126.",
    ],
)
def test_lnch_is_found_in_both_languages(text: str) -> None:
    assert kinds(text) == {"lnch"}


@pytest.mark.parametrize(
    "text",
    [
        "д-р Цветелина Маринова, личен лекар",
        "Spoke to Ivan Georgiev, the grandfather.",
        "Петрова Мария – майка",
        "семейство Петрови",
        "г-жа Колева, класен ръководител",
        "Mrs Jones from the youth team",
        "the Ivanov family moved",
        "Бележка от И. Петрова",
        "ИВАН ПЕТРОВ – така е записан",
        "Говорих с Иванова от ОЗД.",
        "Грижи се вуйчото, при Кадир Юмеров.",
    ],
)
def test_names_are_found_in_their_usual_forms(text: str) -> None:
    assert kinds(text) == {"name"}


@pytest.mark.parametrize(
    "text",
    [
        "ж.к. „Бузлуджа“, бл. 12",
        "бул. България 51, вх. Б",
        "кв. Картала, бл. 3",
        "бл. 34, вх. В, ап. 41",
        "с. Ресен № 45",
        "ul. Shipka 15",
        "Rakovski Str. 8",
        "flat 3B above the shop",
        "apt 12, bl. 7",
    ],
)
def test_addresses_are_found_in_their_usual_forms(text: str) -> None:
    assert kinds(text) == {"address"}


@pytest.mark.parametrize(
    "text",
    [
        "р. 12.03.2015",
        "Дата на раждане: 05.11.2013",
        "Рожд. дата 12.03.2015",
        "D.O.B.: 01/09/2010",
        "Date of birth: 5 November 2013",
        "born 2015-03-12",
        "DOB: 12-Mar-2015",
        "born on the 3rd of May 2014",
        "Данни: 12.03.2015 г.р.",
        "Роден/а на: 12.03.2015",
    ],
)
def test_birth_dates_are_found_in_their_usual_forms(text: str) -> None:
    assert kinds(text) == {"birth_date"}


@pytest.mark.parametrize(
    "text",
    [
        "ivan(at)abv.bg",
        "d.dimitrov [at] abv.bg",
        "mimi.2010 @ abv.bg",
        "Maria.Petrova@ABV.BG",
        "ivan.petrov at abv dot bg",
    ],
)
def test_emails_are_found_even_when_lightly_disguised(text: str) -> None:
    assert kinds(text) == {"email"}


# --- negatives ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Среща на 25.11.2026 в 14:00.",
        "Случай VT-7K3Q, код ВТ-2345.",
        "Отпуснати са 1500 лв. помощ.",
        "Изх. № 123/2026 от 14.11.2026 г.",
        "Изх. № 02-113/14.11.2026 – отговор от общината.",
        "Вх. № 1234/12.11.2026",
        "Учебната 2025/2026 година, 24 ученици.",
        "Срещата е от 09.30 до 12.30 ч.",
        "Next review 15.01.",
        "Национална телефонна линия за деца 116 111.",
        "При опасност – 112.",
        "Срещи: 01.02.2026 02.03.2026 06.04.2026",
        "GSM кодът е ВТ2345",
        "IBAN BG80 BNBG 9661 1020 3456 78",
    ],
)
def test_case_codes_dates_times_money_and_document_numbers_are_not_phones(text: str) -> None:
    assert find_personal_data(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Детето е на улицата по цял ден.",
        "Улицата е без осветление.",
        "Жилището е 50 кв. м.",
        "Живее на втория етаж.",
        "The child spends all day on the street.",
        "Ivan Vazov Street is closed for repairs.",
        "A flat rate of 20 BGN per session.",
    ],
)
def test_street_words_used_as_plain_words_are_not_addresses(text: str) -> None:
    assert find_personal_data(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Среща на 25.11.2026 в 14:00, следваща – на 09.12.2026.",
        "Детето е родено в София. Срещата е на 25.11.2026.",
        "Родителска среща на 12.12.2026 г.",
        "Born in Germany, she moved here and started school on 15.09.2024.",
        "The birthday party at school is on 12 December.",
    ],
)
def test_meeting_dates_and_years_of_birth_are_not_birth_dates(text: str) -> None:
    assert find_personal_data(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Община Велико Търново осигури транспорт.",
        "Детето учи в СУ „Емилиян Станев“ в Горна Оряховица.",
        "Училище „Св. Иван Рилски“ отказа.",
        "Социалният работник и класният ръководител ще дойдат.",
        "Детска педагогическа стая изпрати становище до МКБППМН.",
        "Център за обществена подкрепа – Велико Търново.",
        "Отдел „Закрила на детето“ поема случая.",
        "Срещата е в понеделник, 3 март, в Министерство на образованието.",
        "Майката не е идвала, а Детето отказва контакт.",
        "Ще се срещнем пред паметника на Васил Левски.",
        "The Mother did not come; the Child refuses contact.",
        "We will meet at the Anna Freud Centre in London.",
        "Case review on Monday, 3 March.",
        "разговор с психолога",
        "Финансова помощ е отпусната за три месеца.",
        "Групова работа в ЦОП всяка сряда.",
    ],
)
def test_places_institutions_and_roles_are_not_names(text: str) -> None:
    assert find_personal_data(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Иван отсъства от две седмици.", "Иван"),
        ("Мария П. ще бъде обсъдена.", "Мария П."),
        ("Роден през 2014 г., в 5 клас.", None),
    ],
)
def test_a_first_name_alone_or_a_year_of_birth_is_personal_data(
    text: str, name: str | None
) -> None:
    """A first name alone singles out a child in a small town; so does a year of birth."""
    found = spans(text)
    assert found == ([("name", name)] if name else [("birth_date", "2014 г.")])


def test_empty_text_has_no_findings() -> None:
    assert find_personal_data("") == []


def test_a_telegram_mention_is_not_an_email() -> None:
    assert find_personal_data("@koordinator_vt моля, добавете случая") == []


# --- robustness --------------------------------------------------------------------------------


@settings(deadline=None, max_examples=200)
@given(st.text(max_size=4096))
def test_find_personal_data_never_raises_and_returns_ordered_spans(text: str) -> None:
    found = find_personal_data(text)
    assert [f.start for f in found] == sorted(f.start for f in found)
    for f in found:
        assert 0 <= f.start < f.end <= len(text)
        assert isinstance(f.kind, PiiKind)


_PIECES = st.sampled_from(
    [
        " ",
        "\n",
        ".",
        ",",
        "-",
        "/",
        "+",
        "(",
        ")",
        "„",
        "“",
        "@",
        ":",
        "№",
        "0",
        "12",
        "359",
        "0888",
        "2015",
        "8501011234",
        "1000000126",
        "ул",
        "бл",
        "вх",
        "ап",
        "ж",
        "к",
        "Иван",
        "Петрова",
        "роден",
        "на",
        "born",
        "May",
        "март",
        "г",
        "р",
        "Str",
        "Street",
        "flat",
        "abv",
        "bg",
        "ЛНЧ",
        "ЕГН",
        "тел",
        "семейство",
        "г-жа",
        "Mrs",
        "at",
        "dot",
        "850101",
        "1234",
    ]
)


@settings(deadline=None, max_examples=200)
@given(st.lists(_PIECES, max_size=400).map("".join))
def test_find_personal_data_never_raises_on_text_built_from_trigger_words(text: str) -> None:
    for f in find_personal_data(text):
        assert 0 <= f.start < f.end <= len(text)


@settings(deadline=None, max_examples=200)
@given(st.text(max_size=200), st.text(max_size=200))
def test_a_valid_egn_between_spaces_is_always_found(before: str, after: str) -> None:
    text = f"{before} 8501011234 {after}"
    start = len(before) + 1
    covered = [f for f in find_personal_data(text) if f.start <= start and f.end >= start + 10]
    assert covered


_ADVERSARIAL = [
    "1",
    "1 ",
    "0888 ",
    "+359 ",
    "12.03.",
    "ул. ",
    "бл. 1, ",
    "Иван ",
    "Мария Петрова ",
    "роден на ",
    "a@",
    "a.",
    "[at]",
    "„",
    "г-жа ",
    "a",
]


def _python_calls(text: str) -> int:
    """How many Python frames (functions and generator steps) the guard runs for ``text``:
    the same on every machine and under any load, unlike a time. A first run loads the
    word lists, which are read once per process and not counted."""
    find_personal_data(text)
    calls = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        find_personal_data(text)
    finally:
        sys.setprofile(None)
    return calls


@pytest.mark.parametrize("pattern", _ADVERSARIAL)
def test_the_guards_work_grows_linearly_with_the_length_of_the_text(pattern: str) -> None:
    """Ten times the text, about ten times the work: a quadratic step (every finding compared
    with every other) gives a hundred. Counted, not timed, so a busy machine cannot fail it."""
    long = (pattern * (4096 // len(pattern) + 1))[:4096]
    short = long[:410]
    ratio = _python_calls(long) / max(_python_calls(short), 1)
    assert ratio < 15, f"{pattern!r}: {ratio:.1f}x the work for 10x the text"


@pytest.mark.parametrize("pattern", _ADVERSARIAL)
def test_no_text_telegram_allows_makes_the_guard_hang(pattern: str) -> None:
    """Work inside the regular expressions is not counted above; a catastrophic pattern would
    take seconds on 4,096 characters, where the guard takes milliseconds."""
    long = (pattern * (4096 // len(pattern) + 1))[:4096]
    started = time.perf_counter()
    find_personal_data(long)
    assert time.perf_counter() - started < 2.0
