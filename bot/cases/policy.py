"""Who may do what, and where. Cases: raising, reading, moving, notes, transfers, the team,
what the board learns."""

from __future__ import annotations

from bot.kernel.policy import ANY_CHAT, BOARD_MEMBERS, GROUP, PRIVATE, VOTERS, Action, Rule


class CaseAction(Action):
    # Observers read; raising a case is for those who work on cases.
    NEW_CASE = "new_case", Rule(VOTERS, ANY_CHAT, command="newcase")
    NEW_CASE_STEP = "new_case_step", Rule(VOTERS, PRIVATE)
    VIEW_CASE = "view_case", Rule(BOARD_MEMBERS, ANY_CHAT, command="case")
    LIST_CASES = "list_cases", Rule(BOARD_MEMBERS, GROUP, command="cases")
    MY_CASES = "my_cases", Rule(BOARD_MEMBERS, PRIVATE, command="mycases")
    # Who within the board may act on a given case (the team, its lead, the coordinators) is
    # decided per case by bot.cases (TRANSITIONS, can_read_details), inside the transaction.
    CASE_STATUS = "case_status", Rule(BOARD_MEMBERS, PRIVATE)
    CASE_NOTE = "case_note", Rule(BOARD_MEMBERS, PRIVATE, command="note")
    CASE_TRANSFER = "case_transfer", Rule(BOARD_MEMBERS, PRIVATE, command="transfer")
    CASE_TIMELINE = "case_timeline", Rule(BOARD_MEMBERS, PRIVATE)
    # What the board learns from a case, and links between cases: its coordinators and its lead
    # (bot.cases.learning re-checks on every press).
    CASE_LEARN = "case_learn", Rule(BOARD_MEMBERS, PRIVATE)
    CASE_LINK = "case_link", Rule(BOARD_MEMBERS, PRIVATE, command="link")
    EDIT_CASE = "edit_case", Rule(BOARD_MEMBERS, PRIVATE, command="editcase")
    CASE_TEAM = "case_team", Rule(BOARD_MEMBERS, PRIVATE, command="team")
