"""Generated text through the real bot: every command argument, dialogue answer and button
receives it, and each gets a clear answer and changes nothing it should not."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from bot.cases.rules import NEEDS_TEXT
from bot.kernel.i18n import Translator
from bot.kernel.policy import Denial
from bot.kernel.when import (
    WhenError,
)
from fakegram.formats import plain_text
from handlers.base import BUTTON_ACTIONS
from tests.kit import Exchange, Group, Harness, Person
from tests.kit.strategies import CALLBACK_LIKE, PART_CHARS, PARTS, TO_CYRILLIC, typed_moments
from tests.kit.votes import Board, board_with_case

# --- through the real bot ---------------------------------------------------------------------

STORED = (
    "cases",
    "case_notes",
    "case_events",
    "case_transfers",
    "proposals",
    "votes",
    "actions",
    "escalations",
    "escalation_replies",
    "meetings",
    "meeting_slots",
)
"""Tables a refused text must not add to (or take from); open dialogues must not move either."""

I18N = Translator()
APOLOGY = plain_text(I18N.t("bg", "error.internal"))
REFUSAL_KEYS = [
    "pii.found",
    "case.not_found",
    "case.details_refused",
    "error.stale_button",
    "error.too_long",
    "dialog.none",
    "newcase.bad_label",
    "newcase.bad_summary",
    "newcase.use_buttons",
    "casetext.too_long",
    "transfer.bad_date",
    "transfer.bad_service",
    "vote.usage",
    "vote.bad_title",
    "vote.bad_details",
    "vote.case_not_open",
    "vote.brief_refused",
    "vote.closed",
    "vote.not_a_voter",
    "vote.only_proposer",
    "propose.bad_due",
    "meeting.bad_place",
    "meeting.slot_twice",
    "meeting.answers_closed",
    "escalation.bad_text",
    "nudge.not_yours",
    *(f"when.{reason.value}" for reason in WhenError),
    *(f"deny.{denial.value}" for denial in Denial),
]


def _stem(key: str) -> str:
    """The longest fixed stretch of a message (between its placeholders), as a person reads it."""
    pieces = re.split(r"\{[a-z_]+\}", I18N.raw("bg", key))
    return max((plain_text(piece).strip() for piece in pieces), key=len)


REFUSALS = {key: _stem(key) for key in REFUSAL_KEYS}
assert all(len(stem) >= 12 for stem in REFUSALS.values()), REFUSALS

# Pieces of what people type: the case code (filled in per board, also lower-case, without the
# dash, in Cyrillic look-alikes), personal data the guard must refuse, dates, words the commands
# know, markup, and whatever text around and between them.
_CODES = ["@CODE@", "@code@", "@NODASH@", "@CYRILLIC@"]
_CODE_PIECES = [*_CODES, "VT-0000", "ВТ-", "board", "борд"]
_PII_PIECES = [
    "8501011234",
    "1000000126",
    "0888 123 456",
    "+359 888 123 456",
    "ivan@example.com",
    "ул. Раковски 12",
    "роден на 12.03.2015",
    "Иван Петров Иванов",
]
_PLAIN_PIECES = ["Психологическа оценка", "среща с училището", "утре 10:30", "25.11 14:00", "20.11"]
_PLAIN_PIECES += ["вчера", "<b>", "&amp;", "</i>", "@boardbot", "/cancel", "\n", " ", "\u200b"]
PHRASES = st.lists(
    st.sampled_from(_CODE_PIECES + _PII_PIECES + _PLAIN_PIECES) | st.text(max_size=8),
    min_size=1,
    max_size=6,
).map(" ".join)
# /start payloads: every capability's prefix with an id (within 64 bits: see the end) or a code.
DEEP_LINKS = st.tuples(
    st.sampled_from(["brief", "case", "meeting", "ext", "join", "coord", "x", ""]),
    st.integers(-1, 2**63 - 1).map(str) | st.text(alphabet=PART_CHARS, max_size=12),
).map("_".join)
LONG = st.tuples(st.sampled_from(["я", "ab ", "1 "]), st.sampled_from([41, 121, 501, 801, 4100]))
TEXTS = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(max_codepoint=0x20), max_size=6),
    PHRASES,
    st.tuples(st.sampled_from(_CODES), PHRASES | st.text(max_size=20)).map(" ".join),
    typed_moments().map(lambda typed: typed[0]),
    DEEP_LINKS,
    LONG.map(lambda piece: (piece[0] * piece[1])[: piece[1]]),
)
TRICKY = [
    "8501011234",
    "Иван Петров Иванов, 0888 123 456",
    "@CODE@ роден на 12.03.2015",
    "@code@",
    "@NODASH@ ivan@example.com",
    "@CYRILLIC@ Психологическа оценка",
    "<b>удебелено</b> & <i>",
    "утре 10:30",
    "25.11 14:00",
    "вчера",
    "brief_1",
    "\x00\x01 \u202e",
    "x" * 801,
    "я" * 4100,
]
"""Always tried first: personal data, every spelling of the code, markup, dates, lengths."""
HARNESS_SETTINGS = settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # Each example sets up a board; a failure names the very text, so no shrinking is needed.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)


def fill(text: str, code: str) -> str:
    return (
        text.replace("@CODE@", code)
        .replace("@code@", code.lower())
        .replace("@NODASH@", code.replace("-", ""))
        .replace("@CYRILLIC@", "".join(TO_CYRILLIC.get(c, c) for c in code).lower())
    )


async def stored(h: Harness) -> dict[str, object]:
    """Row counts of what a case accumulates, and every open dialogue's step and draft."""
    state: dict[str, object] = {}
    async with h.db.read() as session:
        for table in STORED:
            rows = list(await session.conn.execute_fetchall(f"SELECT COUNT(*) FROM {table}"))
            state[table] = int(rows[0][0])
        dialogs = await session.conn.execute_fetchall(
            "SELECT user_id, kind, step, board_id, draft FROM dialogs ORDER BY user_id"
        )
        state["dialogs"] = [tuple(row) for row in dialogs]
    return state


