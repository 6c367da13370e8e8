"""Cases: the five "difficult case" criteria, the factors, pseudonymous codes, raising a case.

Nothing here identifies a child: the code is random, the label and summary pass the personal-data
guard before they reach this module, and the group only ever sees the card (``CaseCard``).
"""

from __future__ import annotations

import secrets
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from importlib import resources
from typing import Any, Final

from bot.boards.rules import SECTORS
from bot.kernel.policy import COORDINATORS, Role
from storage.models import CaseRecord, CaseStatus, TeamRole

_LISTS: Final = tomllib.loads(
    (resources.files("bot") / "data" / "case_lists.toml").read_text(encoding="utf-8")
)
"""The case's vocabularies, kept as data beside the guard's lists (``bot/data/case_lists.toml``)."""


CRITERIA: tuple[str, ...] = tuple(_LISTS["criteria"])
"""The board's five criteria of a difficult case (shared/domain.md), in the source's order."""


FACTORS: dict[str, tuple[str, ...]] = {
    group: tuple(items) for group, items in _LISTS["factors"].items()
}
"""Factors by group: child, family, relations between professionals, the framework, children in
conflict with the law, leaving care at 18; each ends in "other"."""


STRENGTHS: tuple[str, ...] = tuple(_LISTS["lists"]["strengths"])
"""Strengths and protective factors of the child and family."""


NEEDS: tuple[str, ...] = tuple(_LISTS["lists"]["needs"])
"""Unmet needs of the child and family."""


INTERVENTIONS: tuple[str, ...] = tuple(_LISTS["lists"]["interventions"])
"""What was tried for the child; each is marked helped, partly or not (``HELPED``)."""


HELPED = ("tried", "helped", "partly", "not")
"""An intervention's marks: tried (not yet known whether it helped), helped, partly, not."""


CHILD_VIEWS: tuple[str, ...] = tuple(_LISTS["lists"]["child_view"])
"""Whether the child's own view was heard: yes, no, or it was not possible."""


LINK_KINDS: tuple[str, ...] = tuple(_LISTS["lists"]["links"])
"""How two cases are related (siblings, twins placed apart…), by code only."""


ALL_FACTORS = tuple(f"{group}.{factor}" for group, items in FACTORS.items() for factor in items)


URGENCIES = ("routine", "soon", "urgent")


LEGAL_BASES = ("consent", "statutory")


OPEN_STATUSES = (
    CaseStatus.RAISED,
    CaseStatus.ACCEPTED,
    CaseStatus.IN_SUPERVISION,
    CaseStatus.PLAN_AGREED,
    CaseStatus.MONITORING,
    CaseStatus.REVIEW_DUE,
    CaseStatus.REOPENED,
)


STATUSES = (*OPEN_STATUSES, CaseStatus.DECLINED, CaseStatus.CLOSED)


COORDINATING = ("coordinator", "deputy")
"""The board roles that coordinate, as stored (``policy.COORDINATORS`` in roles)."""


COORDINATION = frozenset({"coordinator"})


COORDINATION_OR_LEAD = frozenset({"coordinator", "lead"})


TRANSITIONS: dict[CaseStatus, dict[CaseStatus, frozenset[str]]] = {
    CaseStatus.RAISED: {CaseStatus.ACCEPTED: COORDINATION, CaseStatus.DECLINED: COORDINATION},
    CaseStatus.ACCEPTED: {CaseStatus.IN_SUPERVISION: COORDINATION, CaseStatus.CLOSED: COORDINATION},
    CaseStatus.IN_SUPERVISION: {
        CaseStatus.PLAN_AGREED: COORDINATION_OR_LEAD,
        CaseStatus.CLOSED: COORDINATION,
    },
    CaseStatus.PLAN_AGREED: {
        CaseStatus.MONITORING: COORDINATION_OR_LEAD,
        CaseStatus.CLOSED: COORDINATION,
    },
    CaseStatus.MONITORING: {
        CaseStatus.REVIEW_DUE: COORDINATION_OR_LEAD,
        CaseStatus.CLOSED: COORDINATION,
    },
    CaseStatus.REVIEW_DUE: {
        CaseStatus.MONITORING: COORDINATION_OR_LEAD,
        CaseStatus.CLOSED: COORDINATION,
    },
    CaseStatus.CLOSED: {CaseStatus.REOPENED: COORDINATION},
    CaseStatus.DECLINED: {CaseStatus.REOPENED: COORDINATION},
    CaseStatus.REOPENED: {
        CaseStatus.IN_SUPERVISION: COORDINATION,
        CaseStatus.MONITORING: COORDINATION_OR_LEAD,
        CaseStatus.CLOSED: COORDINATION,
    },
}
"""The lifecycle: who ("coordinator": coordinator or deputy; "lead": the case's lead) may move a
case from one status to the next."""


