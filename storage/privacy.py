"""What data protection needs from storage: the audit purge, erasure, and the bot's messages that
carry case details."""

from __future__ import annotations

import json
from datetime import datetime

from storage.connection import Connection
from storage.models import AuditRecord
from storage.rows import Forgetting
from storage.timeconv import from_ts, to_ts


class PrivacyRepository:
    def __init__(self, conn: Connection, forgetting: Forgetting) -> None:
        self._conn = conn
        self._forgetting = forgetting

    async def audit_of_case(self, case_id: int, since: datetime, limit: int) -> list[AuditRecord]:
        """The case's trail with its proposals', actions' and concerns' (newest first), from
        the case's creation: an id an erased proposal once had must not bring its rows along."""
        subjects = await self.children(case_id)
        clause = " OR ".join("(subject_type = ? AND subject_id = ?)" for _ in subjects)
        params: list[object] = [value for pair in subjects for value in pair]
        clause = f"({clause}) AND at >= {to_ts(since)}"
        return [
            AuditRecord(row[0], from_ts(row[1]), row[2], row[3], row[4], row[5], row[6], row[7])
            for row in await self._conn.execute_fetchall(
                "SELECT id, at, actor_id, action, board_id, subject_type, subject_id, chat_id"
                f" FROM audit_log WHERE {clause} ORDER BY id DESC LIMIT ?",
                (*params, limit),
            )
        ]

    async def purge_audit(self, board_id: int, older_than: datetime) -> int:
        """Expired rows of one board: the trigger lets the delete through only with the marker."""
        await self._conn.execute("INSERT INTO audit_purge (id) VALUES (1)")
        cur = await self._conn.execute(
            "DELETE FROM audit_log WHERE board_id = ? AND at < ?", (board_id, to_ts(older_than))
        )
        await self._conn.execute("DELETE FROM audit_purge")
        return cur.rowcount

    async def _forget_dialogs(self, marks: set[tuple[str, str]]) -> None:
        """Every open dialogue whose draft names one of ``marks`` (``("case_id", "12")``): read
        in Python, since the two databases spell JSON paths differently (erasure is rare)."""
        doomed = [
            (row[0],)
            for row in await self._conn.execute_fetchall("SELECT user_id, draft FROM dialogs")
            if any(
                str(value) == wanted
                for key, value in json.loads(row[1] or "{}").items()
                for mark, wanted in marks
                if key == mark
            )
        ]
        if doomed:
            await self._conn.executemany("DELETE FROM dialogs WHERE user_id = ?", doomed)

    async def children(self, case_id: int) -> list[tuple[str, str]]:
        """The case and what hangs from it, as (subject type, id) pairs of the outbox and audit."""
        subjects = [("case", str(case_id))]
        for table, kind in (
            ("proposals", "proposal"),
            ("actions", "action"),
            ("escalations", "escalation"),
        ):
            subjects += [
                (kind, str(row[0]))
                for row in await self._conn.execute_fetchall(
                    f"SELECT id FROM {table} WHERE case_id = ?", (case_id,)
                )
            ]
        return subjects

    async def erase_case(self, case_id: int, subjects: list[tuple[str, str]] | None = None) -> None:
        """Everything attached to the case (team, timeline, notes, moves, proposals and votes,
        actions, concerns and their replies, agenda places, written updates and minutes, what
        the board learned from it and its links to related cases), its
        outbox rows and any draft naming it or its
        parts. The case row stays as a blank tombstone ("erased", its code replaced) so that its
        id is never given to a new case, whose audit trail would then look like the old one's."""
        self._forgetting.mark()
        subjects = subjects or await self.children(case_id)
        await self._conn.executemany(
            "DELETE FROM outbox WHERE subject_type = ? AND subject_id = ?", subjects
        )
        await self._forget_dialogs(
            {(f"{kind}_id", str(subject_id)) for kind, subject_id in subjects}
            | {("edit", str(case_id))}
        )
        for table in (
            "case_team",
            "case_events",
            "case_notes",
            "case_transfers",
            "proposals",
            "actions",
            "escalations",
            "agenda_items",
            "agenda_updates",
            "minutes",
            "detail_messages",
        ):
            await self._conn.execute(f"DELETE FROM {table} WHERE case_id = ?", (case_id,))
        await self._conn.execute(
            "DELETE FROM case_links WHERE case_id = ? OR other_id = ?", (case_id, case_id)
        )
        await self._conn.execute(
            "UPDATE cases SET code = 'erased-' || id, label = '', criteria = '', factors = '',"
            " other_sectors = '', summary = '', strengths = '', needs = '', child_view = '',"
            " child_view_on = NULL, interventions = '', status = 'erased' WHERE id = ?",
            (case_id,),
        )

    async def messages_of(self, case_id: int) -> list[tuple[int, int]]:
        return [
            (row[0], row[1])
            for row in await self._conn.execute_fetchall(
                "SELECT chat_id, message_id FROM detail_messages WHERE case_id = ?", (case_id,)
            )
        ]

    async def group_messages_of(
        self, case_id: int, subjects: list[tuple[str, str]]
    ) -> list[tuple[int, int]]:
        """What the bot posted about the case or its parts (``subjects``: see ``children``)."""
        found: list[tuple[int, int]] = []
        for kind, subject_id in subjects:
            found += [
                (row[0], row[1])
                for row in await self._conn.execute_fetchall(
                    "SELECT chat_id, message_id FROM outbox WHERE subject_type = ?"
                    " AND subject_id = ? AND state = 'sent' AND message_id IS NOT NULL",
                    (kind, subject_id),
                )
            ]
        found += [
            (row[0], row[1])
            for row in await self._conn.execute_fetchall(
                "SELECT b.chat_id, p.message_id FROM proposals p JOIN boards b"
                " ON b.id = p.board_id WHERE p.case_id = ? AND p.message_id IS NOT NULL",
                (case_id,),
            )
        ]
        return found

    async def remember_message(
        self, chat_id: int, message_id: int, case_id: int | None, delete_after: datetime
    ) -> None:
        await self._conn.write(
            "INSERT INTO detail_messages (chat_id, message_id, case_id, delete_after)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (chat_id, message_id) DO UPDATE SET"
            " delete_after = CASE WHEN detail_messages.delete_after < excluded.delete_after"
            " THEN detail_messages.delete_after ELSE excluded.delete_after END",
            (chat_id, message_id, case_id, to_ts(delete_after)),
        )

    async def remember_pointer(
        self, chat_id: int, message_id: int, user_id: int, delete_after: datetime
    ) -> None:
        await self._conn.write(
            "INSERT INTO detail_messages (chat_id, message_id, for_user, delete_after)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (chat_id, message_id) DO NOTHING",
            (chat_id, message_id, user_id, to_ts(delete_after)),
        )

    async def pointers_now(self, user_id: int, now: datetime) -> None:
        """This person's group pointers are due for deletion now."""
        await self._conn.execute(
            "UPDATE detail_messages SET delete_after = ? WHERE for_user = ? AND delete_after > ?",
            (to_ts(now), user_id, to_ts(now)),
        )

    async def due_messages(self, now: datetime, limit: int) -> list[tuple[int, int]]:
        return [
            (row[0], row[1])
            for row in await self._conn.execute_fetchall(
                "SELECT chat_id, message_id FROM detail_messages WHERE delete_after <= ?"
                " ORDER BY delete_after LIMIT ?",
                (to_ts(now), limit),
            )
        ]

    async def postpone_messages(self, messages: list[tuple[int, int]], until: datetime) -> None:
        await self._conn.executemany(
            "UPDATE detail_messages SET delete_after = ? WHERE chat_id = ? AND message_id = ?",
            [(to_ts(until), chat_id, message_id) for chat_id, message_id in messages],
        )

    async def forget_messages(self, messages: list[tuple[int, int]]) -> None:
        await self._conn.executemany(
            "DELETE FROM detail_messages WHERE chat_id = ? AND message_id = ?", messages
        )

    async def expired_cases(self, board_id: int, closed_before: datetime) -> list[int]:
        """Closed (or declined) cases with no activity since ``closed_before``."""
        return [
            row[0]
            for row in await self._conn.execute_fetchall(
                "SELECT id FROM cases WHERE board_id = ? AND status IN ('closed', 'declined')"
                " AND last_activity_at < ?",
                (board_id, to_ts(closed_before)),
            )
        ]

    async def clean_outbox(self, older_than: datetime) -> int:
        """Finished rows past their use (sent, dropped, cancelled, undeliverable) are removed."""
        cur = await self._conn.execute(
            "DELETE FROM outbox WHERE state IN ('sent', 'dropped', 'cancelled', 'undeliverable')"
            " AND updated_at < ?",
            (to_ts(older_than),),
        )
        return cur.rowcount

    async def expired_boards(self, archived_before: datetime) -> list[int]:
        return [
            row[0]
            for row in await self._conn.execute_fetchall(
                "SELECT id FROM boards WHERE status = 'archived' AND archived_at < ?",
                (to_ts(archived_before),),
            )
        ]

    async def transfers_of(self, case_id: int) -> list[tuple[str, str, str, str]]:
        return [
            (row[0], row[1], row[2], row[3])
            for row in await self._conn.execute_fetchall(
                "SELECT moved_on, from_service, to_service, reason FROM case_transfers"
                " WHERE case_id = ? ORDER BY moved_on, id",
                (case_id,),
            )
        ]

    async def erase_board(self, board_id: int) -> None:
        """An archived board past retention: its cases (each erased as above), then the board
        with its members, settings and outbox rows (the schema cascades)."""
        for row in await self._conn.execute_fetchall(
            "SELECT id FROM cases WHERE board_id = ?", (board_id,)
        ):
            await self.erase_case(int(row[0]))
        await self._conn.execute("DELETE FROM boards WHERE id = ?", (board_id,))
