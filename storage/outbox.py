"""The outbox: every message the bot sends later, with its state machine in SQL.

pending → sending → sent, or → pending again (retry), → undeliverable, → dropped (past its
useful_until), → cancelled. A row left in ``sending`` by a crash goes back to ``pending`` on start,
unless the instance that claimed it is still alive (``claimed_by``, :mod:`storage.leadership`).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import datetime

from storage.connection import Connection
from storage.models import NewOutboxItem, OutboxItem
from storage.rows import Reader
from storage.timeconv import from_ts, to_ts

CANDIDATES_PER_ROW = 4
"""How far down the due index a capped claim looks for other chats' rows."""

_item = Reader(OutboxItem)
_COLUMNS = _item.columns


_INSERT = (
    "INSERT INTO outbox (board_id, chat_id, thread_id, recipient_id, kind, subject_type,"
    " subject_id, payload, due_at, useful_until, send_after, dedupe_key, created_at,"
    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _values(item: NewOutboxItem, now: datetime) -> tuple[object, ...]:
    ts = to_ts(now)
    return (
        item.board_id,
        item.chat_id,
        item.thread_id,
        item.recipient_id,
        item.kind,
        item.subject_type,
        item.subject_id,
        json.dumps(item.payload, ensure_ascii=False),
        to_ts(item.due_at),
        None if item.useful_until is None else to_ts(item.useful_until),
        to_ts(item.due_at),
        item.dedupe_key,
        ts,
        ts,
    )


class OutboxRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def enqueue(self, items: Sequence[NewOutboxItem], now: datetime) -> None:
        """Add rows in one statement; a row whose dedupe key exists already is skipped."""
        await self._conn.write_many(
            f"{_INSERT} ON CONFLICT (dedupe_key) DO NOTHING", [_values(item, now) for item in items]
        )

    async def join_pending(self, item: NewOutboxItem, now: datetime) -> bool:
        """Add ``item``, or find the row with its dedupe key still ``pending`` (the change joins
        it): True. False when that row has left ``pending`` (it is being sent, or was sent or
        cancelled): the caller takes another key. One statement either way."""
        rows = await self._conn.execute_fetchall(
            f"{_INSERT} ON CONFLICT (dedupe_key) DO UPDATE SET dedupe_key = excluded.dedupe_key"
            " WHERE outbox.state = 'pending' RETURNING id",
            _values(item, now),
        )
        return bool(list(rows))

    async def drop_expired(self, now: datetime) -> int:
        """Rows due but already past their useful_until are dropped, with the reason kept (a
        point read first: there rarely are any, and then nothing is written)."""
        ts = to_ts(now)
        if not await self._conn.point(
            "SELECT 1 FROM outbox WHERE state = 'pending' AND send_after <= ?"
            " AND useful_until IS NOT NULL AND useful_until < ? LIMIT 1",
            (ts, ts),
        ):
            return 0
        cur = await self._conn.execute(
            "UPDATE outbox SET state = 'dropped', reason = 'expired', updated_at = ?"
            " WHERE state = 'pending' AND send_after <= ?"
            " AND useful_until IS NOT NULL AND useful_until < ?",
            (ts, ts, ts),
        )
        return cur.rowcount

    async def any_due(self, now: datetime) -> bool:
        """Whether any row waits to be sent now (the first entry of the due index)."""
        rows = await self._conn.point(
            "SELECT 1 FROM outbox WHERE state = 'pending' AND send_after <= ? LIMIT 1",
            (to_ts(now),),
        )
        return bool(rows)

    async def claim_due(
        self,
        now: datetime,
        limit: int,
        *,
        per_chat: int | None = None,
        skip_chats: Collection[int] = (),
        by: int = 0,
    ) -> list[OutboxItem]:
        """Mark up to ``limit`` due rows ``sending``, oldest first, and return them in order;
        the last statement of its transaction (the commit goes with it).

        ``per_chat`` caps one chat's share, so that one busy group (20 a minute) does not fill
        the batch while people wait; ``skip_chats`` are chats still being sent to (their next
        rows wait for their turn, which keeps one chat's messages in order). The candidates are
        a bounded slice of the due index, so the cost does not grow with the backlog.

        ``by`` is the claiming instance: only it may record the rows' fate. On PostgreSQL the
        candidates are locked as they are read (``FOR UPDATE SKIP LOCKED``): rows another
        transaction holds are passed over, and a row changed meanwhile is checked again against
        ``state = 'pending'`` once locked, so no two claims take one row.
        """
        ts = to_ts(now)
        skip = sorted(set(skip_chats))
        not_busy = f" AND chat_id NOT IN ({', '.join('?' * len(skip))})" if skip else ""
        pool = limit * CANDIDATES_PER_ROW if per_chat is not None else limit
        rows = list(
            await self._conn.finish_with(  # claimed once committed: the commit goes with it
                "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?,"
                " claimed_by = ? WHERE id IN (SELECT id FROM ("
                " SELECT id, send_after,"
                " ROW_NUMBER() OVER (PARTITION BY chat_id ORDER BY send_after, id) AS turn"
                " FROM (SELECT id, chat_id, send_after FROM outbox"
                f" WHERE state = 'pending' AND send_after <= ?{not_busy}"
                f" ORDER BY send_after, id LIMIT ?{self._conn.skip_locked}) AS candidates"
                " ) AS due WHERE turn <= ? ORDER BY send_after, id LIMIT ?)"
                f" RETURNING {_COLUMNS}",
                (ts, by, ts, *skip, pool, per_chat if per_chat is not None else limit, limit),
            )
        )
        return sorted((_item(row) for row in rows), key=lambda item: (item.send_after, item.id))

    async def mark_sent(
        self, item_id: int, message_id: int | None, now: datetime, *, by: int = 0
    ) -> None:
        """Sent, if the row is still this instance's to record (see :meth:`claim_due`)."""
        await self._conn.write(
            "UPDATE outbox SET state = 'sent', message_id = ?, reason = NULL, updated_at = ?"
            " WHERE id = ? AND state = 'sending' AND claimed_by = ?",
            (message_id, to_ts(now), item_id, by),
        )

    async def mark_retry(
        self,
        item_id: int,
        send_after: datetime,
        reason: str,
        now: datetime,
        *,
        count_attempt: bool = True,
        by: int = 0,
    ) -> None:
        """Back to ``pending``; a flood wait or a moved chat is not the row's failure."""
        await self._conn.write(
            "UPDATE outbox SET state = 'pending', send_after = ?, reason = ?, updated_at = ?,"
            " attempts = attempts - ? WHERE id = ? AND state = 'sending' AND claimed_by = ?",
            (to_ts(send_after), reason, to_ts(now), 0 if count_attempt else 1, item_id, by),
        )

    async def mark_final(
        self, item_id: int, state: str, reason: str, now: datetime, *, by: int = 0
    ) -> None:
        """End a row being sent in ``undeliverable`` or ``dropped``, keeping why."""
        if state not in {"undeliverable", "dropped"}:
            raise ValueError(f"not a final failure state: {state}")
        await self._conn.write(
            "UPDATE outbox SET state = ?, reason = ?, updated_at = ?"
            " WHERE id = ? AND state = 'sending' AND claimed_by = ?",
            (state, reason, to_ts(now), item_id, by),
        )

    async def recover_stale(self, now: datetime, older_than: datetime) -> int:
        """Rows stuck in ``sending`` (their result could not be recorded) go out again."""
        cur = await self._conn.execute(
            "UPDATE outbox SET state = 'pending', reason = 'recovered', updated_at = ?"
            " WHERE state = 'sending' AND updated_at < ?",
            (to_ts(now), to_ts(older_than)),
        )
        return cur.rowcount

    async def recover_in_flight(self, now: datetime, live: Collection[int]) -> int:
        """After a crash or a takeover: what an instance no longer ``live`` was sending is
        sent once more; a live instance's rows are its own to finish."""
        keep = sorted(set(live))
        marks = ", ".join("?" * len(keep))
        gone = f" AND (claimed_by IS NULL OR claimed_by NOT IN ({marks}))" if keep else ""
        cur = await self._conn.execute(
            "UPDATE outbox SET state = 'pending', reason = 'recovered', updated_at = ?"
            f" WHERE state = 'sending'{gone}",
            (to_ts(now), *keep),
        )
        return cur.rowcount

    async def next_send_after(self) -> datetime | None:
        row = await self._conn.point_one(
            "SELECT MIN(send_after) FROM outbox WHERE state = 'pending'"
        )
        return None if row is None or row[0] is None else from_ts(row[0])

    async def move_chat(self, old_chat_id: int, new_chat_id: int, now: datetime) -> int:
        """A group became a supergroup: pending rows follow it."""
        cur = await self._conn.execute(
            "UPDATE outbox SET chat_id = ?, updated_at = ?"
            " WHERE chat_id = ? AND state IN ('pending', 'sending')",
            (new_chat_id, to_ts(now), old_chat_id),
        )
        return cur.rowcount

    async def get(self, item_id: int) -> OutboxItem | None:
        row = await self._conn.point_one(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", (item_id,))
        return None if row is None else _item(row)

    async def by_dedupe_key(self, key: str) -> OutboxItem | None:
        row = await self._conn.point_one(
            f"SELECT {_COLUMNS} FROM outbox WHERE dedupe_key = ?", (key,)
        )
        return None if row is None else _item(row)

    async def cancel_for_board(self, board_id: int, reason: str, now: datetime) -> int:
        cur = await self._conn.execute(
            "UPDATE outbox SET state = 'cancelled', reason = ?, updated_at = ?"
            " WHERE board_id = ? AND state = 'pending'",
            (reason, to_ts(now), board_id),
        )
        return cur.rowcount

    async def cancel_for_subject(
        self, subject_type: str, subject_id: str, kinds: Sequence[str], reason: str, now: datetime
    ) -> int:
        """Pending rows about something that ended (a closed vote's deadline and reminder)."""
        marks = ", ".join("?" for _ in kinds)
        cur = await self._conn.execute(
            "UPDATE outbox SET state = 'cancelled', reason = ?, updated_at = ?"
            " WHERE subject_type = ? AND subject_id = ? AND state = 'pending'"
            f" AND kind IN ({marks})",
            (reason, to_ts(now), subject_type, subject_id, *kinds),
        )
        return cur.rowcount

    async def existing_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of these dedupe keys have a row already (sent once means once)."""
        if not keys:
            return set()
        marks = ", ".join("?" for _ in keys)
        rows = await self._conn.execute_fetchall(
            f"SELECT dedupe_key FROM outbox WHERE dedupe_key IN ({marks})", tuple(keys)
        )
        return {row[0] for row in rows}

    async def retry_undeliverable(self, user_id: int, now: datetime) -> int:
        """After someone (re)opens the private chat: what could not reach them goes out now,
        unless it is no longer of use."""
        ts = to_ts(now)
        cur = await self._conn.execute(
            "UPDATE outbox SET state = 'pending', send_after = ?, attempts = 0,"
            " reason = 'chat_reopened', updated_at = ?"
            " WHERE recipient_id = ? AND chat_id = ? AND state = 'undeliverable'"
            " AND reason = 'forbidden' AND (useful_until IS NULL OR useful_until > ?)",
            (ts, ts, user_id, user_id, ts),
        )
        return cur.rowcount

    async def unreachable(self, board_id: int) -> list[tuple[int, int]]:
        """People of a board whom private messages could not reach (they blocked the bot or never
        started it), with how many messages wait for them."""
        return [
            (row[0], row[1])
            for row in await self._conn.execute_fetchall(
                "SELECT o.recipient_id, COUNT(*) FROM outbox o"
                " JOIN users u ON u.id = o.recipient_id"
                " WHERE o.board_id = ? AND o.state = 'undeliverable' AND o.reason = 'forbidden'"
                " AND u.private_chat_open = 0 GROUP BY o.recipient_id ORDER BY o.recipient_id",
                (board_id,),
            )
        ]

    async def has_pending(self, kind: str) -> bool:
        row = await self._conn.fetch_one(
            "SELECT 1 FROM outbox WHERE kind = ? AND state IN ('pending', 'sending') LIMIT 1",
            (kind,),
        )
        return row is not None

    async def cancel_for_recipient_before(
        self, subject_type: str, subject_id: str, recipient_id: int, before: datetime, now: datetime
    ) -> int:
        """A snooze: this person's other pending rows about the subject, due by its end."""
        cur = await self._conn.execute(
            "UPDATE outbox SET state = 'cancelled', reason = 'snoozed', updated_at = ?"
            " WHERE subject_type = ? AND subject_id = ? AND recipient_id = ?"
            " AND state = 'pending' AND send_after <= ?",
            (to_ts(now), subject_type, subject_id, recipient_id, to_ts(before)),
        )
        return cur.rowcount

    async def said_or_saying(self, item: OutboxItem, now: datetime, since: datetime) -> bool:
        """Whether a later row of the same kind, subject and recipient is due too, or one was
        sent since ``since``: what coalescing piled-up reminders needs, in one read."""
        row = await self._conn.fetch_one(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE kind = ? AND recipient_id = ?"
            " AND subject_type = ? AND subject_id = ? AND id <> ? AND ("
            "(state IN ('pending', 'sending') AND due_at <= ?"
            " AND (due_at > ? OR (due_at = ? AND id > ?)))"
            " OR (state = 'sent' AND updated_at >= ?)))",
            (
                item.kind,
                item.recipient_id,
                item.subject_type,
                item.subject_id,
                item.id,
                to_ts(now),
                to_ts(item.due_at),
                to_ts(item.due_at),
                item.id,
                to_ts(since),
            ),
        )
        return row is not None and bool(row[0])
