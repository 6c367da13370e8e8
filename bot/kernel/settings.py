"""Per-board settings: one typed record with defaults, read through one accessor.

Stored as text per key (``storage.settings``); parsed and validated only here. Later capabilities
add their settings to ``SPECS`` and a field to ``BoardSettings`` instead of inventing their own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.kernel.audit import audit
from bot.kernel.i18n import LANGUAGES
from storage import Database, Session


class SettingError(ValueError):
    """A value that cannot be stored; ``reason`` is a catalog key suffix (``settings.bad.*``)."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"{key}: {reason}")
        self.key = key
        self.reason = reason


def _int_between(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw.strip())
        except ValueError:
            raise SettingError("", "not_a_number") from None
        if not low <= value <= high:
            raise SettingError("", "out_of_range")
        return value

    return parse


def _clock_time(raw: str) -> time:
    match = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*", raw)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise SettingError("", "not_a_time")
    return time(int(match[1]), int(match[2]))


def _timezone(raw: str) -> ZoneInfo:
    try:
        return ZoneInfo(raw.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingError("", "not_a_timezone") from None


def _language(raw: str) -> str:
    if raw.strip() not in LANGUAGES:
        raise SettingError("", "not_a_language")
    return raw.strip()


def _boolean(raw: str) -> bool:
    if raw.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise SettingError("", "not_a_switch")


def _outcome_rule(raw: str) -> str:
    if raw.strip() not in ("consent", "majority"):
        raise SettingError("", "not_a_rule")
    return raw.strip()


def _minutes_list(raw: str) -> tuple[int, ...]:
    parse_one = _int_between(1, 60 * 24 * 14)
    try:
        values = tuple(sorted({parse_one(part) for part in raw.split(",") if part.strip()}))
    except SettingError:
        raise SettingError("", "not_a_list") from None
    if not values or len(values) > 5:
        raise SettingError("", "not_a_list")
    return tuple(reversed(values))


@dataclass(frozen=True, slots=True)
class SettingSpec:
    key: str
    default: str
    parse: Callable[[str], Any]


SPECS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec("timezone", "Europe/Sofia", _timezone),
        SettingSpec("language", "bg", _language),
        SettingSpec("vote_duration_hours", "72", _int_between(1, 24 * 14)),
        SettingSpec("vote_quorum_percent", "50", _int_between(0, 100)),
        SettingSpec("vote_outcome_rule", "consent", _outcome_rule),
        SettingSpec("vote_every_sector", "false", _boolean),
        SettingSpec("meeting_duration_minutes", "90", _int_between(15, 480)),
        SettingSpec("meeting_reminder_minutes", "1440,60", _minutes_list),
        SettingSpec("agenda_brief_days", "2", _int_between(1, 14)),
        SettingSpec("quiet_hours_start", "20:00", _clock_time),
        SettingSpec("quiet_hours_end", "08:00", _clock_time),
        SettingSpec("quiet_weekends", "true", _boolean),
        SettingSpec("stall_days", "21", _int_between(1, 180)),
        SettingSpec("digest_weekday", "0", _int_between(0, 6)),
        SettingSpec("digest_time", "09:00", _clock_time),
        SettingSpec("escalate_urgent_hours", "4", _int_between(1, 48)),
        SettingSpec("escalate_soon_days", "2", _int_between(1, 10)),
        SettingSpec("escalate_routine_days", "5", _int_between(1, 20)),
        SettingSpec("detail_message_hours", "24", _int_between(1, 47)),
        SettingSpec("retention_months", "24", _int_between(1, 120)),
        SettingSpec("audit_retention_years", "5", _int_between(1, 20)),
        SettingSpec("stats_min_count", "5", _int_between(5, 50)),
        SettingSpec("digest_chart", "false", _boolean),
    )
}


