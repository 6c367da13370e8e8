"""Boards and members: setting up, joining by sector, approvals, roles, handover, chat events.

The rules (who may change whose role) are plain functions; ``BoardService`` runs each user action
as one transaction that writes its audit row and any outbox rows, and returns what happened.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    DONE = "done"
    ALREADY = "already"
    NOT_ALLOWED = "not_allowed"
    NOT_FOUND = "not_found"
    STALE = "stale"