def said(exchange: Exchange) -> list[str]:
    """Everything the person saw: messages, edits, toasts and alerts."""
    texts = list(exchange.texts)
    texts += [plain_text(str(edit.params.get("text", ""))) for edit in exchange.edits]
    texts += [str(answer.get("text") or "") for answer in exchange.answers]
    return texts


def refusals_in(exchange: Exchange) -> list[str]:
    return [key for key, stem in REFUSALS.items() if any(stem in text for text in said(exchange))]


async def run(h: Harness, what: str, step: Awaitable[Exchange]) -> list[str]:
    """Do ``step``: no apology, some answer, and nothing stored or moved if it was refused."""
    before = await stored(h)
    exchange = await step
    seen = said(exchange)
    assert not any(APOLOGY in text for text in seen), f"{what!r} reached the apology"
    assert exchange.messages or exchange.answers or exchange.edits, f"{what!r} got no answer"
    refused = refusals_in(exchange)
    if refused:
        after = await stored(h)
        changed = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
        assert not changed, f"{what!r} was refused ({refused}) yet changed {changed}"
    return refused


@contextlib.asynccontextmanager
async def a_board(factory: pytest.TempPathFactory) -> AsyncIterator[tuple[Harness, Board]]:
    async with Harness.running(factory.mktemp("properties") / "bot.sqlite3") as h:
        yield h, await board_with_case(h)