CHOICES: dict[str, tuple[str, ...]] = {
    "language": ("bg", "en"),
    "timezone": ("Europe/Sofia", "Europe/Athens", "Europe/London", "UTC"),
    "vote_duration_hours": ("24", "48", "72", "96", "168"),
    "vote_quorum_percent": ("0", "33", "50", "66"),
    "vote_outcome_rule": ("consent", "majority"),
    "vote_every_sector": ("true", "false"),
    "meeting_duration_minutes": ("60", "90", "120", "180"),
    "meeting_reminder_minutes": ("1440,60", "2880,1440,60", "1440", "60"),
    "agenda_brief_days": ("1", "2", "3", "7"),
    "quiet_hours_start": ("18:00", "19:00", "20:00", "21:00", "22:00"),
    "quiet_hours_end": ("07:00", "08:00", "09:00"),
    "quiet_weekends": ("true", "false"),
    "stall_days": ("7", "14", "21", "30", "45"),
    "digest_weekday": ("0", "1", "4"),
    "digest_time": ("08:00", "09:00", "12:00"),
    "escalate_urgent_hours": ("2", "4", "8", "24"),
    "escalate_soon_days": ("1", "2", "3", "5"),
    "escalate_routine_days": ("3", "5", "10"),
    "detail_message_hours": ("6", "12", "24", "47"),
    "retention_months": ("12", "24", "36", "60"),
    "audit_retention_years": ("3", "5", "10"),
    "stats_min_count": ("5", "10", "20"),
    "digest_chart": ("true", "false"),
}
"""Values offered as buttons in /boardsettings: tapping beats typing on a phone."""


@dataclass(frozen=True, slots=True)
class BoardSettings:
    timezone: ZoneInfo
    language: str
    vote_duration_hours: int
    vote_quorum_percent: int
    vote_outcome_rule: str
    vote_every_sector: bool
    meeting_duration_minutes: int
    meeting_reminder_minutes: tuple[int, ...]
    agenda_brief_days: int
    quiet_hours_start: time
    quiet_hours_end: time
    quiet_weekends: bool
    stall_days: int
    digest_weekday: int
    digest_time: time
    escalate_urgent_hours: int
    escalate_soon_days: int
    escalate_routine_days: int
    detail_message_hours: int
    retention_months: int
    audit_retention_years: int
    stats_min_count: int
    """The smallest count /stats shows; below it, "<5" (bot.stats.rules)."""
    digest_chart: bool
    """The weekly digest comes as a chart of the open cases by status, with its words below."""


assert {f.name for f in fields(BoardSettings)} == set(SPECS), "SPECS and BoardSettings differ"


assert set(CHOICES) == set(SPECS), "every setting needs its choices"


def parse_setting(key: str, raw: str) -> Any:
    """The typed value of ``raw`` for ``key``, or ``SettingError`` saying what is wrong."""
    spec = SPECS.get(key)
    if spec is None:
        raise SettingError(key, "unknown")
    try:
        return spec.parse(raw)
    except SettingError as exc:
        raise SettingError(key, exc.reason) from None


def build_settings(stored: Mapping[str, str], defaults: Mapping[str, str]) -> BoardSettings:
    """Stored values over deployment defaults over built-in defaults; a corrupt value falls back."""
    values: dict[str, Any] = {}
    for key, spec in SPECS.items():
        candidates = [stored.get(key), defaults.get(key), spec.default]
        for raw in candidates:
            if raw is None:
                continue
            try:
                values[key] = spec.parse(raw)
                break
            except SettingError:
                continue
    return BoardSettings(**values)


class BoardSettingsService:
    """The one accessor for board settings; ``defaults`` come from the deployment config."""

    def __init__(self, defaults: Mapping[str, str], db: Database | None = None) -> None:
        self.defaults = dict(defaults)
        self._db = db

    async def of(self, board_id: int) -> BoardSettings:
        """A board's settings outside any transaction (one read)."""
        assert self._db is not None
        async with self._db.read() as session:
            return await self.get(session, board_id)

    async def text_values_of(self, board_id: int) -> dict[str, str]:
        assert self._db is not None
        async with self._db.read() as session:
            return await self.current_raw(session, board_id)

    def for_no_board(self) -> BoardSettings:
        return build_settings({}, self.defaults)

    async def current_raw(self, session: Session, board_id: int) -> dict[str, str]:
        """Each setting's value as stored or defaulted, as text (for showing and comparing)."""
        stored = await session.settings.raw(board_id)
        return {
            key: stored.get(key) or self.defaults.get(key) or spec.default
            for key, spec in SPECS.items()
        }

    async def get(self, session: Session, board_id: int) -> BoardSettings:
        return build_settings(await session.settings.raw(board_id), self.defaults)

    async def change(
        self,
        session: Session,
        board_id: int,
        key: str,
        raw: str,
        *,
        actor_id: int,
        now: datetime,
        chat_id: int | None = None,
    ) -> Any:
        """Validate, store and audit one change inside the caller's transaction."""
        value = parse_setting(key, raw)
        await session.settings.put(board_id, key, raw.strip(), now, actor_id)
        await audit(
            session, now, actor_id, "board.setting_changed", board_id, ("setting", key), chat_id
        )
        return value
