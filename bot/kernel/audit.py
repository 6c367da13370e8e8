"""One audit row per change or read of details: ids and the action's name, never text."""

from __future__ import annotations

from datetime import datetime

from storage import Session


async def audit(
    session: Session,
    now: datetime,
    actor_id: int | None,
    action: str,
    board_id: int | None = None,
    subject: tuple[str, int | str | None] | None = None,
    chat_id: int | None = None,
) -> None:
    """``subject``: what the row is about, as (type, id): ("case", 12)."""
    await session.audit.record(
        at=now,
        actor_id=actor_id,
        action=action,
        board_id=board_id,
        subject_type=None if subject is None else subject[0],
        subject_id=None if subject is None else subject[1],
        chat_id=chat_id,
    )
