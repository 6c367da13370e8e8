"""Who may do what, where: one check that every command and button goes through.

Each capability lists its actions and their rules in its own ``policy.py`` (``bot/votes/policy.py``:
``class VoteAction(Action)``); the basics are here. No handler carries its own permission logic.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.kernel.help import GROUPS
from storage.models import MembershipRecord, MembershipStatus


class Role(StrEnum):
    COORDINATOR = "coordinator"
    DEPUTY = "deputy"
    MEMBER = "member"
    OBSERVER = "observer"
    NON_MEMBER = "non_member"


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"


class Denial(StrEnum):
    """Why an action was refused; each has a localized explanation ``deny.<value>``."""

    WRONG_CHAT_PRIVATE_ONLY = "private_only"
    WRONG_CHAT_GROUP_ONLY = "group_only"
    NOT_MEMBER = "not_member"
    ROLE = "role"


EVERYONE = frozenset(Role)


BOARD_MEMBERS = frozenset({Role.COORDINATOR, Role.DEPUTY, Role.MEMBER, Role.OBSERVER})


VOTERS = frozenset({Role.COORDINATOR, Role.DEPUTY, Role.MEMBER})


COORDINATORS = frozenset({Role.COORDINATOR, Role.DEPUTY})


ANY_CHAT = frozenset(ChatKind)


PRIVATE = frozenset({ChatKind.PRIVATE})


GROUP = frozenset({ChatKind.GROUP})


@dataclass(frozen=True, slots=True)
class Rule:
    roles: frozenset[Role]
    chats: frozenset[ChatKind]
    command: str | None = None
    """The slash command this action is reached by, shown in /help and the command menu."""
    listed_for: frozenset[Role] | None = None
    """Whose /help and menu list the command, when not everyone it is allowed to (a member
    need not be offered /setup)."""


class Action(StrEnum):
    """What a command or a button does, as the access check knows it. Each capability lists its
    own in its ``policy.py`` (``class VoteAction(Action)``), each member with its rule:
    ``VOTE = "vote", Rule(VOTERS, ANY_CHAT)`` (who may, and where)."""

    _value_: str
    rule: Rule

    def __new__(cls, value: str, rule: Rule) -> Action:
        member = str.__new__(cls, value)
        member._value_ = value
        member.rule = rule
        return member


class BasicAction(Action):
    START = "start", Rule(EVERYONE, ANY_CHAT, command="start")
    HELP = "help", Rule(EVERYONE, ANY_CHAT, command="help")
    LANG = "lang", Rule(EVERYONE, ANY_CHAT, command="lang")
    CANCEL = "cancel", Rule(EVERYONE, PRIVATE, command="cancel")


def check(action: Action, role: Role, chat: ChatKind) -> Denial | None:
    """``None`` if ``role`` may do ``action`` in ``chat``; otherwise the reason it may not.

    The role is checked first: "do it in private" would be a false promise to someone whose
    role does not allow it anywhere."""
    rule = action.rule
    if role not in rule.roles:
        return Denial.NOT_MEMBER if role is Role.NON_MEMBER else Denial.ROLE
    if chat not in rule.chats:
        return (
            Denial.WRONG_CHAT_PRIVATE_ONLY
            if rule.chats == PRIVATE
            else Denial.WRONG_CHAT_GROUP_ONLY
        )
    return None


def every_action() -> list[Action]:
    """Every capability's actions: the basics first, then each capability's, by its package.

    A capability's actions are known once its ``policy`` module is imported, as every handler
    module imports its own (``import handlers`` loads them all)."""
    kinds = sorted(
        Action.__subclasses__(), key=lambda kind: (kind is not BasicAction, kind.__module__)
    )
    return [action for kind in kinds for action in kind]


def commands_for(role: Role, chat: ChatKind) -> list[str]:
    """The commands a person in ``role`` can use in ``chat``, in the order /help groups them
    (by task, bot.kernel.help), so the command menu reads as help does."""
    available = [
        action.rule.command
        for action in every_action()
        if action.rule.command is not None
        and check(action, role, chat) is None
        and (action.rule.listed_for is None or role in action.rule.listed_for)
    ]
    return sorted(available, key=lambda command: _HELP_ORDER.get(command, len(_HELP_ORDER)))


_HELP_ORDER = {command: i for i, command in enumerate(c for _, group in GROUPS for c in group)}


_RANK = {
    Role.COORDINATOR: 4,
    Role.DEPUTY: 3,
    Role.MEMBER: 2,
    Role.OBSERVER: 1,
    Role.NON_MEMBER: 0,
}


def highest(roles: list[Role]) -> Role:
    """The strongest of several roles (a person on several boards, in a private chat)."""
    return max(roles, key=_RANK.__getitem__, default=Role.NON_MEMBER)


def markdown_table() -> str:
    """The table as the docs print it (docs/access-policy.md; a test keeps them the same): one
    row an action, under the capability whose ``policy.py`` lists it."""
    roles = [Role.COORDINATOR, Role.DEPUTY, Role.MEMBER, Role.OBSERVER, Role.NON_MEMBER]
    header = "| capability | action | command | " + " | ".join(r.value for r in roles) + " |"
    lines = [header, "|" + "---|" * (len(roles) + 3)]
    for action in every_action():
        rule = action.rule
        cells = []
        for role in roles:
            where = [
                c.value
                for c in (ChatKind.GROUP, ChatKind.PRIVATE)
                if check(action, role, c) is None
            ]
            cells.append(" + ".join(where) if where else "—")
        command = f"`/{rule.command}`" if rule.command else "(button)"
        capability = type(action).__module__.split(".")[1]
        lines.append(f"| {capability} | {action.value} | {command} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def role_of(membership: MembershipRecord | None) -> Role:
    """The role a membership gives now: none unless it is active (pending, suspended and
    removed members act as non-members)."""
    if membership is None or membership.status != MembershipStatus.ACTIVE:
        return Role.NON_MEMBER
    return Role(membership.role)
