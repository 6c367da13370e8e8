"""/help by task, shortest first: the commands a person uses every week on the first page,
grouped by what they are for, and the rest behind one "more" button.

Which commands a person may use at all stays the policy table's (``commands_for``); this only
orders them. A command not placed in a group here still shows, under "other", so a new
command is never hidden from help.
"""

from __future__ import annotations

from collections.abc import Sequence

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("today", ("today", "mycases", "myactions", "meetings")),
    ("cases", ("newcase", "case", "cases", "note", "transfer", "editcase", "team", "link")),
    ("deciding", ("propose", "actions")),
    ("meetings", ("meeting", "agenda", "minutes")),
    ("concerns", ("escalate", "escalations")),
    ("board", ("setup", "join", "members", "pending", "boardsettings")),
    ("data", ("stats", "council", "export", "audit", "erase")),
    ("basics", ("settings", "lang", "cancel", "help", "start")),
)


FIRST_PAGE = frozenset(
    {
        "today",
        "mycases",
        "myactions",
        "meetings",
        "newcase",
        "case",
        "cases",
        "propose",
        "actions",
        "meeting",
        "escalate",
        "setup",
        "join",
        "pending",
        "lang",
    }
)
"""What most people use most weeks; everything else is one tap further."""


def help_sections(
    available: Sequence[str], *, everything: bool
) -> tuple[list[tuple[str, list[str]]], int]:
    """(group, its commands) in :data:`GROUPS` order, and how many were left for "more"."""
    placed = {command for _, commands in GROUPS for command in commands}
    groups = [*GROUPS, ("other", tuple(c for c in available if c not in placed))]
    sections = []
    hidden = 0
    for group, commands in groups:
        mine = [c for c in commands if c in available]
        shown = mine if everything else [c for c in mine if c in FIRST_PAGE or group == "other"]
        hidden += len(mine) - len(shown)
        if shown:
            sections.append((group, shown))
    return sections, hidden
