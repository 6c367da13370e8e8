"""What the guard reports: the kind of personal data and where it is in the text."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PiiKind(StrEnum):
    EGN = "egn"
    LNCH = "lnch"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    BIRTH_DATE = "birth_date"
    NAME = "name"


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal data; ``text[start:end]`` of the text as typed is what a
    redactor replaces (the whole value: the house number with its street, the initial with
    its surname)."""

    kind: PiiKind
    start: int
    end: int
