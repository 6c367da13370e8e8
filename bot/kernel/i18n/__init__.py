"""Message catalogs (gettext ``.po`` files, one per language) and the one translate function.

Messages are keyed (``start.private``) and written in HTML: every interpolated value is escaped
here, once, unless it is marked ``Html`` (already-rendered markup from another catalog string).
"""

from __future__ import annotations

import gettext
import html
import io
import re
from datetime import date, datetime
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("bg", "en")
DEFAULT_LANGUAGE = "bg"
LANGUAGE_NAMES = {"bg": "Български", "en": "English"}


class Html(str):
    """Text that is already safe HTML and must not be escaped again."""

    __slots__ = ()


def escape(value: object) -> str:
    return value if isinstance(value, Html) else html.escape(str(value), quote=False)


def normalize_language(code: str | None) -> str | None:
    """Map a Telegram ``language_code`` (``en-GB``, ``bg``) to a supported language, if any."""
    if not code:
        return None
    base = code.split("-")[0].split("_")[0].lower()
    return base if base in LANGUAGES else None


class MissingMessageError(KeyError):
    pass


_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)")


class Translator:
    """Loads every catalog once; ``strict`` makes a missing key an error (used by the tests)."""

    def __init__(self, *, strict: bool = False) -> None:
        self.strict = strict
        self._catalogs: dict[str, gettext.GNUTranslations] = {}
        self._keys: dict[str, dict[str, str]] = {}
        for lang in LANGUAGES:
            po_text = (resources.files("bot.kernel.i18n") / f"{lang}.po").read_bytes()
            catalog = read_po(io.BytesIO(po_text), locale=lang)
            buffer = io.BytesIO()
            write_mo(buffer, catalog)
            buffer.seek(0)
            self._catalogs[lang] = gettext.GNUTranslations(buffer)
            self._keys[lang] = {
                (msg.id if isinstance(msg.id, str) else msg.id[0]): _joined(msg.string)
                for msg in catalog
                if msg.id
            }

    def keys(self, lang: str) -> set[str]:
        return set(self._keys[lang])

    def raw(self, lang: str, key: str) -> str:
        return self._keys[lang].get(key, "")

    def placeholders(self, lang: str, key: str) -> set[str]:
        return set(_PLACEHOLDER.findall(self.raw(lang, key)))

    def has(self, key: str) -> bool:
        return key in self._keys[DEFAULT_LANGUAGE]

    def t(self, lang: str, key: str, /, **params: Any) -> str:
        """The message ``key`` in ``lang`` with its parameters HTML-escaped."""
        return _filled(self._lookup(lang, key, None), params)

    def tn(self, lang: str, key: str, count: int, /, **params: Any) -> str:
        """A message whose wording depends on a count (Bulgarian and English plural rules)."""
        return _filled(self._lookup(lang, key, count), {"count": count, **params})

    def _lookup(self, lang: str, key: str, count: int | None) -> str:
        catalog = self._catalogs.get(lang) or self._catalogs[DEFAULT_LANGUAGE]
        if key not in self._keys.get(lang, {}):
            if self.strict:
                raise MissingMessageError(f"{lang}:{key}")
            catalog = self._catalogs[DEFAULT_LANGUAGE]
            if key not in self._keys[DEFAULT_LANGUAGE]:
                return key
        if count is None:
            found = self._keys[lang if catalog is self._catalogs.get(lang) else DEFAULT_LANGUAGE]
            return found.get(key) or catalog.gettext(key)
        return catalog.ngettext(key, key, count)


def _filled(template: str, params: dict[str, Any]) -> str:
    """``str.format_map`` over the escaped values: the catalogs use plain ``{name}`` fields
    only (a test checks), and this runs a few dozen times per update."""
    if "{" not in template and "}" not in template:
        return template
    return template.format_map({name: _field(value) for name, value in params.items()})


def _field(value: Any) -> Any:
    if isinstance(value, Html):
        return str(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return escape(value)


def _joined(value: str | tuple[str, ...] | list[str] | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else "\n".join(value)


def format_datetime(moment: datetime, lang: str, tz: ZoneInfo) -> str:
    """``вторник, 1 декември 2026, 09:00`` — how people read a date, in the board's timezone."""
    return babel_format_datetime(moment.astimezone(tz), "EEEE, d MMMM y, HH:mm", locale=lang)


def weekday_day(day: date, lang: str) -> str:
    """``пт 04.12``: a day someone plans around, with its weekday."""
    return babel_format_date(day, "EEE dd.MM", locale=lang)


def weekday_date(day: date, lang: str) -> str:
    """``чт 10.12.2026``: a deadline, with its weekday and year."""
    return babel_format_date(day, "EEE dd.MM.yyyy", locale=lang)


def weekday_moment(moment: datetime, lang: str, tz: ZoneInfo) -> str:
    """``пт 04.12 07:30`` in the board's timezone."""
    local = moment.astimezone(tz)
    return f"{weekday_day(local.date(), lang)} {local.strftime('%H:%M')}"


def format_short(moment: datetime, tz: ZoneInfo) -> str:
    """``25.11 14:00``: the short form used in lists and group messages."""
    return moment.astimezone(tz).strftime("%d.%m %H:%M")
