"""The scheduled tasks of votes: closing at the deadline, reminding those who have not voted."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.tasks import TaskPayload

VOTE_DEADLINE = "vote_deadline"


VOTE_REMIND_TASK = "vote_remind_task"


@dataclass(frozen=True, slots=True)
class CloseVote(TaskPayload, kind=VOTE_DEADLINE):
    proposal_id: int


@dataclass(frozen=True, slots=True)
class RemindVoters(TaskPayload, kind=VOTE_REMIND_TASK):
    proposal_id: int
