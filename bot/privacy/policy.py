"""Who may do what, and where. Data protection: erasure, export, the audit log."""

from __future__ import annotations

from bot.kernel.policy import COORDINATORS, PRIVATE, Action, Rule


class PrivacyAction(Action):
    # Data protection: the coordinators of the case's board (re-checked per case in bot.privacy).
    ERASE = "erase", Rule(COORDINATORS, PRIVATE, command="erase")
    EXPORT = "export", Rule(COORDINATORS, PRIVATE, command="export")
    AUDIT = "audit", Rule(COORDINATORS, PRIVATE, command="audit")