CLOSING_OUTCOMES: tuple[str, ...] = tuple(_LISTS["lists"]["closing"])
"""Where a case stands when it is closed, picked from a short list (what the board learns from:
bot.stats); the few written words come after, through the personal-data guard."""


NEEDS_TEXT = {
    CaseStatus.DECLINED: "reason",
    CaseStatus.CLOSED: "outcome",
    CaseStatus.REOPENED: "reason",
}
"""Transitions that need a written reason (or outcome), asked in private and guarded."""


CAROUSEL_MOVES = 2


CAROUSEL_WINDOW_DAYS = 365


TIMELINE_PAGE = 6


MAX_LABEL = 40


MAX_SUMMARY = 800


_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed on phones


def new_case_code(prefix: str) -> str:
    """``VT-7K3Q``: random, never derived from anything about the child."""
    return f"{prefix}-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(4))


_LOOKALIKES = str.maketrans("АВЕКМНОРСТХУ", "ABEKMHOPCTXY")
"""Cyrillic letters that look Latin, as typed on a Bulgarian keyboard."""


def normalize_code(text: str) -> str:
    """Codes are accepted case-insensitively, with or without the dash."""
    cleaned = text.strip().upper().replace(" ", "").translate(_LOOKALIKES)
    if "-" not in cleaned and len(cleaned) == 6:
        cleaned = f"{cleaned[:2]}-{cleaned[2:]}"
    return cleaned


def toggle(selected: list[str], item: str) -> list[str]:
    """Multi-select buttons: pressing adds, pressing again removes, order kept stable."""
    return [s for s in selected if s != item] if item in selected else [*selected, item]


NEWCASE_DIALOG = "newcase"
"""The dialogue that raises a case, step by step."""


