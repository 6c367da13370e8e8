"""The audit trail in words a coordinator reads, not the identifiers it is stored under.

Rows keep stable ids (``case.details_read``); the reader sees "read the details". A family of
ids with a variable tail (``case.status_closed``) is worded once, with the tail as a parameter.
"""

from __future__ import annotations

import re

FAMILIES: tuple[tuple[re.Pattern[str], str, str, str], ...] = (
    (re.compile(r"case\.status_(\w+)"), "audit_action.case.status", "status", "case_status"),
    (re.compile(r"case\.edited_(\w+)"), "audit_action.case.edited", "field", "edit_field"),
    (re.compile(r"case\.learned_(\w+)"), "audit_action.case.learned", "part", "learn.part"),
    (re.compile(r"escalation\.level_(\d+)"), "audit_action.escalation.level", "level", ""),
    (re.compile(r"member\.role_(\w+)"), "audit_action.member.role", "role", "role"),
)
"""(pattern, message key, parameter, catalog prefix of the tail's words, or "" for a number)."""


def audit_words(action: str) -> tuple[str, dict[str, str]]:
    """The message key and parameters for one audit row's action. The parameters are message
    keys themselves (``case_status.closed``) or a number; unknown ids fall to
    ``audit_action.other``, which shows the id, so nothing in the trail is hidden."""
    for pattern, key, parameter, prefix in FAMILIES:
        match = pattern.fullmatch(action)
        if match is not None:
            tail = match.group(1)
            return key, {parameter: f"{prefix}.{tail}" if prefix else tail}
    return f"audit_action.{action}", {}
