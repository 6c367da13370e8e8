"""Pure rules: the access policy, callback data, board settings, catalogs, configuration."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.kernel import callbacks
from bot.kernel.config import ConfigError, load_config
from bot.kernel.i18n import LANGUAGES, Html, Translator, format_datetime, normalize_language
from bot.kernel.outbox import backoff
from bot.kernel.people import pick_language
from bot.kernel.policy import (
    BasicAction,
    ChatKind,
    Denial,
    Role,
    check,
    commands_for,
    every_action,
    highest,
)
from bot.kernel.settings import SPECS, SettingError, build_settings, parse_setting
from bot.kernel.ui import fit


# policy -----------------------------------------------------------------------------------------
def test_everyone_may_ask_for_help_in_any_chat() -> None:
    for role in Role:
        for chat in ChatKind:
            assert check(BasicAction.HELP, role, chat) is None


def test_cancel_is_refused_in_a_group_as_private_only() -> None:
    assert check(BasicAction.CANCEL, Role.MEMBER, ChatKind.GROUP) is Denial.WRONG_CHAT_PRIVATE_ONLY


def test_every_action_has_a_rule_and_every_command_a_description_in_both_languages() -> None:
    import handlers  # noqa: F401  (every handler module imports its capability's policy)

    i18n = Translator(strict=True)
    actions = every_action()
    assert len({type(action) for action in actions}) == 14  # the basics and 13 capabilities
    assert len({action.value for action in actions}) == len(actions)  # no name twice
    commands = [action.rule.command for action in actions if action.rule.command]
    assert len(set(commands)) == len(commands) >= 30
    for rule in (action.rule for action in actions):
        if rule.command:
            for lang in LANGUAGES:
                assert 1 <= len(i18n.t(lang, f"cmd.{rule.command}")) <= 256


def test_group_commands_leave_out_private_only_ones() -> None:
    assert "cancel" in commands_for(Role.MEMBER, ChatKind.PRIVATE)
    assert "cancel" not in commands_for(Role.MEMBER, ChatKind.GROUP)


def test_highest_role_wins_for_a_person_on_several_boards() -> None:
    assert highest([Role.OBSERVER, Role.DEPUTY, Role.MEMBER]) is Role.DEPUTY
    assert highest([]) is Role.NON_MEMBER


# callback data ----------------------------------------------------------------------------------
def test_callback_data_round_trips() -> None:
    data = callbacks.encode("vote", 42, "agree")
    decoded = callbacks.decode(data)
    assert data == "v1:vote:42:agree"
    assert decoded is not None
    assert (decoded.prefix, decoded.parts, decoded.int_part(0)) == ("vote", ("42", "agree"), 42)


@pytest.mark.parametrize(
    "forged",
    ["", "vote:1", "v0:vote:1", "v1:", "v1:vote:1;DROP", "v1:" + "a" * 70, None, "v1:vote:ü"],
)
def test_forged_or_foreign_callback_data_decodes_to_nothing(forged: str | None) -> None:
    assert callbacks.decode(forged) is None


def test_callback_data_longer_than_64_bytes_is_refused_when_encoding() -> None:
    with pytest.raises(callbacks.CallbackTooLongError):
        callbacks.encode("x" * 30, "y" * 30, "z")


# settings ---------------------------------------------------------------------------------------
def test_board_settings_have_sensible_defaults() -> None:
    settings = build_settings({}, {})
    assert settings.timezone == ZoneInfo("Europe/Sofia")
    assert settings.language == "bg"
    assert settings.vote_duration_hours == 72
    assert (settings.quiet_hours_start, settings.quiet_hours_end) == (time(20), time(8))
    assert settings.meeting_reminder_minutes == (1440, 60)


def test_stored_settings_override_deployment_defaults_and_bad_ones_fall_back() -> None:
    settings = build_settings(
        {"language": "en", "stall_days": "not a number"}, {"language": "bg", "stall_days": "21"}
    )
    assert settings.language == "en"
    assert settings.stall_days == 21


@pytest.mark.parametrize(
    ("key", "raw", "reason"),
    [
        ("stall_days", "0", "out_of_range"),
        ("stall_days", "много", "not_a_number"),
        ("quiet_hours_start", "25:00", "not_a_time"),
        ("timezone", "Mars/Base", "not_a_timezone"),
        ("language", "de", "not_a_language"),
        ("no_such_setting", "1", "unknown"),
    ],
)
def test_a_bad_setting_value_names_what_is_wrong(key: str, raw: str, reason: str) -> None:
    with pytest.raises(SettingError) as caught:
        parse_setting(key, raw)
    assert (caught.value.key, caught.value.reason) == (key, reason)


def test_every_setting_error_reason_has_a_message_in_both_languages() -> None:
    i18n = Translator(strict=True)
    for reason in (
        "unknown",
        "not_a_number",
        "out_of_range",
        "not_a_time",
        "not_a_timezone",
        "not_a_language",
        "not_a_switch",
        "not_a_list",
    ):
        for lang in LANGUAGES:
            assert i18n.t(lang, f"settings.bad.{reason}")
    assert all(parse_setting(key, spec.default) is not None for key, spec in SPECS.items())


# i18n -------------------------------------------------------------------------------------------
def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    i18n = Translator(strict=True)
    assert i18n.keys("bg") == i18n.keys("en")
    for key in i18n.keys("bg"):
        assert i18n.placeholders("bg", key) == i18n.placeholders("en", key), key


def test_catalog_fields_are_plain_names_and_every_entry_is_worded() -> None:
    """Messages are filled with ``str.format_map`` over escaped values: a field with a format
    spec, a conversion, an attribute or an index would be filled from the escaped text."""
    i18n = Translator(strict=True)
    field = re.compile(r"(?<!\{)\{(?!\{)([^}]*)\}")
    for lang in ("bg", "en"):
        for key in i18n.keys(lang):
            text = i18n.raw(lang, key)
            assert text, f"{lang}:{key} is empty"
            for name in field.findall(text):
                assert re.fullmatch(r"[a-z_][a-z0-9_]*", name), f"{lang}:{key}: {{{name}}}"


def test_interpolated_values_are_html_escaped_unless_marked_safe() -> None:
    i18n = Translator(strict=True)
    assert "&lt;b&gt;" in i18n.t("en", "lang.changed", language="<b>")
    assert "<i>x</i>" in i18n.t("en", "lang.changed", language=Html("<i>x</i>"))


def test_a_missing_key_fails_in_strict_mode_and_falls_back_otherwise() -> None:
    with pytest.raises(KeyError):
        Translator(strict=True).t("en", "no.such.key")
    assert Translator().t("en", "no.such.key") == "no.such.key"


def test_dates_read_the_way_people_write_them_in_the_boards_timezone() -> None:
    moment = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
    assert (
        format_datetime(moment, "bg", ZoneInfo("Europe/Sofia")) == "вторник, 1 декември 2026, 09:00"
    )
    assert (
        format_datetime(moment, "en", ZoneInfo("Europe/Sofia")) == "Tuesday, 1 December 2026, 09:00"
    )


def test_language_comes_from_choice_then_telegram_then_board_then_default() -> None:
    assert pick_language("en", "bg", "bg", "bg") == "en"
    assert pick_language(None, "en-GB", "bg", "bg") == "en"
    assert pick_language(None, "de", "en", "bg") == "en"
    assert pick_language(None, None, None, "bg") == "bg"
    assert normalize_language("pt-br") is None


# messages ---------------------------------------------------------------------------------------
def test_long_messages_are_cut_to_telegrams_limit_outside_tags() -> None:
    text = "<b>" + "а" * 5000 + "</b>"
    cut = fit(text)
    assert len(cut) <= 4096
    assert cut.rfind("<") <= cut.rfind(">") or "<" not in cut[-10:]


def test_outbox_backoff_grows_and_is_capped_at_an_hour() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff(30).total_seconds() == 3600


# configuration ----------------------------------------------------------------------------------
def test_a_bad_timezone_is_one_line_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOARDBOT_TIMEZONE", "Mars/Base")
    with pytest.raises(ConfigError, match=r"^BOARDBOT_TIMEZONE: unknown timezone 'Mars/Base'"):
        load_config(env_file=None)


def test_a_malformed_token_is_refused_without_echoing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "secret-but-wrong")
    with pytest.raises(ConfigError) as caught:
        load_config(env_file=None)
    assert str(caught.value).startswith("TELEGRAM_BOT_TOKEN:")
    assert "secret-but-wrong" not in str(caught.value)


def test_a_database_url_picks_postgresql_and_is_never_shown_with_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOARDBOT_DATABASE_URL", "postgresql://bot:s3cret-pw@db.example:5433/boards")
    config = load_config(env_file=None)
    assert config.database_location == "postgresql://bot:s3cret-pw@db.example:5433/boards"
    assert config.database_label == "PostgreSQL db.example:5433/boards"
    assert "s3cret-pw" not in repr(config)
    monkeypatch.delenv("BOARDBOT_DATABASE_URL")
    monkeypatch.setenv("BOARDBOT_DB", "/var/lib/boardbot/board.sqlite3")
    config = load_config(env_file=None)
    assert config.database_location == config.database_label == "/var/lib/boardbot/board.sqlite3"


def test_a_webhook_needs_its_secret_and_a_bad_secret_is_not_echoed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOARDBOT_WEBHOOK_URL", "https://bots.example.org/boardbot")
    with pytest.raises(ConfigError, match="BOARDBOT_WEBHOOK_SECRET is needed"):
        load_config(env_file=None)
    monkeypatch.setenv("BOARDBOT_WEBHOOK_SECRET", "has spaces and ünïcode")
    with pytest.raises(ConfigError) as caught:
        load_config(env_file=None)
    assert str(caught.value).startswith("BOARDBOT_WEBHOOK_SECRET:")
    assert "ünïcode" not in str(caught.value)
    monkeypatch.setenv("BOARDBOT_WEBHOOK_SECRET", "a-Good_secret-42")
    monkeypatch.setenv("BOARDBOT_WEBHOOK_LISTEN", "0.0.0.0:99999")
    with pytest.raises(ConfigError, match=r"^BOARDBOT_WEBHOOK_LISTEN:"):
        load_config(env_file=None)
    monkeypatch.setenv("BOARDBOT_WEBHOOK_LISTEN", "127.0.0.1:8443")
    config = load_config(env_file=None)
    assert config.webhook_secret == "a-Good_secret-42"
    assert "a-Good_secret-42" not in repr(config)


def test_the_defaults_need_no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TELEGRAM_BOT_TOKEN", "BOARDBOT_TIMEZONE", "BOARDBOT_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    config = load_config(env_file=None)
    assert config.token is None
    assert config.telegram_api_base_url == "https://api.telegram.org/bot"
    assert (config.boardbot_timezone, config.boardbot_language) == ("Europe/Sofia", "bg")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("BOARDBOT_LANGUAGE", "fr"),
        ("TELEGRAM_API_BASE_URL", "ftp://example"),
        ("BOARDBOT_TIMEZONE", "Nowhere/Land"),
    ],
)
def test_the_cli_exits_2_with_one_line_and_no_traceback(
    tmp_path: object, variable: str, value: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "handlers", "run"],
        env={"PATH": "/usr/bin:/bin", variable: value},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=str(tmp_path),
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_a_cut_message_closes_the_tags_it_left_open() -> None:
    cut = fit("<b>" + "ж" * 5000 + "</b>")
    assert cut.endswith("…</b>")
    assert cut.count("<b>") == cut.count("</b>")


def test_emoji_count_twice_towards_telegrams_limit() -> None:
    cut = fit("😀" * 3000)
    assert len(cut.encode("utf-16-le")) // 2 <= 4096
    assert len(cut.encode("utf-16-le")) // 2 > 3900


def test_run_without_a_token_plays_the_demo_and_says_how_to_get_one(tmp_path: object) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "handlers", "run"],
        env={"PATH": "/usr/bin:/bin", "BOARDBOT_LANGUAGE": "en"},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(tmp_path),
        check=False,
    )
    assert result.returncode == 0
    assert "boardbot — demo" in result.stdout
    assert "Setting up a board" in result.stdout
    assert "@BotFather" in result.stdout
    assert "Traceback" not in result.stderr


def test_the_minutes_hear_every_present_sector_then_the_cases_own_sectors_that_were_away() -> None:
    from bot.minutes.rules import sectors_to_hear

    attendance = [(1, "health"), (2, "social"), (3, "health")]
    sectors, away = sectors_to_hear(attendance, ("education", "health"))
    assert sectors[-1] == "education" and away == ["education"]
    assert set(sectors[:-1]) == {"health", "social"}
    assert sectors_to_hear(attendance, ("health",))[1] == []
    assert sectors_to_hear([], ("police", "police"))[0] == ["police"]


def test_each_person_on_a_case_team_is_one_entry_with_all_their_roles() -> None:
    from bot.cases.rules import team_by_person

    team = [(7, "keyworker"), (8, "contributor"), (7, "lead")]
    assert team_by_person(team) == [(7, ("lead", "keyworker")), (8, ("contributor",))]


def test_an_action_cards_due_line_is_the_date_and_counts_overdue_days_in_words() -> None:
    from types import SimpleNamespace

    from bot.actions.cards import card_due_text
    from bot.kernel.i18n import Translator
    from storage.models import ActionStatus

    t = Translator(strict=True)
    today = date(2026, 12, 10)

    def due(day: date | None, lang: str = "bg") -> str:
        action = SimpleNamespace(due_on=day, status=ActionStatus.OPEN)
        return card_due_text(t, lang, action, today)  # type: ignore[arg-type]

    assert due(date(2026, 12, 12)) == "сб 12.12.2026"
    assert due(date(2026, 12, 9)) == "ср 09.12.2026 — ⚠️ просрочено с 1 ден"
    assert due(date(2026, 12, 7)) == "пн 07.12.2026 — ⚠️ просрочено с 3 дни"
    assert due(date(2026, 12, 9), "en") == "Wed 09.12.2026 — ⚠️ overdue by 1 day"
    assert due(None) == "не е определен"


def test_setup_is_offered_to_newcomers_and_coordinators_not_to_members() -> None:
    from bot.kernel.policy import ChatKind, Role, commands_for

    for chat in ChatKind:
        assert "setup" in commands_for(Role.NON_MEMBER, chat)
        assert "setup" in commands_for(Role.COORDINATOR, chat)
        for role in (Role.DEPUTY, Role.MEMBER, Role.OBSERVER):
            assert "setup" not in commands_for(role, chat)


def test_every_audit_action_the_code_writes_reads_as_words() -> None:
    """Each id in an ``action=``, ``_audit(`` or ``audit_case(`` call, literal or a family with
    a variable tail, has its words in both catalogs (the reader never sees
    ``case.details_read``)."""
    import re
    from pathlib import Path

    from bot.actions.rules import NEXT_STATUS
    from bot.escalations.buttons import EscalationOp
    from bot.kernel.i18n import Translator
    from bot.kernel.policy import Role
    from bot.privacy.audit_words import audit_words
    from storage.models import CaseStatus

    tails = {  # every value a variable tail takes
        "case.edited_{step}": ["label", "criteria", "factors", "urgency", "summary"],
        "case.status_{to}": list(CaseStatus),
        "case.{kind}": ["team_added", "team_removed"],
        "case.{kind}_added": ["note", "success"],
        "case.learned_{part}": ["strengths", "needs", "child_view", "interventions"],
        "escalation.level_{new_level}": ["1", "2"],
        "escalation.{op}": [op.verb for op in EscalationOp if op is not EscalationOp.VIEW],
        "member.role_{new.value}": [r for r in Role if r is not Role.NON_MEMBER],
        "proposal.{result.outcome}": ["accepted", "rejected", "no_quorum"],
        "action.{NEXT_STATUS[op]}": [str(status) for status in NEXT_STATUS.values()],
    }
    # the first "capability.what" literal inside each audit call, however it is spread
    call = r"(?:\baudit|audit_row|_audit|audit_case|audit_meeting|audit\.record)\("
    pattern = call + r'(?:[^()"]|\([^()]*\))*?f?"([a-z_]+\.[\w{}\[\].]+)"'
    source = "\n".join(p.read_text() for p in Path("bot").rglob("*.py"))
    written = set(re.findall(pattern, source, re.S))
    assert {"case.raised", "case.details_read", "proposal.voted"} <= written
    t = Translator(strict=True)
    for template in written:
        if template.startswith(("board.", "member.", "user.", "prefs.")) and "role" not in template:
            continue  # about the board or a person: not in a case's trail
        if "{" in template:
            assert template in tails, template
        filled = [re.sub(r"\{[^}]*\}", str(v), template) for v in tails.get(template, [])]
        for action in filled or [template]:
            key, params = audit_words(action)
            for lang in ("bg", "en"):
                assert t.raw(lang, key), (action, key)
                for value in params.values():
                    assert value.isdigit() or t.raw(lang, value), (action, value)


def test_the_suggested_time_brings_sectors_together_before_it_counts_heads() -> None:
    from datetime import UTC, datetime, timedelta

    from bot.meetings.rules import suggest, tally_slots
    from storage.models import SlotRecord

    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    slots = [SlotRecord(i, 1, i, now + timedelta(days=i)) for i in (1, 2, 3)]
    sector_of = {1: "education", 2: "education", 3: "education", 4: "education"}
    sector_of |= {5: "social", 6: "health", 7: "police"}
    answers = [(1, user, "yes") for user in (1, 2, 3, 4)]  # four of one sector
    answers += [(2, user, "yes") for user in (5, 6, 7)]  # three of three sectors
    answers += [(3, user, "maybe") for user in (5, 6, 7)]  # the same three, if need be, later
    tallies = tally_slots(slots, answers, sector_of)
    best = suggest(tallies, now)
    assert best is not None and best.tally.slot.position == 2 and best.reason == "sectors"
    # the case's own sectors count first: education and health are what this meeting needs
    needed = suggest(tallies, now, ("education", "health"))
    assert needed is not None and (needed.tally.slot.position, needed.covered) == (1, 1)
    assert needed.reason == "people" and needed.needed == 2
    # equal sectors: more people; equal people: plain yes over if need be, then the earlier
    assert suggest(tallies[1:], now) is not None
    assert suggest(tallies[1:], now).tally.slot.position == 2  # type: ignore[union-attr]
    assert suggest(tallies, now + timedelta(days=5)) is None  # all passed


def test_help_places_every_command_in_a_task_and_keeps_the_first_page_short() -> None:
    from bot.kernel.help import GROUPS, help_sections
    from bot.kernel.policy import ChatKind, Role, commands_for, every_action

    placed = {c for _, commands in GROUPS for c in commands}
    assert {action.rule.command for action in every_action() if action.rule.command} <= placed
    available = commands_for(Role.COORDINATOR, ChatKind.PRIVATE)
    first, hidden = help_sections(available, everything=False)
    everything, none_hidden = help_sections(available, everything=True)
    shown = sum(len(commands) for _, commands in first)
    assert shown <= 12 and shown + hidden == len(available) and none_hidden == 0
    assert first[0][0] == "today" and [g for g, _ in everything][-1] == "basics"
    # a command no group knows still shows, under "other"
    sections, _ = help_sections([*available, "newthing"], everything=False)
    assert sections[-1] == ("other", ["newthing"])


def test_log_lines_under_systemd_leave_the_timestamp_to_journald() -> None:
    from bot.kernel.logs import log_format

    assert log_format({"JOURNAL_STREAM": "8:12345"}) == "%(levelname)s %(name)s: %(message)s"
    assert log_format({}).startswith("%(asctime)s ")


def test_every_refusal_of_every_operation_has_its_words_in_both_languages() -> None:
    """Each operation's reasons (bot.kernel.refusal) are what a person reads when it did not
    happen: every one is in both catalogs, and no two reasons of one operation are one member."""
    import importlib
    import pkgutil

    import bot
    from bot.kernel.i18n import LANGUAGES, Translator
    from bot.kernel.refusal import Refusal

    for module in pkgutil.walk_packages(bot.__path__, "bot."):
        importlib.import_module(module.name)
    kinds = Refusal.__subclasses__()
    words = Translator(strict=True)
    missing = [
        (lang, kind.__name__, refusal.name)
        for kind in kinds
        for refusal in kind
        for lang in LANGUAGES
        if not words.raw(lang, refusal.message_key)
    ]
    assert missing == []
    assert len(kinds) >= 10
    from bot.votes.refusals import CastRefusal

    assert CastRefusal.NO_SUCH_VOTE is not CastRefusal.NOT_ON_THE_BOARD  # one message, two reasons
    assert len(CastRefusal) == 6
