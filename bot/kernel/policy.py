"""Who may do what, where: one table and one check that every command and button goes through.

Each later capability adds its rows here; no handler carries its own permission logic.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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


class Action(StrEnum):
    START = "start"
    HELP = "help"
    LANG = "lang"
    CANCEL = "cancel"
    BLANKED_TEXT = "blanked_text"
    SETUP = "setup"
    JOIN = "join"
    JOIN_STEP = "join_step"
    MEMBERS = "members"
    PENDING = "pending"
    BOARD_SETTINGS = "board_settings"
    DECIDE_JOIN = "decide_join"
    MANAGE_MEMBER = "manage_member"
    HAND_OVER = "hand_over"
    ANSWER_HANDOVER = "answer_handover"
    OWN_SECTOR = "own_sector"
    NEW_CASE = "new_case"
    NEW_CASE_STEP = "new_case_step"
    VIEW_CASE = "view_case"
    LIST_CASES = "list_cases"
    MY_CASES = "my_cases"
    TODAY = "today"
    STATS = "stats"
    COUNCIL = "council"
    CASE_LEARN = "case_learn"
    CASE_LINK = "case_link"
    CASE_STATUS = "case_status"
    CASE_NOTE = "case_note"
    CASE_TRANSFER = "case_transfer"
    CASE_TIMELINE = "case_timeline"
    EDIT_CASE = "edit_case"
    CASE_TEAM = "case_team"
    PROPOSE = "propose"
    PROPOSE_STEP = "propose_step"
    OPEN_VOTE = "open_vote"
    VOTE = "vote"
    VOTE_BRIEF = "vote_brief"
    MANAGE_VOTE = "manage_vote"
    LIST_ACTIONS = "list_actions"
    MY_ACTIONS = "my_actions"
    ACTION_STEP = "action_step"
    MEETING = "meeting"
    MEETING_STEP = "meeting_step"
    MEETINGS = "meetings"
    MEETING_ANSWER = "meeting_answer"
    MEETING_CARD = "meeting_card"
    MANAGE_MEETING = "manage_meeting"
    AGENDA = "agenda"
    AGENDA_BUTTON = "agenda_button"
    MINUTES = "minutes"
    MINUTES_STEP = "minutes_step"
    MY_SETTINGS = "my_settings"
    NUDGE_BUTTON = "nudge_button"
    ESCALATE = "escalate"
    ESCALATE_STEP = "escalate_step"
    ESCALATIONS = "escalations"
    ESCALATION_BUTTON = "escalation_button"
    ERASE = "erase"
    EXPORT = "export"
    AUDIT = "audit"


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


POLICY: dict[Action, Rule] = {
    Action.START: Rule(EVERYONE, ANY_CHAT, command="start"),
    Action.HELP: Rule(EVERYONE, ANY_CHAT, command="help"),
    Action.LANG: Rule(EVERYONE, ANY_CHAT, command="lang"),
    Action.CANCEL: Rule(EVERYONE, PRIVATE, command="cancel"),
    # "Save it like this" under a text the guard blanked: only its author's press finds it.
    Action.BLANKED_TEXT: Rule(EVERYONE, ANY_CHAT),
    # Group administrators may set up a board: checked with Telegram (getChatMember), since
    # before /setup there is no board and so no board role.
    Action.SETUP: Rule(
        EVERYONE,
        ANY_CHAT,
        command="setup",
        listed_for=frozenset({Role.NON_MEMBER, Role.COORDINATOR}),
    ),
    Action.JOIN: Rule(EVERYONE, GROUP, command="join"),
    Action.JOIN_STEP: Rule(EVERYONE, PRIVATE),
    Action.MEMBERS: Rule(BOARD_MEMBERS, ANY_CHAT, command="members"),
    Action.PENDING: Rule(COORDINATORS, PRIVATE, command="pending"),
    Action.BOARD_SETTINGS: Rule(COORDINATORS, PRIVATE, command="boardsettings"),
    Action.DECIDE_JOIN: Rule(COORDINATORS, PRIVATE),
    Action.MANAGE_MEMBER: Rule(COORDINATORS, PRIVATE),
    Action.HAND_OVER: Rule(frozenset({Role.COORDINATOR}), PRIVATE),
    Action.ANSWER_HANDOVER: Rule(BOARD_MEMBERS, PRIVATE),
    Action.OWN_SECTOR: Rule(COORDINATORS, PRIVATE),
    # Observers read; raising a case is for those who work on cases.
    Action.NEW_CASE: Rule(VOTERS, ANY_CHAT, command="newcase"),
    Action.NEW_CASE_STEP: Rule(VOTERS, PRIVATE),
    Action.VIEW_CASE: Rule(BOARD_MEMBERS, ANY_CHAT, command="case"),
    # What needs me today: each person's own part, the whole board for coordinators.
    Action.TODAY: Rule(BOARD_MEMBERS, PRIVATE, command="today"),
    # What the board learns: its figures, small counts suppressed, to its coordinators only.
    Action.STATS: Rule(COORDINATORS, PRIVATE, command="stats"),
    # A council's group registers itself: its administrators (getChatMember, as for /setup).
    Action.COUNCIL: Rule(
        EVERYONE, GROUP, command="council", listed_for=frozenset({Role.NON_MEMBER})
    ),
    Action.LIST_CASES: Rule(BOARD_MEMBERS, GROUP, command="cases"),
    Action.MY_CASES: Rule(BOARD_MEMBERS, PRIVATE, command="mycases"),
    # Who within the board may act on a given case (the team, its lead, the coordinators) is
    # decided per case by bot.cases (TRANSITIONS, can_read_details), inside the transaction.
    Action.CASE_STATUS: Rule(BOARD_MEMBERS, PRIVATE),
    Action.CASE_NOTE: Rule(BOARD_MEMBERS, PRIVATE, command="note"),
    Action.CASE_TRANSFER: Rule(BOARD_MEMBERS, PRIVATE, command="transfer"),
    Action.CASE_TIMELINE: Rule(BOARD_MEMBERS, PRIVATE),
    # What the board learns from a case, and links between cases: its coordinators and its lead
    # (bot.cases.learning re-checks on every press).
    Action.CASE_LEARN: Rule(BOARD_MEMBERS, PRIVATE),
    Action.CASE_LINK: Rule(BOARD_MEMBERS, PRIVATE, command="link"),
    Action.EDIT_CASE: Rule(BOARD_MEMBERS, PRIVATE, command="editcase"),
    Action.CASE_TEAM: Rule(BOARD_MEMBERS, PRIVATE, command="team"),
    # Deciding together: voters propose and vote; the proposal's own board is re-checked by
    # bot.votes in the transaction (in private the role here is the highest over all boards).
    Action.PROPOSE: Rule(VOTERS, ANY_CHAT, command="propose"),
    Action.PROPOSE_STEP: Rule(VOTERS, PRIVATE),
    Action.OPEN_VOTE: Rule(VOTERS, GROUP),
    Action.VOTE: Rule(VOTERS, ANY_CHAT),
    Action.VOTE_BRIEF: Rule(VOTERS, PRIVATE),
    Action.MANAGE_VOTE: Rule(COORDINATORS, PRIVATE),
    Action.LIST_ACTIONS: Rule(BOARD_MEMBERS, GROUP, command="actions"),
    Action.MY_ACTIONS: Rule(BOARD_MEMBERS, PRIVATE, command="myactions"),
    Action.ACTION_STEP: Rule(VOTERS, PRIVATE),
    # Meetings: coordinators schedule; every member (observers too) answers polls and RSVPs.
    Action.MEETING: Rule(COORDINATORS, ANY_CHAT, command="meeting"),
    Action.MEETING_STEP: Rule(COORDINATORS, PRIVATE),
    Action.MEETINGS: Rule(BOARD_MEMBERS, ANY_CHAT, command="meetings"),
    Action.MEETING_ANSWER: Rule(BOARD_MEMBERS, ANY_CHAT),
    Action.MEETING_CARD: Rule(BOARD_MEMBERS, PRIVATE),
    Action.MANAGE_MEETING: Rule(COORDINATORS, PRIVATE),
    # Agenda and minutes: every member sees the agenda (codes only in the group); who may add a
    # case (its lead, the coordinators), record (the coordinators, the named minute-taker),
    # approve (the coordinators) and read (the case's team) is decided by bot.agenda and
    # bot.minutes per case and meeting.
    Action.AGENDA: Rule(BOARD_MEMBERS, ANY_CHAT, command="agenda"),
    Action.AGENDA_BUTTON: Rule(BOARD_MEMBERS, PRIVATE),
    Action.MINUTES: Rule(BOARD_MEMBERS, PRIVATE, command="minutes"),
    Action.MINUTES_STEP: Rule(BOARD_MEMBERS, PRIVATE),
    # Follow-up: each person's own decent hours and nudges; a nudge's buttons check it is theirs.
    Action.MY_SETTINGS: Rule(BOARD_MEMBERS, PRIVATE, command="settings"),
    Action.NUDGE_BUTTON: Rule(BOARD_MEMBERS, PRIVATE),
    # Escalation: any member raises a worry, in private only; who may handle a given one (its
    # board's coordinators, or its raiser withdrawing) is decided by bot.escalations.
    Action.ESCALATE: Rule(BOARD_MEMBERS, PRIVATE, command="escalate"),
    Action.ESCALATE_STEP: Rule(BOARD_MEMBERS, PRIVATE),
    Action.ESCALATIONS: Rule(BOARD_MEMBERS, PRIVATE, command="escalations"),
    Action.ESCALATION_BUTTON: Rule(BOARD_MEMBERS, PRIVATE),
    # Data protection: the coordinators of the case's board (re-checked per case in bot.privacy).
    Action.ERASE: Rule(COORDINATORS, PRIVATE, command="erase"),
    Action.EXPORT: Rule(COORDINATORS, PRIVATE, command="export"),
    Action.AUDIT: Rule(COORDINATORS, PRIVATE, command="audit"),
}


def check(action: Action, role: Role, chat: ChatKind) -> Denial | None:
    """``None`` if ``role`` may do ``action`` in ``chat``; otherwise the reason it may not.

    The role is checked first: "do it in private" would be a false promise to someone whose
    role does not allow it anywhere."""
    rule = POLICY[action]
    if role not in rule.roles:
        return Denial.NOT_MEMBER if role is Role.NON_MEMBER else Denial.ROLE
    if chat not in rule.chats:
        return (
            Denial.WRONG_CHAT_PRIVATE_ONLY
            if rule.chats == PRIVATE
            else Denial.WRONG_CHAT_GROUP_ONLY
        )
    return None


def commands_for(role: Role, chat: ChatKind) -> list[str]:
    """The commands a person in ``role`` can use in ``chat``, in table order (help, menus)."""
    return [
        rule.command
        for action, rule in POLICY.items()
        if rule.command is not None
        and check(action, role, chat) is None
        and (rule.listed_for is None or role in rule.listed_for)
    ]


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
    """The table as the docs print it (docs/access-policy.md; a test keeps them the same)."""
    roles = [Role.COORDINATOR, Role.DEPUTY, Role.MEMBER, Role.OBSERVER, Role.NON_MEMBER]
    header = "| action | command | " + " | ".join(r.value for r in roles) + " |"
    lines = [header, "|" + "---|" * (len(roles) + 2)]
    for action, rule in POLICY.items():
        cells = []
        for role in roles:
            where = [
                c.value
                for c in (ChatKind.GROUP, ChatKind.PRIVATE)
                if check(action, role, c) is None
            ]
            cells.append(" + ".join(where) if where else "—")
        command = f"`/{rule.command}`" if rule.command else "(button)"
        lines.append(f"| {action.value} | {command} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def role_of(membership: MembershipRecord | None) -> Role:
    """The role a membership gives now: none unless it is active (pending, suspended and
    removed members act as non-members)."""
    if membership is None or membership.status != MembershipStatus.ACTIVE:
        return Role.NON_MEMBER
    return Role(membership.role)
