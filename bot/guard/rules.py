"""The one check every free-text path uses before storing or posting anything, and the texts it
blanked, held until their author chooses.

A coordinator cannot switch the guard off: there is no setting for it. When it finds personal
data, nothing is stored: the person sees the same text with each finding replaced by a
placeholder ("[име]", "[ЕГН]") and chooses "save it like this" or "write it again". Only the
blanked text is held (one per person) meanwhile; what was typed never reaches the database.
"""

from __future__ import annotations

from bot.guard.pii import Finding, PiiKind, blank, find_personal_data
from bot.kernel.i18n import Translator

MAX_ROUNDS = 3


def screen(text: str) -> list[Finding]:
    """What in ``text`` looks like personal data; empty when it may be stored."""
    return find_personal_data(text)


def blanked(i18n: Translator, lang: str, text: str, findings: list[Finding]) -> str:
    """The text with every finding replaced by its placeholder, screened again until nothing
    is left (a placeholder can join two fragments into something that looks like a name)."""
    result = text
    current = findings
    for _ in range(MAX_ROUNDS):
        if not current:
            return result
        result = blank(result, current, lambda kind: i18n.t(lang, f"pii.placeholder.{kind.value}"))
        current = screen(result)
    if current:  # still something: blank every word that was flagged, to be safe
        result = blank(result, current, lambda kind: i18n.t(lang, "pii.placeholder.name"))
    return result


def kinds_named(i18n: Translator, lang: str, findings: list[Finding]) -> str:
    """'ЕГН, телефон': each kind found once, in order."""
    kinds: list[PiiKind] = []
    for finding in findings:
        if finding.kind not in kinds:
            kinds.append(finding.kind)
    return ", ".join(i18n.t(lang, f"pii.kind.{kind.value}") for kind in kinds)
