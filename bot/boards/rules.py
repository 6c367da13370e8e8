"""Boards and members: setting up, joining by sector, approvals, roles, handover, chat events.

The rules (who may change whose role) are plain functions; ``BoardService`` runs each user action
as one transaction that writes its audit row and any outbox rows, and returns what happened.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from bot.kernel.policy import COORDINATORS, Role
from storage.models import BoardRecord, MembershipRecord, MembershipStatus

SECTORS = (
    "social",
    "child_protection",
    "education",
    "health",
    "police",
    "municipality",
    "ngo",
    "other",
)


def sector_order(sectors: Iterable[str]) -> tuple[str, ...]:
    """Each sector once, in the board's usual order (tallies, attendance, digests)."""
    return tuple(sorted(set(sectors), key=lambda s: SECTORS.index(s) if s in SECTORS else 99))


CONDUCT_VERSION = 1
"""Bump when the code of conduct text (``conduct.text``) changes: members accept each version."""


SETTABLE_ROLES = (Role.DEPUTY, Role.MEMBER, Role.OBSERVER)


_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


_TRANSLIT = str.maketrans(
    "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯ",
    "ABVGDEJZIYKLMNOPRSTUFHCCSSAYUY",
)


_GENERIC_WORDS = frozenset({"MESTEN", "BORD", "BOARD", "LOCAL", "ZA", "NA", "THE", "OF", "FOR"})


def code_prefix(title: str) -> str:
    """Two Latin letters from the board's name (Местен борд Велико Търново → VT), for codes."""
    words = [
        w
        for w in title.upper().translate(_TRANSLIT).split()
        if w[:1].isalpha() and w not in _GENERIC_WORDS
    ]
    letters = "".join(w[0] for w in words if w[0].isascii())
    if len(letters) < 2:
        letters = "".join(ch for ch in "".join(words) if ch.isascii() and ch.isalpha())
    return (letters[:2] or "BD").ljust(2, "X")


def new_join_code() -> str:
    """A random join code for deep links: unguessable, unlike the board's id."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


def may_set_role(actor: Role, target: Role, new: Role) -> bool:
    """Coordinators and deputies manage roles; nobody but a handover touches the coordinator."""
    if actor not in COORDINATORS or new not in SETTABLE_ROLES:
        return False
    return target is not Role.COORDINATOR


def may_remove(actor: Role, target: Role) -> bool:
    return actor in COORDINATORS and target is not Role.COORDINATOR


def may_hand_over(actor: Role, target: Role) -> bool:
    """Only the coordinator names the next one, and only an active member of the board."""
    return actor is Role.COORDINATOR and target in (Role.DEPUTY, Role.MEMBER, Role.OBSERVER)


@dataclass(frozen=True, slots=True)
class SetupResult:
    """The board of the group; ``created`` False: it was set up already, by its coordinator."""

    board: BoardRecord
    coordinator_id: int
    created: bool


@dataclass(frozen=True, slots=True)
class JoinDecided:
    """The person's membership after a decision; ``now`` False: another coordinator had
    decided already (the membership says how)."""

    member: MembershipRecord
    now: bool


@dataclass(frozen=True, slots=True)
class JoinState:
    """Where a person stands with a board when they ask to join it."""

    board: BoardRecord
    membership: MembershipRecord | None

    @property
    def is_member(self) -> bool:
        return self.membership is not None and self.membership.status == MembershipStatus.ACTIVE

    @property
    def is_pending(self) -> bool:
        return self.membership is not None and self.membership.status == MembershipStatus.PENDING
