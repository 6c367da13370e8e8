"""Who may do what, and where. The agenda of the next meeting."""

from __future__ import annotations

from bot.kernel.policy import ANY_CHAT, BOARD_MEMBERS, PRIVATE, Action, Rule


class AgendaAction(Action):
    # Agenda and minutes: every member sees the agenda (codes only in the group); who may add a
    # case (its lead, the coordinators), record (the coordinators, the named minute-taker),
    # approve (the coordinators) and read (the case's team) is decided by bot.agenda and
    # bot.minutes per case and meeting.
    AGENDA = "agenda", Rule(BOARD_MEMBERS, ANY_CHAT, command="agenda")
    AGENDA_BUTTON = "agenda_button", Rule(BOARD_MEMBERS, PRIVATE)