@dataclass(frozen=True, slots=True)
class CaseDraft:
    """The /newcase dialogue's answers so far (stored as JSON at every step)."""

    label: str = ""
    criteria: tuple[str, ...] = ()
    factors: tuple[str, ...] = ()
    lead_sector: str = ""
    other_sectors: tuple[str, ...] = ()
    keyworker_id: int | None = None
    urgency: str = ""
    legal_basis: str = ""
    summary: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CaseDraft:
        keyworker = data.get("keyworker_id")
        return cls(
            label=str(data.get("label", "")),
            criteria=tuple(c for c in data.get("criteria", []) if c in CRITERIA),
            factors=tuple(f for f in data.get("factors", []) if f in ALL_FACTORS),
            lead_sector=str(data.get("lead_sector", "")),
            other_sectors=tuple(s for s in data.get("other_sectors", []) if s in SECTORS),
            keyworker_id=int(keyworker) if keyworker is not None else None,
            urgency=str(data.get("urgency", "")),
            legal_basis=str(data.get("legal_basis", "")),
            summary=str(data.get("summary", "")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "criteria": list(self.criteria),
            "factors": list(self.factors),
            "lead_sector": self.lead_sector,
            "other_sectors": list(self.other_sectors),
            "keyworker_id": self.keyworker_id,
            "urgency": self.urgency,
            "legal_basis": self.legal_basis,
            "summary": self.summary,
        }

    def is_complete(self) -> bool:
        return bool(
            self.label
            and self.lead_sector in SECTORS
            and self.urgency in URGENCIES
            and self.legal_basis in LEGAL_BASES
            and self.summary
        )


STEPS = (
    "label",
    "criteria",
    "factors",
    "lead_sector",
    "other_sectors",
    "keyworker",
    "urgency",
    "legal_basis",
    "summary",
    "confirm",
)
"""The /newcase dialogue, in order; "back" goes one step up this list."""


def previous_step(step: str) -> str:
    index = STEPS.index(step) if step in STEPS else 0
    return STEPS[max(index - 1, 0)]


def next_step(step: str) -> str:
    index = STEPS.index(step) if step in STEPS else 0
    return STEPS[min(index + 1, len(STEPS) - 1)]


def days_since(moment: datetime, now: datetime) -> int:
    return max((now - moment).days, 0)


def acting_as(role: Role, team_roles: set[str]) -> frozenset[str]:
    """What a person counts as for the lifecycle table."""
    kinds = set()
    if role in COORDINATORS:
        kinds.add("coordinator")
    if role in (Role.COORDINATOR, Role.DEPUTY, Role.MEMBER) and "lead" in team_roles:
        kinds.add("lead")
    return frozenset(kinds)


def allowed_transitions(status: CaseStatus, acting: frozenset[str]) -> list[CaseStatus]:
    return [to for to, who in TRANSITIONS.get(status, {}).items() if who & acting]


def is_carousel(moves_in_window: int) -> bool:
    """Moved two or more times in twelve months: the pattern the board exists to stop."""
    return moves_in_window >= CAROUSEL_MOVES


def is_stalled(case_status: str, last_activity: datetime, now: datetime, stall_days: int) -> bool:
    return case_status in OPEN_STATUSES and days_since(last_activity, now) >= stall_days


EDITABLE_STEPS = (
    "label",
    "criteria",
    "factors",
    "other_sectors",
    "urgency",
    "summary",
    "keyworker",
)


TEAM_ROLE_ORDER = (TeamRole.LEAD, TeamRole.KEYWORKER, TeamRole.CONTRIBUTOR)


def team_by_person(team: Sequence[tuple[int, str]]) -> list[tuple[int, tuple[str, ...]]]:
    """Each person on the team once, with every role they hold, the lead first: "Петър Колев
    (водещ, ключов специалист)", not the same name twice."""
    roles: dict[int, set[str]] = {}
    for user_id, role in team:
        roles.setdefault(user_id, set()).add(role)
    order: dict[str, int] = {role: index for index, role in enumerate(TEAM_ROLE_ORDER)}
    return [
        (user_id, tuple(sorted(held, key=lambda role: order.get(role, len(order)))))
        for user_id, held in roles.items()
    ]


def may_manage(acting: frozenset[str]) -> bool:
    """The lead and the coordinators correct a case and manage its team."""
    return bool(acting & {"coordinator", "lead"})


def can_read_details(role: Role, team_roles: set[str]) -> bool:
    """The team and the coordinators see details; every other member sees code and status."""
    return role in COORDINATORS or (role is not Role.NON_MEMBER and bool(team_roles))


# what the board learns from a case ----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Learning:
    """What a case records for the board to learn from: keys only, never free text."""

    strengths: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    child_view: str = ""
    child_view_on: date | None = None
    interventions: tuple[tuple[str, str], ...] = ()
    """(intervention, whether it helped), in the order of :data:`INTERVENTIONS`."""


LEARNING_PARTS = ("strengths", "needs", "child_view", "interventions")


def learning_of(case: CaseRecord) -> Learning:
    return Learning(
        case.strengths, case.needs, case.child_view, case.child_view_on, case.interventions
    )


def next_result(result: str | None) -> str | None:
    """An intervention's button cycles: not tried → tried → helped → partly → did not help →
    not tried."""
    order: tuple[str | None, ...] = (None, *HELPED)
    return order[(order.index(result) + 1) % len(order)] if result in order else HELPED[0]


def marked(learning: Learning, part: str, index: int, today: date) -> Learning | None:
    """The case's learning after one press on ``part``'s button ``index``; None for a press
    that means nothing (an index past the list, an unknown part)."""
    if part == "strengths" and 0 <= index < len(STRENGTHS):
        return replace(
            learning,
            strengths=_in_order(toggle(list(learning.strengths), STRENGTHS[index]), STRENGTHS),
        )
    if part == "needs" and 0 <= index < len(NEEDS):
        return replace(learning, needs=_in_order(toggle(list(learning.needs), NEEDS[index]), NEEDS))
    if part == "child_view" and 0 <= index < len(CHILD_VIEWS):
        if learning.child_view == CHILD_VIEWS[index]:  # pressed again: not recorded after all
            return replace(learning, child_view="", child_view_on=None)
        return replace(learning, child_view=CHILD_VIEWS[index], child_view_on=today)
    if part == "interventions" and 0 <= index < len(INTERVENTIONS):
        results = dict(learning.interventions)
        key = INTERVENTIONS[index]
        result = next_result(results.get(key))
        if result is None:
            results.pop(key, None)
        else:
            results[key] = result
        return replace(
            learning, interventions=tuple((k, results[k]) for k in INTERVENTIONS if k in results)
        )
    return None


def _in_order(keys: list[str], order: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(k for k in order if k in keys)
