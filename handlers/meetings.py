"""Setting up a meeting: /meeting, in the coordinator's private chat (kind, board, times or a
poll, place, a repeating series), through to the poll or the announcement the outbox posts.
Answering, listing and changing meetings: :mod:`handlers.meeting_controls`.

In a group the bot sees only commands, so the set-up always continues in private.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, Update

from bot.kernel.dialogs import nonce_of
from bot.kernel.i18n import weekday_moment
from bot.kernel.people import Actor
from bot.kernel.policy import COORDINATORS, ChatKind
from bot.kernel.refusal import Refusal
from bot.kernel.ui import Button, Keyboard, Reply
from bot.kernel.when import Understood, parse_future_day, parse_meeting_time, slot_key
from bot.meetings.buttons import (
    MeetingBoard,
    MeetingCard,
    MeetingScreen,
)
from bot.meetings.cards import (
    understood_text,
    when_text,
)
from bot.meetings.notices import build_meeting_renderers
from bot.meetings.policy import MeetingAction
from bot.meetings.refusals import CreateRefusal
from bot.meetings.rules import DURATIONS, KINDS, MAX_PLACE, MAX_SLOTS, MIN_SLOTS
from bot.series.cards import pattern_choice_text, until_text
from bot.series.notices import build_series_renderers
from bot.series.rules import PATTERNS, patterns_for
from handlers import meeting_controls, tg
from handlers.base import Context, Refused, bounded, picked_board
from handlers.capability import Capability, modules
from handlers.dialogs import Answer
from handlers.meeting_controls import confirmed_time
from handlers.module import HandlerModule, on_command, on_deep_link, on_press, on_step
from handlers.services import (
    HasBoards,
    HasClock,
    HasDialogs,
    HasMeetings,
    HasSeries,
    HasSettings,
    HasWords,
)
from storage.models import BoardRecord, DialogRecord, MeetingStatus

KIND = "meeting"


def slots_of(draft: dict[str, Any]) -> list[str]:
    """The candidate times chosen so far, as ISO strings (the dialogue's draft is JSON)."""
    return [str(s) for s in draft.get("slots") or []]


class Services(
    HasClock, HasWords, HasSettings, HasDialogs, HasBoards, HasMeetings, HasSeries, Protocol
):
    """What :class:`MeetingHandlers` uses of the core."""


class MeetingHandlers(HandlerModule[Services]):
    # starting -----------------------------------------------------------------------------------
    @on_command("meeting", MeetingAction.MEETING)
    async def meeting(self, update: Update, context: Context, actor: Actor) -> None:
        lang = actor.language
        if actor.chat_kind is ChatKind.GROUP:
            assert actor.board is not None
            question = await self._begin(actor, actor.board)
            if await tg.send_private(context, actor.user_id, question):
                pointer = Reply(self.t(lang, "meeting.continue_private"))
                await tg.point_to_private(update, pointer, actor.user_id)
                return
            link = f"https://t.me/{context.bot.username}?start=meeting_{actor.board.join_code}"
            await tg.respond(
                update,
                Reply(
                    self.t(lang, "meeting.open_private"),
                    ((Button(self.t(lang, "case.open_private"), url=link),),),
                ),
            )
            return
        boards = [
            board
            for board, role in await self.core.boards.boards_of(actor.user_id)
            if role in COORDINATORS
        ]
        if not boards:
            await tg.respond(update, Reply(self.t(lang, "deny.role")))
            return
        if len(boards) == 1:
            await tg.respond(update, await self._begin(actor, boards[0]))
            return
        keyboard = tuple((Button(b.title, MeetingBoard(b.id).pack()),) for b in boards)
        await tg.respond(update, Reply(self.t(lang, "boards.pick"), keyboard))

    @on_deep_link("meeting")
    async def _meeting_link(
        self, update: Update, context: Context, actor: Actor, code: str
    ) -> None:
        board = await self.core.boards.by_join_code(code)
        if board is None or await self.core.boards.role_on(board.id, actor.user_id) not in (
            COORDINATORS
        ):
            await tg.respond(update, Reply(self.t(actor.language, "deny.role")))
            return
        await tg.respond(update, await self._begin(actor, board))

    @on_press(MeetingBoard, MeetingAction.MEETING_STEP)
    async def board_picked(
        self, update: Update, context: Context, actor: Actor, press: MeetingBoard
    ) -> None:
        board = await picked_board(self.core, update, actor, press.board_id, COORDINATORS)
        await tg.edit(tg.pressed(update), await self._begin(actor, board))

    async def _begin(self, actor: Actor, board: BoardRecord) -> Reply:
        aside, nonce = await self.dialogs.begin(actor, KIND, "kind", board.id, {"slots": []})
        question = self._question(actor.language, "kind", {"slots": []}, nonce, board)
        return Reply(aside + question.text, question.keyboard)

    # the questions ------------------------------------------------------------------------------
    def _question(
        self,
        lang: str,
        step: str,
        draft: dict[str, Any],
        nonce: int,
        board: BoardRecord,
        *,
        default_duration: int = 90,
        zone_name: str = "Europe/Sofia",
    ) -> Reply:
        t = self.t

        def mt(op: str, value: str | int) -> str:
            return MeetingScreen(op, str(value), nonce).pack()

        slots = slots_of(draft)
        rows: list[tuple[Button, ...]] = []
        if step == "kind":
            text = t(lang, "meeting.ask.kind", board=board.title)
            rows = [(Button(t(lang, f"meeting_kind.{k}"), mt("kind", k)),) for k in KINDS]
        elif step == "mode":
            text = t(lang, "meeting.ask.mode")
            rows = [
                (Button(t(lang, "meeting.mode_fixed"), mt("mode", "fixed")),),
                (Button(t(lang, "meeting.mode_poll"), mt("mode", "poll")),),
                (Button(t(lang, "meeting.mode_series"), mt("mode", "series")),),
            ]
        elif step == "pattern":
            first = datetime.fromisoformat(slots[0])
            zone = ZoneInfo(zone_name)
            text = t(lang, "series.ask.pattern")
            rows = [
                (Button(pattern_choice_text(self.core.i18n, lang, p, first, zone), mt("pat", p)),)
                for p in patterns_for(first.astimezone(zone).date())
            ]
        elif step == "until":
            text = t(lang, "series.ask.until")
            rows = [(Button(t(lang, "series.until_cancelled"), mt("until", "none")),)]
        elif step == "when":
            text = t(
                lang,
                {"poll": "meeting.ask.when_poll", "series": "series.ask.when"}.get(
                    str(draft.get("mode")), "meeting.ask.when"
                ),
            )
            if slots:
                text += "\n" + t(lang, "meeting.slots_so_far", count=len(slots), max=MAX_SLOTS)
                zone = ZoneInfo(zone_name)
                text += "\n" + "\n".join(
                    f"{i + 1}) {weekday_moment(datetime.fromisoformat(s), lang, zone)}"
                    for i, s in enumerate(sorted(slots, key=datetime.fromisoformat))
                )
            if draft.get("mode") == "poll" and len(slots) >= MIN_SLOTS:
                rows = [(Button(t(lang, "meeting.slots_done"), mt("done", len(slots))),)]
        elif step == "place":
            text = t(lang, "meeting.ask.place", limit=MAX_PLACE)
            rows = [(Button(t(lang, "button.skip"), mt("place", "skip")),)]
        elif step == "duration":
            text = t(lang, "meeting.ask.duration")
            rows = [
                tuple(
                    Button(
                        ("✓ " if minutes == default_duration else "")
                        + t(lang, "meeting.minutes", minutes=minutes),
                        mt("dur", minutes),
                    )
                    for minutes in sorted({*DURATIONS, default_duration})
                )
            ]
        else:  # confirm
            text = t(lang, "meeting.ask.confirm")
            key = "meeting.post_poll" if draft.get("mode") == "poll" else "meeting.announce"
            rows = [(Button(t(lang, key), mt("go", 1)),)]
        rows.append((Button(t(lang, "button.cancel"), mt("stop", 0)),))
        return Reply(text, tuple(rows))

    async def _ask(
        self, actor: Actor, dialog_step: str, draft: dict[str, Any], nonce: int, board_id: int
    ) -> Reply:
        board = await self.core.boards.board(board_id)
        assert board is not None
        settings = await self.core.settings.of(board_id)
        question = self._question(
            actor.language,
            dialog_step,
            draft,
            nonce,
            board,
            default_duration=settings.meeting_duration_minutes,
            zone_name=str(settings.timezone.key),
        )
        if dialog_step == "confirm":
            summary = await self._summary(actor.language, draft, board_id)
            return Reply(summary + "\n\n" + question.text, question.keyboard)
        return question

    async def _summary(self, lang: str, draft: dict[str, Any], board_id: int) -> str:
        settings = await self.core.settings.of(board_id)
        zone = settings.timezone
        slots = [datetime.fromisoformat(s) for s in slots_of(draft)]
        minutes = int(str(draft.get("duration", settings.meeting_duration_minutes)))
        times = "\n".join(when_text(self.core.i18n, lang, s, minutes, zone) for s in slots)
        if draft.get("mode") == "series" and slots and draft.get("pattern") in PATTERNS:
            until = draft.get("until")
            times += "\n🔁 " + pattern_choice_text(
                self.core.i18n, lang, str(draft["pattern"]), slots[0], zone
            )
            last = date.fromisoformat(str(until)) if until else None
            times += ", " + until_text(self.core.i18n, lang, last)
        return self.t(
            lang,
            "meeting.summary",
            kind=self.t(lang, f"meeting_kind.{draft.get('kind', 'supervision')}"),
            times=times,
            place=str(draft.get("place") or "—"),
            minutes=minutes,
        )

    # typed answers ------------------------------------------------------------------------------
    @on_step(KIND, first_step="kind")
    async def answer(self, answer: Answer) -> None:
        lang = answer.lang
        draft = answer.draft()
        nonce = answer.nonce
        board_id = answer.board_id
        if answer.step == "when":
            settings = await self.core.settings.of(board_id)
            result = parse_meeting_time(answer.text, self.core.clock.now(), settings.timezone)
            if not isinstance(result, Understood):
                await answer.reply(Reply(self.t(lang, f"when.{result.value}")))
                return
            await answer.reply(await self._echo(answer.actor, answer.dialog, draft, result, nonce))
            return
        if answer.step == "until":
            zone = (await self.core.settings.of(board_id)).timezone
            day = parse_future_day(answer.text, self.core.clock.now().astimezone(zone).date())
            first = [datetime.fromisoformat(s).astimezone(zone).date() for s in slots_of(draft)]
            if day is None:
                await answer.reply(Reply(self.t(lang, "minutes.bad_day")))
                return
            if first and day < first[0]:
                await answer.reply(Reply(self.t(lang, "series.until_before_first")))
                return
            draft["until"] = day.isoformat()
            await self.core.dialogs.advance(answer.actor.user_id, "place", draft)
            await answer.reply(await self._ask(answer.actor, "place", draft, nonce, board_id))
            return
        if answer.step == "place":
            place = bounded(answer.text, MAX_PLACE, "meeting.bad_place", fold=True)
            draft["place"] = place
            await self.core.dialogs.advance(answer.actor.user_id, "duration", draft)
            await answer.reply(await self._ask(answer.actor, "duration", draft, nonce, board_id))
            return
        await answer.reply(Reply(self.t(lang, "newcase.use_buttons")))

    async def _echo(
        self,
        actor: Actor,
        dialog: DialogRecord,
        draft: dict[str, Any],
        understood: Understood,
        nonce: int,
    ) -> Reply:
        """Say back what was understood and ask to confirm (which one, for a repeated hour)."""
        lang = actor.language
        settings = await self.core.settings.of(dialog.board_id or 0)
        zone = settings.timezone
        start = understood.start
        slots = slots_of(draft)
        if any(datetime.fromisoformat(s) == start for s in slots):
            return Reply(self.t(lang, "meeting.slot_twice"))
        draft["pending"] = start.isoformat()
        await self.core.dialogs.advance(actor.user_id, "when", draft)
        key = slot_key(start)  # an older echo's button must not confirm this newer time

        def mt(op: str, value: str | int) -> str:
            return MeetingScreen(op, str(value), nonce).pack()

        if understood.ambiguous:
            later = start.replace(fold=1)
            rows: Keyboard = (
                (Button(understood_text(self.core.i18n, lang, start, zone), mt("ok", f"0-{key}")),),
                (Button(understood_text(self.core.i18n, lang, later, zone), mt("ok", f"1-{key}")),),
            )
            return Reply(self.t(lang, "meeting.which_one"), rows)
        return Reply(
            self.t(
                lang,
                "meeting.understood",
                when=understood_text(self.core.i18n, lang, start, zone),
            ),
            (
                (
                    Button(self.t(lang, "meeting.yes_time"), mt("ok", f"0-{key}")),
                    Button(self.t(lang, "meeting.other_time"), mt("again", 0)),
                ),
            ),
        )

    # buttons ------------------------------------------------------------------------------------
    @on_press(MeetingScreen, MeetingAction.MEETING_STEP)
    async def pressed(
        self, update: Update, context: Context, actor: Actor, press: MeetingScreen
    ) -> None:
        query, dialog, op, value, board_id = await self.dialogs.screen_pressed(
            update, actor, KIND, press, roles=COORDINATORS
        )
        lang = actor.language
        draft = dict(dialog.draft)
        nonce = nonce_of(dialog.started_at)
        slots = slots_of(draft)
        step = dialog.step
        if op == "stop":
            await self.core.dialogs.close(actor.user_id)
            await tg.answer(query)
            await tg.edit(query, Reply(self.t(lang, "meeting.stopped")))
            return
        if op == "kind" and step == "kind" and value in KINDS:
            draft["kind"], step = value, "mode"
        elif op == "pat" and step == "pattern" and value in PATTERNS:
            draft["pattern"], step = value, "until"
        elif op == "until" and step == "until" and value == "none":
            draft["until"], step = None, "place"
        elif op == "mode" and step == "mode" and value in ("fixed", "poll", "series"):
            draft["mode"], step = value, "when"
        elif (
            op == "ok"
            and step == "when"
            and (start := await confirmed_time(self.core, draft, value, board_id))
        ):
            draft.pop("pending")
            if start <= self.core.clock.now():
                raise Refused("when.past")
            slots.append(start.isoformat())
            draft["slots"] = slots
            full = draft.get("mode") != "poll" or len(slots) >= MAX_SLOTS
            step = "place" if full else "when"
            if draft.get("mode") == "series":
                step = "pattern"
        elif op == "again" and step == "when":
            draft.pop("pending", None)
        elif op == "done" and step == "when" and len(slots) >= MIN_SLOTS:
            step = "place"
        elif op == "place" and step == "place" and value == "skip":
            draft["place"], step = "", "duration"
        elif (
            op == "dur"
            and step == "duration"
            and value.isdigit()
            and int(value) in (await self._durations(board_id))
        ):
            draft["duration"], step = int(value), "confirm"
        elif op == "go" and step == "confirm":
            await self._create(update, actor, board_id, draft, nonce)
            return
        else:
            raise Refused("error.stale_button")
        await self.core.dialogs.advance(actor.user_id, step, draft)
        await tg.answer(query)
        await tg.edit(query, await self._ask(actor, step, draft, nonce, board_id))

    async def _durations(self, board_id: int) -> set[int]:
        return {*DURATIONS, (await self.core.settings.of(board_id)).meeting_duration_minutes}

    async def _create(
        self, update: Update, actor: Actor, board_id: int, draft: dict[str, Any], nonce: int
    ) -> None:
        query = update.callback_query
        assert query is not None
        lang = actor.language
        slots = [datetime.fromisoformat(s) for s in slots_of(draft)]
        if draft.get("mode") == "series":
            await self._create_series(query, actor, board_id, draft, slots)
            return
        meeting = await self.core.meetings.create(
            actor.user_id,
            board_id,
            kind=str(draft.get("kind", "supervision")),
            starts=slots,
            duration_minutes=int(str(draft.get("duration", 90))),
            place=str(draft.get("place") or ""),
        )
        await tg.answer(query)
        if meeting is CreateRefusal.TIME_PASSED:  # passed while the set-up was open: drop it
            now = self.core.clock.now()
            ahead = [s.isoformat() for s in slots if s > now]
            draft = {**draft, "slots": ahead}
            await self.core.dialogs.advance(actor.user_id, "when", draft)
            question = await self._ask(actor, "when", draft, nonce, board_id)
            await tg.edit(
                query,
                Reply(
                    self.t(lang, "meeting.time_passed") + "\n\n" + question.text, question.keyboard
                ),
            )
            return
        await self.core.dialogs.close(actor.user_id)
        if isinstance(meeting, Refusal):
            await tg.edit(query, Reply(self.t(lang, meeting.message_key)))
            return
        key = (
            "meeting.poll_posted"
            if meeting.status == MeetingStatus.POLLING
            else "meeting.announced"
        )
        await tg.edit(
            query,
            Reply(
                self.t(lang, key),
                ((Button(self.t(lang, "button.open_meeting"), MeetingCard(meeting.id).pack()),),),
            ),
        )

    async def _create_series(
        self,
        query: CallbackQuery,
        actor: Actor,
        board_id: int,
        draft: dict[str, Any],
        slots: list[datetime],
    ) -> None:
        lang = actor.language
        until = draft.get("until")
        series = await self.core.series.create(
            actor.user_id,
            board_id,
            kind=str(draft.get("kind", "board_session")),
            first_start=slots[0],
            pattern=str(draft.get("pattern", "")),
            until_day=None if not until else date.fromisoformat(str(until)),
            duration_minutes=int(str(draft.get("duration", 90))),
            place=str(draft.get("place") or ""),
        )
        await tg.answer(query)
        await self.core.dialogs.close(actor.user_id)
        if isinstance(series, Refusal):
            await tg.edit(query, Reply(self.t(lang, series.message_key)))
            return
        await tg.edit(query, Reply(self.t(lang, "series.created")))


CAPABILITY = Capability(
    handlers=modules(MeetingHandlers, meeting_controls.MeetingControls),
    renderers=lambda w: {
        **build_meeting_renderers(w.core.i18n, w.core.settings, w.core.clock),
        **build_series_renderers(w.core.i18n, w.core.settings),
    },
    tasks=lambda w: w.core.meetings.tasks(),
)
