"""The personal-data guard: what in a free text looks like a child's or a family's personal
data, and the same text with each finding blanked.

Cases concern children, and the link between a case code and a real person must stay in the
lead agency's own records. Before the bot stores or shows any free text it asks
:func:`find_personal_data` whether the text carries a personal number (ЕГН, ЛНЧ), a phone
number, an e-mail address, a street address, a date of birth or a person's name.

The text is normalised first (disguised digits and letters read as what they are), split once
into tokens, and read by one detector per kind (``numbers``, ``emails``, ``addresses``,
``births``, ``names``); findings are mapped back to the text as typed. Every detector scans the
tokens with a bounded look-ahead, so the check is linear in the length of the text.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.guard.pii.addresses import AddressScanner
from bot.guard.pii.births import BirthScanner
from bot.guard.pii.emails import EmailScanner
from bot.guard.pii.kinds import Finding, PiiKind
from bot.guard.pii.names import NameScanner
from bot.guard.pii.normalize import normalize
from bot.guard.pii.numbers import NumberScanner, is_valid_egn, is_valid_lnch
from bot.guard.pii.tokens import Text

__all__ = [
    "Finding",
    "PiiKind",
    "blank",
    "find_personal_data",
    "is_valid_egn",
    "is_valid_lnch",
]

_CONTAINERS = (PiiKind.ADDRESS, PiiKind.EMAIL)
"""A name inside an address ("ул. Васил Левски 19") or an e-mail is part of that value."""


def _resolve(found: list[Finding]) -> list[Finding]:
    """Sorted; a finding wholly inside another is dropped (the outer one covers it). Every
    finding kept so far starts at or before the next one, so the next is inside one of them
    exactly when it ends by the farthest end seen: one pass, linear in the findings."""
    found.sort(key=lambda f: (f.start, -f.end, f.kind not in _CONTAINERS))
    out: list[Finding] = []
    reach = -1
    for f in found:
        if f.end <= reach:
            continue
        out.append(f)
        reach = max(reach, f.end)
    return out


def find_personal_data(text: str) -> list[Finding]:
    """All personal data found in ``text``, sorted by start; spans refer to ``text`` as typed."""
    if not text:
        return []
    normalized = normalize(text)
    t = Text(normalized.text)
    found: list[Finding] = []
    EmailScanner(t, found).run()
    NumberScanner(t, found).run()
    if t.has_digits:  # addresses and dates need a digit
        AddressScanner(t, found).run()
        BirthScanner(t, found).run()
    NameScanner(t, found).run()
    mapped = [Finding(f.kind, *normalized.span(f.start, f.end)) for f in found]
    return _resolve(mapped)


def blank(text: str, findings: list[Finding], placeholder: Callable[[PiiKind], str]) -> str:
    """The text with every finding replaced by its kind's placeholder ("[име]", "[ЕГН]");
    overlapping findings become one placeholder, of the first."""
    pieces: list[str] = []
    at = 0
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if finding.end <= at:
            continue
        start = max(finding.start, at)
        if start > at:
            pieces.append(text[at:start])
        if start == finding.start or not pieces or not pieces[-1].endswith("]"):
            pieces.append(placeholder(finding.kind))
        at = finding.end
    pieces.append(text[at:])
    return "".join(pieces)
