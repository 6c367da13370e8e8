"""Who may do what, and where. Boards: setting one up, joining, the members, handovers, settings."""

from __future__ import annotations

from bot.kernel.policy import (
    ANY_CHAT,
    BOARD_MEMBERS,
    COORDINATORS,
    EVERYONE,
    GROUP,
    PRIVATE,
    Action,
    Role,
    Rule,
)


class BoardAction(Action):
    # Group administrators may set up a board: checked with Telegram (getChatMember), since
    # before /setup there is no board and so no board role.
    SETUP = (
        "setup",
        Rule(
            EVERYONE,
            ANY_CHAT,
            command="setup",
            listed_for=frozenset({Role.NON_MEMBER, Role.COORDINATOR}),
        ),
    )
    JOIN = "join", Rule(EVERYONE, GROUP, command="join")
    JOIN_STEP = "join_step", Rule(EVERYONE, PRIVATE)
    MEMBERS = "members", Rule(BOARD_MEMBERS, ANY_CHAT, command="members")
    PENDING = "pending", Rule(COORDINATORS, PRIVATE, command="pending")
    BOARD_SETTINGS = "board_settings", Rule(COORDINATORS, PRIVATE, command="boardsettings")
    DECIDE_JOIN = "decide_join", Rule(COORDINATORS, PRIVATE)
    MANAGE_MEMBER = "manage_member", Rule(COORDINATORS, PRIVATE)
    HAND_OVER = "hand_over", Rule(frozenset({Role.COORDINATOR}), PRIVATE)
    ANSWER_HANDOVER = "answer_handover", Rule(BOARD_MEMBERS, PRIVATE)
    OWN_SECTOR = "own_sector", Rule(COORDINATORS, PRIVATE)
