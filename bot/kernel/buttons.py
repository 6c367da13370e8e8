"""Typed buttons: one class per kind of button, packing and unpacking its own callback data.

A button is a frozen dataclass with a prefix and typed fields::

    @dataclass(frozen=True, slots=True)
    class Vote(ButtonData, prefix="vt"):
        proposal_id: int
        choice: Choice

``Vote(7, Choice.AGREE).pack()`` gives ``"v1:vt:7:a"`` (at most 64 bytes, or it raises), and
``Vote.unpack(data)`` gives the button back, or ``None`` for anything else: a forged, older or
cut-short press, an id beyond what the database stores, a value outside the field's enum. So a
typo is a type error, not a dead button, and no handler reads ``parts[1]``. The wire format is
the one the bot has always sent, so buttons already in chats keep working.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Self

from bot.kernel.callbacks import MAX_ID, decode, encode

_REGISTRY: dict[str, type[ButtonData]] = {}


class ButtonData:
    """The base of every button's data; subclasses are frozen dataclasses."""

    __slots__ = ()
    prefix: ClassVar[str] = ""

    def __init_subclass__(cls, prefix: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not prefix:
            return
        if prefix in _REGISTRY and _REGISTRY[prefix].__qualname__ != cls.__qualname__:
            raise ValueError(f"button prefix {prefix!r} used twice")
        cls.prefix = prefix
        _REGISTRY[prefix] = cls

    def pack(self) -> str:
        """The callback data for this button (trailing unset fields left out)."""
        values = [getattr(self, field.name) for field in dataclasses.fields(self)]  # type: ignore[arg-type]
        while values and values[-1] is None:
            values.pop()
        return encode(self.prefix, *(_packed(value) for value in values))

    @classmethod
    def unpack(cls, data: str | None) -> Self | None:
        """The button this data packs, or None when it is not one of ours."""
        decoded = decode(data)
        if decoded is None or decoded.prefix != cls.prefix:
            return None
        fields = _fields(cls)
        if len(decoded.parts) > len(fields):
            return None
        values: dict[str, Any] = {}
        for index, (name, kind, optional) in enumerate(fields):
            if index >= len(decoded.parts):
                if not optional:
                    return None
                values[name] = None
                continue
            value = _unpacked(decoded.parts[index], kind)
            if value is None:
                return None
            values[name] = value
        return cls(**values)


class YesNo(StrEnum):
    YES = "y"
    NO = "n"


@dataclass(frozen=True, slots=True)
class ScreenPress(ButtonData):
    """A button of a dialogue's screen: what it does, its value, and the nonce of the dialogue
    it belongs to (a press on an older screen is refused). Each dialogue has its own prefix."""

    op: str
    value: str
    nonce: int


def prefixes() -> dict[str, type[ButtonData]]:
    """Every kind of button the bot has, by prefix (for the access table's test)."""
    return dict(_REGISTRY)


def _packed(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


_FIELDS: dict[type[ButtonData], list[tuple[str, type, bool]]] = {}


def _fields(cls: type[ButtonData]) -> list[tuple[str, type, bool]]:
    """(name, type, optional) of each field, in order; read once per class."""
    cached = _FIELDS.get(cls)
    if cached is not None:
        return cached
    hints = typing.get_type_hints(cls)
    out: list[tuple[str, type, bool]] = []
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        kind = hints[field.name]
        optional = False
        if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
            args = [a for a in typing.get_args(kind) if a is not type(None)]
            optional = len(args) < len(typing.get_args(kind))
            kind = args[0]
        out.append((field.name, kind, optional))
    _FIELDS[cls] = out
    return out


def _unpacked(text: str, kind: type) -> object | None:
    if kind is bool:
        return {"1": True, "0": False}.get(text)
    if kind is int:
        try:
            value = int(text)
        except ValueError:
            return None
        return value if 0 <= value <= MAX_ID else None
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        try:
            return kind(text)
        except ValueError:
            return None
    return text


class MenuTarget(StrEnum):
    HELP = "help"
    HELP_ALL = "all"
    """/help's "more commands": every command, by task."""
    LANGUAGE = "lang"


@dataclass(frozen=True, slots=True)
class MenuPress(ButtonData, prefix="menu"):
    """A button of the welcome message."""

    target: MenuTarget


@dataclass(frozen=True, slots=True)
class LanguagePick(ButtonData, prefix="lang"):
    language: str
