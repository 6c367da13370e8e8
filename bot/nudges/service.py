"""Follow-up nudges: the right reminder, to the right person, once, at a decent hour.

Every nudge is an outbox row planned at a decent hour for its recipient (``bot.quiet``) and worded
at send time, when it checks the item is still as it was: a nudge about an action done meanwhile,
or a case that moved again, says nothing. A daily sweep task finds stalled cases and keeps each
board's weekly digest queued; both live in the database, so restarts lose nothing.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from bot.cases.rules import COORDINATING, OPEN_STATUSES
from bot.kernel.audit import audit
from bot.kernel.outbox import task_row
from bot.kernel.policy import BOARD_MEMBERS, role_of
from bot.kernel.service import Service
from bot.kernel.settings import BoardSettings, parse_setting
from bot.nudges.quiet import QuietRules, plan
from bot.nudges.refusals import PrefRefusal
from bot.nudges.rules import (
    ACTIVE_ACTION,
    MORNING,
    MUTE_GROUPS,
    STALL_ESCALATE_AFTER,
    SWEEP_AT,
    action_nudges,
    next_digest,
    quiet_rules,
    snooze_until,
)
from storage import Session
from storage.models import (
    ActionRecord,
    ActionStatus,
    BoardRecord,
    NewOutboxItem,
    PrefsRecord,
    TeamRole,
)

log = logging.getLogger(__name__)


NUDGE = "nudge"


DIGEST = "digest"


SWEEP = "sweep"


# the service --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Planned:
    """A nudge to queue: whom, when due, and until when it is of use."""

    recipient: int
    due: datetime
    key: str
    payload: dict[str, Any]
    useful_until: datetime | None = None
    subject: tuple[str, int] | None = None
    urgent: bool = False
    early: bool = True
    """May go out before the quiet time it falls in, when after it would be too late."""
    kind: str = NUDGE
    """The outbox kind that words it (a nudge, a vote or meeting reminder, a concern)."""


class NudgeService(Service):
    async def row(self, row_id: int | None) -> NudgeRow | None:
        """A nudge as its buttons see it (its recipient, board and subject)."""
        if row_id is None:
            return None
        async with self._db.read() as session:
            row = await session.outbox.get(row_id)
        if row is None or row.kind != NUDGE:
            return None
        return NudgeRow(row.id, row.recipient_id, row.board_id, row.payload)

    async def rules_for(self, session: Session, user_id: int, board_id: int) -> QuietRules:
        return quiet_rules(
            await self._settings.get(session, board_id), await session.prefs.get(user_id)
        )

    async def queue(self, session: Session, board_id: int, nudges: list[Planned]) -> int:
        """Queue private messages at a decent hour for each recipient (see ``rows``)."""
        items = await self.rows(session, board_id, nudges)
        await self._outbox.add(session, items, self._clock.now())
        return len(items)

    async def rows(
        self, session: Session, board_id: int, nudges: list[Planned]
    ) -> list[NewOutboxItem]:
        """Outbox rows planned at a decent hour for each recipient; one too late to help is
        queued already expired, so the outbox records it as dropped. The one place quiet hours
        are applied when something private is queued."""
        if not nudges:
            return []
        now = self._clock.now()
        board = await self._settings.get(session, board_id)
        items = []
        for nudge in nudges:
            rules = quiet_rules(board, await session.prefs.get(nudge.recipient))
            at = plan(
                nudge.due,
                rules,
                now,
                useful_until=nudge.useful_until,
                urgent=nudge.urgent,
                early=nudge.early,
            )
            subject_type, subject_id = nudge.subject or (None, None)
            items.append(
                NewOutboxItem(
                    chat_id=nudge.recipient,
                    recipient_id=nudge.recipient,
                    board_id=board_id,
                    kind=nudge.kind,
                    subject_type=subject_type,
                    subject_id=None if subject_id is None else str(subject_id),
                    payload=nudge.payload,
                    due_at=now if at is None else max(at, now),
                    useful_until=(now - timedelta(seconds=1)) if at is None else nudge.useful_until,
                    dedupe_key=nudge.key,
                )
            )
        return items

    # actions ----------------------------------------------------------------------------------
    async def plan_action(self, session: Session, action: ActionRecord) -> None:
        """(Re)plan an action's nudges from its owner and due date; called in the transaction
        that changed them. Nudges already sent are not repeated (their keys stay)."""
        now = self._clock.now()
        await session.outbox.cancel_for_subject("action", str(action.id), [NUDGE], "replanned", now)
        if (
            action.owner_id is None
            or action.due_on is None
            or action.status
            not in (
                ActionStatus.OPEN,
                ActionStatus.BLOCKED,
            )
        ):
            return
        zone = (await self._settings.get(session, action.board_id)).timezone
        generation = secrets.token_hex(4)  # each plan's own keys (see below)
        escalate_to = await self._escalate_to(session, action)
        nudges = []
        for nudge, number, day, who in action_nudges(action.due_on):
            due = datetime.combine(day, MORNING, tzinfo=zone)
            if due <= now:
                continue  # already past (a late due date, a re-plan): not sent retroactively
            # "due in two days" is of no use once "due today" comes; "due today" after the day
            useful = {
                "action_due_soon": datetime.combine(action.due_on, MORNING, tzinfo=zone),
                "action_due_today": datetime.combine(
                    action.due_on + timedelta(days=1), time(0), tzinfo=zone
                ),
            }.get(nudge)
            for recipient in [action.owner_id] if who == "owner" else escalate_to:
                nudges.append(
                    Planned(
                        recipient=recipient,
                        due=due,
                        useful_until=useful,
                        early=nudge != "action_due_today",
                        # each plan has its own keys: a re-plan must not collide with the
                        # rows it just cancelled
                        key=f"nudge:{nudge}:{action.id}:{number}:{generation}:{recipient}",
                        payload={
                            "nudge": nudge,
                            "action_id": action.id,
                            "due_on": action.due_on.isoformat(),
                            "number": number,
                        },
                        subject=("action", action.id),
                    )
                )
        await self.queue(session, action.board_id, nudges)

    async def _escalate_to(self, session: Session, action: ActionRecord) -> list[int]:
        """Who hears that an action is a week overdue: the coordinators and deputies, never its
        owner (a deputy's own action goes to the others); with no one else, the case's lead."""
        others = [
            user_id
            for user_id in await session.boards.member_ids(action.board_id, COORDINATING)
            if user_id != action.owner_id
        ]
        if others:
            return others
        leads = [u for u, role in await session.cases.team(action.case_id) if role == TeamRole.LEAD]
        return [u for u in leads if u != action.owner_id]

    # the daily sweep ----------------------------------------------------------------------------
    async def sweep(self) -> datetime:
        """Stalled cases and the weekly digests; returns when the next sweep is due.

        Tomorrow's sweep is queued first, in its own transaction, and each board is swept in its
        own: one board's failure neither stops the daily sweep nor undoes the others'."""
        now = self._clock.now()
        upcoming = datetime.combine(now.date() + timedelta(days=1), SWEEP_AT, tzinfo=UTC)
        async with self._db.transaction() as session:
            await self.ensure_sweep(session, upcoming)
            boards = await session.boards.active()
        for board in boards:
            try:
                async with self._db.transaction() as session:
                    await self._sweep_board(session, board, now)
            except Exception as exc:  # the next board, and tomorrow, still get swept
                log.error("sweep of board %d failed: %s", board.id, type(exc).__name__)
        return upcoming

    async def _sweep_board(self, session: Session, board: BoardRecord, now: datetime) -> None:
        settings = await self._settings.get(session, board.id)
        await self._stalled(session, board.id, settings, now)
        digest_at = next_digest(
            now, settings.digest_weekday, settings.digest_time, settings.timezone
        )
        year, week, _ = digest_at.isocalendar()
        await self._outbox.add(
            session,
            [
                NewOutboxItem(
                    chat_id=board.chat_id,
                    thread_id=board.thread_id,
                    board_id=board.id,
                    kind=DIGEST,
                    payload={
                        "board_id": board.id,
                        "weekday": settings.digest_weekday,
                        "time": settings.digest_time.strftime("%H:%M"),
                    },
                    due_at=digest_at,
                    # one a week; a changed day or time is a new row, the old one says nothing
                    dedupe_key=(
                        f"digest:{board.id}:{year}-{week}:{settings.digest_weekday}"
                        f":{settings.digest_time:%H%M}"
                    ),
                )
            ],
            now,
        )

    async def ensure_sweep(self, session: Session, at: datetime) -> None:
        """One sweep row per day; adding it twice is harmless."""
        await self._outbox.add(
            session,
            [task_row(SWEEP, {}, at, f"sweep:{at.date().isoformat()}")],
            self._clock.now(),
        )

    async def start(self) -> None:
        """On start: make sure a sweep is queued (it runs at once if its time has come), even if
        an earlier one gave up."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            if not await session.outbox.has_pending(SWEEP):
                await self._outbox.add(
                    session,
                    [task_row(SWEEP, {}, now, f"sweep:start:{secrets.token_hex(4)}")],
                    now,
                )

    async def _stalled(
        self, session: Session, board_id: int, settings: BoardSettings, now: datetime
    ) -> None:
        """No activity for the board's N days: the keyworker (or lead) first, the coordinators
        three days later if still nothing moved."""
        quiet_since = now - timedelta(days=settings.stall_days)
        coordinators = await session.boards.member_ids(board_id, COORDINATING)
        nudges = []
        for case in await session.cases.for_board(board_id, OPEN_STATUSES):
            if case.last_activity_at > quiet_since:
                continue
            team = await session.cases.team(case.id)
            first = [u for u, role in team if role == TeamRole.KEYWORKER] or [
                u for u, role in team if role == TeamRole.LEAD
            ]
            first = [
                u
                for u in first
                if role_of(await session.boards.membership(board_id, u)) in BOARD_MEMBERS
            ]
            stamp = int(case.last_activity_at.timestamp())
            payload = {"nudge": "case_stalled", "case_id": case.id, "since": stamp}
            reached = now
            for recipient in first:
                rules = quiet_rules(settings, await session.prefs.get(recipient))
                reached = max(reached, plan(now, rules, now) or now)
                nudges.append(
                    Planned(
                        recipient,
                        now,
                        f"stall:{case.id}:{stamp}:{recipient}",
                        payload,
                        subject=("case", case.id),
                    )
                )
            for recipient in coordinators:  # three days after the keyworker actually heard
                nudges.append(
                    Planned(
                        recipient,
                        reached + STALL_ESCALATE_AFTER,
                        f"stall:{case.id}:{stamp}:coord:{recipient}",
                        {**payload, "nudge": "case_stalled_coord"},
                        subject=("case", case.id),
                    )
                )
        await self.queue(session, board_id, nudges)

    # a person's preferences ---------------------------------------------------------------------
    async def prefs(self, user_id: int) -> PrefsRecord:
        async with self._db.read() as session:
            return await session.prefs.get(user_id)

    async def set_pref(self, user_id: int, field: str, raw: str) -> PrefRefusal | None:
        """Quiet-hour times are validated as board settings are; mutes toggle one group."""
        now = self._clock.now()
        async with self._db.transaction() as session:
            prefs = await session.prefs.get(user_id)
            value: str | int | None
            if field in ("quiet_start", "quiet_end"):
                parse_setting(f"quiet_hours_{field.split('_')[1]}", raw)
                value = raw
            elif field == "quiet_weekends":
                value = int(raw == "true")
            elif field == "muted" and raw in MUTE_GROUPS:
                muted = set(prefs.muted) ^ {raw}
                value = ",".join(sorted(muted))
            else:
                return PrefRefusal.NO_SUCH_CHOICE
            await session.prefs.put(user_id, field, value, now)
            await audit(session, now, user_id, f"prefs.{field}", None, ("user", user_id), user_id)
        return None

    async def snooze(self, user_id: int, row: NudgeRow, choice: str) -> datetime | None:
        """Only the nudge's own person may snooze it, once: it comes back at ``choice`` (at a
        decent hour). An owner's snooze holds back the action's other reminders too; None when
        the item changed since the nudge (nothing is done then)."""
        now = self._clock.now()
        if row.recipient != user_id or row.board_id is None:
            return None
        async with self._db.transaction() as session:
            earlier = await session.outbox.by_dedupe_key(f"snz:{row.id}")
            if earlier is not None:  # snoozed already (a double press): once is enough
                return earlier.send_after
            rules = await self.rules_for(session, user_id, row.board_id)
            until = snooze_until(choice, now, rules)
            if until is None:
                return None
            action_id = row.payload.get("action_id")
            if action_id is not None:
                action = await session.actions.get(int(action_id))
                if (
                    action is None
                    or action.status not in ACTIVE_ACTION
                    or action.due_on is None
                    or action.due_on.isoformat() != row.payload.get("due_on")
                ):
                    return None
                if action.owner_id == user_id and action.status == ActionStatus.OPEN:
                    await session.actions.snooze(action.id, until, now)
                    await session.cases.add_event(
                        action.case_id, now, user_id, "action_snoozed", {"action": action.id}
                    )
                    # the snoozed copy stands for the reminders it holds back
                    await session.outbox.cancel_for_recipient_before(
                        "action", str(action.id), user_id, until, now
                    )
                subject = ("action", action.id)
            else:
                case = await session.cases.get(int(row.payload.get("case_id", 0)))
                if case is None or int(case.last_activity_at.timestamp()) != row.payload.get(
                    "since"
                ):
                    return None
                subject = ("case", case.id)
            await self.queue(
                session,
                row.board_id,
                [
                    Planned(
                        user_id,
                        until,
                        f"snz:{row.id}",
                        {**row.payload, "snoozed": 1},  # asked for: never coalesced away
                        subject=subject,
                    )
                ],
            )
            await audit(
                session,
                now,
                user_id,
                "nudge.snoozed",
                row.board_id,
                (subject[0], subject[1]),
                user_id,
            )
        return until

    async def unreachable(self, board_id: int) -> list[tuple[int, int]]:
        async with self._db.read() as session:
            return await session.outbox.unreachable(board_id)


@dataclass(frozen=True, slots=True)
class NudgeRow:
    """A sent nudge as its buttons see it: whose it is and what it is about."""

    id: int
    recipient: int | None
    board_id: int | None
    payload: dict[str, Any]

    @property
    def action_id(self) -> int | None:
        """The action it is about, if it is about one (else it is about a case)."""
        raw = self.payload.get("action_id")
        return None if raw is None else int(raw)

    @property
    def case_id(self) -> int:
        return int(self.payload.get("case_id", 0))
