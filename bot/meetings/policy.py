"""Who may do what, and where. Meetings: scheduling, answering, managing."""

from __future__ import annotations

from bot.kernel.policy import ANY_CHAT, BOARD_MEMBERS, COORDINATORS, PRIVATE, Action, Rule


class MeetingAction(Action):
    # Meetings: coordinators schedule; every member (observers too) answers polls and RSVPs.
    MEETING = "meeting", Rule(COORDINATORS, ANY_CHAT, command="meeting")
    MEETING_STEP = "meeting_step", Rule(COORDINATORS, PRIVATE)
    MEETINGS = "meetings", Rule(BOARD_MEMBERS, ANY_CHAT, command="meetings")
    MEETING_ANSWER = "meeting_answer", Rule(BOARD_MEMBERS, ANY_CHAT)
    MEETING_CARD = "meeting_card", Rule(BOARD_MEMBERS, PRIVATE)
    MANAGE_MEETING = "manage_meeting", Rule(COORDINATORS, PRIVATE)
