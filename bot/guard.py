"""The one call every free-text path uses before storing or posting anything.

A coordinator cannot switch it off: there is no setting for it.
"""

from __future__ import annotations

from bot.i18n import Translator
from bot.pii import Finding, PiiKind, find_personal_data


def screen(text: str) -> list[Finding]:
    """What in ``text`` looks like personal data; empty when it may be stored."""
    return find_personal_data(text)


def describe_findings(
    i18n: Translator, lang: str, findings: list[Finding], *, deleted: bool
) -> str:
    """ "This looks like an ЕГН — please remove it…" naming each kind found once, in order."""
    kinds: list[PiiKind] = []
    for finding in findings:
        if finding.kind not in kinds:
            kinds.append(finding.kind)
    names = ", ".join(i18n.t(lang, f"pii.kind.{kind.value}") for kind in kinds)
    lines = [i18n.t(lang, "pii.refused", kinds=names)]
    lines.append(i18n.t(lang, "pii.deleted" if deleted else "pii.not_deleted"))
    lines.append(i18n.t(lang, "pii.try_again"))
    return "\n".join(lines)
