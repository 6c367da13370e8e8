"""Meetings once set up: the poll and RSVP buttons in the group, /meetings and a meeting's
private card, and the coordinator's controls: pick the time, move, cancel, end a series."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from telegram import Update

from bot.kernel.buttons import YesNo
from bot.kernel.dialogs import nonce_of
from bot.kernel.i18n import weekday_moment
from bot.kernel.people import Actor
from bot.kernel.policy import BOARD_MEMBERS, COORDINATORS, ChatKind
from bot.kernel.ui import Button, Keyboard, Reply
from bot.kernel.when import Understood, parse_meeting_time, slot_key
from bot.meetings.buttons import (
    CancelMeeting,
    EndSeries,
    MeetingCard,
    MoveMeeting,
    MoveTo,
    PickSlot,
    Rsvp,
    SlotAnswer,
)
from bot.meetings.cards import (
    RSVP_OF_CODE,
    SLOT_OF_CODE,
    pick_screen,
    private_card,
    understood_text,
)
from bot.meetings.policy import MeetingAction
from bot.meetings.refusals import AnswerRefusal
from bot.meetings.rules import confirmed_start
from handlers import tg
from handlers.base import Context, Refused
from handlers.dialogs import Answer
from handlers.module import HandlerModule, on_command, on_press, on_step
from handlers.services import (
    HasAgenda,
    HasClock,
    HasDialogs,
    HasMeetings,
    HasSeries,
    HasSettings,
    HasWords,
)
from storage.models import MeetingStatus, SeriesStatus

MOVE_KIND = "meetmove"


async def confirmed_time(
    core: HasSettings, draft: dict[str, Any], value: str, board_id: int
) -> datetime | None:
    """The time a "yes" under an echoed time confirms, in the board's zone (setting a meeting
    up and moving one both ask it)."""
    zone = (await core.settings.of(board_id)).timezone
    return confirmed_start(draft.get("pending"), value, zone)


class Services(
    HasClock, HasWords, HasSettings, HasDialogs, HasMeetings, HasSeries, HasAgenda, Protocol
):
    """What :class:`MeetingControls` uses of the core."""


class MeetingControls(HandlerModule[Services]):
    @on_press(EndSeries, MeetingAction.MANAGE_MEETING)
    async def end_series_pressed(
        self, update: Update, context: Context, actor: Actor, press: EndSeries
    ) -> None:
        """A coordinator ends a series from one occurrence's card (with a confirmation)."""
        query = tg.pressed(update)
        lang = actor.language
        series = await self.core.series.get(press.series_id)
        if series is None or series.status != SeriesStatus.ACTIVE:
            raise Refused("meeting.answers_closed")
        if not await self._coordinates(series.board_id, actor):
            raise Refused("deny.role")
        meeting_id = press.meeting_id  # the card it was pressed on, to go back to
        if press.confirmed is not YesNo.YES:
            await tg.answer(query)
            confirm = (
                Button(
                    self.t(lang, "button.end_series_yes"),
                    EndSeries(series.id, meeting_id, YesNo.YES).pack(),
                ),
                Button(self.t(lang, "button.back"), MeetingCard(meeting_id).pack()),
            )
            await tg.edit(query, Reply(self.t(lang, "series.end_confirm"), (confirm,)))
            return
        refusal = await self.core.series.end(actor.user_id, series.id)
        if refusal is not None:
            raise Refused(refusal.message_key)
        await tg.answer(query, self.t(lang, "series.ended_toast"))
        reply = await self._card(actor, meeting_id)
        await tg.edit(query, reply or Reply(self.t(lang, "series.ended_toast")))

    # answers in the group ----------------------------------------------------------------------
    @on_press(SlotAnswer, MeetingAction.MEETING_ANSWER)
    async def slot_pressed(
        self, update: Update, context: Context, actor: Actor, press: SlotAnswer
    ) -> None:
        lang = actor.language
        answer = SLOT_OF_CODE.get(press.code, "")
        refusal = await self.core.meetings.answer_slot(actor.user_id, press.slot_id, answer)
        meeting_id = await self.core.meetings.meeting_of_slot(press.slot_id)
        what = self.t(lang, f"slot_answer.{answer or 'no'}")
        await self._answered(update, actor, refusal, what, meeting_id)

    @on_press(Rsvp, MeetingAction.MEETING_ANSWER)
    async def rsvp_pressed(
        self, update: Update, context: Context, actor: Actor, press: Rsvp
    ) -> None:
        lang = actor.language
        answer = RSVP_OF_CODE.get(press.code, "")
        refusal = await self.core.meetings.rsvp(actor.user_id, press.meeting_id, answer)
        what = self.t(lang, f"rsvp.{answer or 'no'}")
        await self._answered(update, actor, refusal, what, press.meeting_id)

    async def _answered(
        self,
        update: Update,
        actor: Actor,
        refusal: AnswerRefusal | None,
        what: str,
        meeting_id: int | None,
    ) -> None:
        query = update.callback_query
        assert query is not None
        lang = actor.language
        if refusal is None:
            await tg.answer(query, self.t(lang, "meeting.answer_recorded", answer=what))
        elif refusal is AnswerRefusal.SAME_AGAIN:  # a double press: said calmly
            await tg.answer(query, self.t(lang, refusal.message_key, answer=what))
        else:
            await tg.answer(query, self.t(lang, refusal.message_key), alert=True)
        if actor.chat_kind is ChatKind.PRIVATE and refusal is None:
            reply = await self._card(actor, meeting_id)
            if reply is not None:
                await tg.edit(query, reply)

    # /meetings and the private card -------------------------------------------------------------
    @on_command("meetings", MeetingAction.MEETINGS)
    async def meetings(self, update: Update, context: Context, actor: Actor) -> None:
        lang = actor.language
        if actor.chat_kind is ChatKind.GROUP:
            assert actor.board is not None
            upcoming = await self.core.meetings.upcoming_on(actor.board.id)
        else:
            upcoming = await self.core.meetings.upcoming_for(actor.user_id)
        zones = {
            board_id: (await self.core.settings.of(board_id)).timezone
            for board_id in {m.board_id for m in upcoming}
        }
        lines = [self.t(lang, "meetings.title", count=len(upcoming))]
        rows: list[tuple[Button, ...]] = []
        for meeting in upcoming[:20]:
            when = (
                self.t(lang, "meetings.polling")
                if meeting.starts_at is None
                else weekday_moment(meeting.starts_at, lang, zones[meeting.board_id])
            )
            line = self.t(
                lang, "meetings.line", kind=self.t(lang, f"meeting_kind.{meeting.kind}"), when=when
            )
            lines.append(line)
            if actor.chat_kind is ChatKind.PRIVATE:
                rows.append(
                    (
                        Button(
                            f"{when} · {self.t(lang, f'meeting_kind.{meeting.kind}')}",
                            MeetingCard(meeting.id).pack(),
                        ),
                    )
                )
        if not upcoming:
            lines.append(self.t(lang, "meetings.none"))
        await tg.respond(update, Reply("\n".join(lines), tuple(rows)))

    async def _card(self, actor: Actor, meeting_id: int | None) -> Reply | None:
        view = await self.core.meetings.view(meeting_id)
        if view is None:
            return None
        role = await self.core.meetings.role_on(view.board.id, actor.user_id)
        if role not in BOARD_MEMBERS:
            return None
        settings = await self.core.settings.of(view.board.id)
        card = private_card(
            self.core.i18n,
            actor.language,
            view,
            settings.timezone,
            self.core.clock.now(),
            coordinator=role in COORDINATORS,
        )
        agenda = await self.core.agenda.of_meeting(view.meeting.id)
        if not agenda:
            return card
        codes = ", ".join(case.code for case in agenda)
        line = self.t(actor.language, "meeting.agenda_line", codes=codes)
        return Reply(card.text + "\n" + line, card.keyboard)

    @on_press(MeetingCard, MeetingAction.MEETING_CARD)
    async def card_pressed(
        self, update: Update, context: Context, actor: Actor, press: MeetingCard
    ) -> None:
        query = tg.pressed(update)
        reply = await self._card(actor, press.meeting_id)
        if reply is None:
            raise Refused("error.stale_button")
        await tg.answer(query)
        await tg.edit(query, reply)

    # the coordinator's controls ---------------------------------------------------------------
    async def _coordinates(self, board_id: int, actor: Actor) -> bool:
        """Coordinating some board is not enough: it must be this meeting's board."""
        return await self.core.meetings.role_on(board_id, actor.user_id) in COORDINATORS

    @on_press(PickSlot, MeetingAction.MANAGE_MEETING)
    async def pick_pressed(
        self, update: Update, context: Context, actor: Actor, press: PickSlot
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        meeting_id, slot_id = press.meeting_id, press.slot_id
        if slot_id is None:
            view = await self.core.meetings.view(meeting_id)
            if view is None or view.meeting.status != MeetingStatus.POLLING:
                raise Refused("meeting.answers_closed")
            if not await self._coordinates(view.board.id, actor):
                raise Refused("deny.role")
            settings = await self.core.settings.of(view.board.id)
            await tg.answer(query)
            await tg.edit(
                query,
                pick_screen(self.core.i18n, lang, view, settings.timezone, self.core.clock.now()),
            )
            return
        refusal = await self.core.meetings.pick(actor.user_id, meeting_id, slot_id)
        if refusal is not None:
            raise Refused(refusal.message_key)
        await tg.answer(query, self.t(lang, "meeting.picked"))
        reply = await self._card(actor, meeting_id)
        if reply is not None:
            await tg.edit(query, reply)

    @on_press(CancelMeeting, MeetingAction.MANAGE_MEETING)
    async def cancel_pressed(
        self, update: Update, context: Context, actor: Actor, press: CancelMeeting
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        meeting_id = press.meeting_id
        if press.confirmed is not YesNo.YES:
            view = await self.core.meetings.view(meeting_id)
            if view is None or view.meeting.status == MeetingStatus.CANCELLED:
                raise Refused("meeting.answers_closed")
            if not await self._coordinates(view.board.id, actor):
                raise Refused("deny.role")
            await tg.answer(query)
            await tg.edit(
                query,
                Reply(
                    self.t(lang, "meeting.cancel_confirm"),
                    (
                        (
                            Button(
                                self.t(lang, "button.cancel_meeting_yes"),
                                CancelMeeting(view.meeting.id, YesNo.YES).pack(),
                            ),
                            Button(
                                self.t(lang, "button.back"),
                                MeetingCard(view.meeting.id).pack(),
                            ),
                        ),
                    ),
                ),
            )
            return
        refused = await self.core.meetings.cancel(actor.user_id, meeting_id)
        if refused is not None:
            raise Refused(refused.message_key)
        await tg.answer(query, self.t(lang, "meeting.cancelled_toast"))
        reply = await self._card(actor, meeting_id)
        if reply is not None:
            await tg.edit(query, reply)

    @on_press(MoveMeeting, MeetingAction.MANAGE_MEETING)
    async def move_pressed(
        self, update: Update, context: Context, actor: Actor, press: MoveMeeting
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        view = await self.core.meetings.view(press.meeting_id)
        if view is None or view.meeting.status != MeetingStatus.SCHEDULED:
            raise Refused("meeting.answers_closed")
        if not await self._coordinates(view.board.id, actor):
            raise Refused("deny.role")
        aside, _ = await self.dialogs.begin(
            actor, MOVE_KIND, "when", view.board.id, {"meeting_id": view.meeting.id}
        )
        await tg.answer(query)
        await tg.edit(query, Reply(aside + self.t(lang, "meeting.ask.move")))

    @on_step(MOVE_KIND, first_step="when")
    async def move_answer(self, answer: Answer) -> None:
        lang = answer.lang
        settings = await self.core.settings.of(answer.board_id)
        result = parse_meeting_time(answer.text, self.core.clock.now(), settings.timezone)
        if not isinstance(result, Understood):
            await answer.reply(Reply(self.t(lang, f"when.{result.value}")))
            return
        draft = {**answer.dialog.draft, "pending": result.start.isoformat()}
        await self.core.dialogs.advance(answer.actor.user_id, "when", draft)
        nonce = answer.nonce
        zone = settings.timezone
        meeting_id = int(answer.dialog.draft.get("meeting_id", 0))
        options = [result.start] + ([result.start.replace(fold=1)] if result.ambiguous else [])
        rows: Keyboard = tuple(
            (
                Button(
                    self.t(
                        lang,
                        "meeting.move_to",
                        when=understood_text(self.core.i18n, lang, start, zone),
                    ),
                    MoveTo(meeting_id, start.fold, slot_key(result.start), nonce).pack(),
                ),
            )
            for start in options
        )
        await answer.reply(Reply(self.t(lang, "meeting.move_confirm"), rows))

    @on_press(MoveTo, MeetingAction.MANAGE_MEETING)
    async def move_confirmed(
        self, update: Update, context: Context, actor: Actor, press: MoveTo
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        dialog = await self.core.dialogs.current(actor.user_id)
        fold, key = press.fold, press.key
        start = (
            None
            if dialog is None or dialog.kind != MOVE_KIND or dialog.board_id is None
            else await confirmed_time(
                self.core, dict(dialog.draft), f"{fold}-{key}", dialog.board_id
            )
        )
        if (
            dialog is None
            or start is None
            or press.nonce != nonce_of(dialog.started_at)
            or int(dialog.draft.get("meeting_id", 0)) != press.meeting_id
        ):
            raise Refused("error.stale_button")
        refused = await self.core.meetings.move(actor.user_id, press.meeting_id, start)
        if refused is not None:
            raise Refused(refused.message_key)
        await self.core.dialogs.close(actor.user_id)
        await tg.answer(query, self.t(lang, "meeting.moved_toast"))
        reply = await self._card(actor, press.meeting_id)
        if reply is not None:
            await tg.edit(query, reply)