@HARNESS_SETTINGS
@given(texts=st.lists(TEXTS, min_size=12, max_size=12))
@example(texts=TRICKY)
async def test_command_arguments_never_reach_the_apology_and_refusals_store_nothing(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    async with a_board(tmp_path_factory) as (h, b):
        code = b.code
        for raw in texts:
            text = fill(raw, code)
            for person in (b.ivan, b.petya, b.maria):
                await h.private(person, "/cancel")
            commands: list[tuple[Person, Group | None, str]] = [
                (b.ivan, None, f"/case {text}"),
                (b.ivan, b.group, f"/case {text}"),
                (b.ivan, None, f"/note {code} {text}"),
                (b.ivan, b.group, f"/note {code} {text}"),
                (b.ivan, None, f"/note {text}"),
                (b.ivan, b.group, f"/propose {code} {text}"),
                (b.ivan, None, f"/propose {code} {text}"),
                (b.ivan, b.group, f"/propose {text}"),
                (b.petya, None, f"/escalate {text}"),
                (b.petya, b.group, f"/escalate {text}"),
                (b.maria, None, f"/meeting {text}"),
                (b.maria, b.group, f"/meeting {text}"),
                (b.maria, None, f"/export {text}"),
                (b.maria, None, f"/audit {text}"),
                (b.maria, None, f"/erase {text}"),
                (b.maria, b.group, f"/erase {text}"),
                (b.maria, None, f"/transfer {text}"),
                (b.petya, None, f"/newcase {text}"),
                (b.dimitar, None, f"/start {text}"),
                (b.dimitar, b.group, f"/start {text}"),
                (b.ivan, b.group, f"/agenda {text}"),
                (b.ivan, b.group, f"/agenda add {text}"),
                (b.maria, None, f"/agenda remove {text}"),
                (b.ivan, None, f"/minutes {text}"),
            ]
            for person, group, command in commands:
                command = command.strip()  # as Telegram does
                step = (
                    h.private(person, command)
                    if group is None
                    else h.in_group(group, person, command)
                )
                await run(h, command, step)


@dataclass(frozen=True)
class Press:
    """Press the button with this label on the last screen (the rest of a walk is typed)."""

    label: str


def walks(code: str) -> list[tuple[str, list[str | Press]]]:
    """Who opens which dialogue, and how far they go before the text under test is typed."""
    skip, later = I18N.t("bg", "button.skip"), I18N.t("bg", "propose.owner_later")
    newcase_summary: list[str | Press] = ["/newcase", "момче, 14 г."]
    newcase_summary += [Press("Множество рискове"), Press("в застой"), Press("Напред")]
    newcase_summary += [Press("травма"), Press("Напред"), Press("Образование")]
    newcase_summary += [Press("Здравеопазване"), Press("Напред"), Press("Иван")]
    newcase_summary += [Press("спешен"), Press("съгласие")]
    fixed = ["/meeting", Press("Супервизия"), Press("Знам датата")]
    series = ["/meeting", Press("Заседание на борда"), Press("Повтаряща се")]
    return [
        ("ivan", ["/newcase"]),
        ("ivan", newcase_summary),
        ("petya", [f"/escalate {code}", Press("Риск за детето"), Press("Спешно")]),
        ("maria", fixed),
        ("maria", ["/meeting", Press("Супервизия"), Press("Анкета")]),
        ("maria", [*fixed, "25.11 14:00", Press("Да")]),
        ("maria", [*series, "1.12 14:00", Press("Да"), Press("първия вторник")]),
        ("ivan", [f"/note {code}"]),
        ("maria", [f"/transfer {code}"]),
        ("maria", [f"/transfer {code}", "вчера"]),
        ("maria", [f"/transfer {code}", "вчера", "Училище"]),
        ("maria", [f"/transfer {code}", "вчера", "Училище", "ДПС"]),
        ("ivan", [f"/propose {code}"]),
        ("ivan", [f"/propose {code} Психологическа оценка"]),
        ("ivan", [f"/propose {code} Психологическа оценка", Press(skip), Press(later)]),
    ]


async def answer_in_dialogue(
    h: Harness, person: Person, text: str, walk: list[str | Press]
) -> list[str]:
    """Walk into a dialogue, then type ``text`` (trimmed, as Telegram does; never empty)."""
    text = text.strip()
    if not text:
        return []
    await h.private(person, "/cancel")
    screen = None
    for step in walk:
        if isinstance(step, Press):
            assert screen is not None
            await h.press(person, screen, step.label)
        else:
            screen = (await h.private(person, step)).messages[-1]
    return await run(h, f"{walk}: {text}", h.private(person, text))


async def answer_a_status_question(h: Harness, b: Board, text: str) -> list[str]:
    """The coordinator moves the case to a status that needs a reason (declined, closed,
    reopened: whichever the card offers now) and types ``text`` as the reason."""
    text = text.strip()
    if not text:
        return []
    await h.private(b.maria, "/cancel")
    card = (await h.private(b.maria, f"/case {b.code}")).only
    needs_text = [
        button["callback_data"]
        for button in card.buttons()
        if str(button.get("callback_data", "")).split(":")[-1] in NEEDS_TEXT
    ]
    await h.press_data(b.maria, card, needs_text[0], quiet=True)
    return await run(h, f"status reason: {text}", h.private(b.maria, text))


@HARNESS_SETTINGS
@given(texts=st.lists(TEXTS, min_size=10, max_size=10))
@example(texts=TRICKY)
async def test_free_text_in_every_dialogue_never_reaches_the_apology(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    async with a_board(tmp_path_factory) as (h, b):
        people = {"ivan": b.ivan, "petya": b.petya, "maria": b.maria}
        filled = [fill(raw, b.code) for raw in texts]
        for text in filled:
            for name, walk in walks(b.code):
                await answer_in_dialogue(h, people[name], text, walk)
            if text.strip():
                await h.private(b.georgi, "/cancel")
                await run(h, f"no dialogue: {text}", h.private(b.georgi, text.strip()))
        # Last, as an accepted reason moves the case on (and a closed case takes no proposals).
        for text in filled:
            await answer_a_status_question(h, b, text)


# Callback data as a forged, replayed or cut-short button would send it.
# (Ids beyond SQLite's 64 bits are tested at the end.)
_PART_VALUES = ["0", "1", "2", "3", "-1", str(2**63 - 1), "ok", "go", "stop", "closed"]
_PART_VALUES += ["note", "wd", "ack", "kind", "case", "supervision", "0-202611251200", "x" * 40]


@HARNESS_SETTINGS
@given(data=st.data())
async def test_forged_button_data_never_reaches_the_apology_and_changes_nothing_it_refuses(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    async with a_board(tmp_path_factory) as (h, b):
        # Messages with buttons in every chat: the case card, a proposal, a meeting set-up.
        await h.private(b.ivan, f"/case {b.code}")
        await h.in_group(b.group, b.ivan, f"/propose {b.code} Психологическа оценка")
        await h.private(b.ivan, f"/propose {b.code}")
        await h.private(b.maria, "/meeting")
        await h.private(b.petya, f"/escalate {b.code}")
        stranger = h.person("Непознат")
        await h.private(stranger, "/start")
        structured = st.tuples(
            st.sampled_from(sorted(BUTTON_ACTIONS)),
            st.lists(st.sampled_from(_PART_VALUES) | PARTS, max_size=4),
        ).map(lambda p: ":".join(["v1", p[0], *p[1]]))
        forged = st.one_of(
            structured,
            st.text(max_size=80).map("v1:".__add__),
            st.text(max_size=80),
            CALLBACK_LIKE,
        )
        for _ in range(50):
            person = data.draw(st.sampled_from([b.ivan, b.maria, b.petya, b.dimitar, stranger]))
            chats = (person.id, b.group.id)
            message = data.draw(st.sampled_from([m for m in h.api.messages if m.chat_id in chats]))
            sent = data.draw(forged)
            await run(h, f"{person.name} presses {sent!r}", h.press_data(person, message, sent))


# --- lone surrogates and ids beyond 64 bits -----------------------------------------------------
# Telegram sends UTF-8, but JSON may still carry an unpaired "\ud800" escape, which Python keeps
# as a lone surrogate; and a forged button or deep link may carry any number of digits. Nothing is
# stored then (the transaction fails as a whole), but the person gets the internal-error apology
# instead of a polite refusal: the tests below keep them answered politely (fixed in
# bot/callbacks.py and handlers/base.py).

SURROGATE = "a\ud800b"
HUGE = str(2**64)
"""An id no SQLite INTEGER holds (at most 2**63 - 1): sqlite3 raises OverflowError on it."""


async def test_a_lone_surrogate_or_a_huge_id_changes_nothing(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    async with a_board(tmp_path_factory) as (h, b):
        card = (await h.private(b.maria, f"/case {b.code}")).only
        await h.private(b.ivan, f"/note {b.code}")  # a note dialogue, waiting for its text
        before = await stored(h)
        await h.private(b.ivan, SURROGATE)
        await h.private(b.ivan, f"/note {b.code} {SURROGATE}")
        await h.in_group(b.group, b.ivan, f"/propose {b.code} {SURROGATE}")
        await h.private(b.maria, f"/case {SURROGATE}")
        await h.press_data(b.maria, card, f"v1:cst:{SURROGATE}")
        await h.press_data(b.maria, card, f"v1:cst:{HUGE}:closed")
        await h.private(b.maria, f"/start brief_{HUGE}")
        assert await stored(h) == before


@pytest.mark.parametrize(
    "command", ["/case {s}", "/note {code} {s}", "/escalate {s}", "/audit {s}", "/transfer {s}"]
)
async def test_a_lone_surrogate_in_a_command_argument_is_refused_politely(
    tmp_path_factory: pytest.TempPathFactory, command: str
) -> None:
    async with a_board(tmp_path_factory) as (h, b):
        who = b.maria if command.startswith(("/audit", "/transfer")) else b.ivan
        await run(h, command, h.private(who, command.format(s=SURROGATE, code=b.code)))


async def test_button_data_with_a_lone_surrogate_is_answered_as_stale(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    async with a_board(tmp_path_factory) as (h, b):
        card = (await h.private(b.maria, f"/case {b.code}")).only
        refused = await run(h, "v1:cst:…", h.press_data(b.maria, card, f"v1:cst:{SURROGATE}"))
        assert refused == ["error.stale_button"]


# CallbackData.int_part (and the brief deep link's int(payload)) accept any number of digits, and
# the handlers pass the id straight to SQLite: OverflowError, so the apology. A forged button fits
# easily in 64 bytes ("v1:cst:18446744073709551616" is 27), and nearly every button is affected.


@pytest.mark.parametrize("prefix", ["cst", "tl", "cnote", "ers", "mtc", "esa", "act", "vbr", "exb"])
async def test_a_button_with_an_id_beyond_64_bits_is_answered_as_stale(
    tmp_path_factory: pytest.TempPathFactory, prefix: str
) -> None:
    async with a_board(tmp_path_factory) as (h, b):
        card = (await h.private(b.maria, f"/case {b.code}")).only
        await run(h, prefix, h.press_data(b.maria, card, f"v1:{prefix}:{HUGE}"))


async def test_a_brief_deep_link_with_an_id_beyond_64_bits_is_refused(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    async with a_board(tmp_path_factory) as (h, b):
        await run(h, "brief", h.private(b.maria, f"/start brief_{HUGE}"))
