"""Who is acting, in which chat, in which role and language: resolved once per update."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.kernel.audit import audit
from bot.kernel.i18n import normalize_language
from bot.kernel.policy import ChatKind, Role, highest
from bot.kernel.service import Service
from storage.models import BoardRecord, BoardStatus, MembershipStatus


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int
    language: str
    chat_id: int
    chat_kind: ChatKind
    role: Role
    board: BoardRecord | None
    """The board of this group chat; ``None`` in private chats and unregistered groups."""
    language_chosen: bool
    waiting_approval: bool = False
    """A request to join is waiting for a coordinator (and no board membership is active yet)."""


def pick_language(chosen: str | None, telegram: str | None, board: str | None, default: str) -> str:
    """The person's own choice, then their Telegram language, then the board's, then ours."""
    return chosen or normalize_language(telegram) or board or default


class PeopleService(Service):
    async def resolve(
        self, user_id: int, telegram_language: str | None, chat_id: int, chat_kind: ChatKind
    ) -> Actor:
        """Two reads; in a private chat also remembers that the bot may now write first."""
        board: BoardRecord | None = None
        board_language: str | None = None
        async with self._db.read() as session:
            user = await session.users.get(user_id)
            if chat_kind is ChatKind.GROUP:
                board, membership = await session.boards.in_chat(chat_id, user_id)
                if board is not None and board.status != BoardStatus.ACTIVE:
                    board, membership = None, None
                role = (
                    Role(membership.role)
                    if membership is not None and membership.status == MembershipStatus.ACTIVE
                    else Role.NON_MEMBER
                )
                waiting = membership is not None and membership.status == MembershipStatus.PENDING
                own_language = (user is not None and user.language) or normalize_language(
                    telegram_language
                )
                if board is not None and not own_language:  # only then is the board's needed
                    board_language = (await self._settings.get(session, board.id)).language
            else:
                memberships = await session.boards.memberships_of(user_id)
                role = highest([Role(m.role) for m in memberships])
                waiting = not memberships and await session.boards.has_pending_join(user_id)
        known_language = normalize_language(telegram_language)
        opened = chat_kind is ChatKind.PRIVATE
        if (
            user is None
            or (opened and not user.private_chat_open)
            or (known_language is not None and user.telegram_language != known_language)
        ):  # rare: a first contact, a first private message, or a changed app language
            async with self._db.transaction() as session:
                now = self._clock.now()
                await session.users.remember(user_id, known_language, opened, now)
                if user is not None and opened and not user.private_chat_open:
                    # back after blocking the bot (or a first /start): what could not reach
                    # them is retried by the outbox's next sweep
                    await session.outbox.retry_undeliverable(user_id, now)
        chosen = None if user is None else user.language
        return Actor(
            user_id=user_id,
            language=pick_language(
                chosen, telegram_language, board_language, self._settings.defaults["language"]
            ),
            chat_id=chat_id,
            chat_kind=chat_kind,
            role=role,
            board=board,
            waiting_approval=waiting,
            language_chosen=chosen is not None,
        )

    async def language_of(self, user_id: int) -> str:
        """For messages not in answer to the person: their choice, their app's, or ours."""
        async with self._db.read() as session:
            user = await session.users.get(user_id)
        default = self._settings.defaults["language"]
        if user is None:
            return default
        return pick_language(user.language, user.telegram_language, None, default)

    async def set_language(self, actor: Actor, language: str) -> None:
        now = self._clock.now()
        async with self._db.transaction() as session:
            await session.users.set_language(actor.user_id, language, now)
            await audit(
                session,
                now,
                actor.user_id,
                "user.language_changed",
                None,
                ("user", actor.user_id),
                actor.chat_id,
            )

    async def private_chat_closed(self, user_id: int, now: datetime) -> None:
        """The person blocked the bot: it can no longer write to them first."""
        async with self._db.transaction() as session:
            await session.users.mark_private_chat_closed(user_id, now)
