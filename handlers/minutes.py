"""Minutes, in private: /minutes (recent meetings) and /minutes CODE (the case's latest minutes),
the meeting's sheet (attendance, minute-taker, each agenda case), recording one case step by step
in the "thinking together" order, approval by a coordinator, and amendments afterwards."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from telegram import Update

from bot.kernel.dates import written_day
from bot.kernel.dialogs import nonce_of
from bot.kernel.i18n import weekday_moment
from bot.kernel.people import Actor
from bot.kernel.policy import VOTERS, role_of
from bot.kernel.refusal import Refusal
from bot.kernel.ui import Button, Reply
from bot.kernel.when import parse_future_day
from bot.minutes.buttons import (
    AmendMinutes,
    ApproveMinutes,
    Attendance,
    MinutesScreen,
    MinutesSheet,
    MinuteTaker,
    ReadMinutes,
    RecordMinutes,
)
from bot.minutes.cards import minutes_reply, sheet_reply
from bot.minutes.notices import build_minutes_renderers
from bot.minutes.policy import MinutesAction
from bot.minutes.refusals import AmendRefusal, DraftRefusal, TakerRefusal
from bot.minutes.rules import (
    MAX_ACTION_TITLE,
    MAX_FIELD,
    next_minutes_step,
    resume_minutes_step,
    sectors_to_hear,
)
from handlers import tg
from handlers.base import Context, Refused, bounded, owner_rows
from handlers.capability import Capability, modules
from handlers.dialogs import Answer
from handlers.module import HandlerModule, on_command, on_press, on_step
from handlers.services import (
    HasBoards,
    HasCases,
    HasClock,
    HasDialogs,
    HasMinutes,
    HasSettings,
    HasWords,
)
from storage.models import DialogRecord, MinutesActionRecord, MinutesStatus

KIND = "minutes"
AMEND_KIND = "minamend"
TEXT_STEPS = ("question", "summary", "view", "clash", "decision")
SKIPPABLE = ("summary", "view", "clash", "review", "act_due")


class Services(
    HasClock, HasWords, HasSettings, HasDialogs, HasBoards, HasCases, HasMinutes, Protocol
):
    """What :class:`MinutesHandlers` uses of the core."""


class MinutesHandlers(HandlerModule[Services]):
    # /minutes -----------------------------------------------------------------------------------
    @on_command("minutes", MinutesAction.MINUTES)
    async def minutes(self, update: Update, context: Context, actor: Actor) -> None:
        lang = actor.language
        args = context.args or []
        if args:
            case = await self.core.cases.by_code(args[0])
            minutes_id = None if case is None else await self.core.minutes.latest_for_case(case.id)
            doc = await self.core.minutes.document(minutes_id, actor.user_id, actor.chat_id)
            if doc is None:
                await tg.respond(update, Reply(self.t(lang, "minutes.none_for_case")))
                return
            zone = (await self.core.settings.of(doc.board.id)).timezone
            await tg.respond(update, minutes_reply(self.core.i18n, lang, doc, zone))
            return
        held = await self.core.minutes.held_for(actor.user_id)
        if not held:
            await tg.respond(update, Reply(self.t(lang, "minutes.no_meetings")))
            return
        zones = {
            board_id: (await self.core.settings.of(board_id)).timezone
            for board_id in {m.board_id for m in held[:12]}
        }
        rows = []
        for meeting in held[:12]:
            assert meeting.starts_at is not None
            zone = zones[meeting.board_id]
            rows.append(
                (
                    Button(
                        f"{weekday_moment(meeting.starts_at, lang, zone)} · "
                        + self.t(lang, f"meeting_kind.{meeting.kind}"),
                        MinutesSheet(meeting.id).pack(),
                    ),
                )
            )
        await tg.respond(update, Reply(self.t(lang, "minutes.pick_meeting"), tuple(rows)))

    async def _sheet(self, actor: Actor, meeting_id: int | None) -> Reply | None:
        sheet = await self.core.minutes.sheet(meeting_id, actor.user_id)
        if sheet is None:
            return None
        zone = (await self.core.settings.of(sheet.board.id)).timezone
        return sheet_reply(self.core.i18n, actor.language, sheet, zone)

    @on_press(MinutesSheet, MinutesAction.MINUTES_STEP)
    async def sheet_pressed(
        self, update: Update, context: Context, actor: Actor, press: MinutesSheet
    ) -> None:
        query = tg.pressed(update)
        reply = await self._sheet(actor, press.meeting_id)
        if reply is None:
            raise Refused("error.stale_button")
        await tg.answer(query)
        await tg.edit(query, reply)

    # attendance and the minute-taker ------------------------------------------------------------
    @on_press(Attendance, MinutesAction.MINUTES_STEP)
    async def attendance_pressed(
        self, update: Update, context: Context, actor: Actor, press: Attendance
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        meeting_id, member = press.meeting_id, press.user_id
        if member is not None:
            refusal = await self.core.minutes.toggle_present(actor.user_id, meeting_id, member)
            if refusal is not None:
                raise Refused(refusal.message_key)
        sheet = await self.core.minutes.sheet(meeting_id, actor.user_id)
        if sheet is None or not sheet.recorder:
            raise Refused("deny.role")
        present = {user for user, _ in sheet.attendance}
        rows = [
            (
                Button(
                    ("✅ " if m.user_id in present else "▫️ ")
                    + f"{m.display_name} · {self.t(lang, f'sector.{m.sector}')}",
                    Attendance(sheet.meeting.id, m.user_id).pack(),
                ),
            )
            for m in sheet.members
        ]
        rows.append((Button(self.t(lang, "button.back"), MinutesSheet(sheet.meeting.id).pack()),))
        await tg.answer(query)
        await tg.edit(query, Reply(self.t(lang, "minutes.attendance_ask"), tuple(rows)))

    @on_press(MinuteTaker, MinutesAction.MINUTES_STEP)
    async def taker_pressed(
        self, update: Update, context: Context, actor: Actor, press: MinuteTaker
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        meeting_id, taker = press.meeting_id, press.user_id
        sheet = await self.core.minutes.sheet(meeting_id, actor.user_id)
        if sheet is None:
            raise Refused("error.stale_button")
        if taker is None:
            rows = [
                (Button(m.display_name, MinuteTaker(sheet.meeting.id, m.user_id).pack()),)
                for m in sheet.members
                if role_of(m) in VOTERS
            ]
            rows.append(
                (Button(self.t(lang, "button.back"), MinutesSheet(sheet.meeting.id).pack()),)
            )
            await tg.answer(query)
            await tg.edit(query, Reply(self.t(lang, "minutes.taker_ask"), tuple(rows)))
            return
        refusal = await self.core.minutes.name_minute_taker(actor.user_id, meeting_id, taker)
        if refusal is not None and refusal is not TakerRefusal.ALREADY_NAMED:
            raise Refused(refusal.message_key)
        await tg.answer(query, self.t(lang, "minutes.taker_named"))
        reply = await self._sheet(actor, meeting_id)
        if reply is not None:
            await tg.edit(query, reply)

    # recording ----------------------------------------------------------------------------------
    @on_press(RecordMinutes, MinutesAction.MINUTES_STEP)
    async def record_pressed(
        self, update: Update, context: Context, actor: Actor, press: RecordMinutes
    ) -> None:
        """Start (or pick up) one case's minutes: a paused draft resumes where it stopped."""
        query = tg.pressed(update)
        lang = actor.language
        meeting_id, case_id = press.meeting_id, press.case_id
        minutes_id = await self.core.minutes.begin(actor.user_id, meeting_id, case_id)
        if isinstance(minutes_id, Refusal):
            raise Refused(minutes_id.message_key)
        doc = await self.core.minutes.document(
            minutes_id, actor.user_id, actor.chat_id, audit=False
        )  # read to know where to start: nothing of it is shown yet
        if doc is None:
            raise Refused("error.stale_button")
        case = doc.case
        sectors, away = sectors_to_hear(doc.attendance, (case.lead_sector, *case.other_sectors))
        step, where = resume_minutes_step(doc.minutes, doc.views, sectors)
        aside = await self.dialogs.set_aside_line(actor.user_id, lang)
        draft: dict[str, Any] = {
            "minutes_id": minutes_id,
            "meeting_id": meeting_id,
            "case_id": case.id,
            "code": case.code,
            "sectors": sectors,
            "away": {sector: doc.updates_from(sector) for sector in away},
            "n": 0,
            **where,
        }
        nonce = await self.core.dialogs.open(
            actor.user_id, KIND, step, board_id=doc.board.id, draft=draft
        )
        await tg.answer(query)
        intro = ""
        if doc.updates:
            intro = self.t(lang, "minutes.updates_waiting", count=len(doc.updates)) + "\n\n"
        question = await self._question(lang, step, draft, nonce, doc.board.id)
        await tg.send_below(query, Reply(aside + intro + question.text, question.keyboard))

    async def _question(
        self, lang: str, step: str, draft: dict[str, Any], nonce: int, board_id: int
    ) -> Reply:
        """The screen of ``step``; its buttons carry the step's number, so a button of an
        earlier question (still on the screen above) is refused instead of acting here."""
        number = int(draft.get("n", 0))

        def mw(op: str, value: str | int = 0) -> str:
            return MinutesScreen(op, str(value), nonce, number).pack()

        code = str(draft.get("code", ""))
        rows: list[tuple[Button, ...]] = []
        if step == "view":
            sector = _sector(draft)
            text = self.t(
                lang,
                f"minutes.ask.view_{draft.get('part', 'problem')}",
                sector=self.t(lang, f"sector.{sector}"),
                code=code,
            )
            away = dict(draft.get("away") or {})
            if sector in away:
                written = int(away[sector])
                text += "\n" + (
                    self.core.i18n.tn(lang, "minutes.sector_away_wrote", written)
                    if written
                    else self.t(lang, "minutes.sector_away")
                )
        elif step == "actions":
            entries = await self.core.minutes.draft_actions(int(draft.get("minutes_id", 0)))
            text = self.t(lang, "minutes.ask.actions", code=code, count=len(entries))
            text += "".join("\n• " + self._entry(lang, entry) for entry in entries)
            rows += [
                (Button(f"✖ {entry.title[:40]}", mw("rm", entry.id)),)
                for entry in entries
                if entry.action_id is None
            ]
            rows.append((Button(self.t(lang, "button.add_action"), mw("add")),))
            rows.append((Button(self.t(lang, "button.minutes_done"), mw("end")),))
        elif step == "act_owner":
            text = self.t(lang, "minutes.ask.act_owner")
            rows += await owner_rows(self.core, lang, board_id, lambda user: mw("own", user))
            rows.append((Button(self.t(lang, "minutes.owner_later"), mw("own", 0)),))
        else:
            text = self.t(lang, f"minutes.ask.{step}", code=code, limit=MAX_FIELD)
        if step in SKIPPABLE:
            rows.append((Button(self.t(lang, "button.skip"), mw("skip")),))
        rows.append((Button(self.t(lang, "button.minutes_pause"), mw("pause")),))
        return Reply(text, tuple(rows))

    def _entry(self, lang: str, entry: MinutesActionRecord) -> str:
        due = written_day(entry.due_on) or "—"
        return self.t(lang, "minutes.draft_action", title=entry.title, due=due)

    async def _advance(
        self, actor: Actor, dialog: DialogRecord, step: str, draft: dict[str, Any]
    ) -> Reply:
        """Save the dialogue at its next step (a new step number) and ask it."""
        draft = {**draft, "n": int(draft.get("n", 0)) + 1}
        await self.core.dialogs.advance(actor.user_id, step, draft)
        nonce = nonce_of(dialog.started_at)
        return await self._question(actor.language, step, draft, nonce, dialog.board_id or 0)

    @on_step(KIND, first_step="question")
    async def answer(self, answer: Answer) -> None:
        lang = answer.lang
        draft = answer.draft()
        step = answer.step
        minutes_id = int(draft.get("minutes_id", 0))
        if step in TEXT_STEPS:
            if len(answer.text) > MAX_FIELD:
                await answer.reply(Reply(self.t(lang, "minutes.too_long", limit=MAX_FIELD)))
                return
            refusal: DraftRefusal | None
            if step == "view":
                refusal = await self.core.minutes.write_view(
                    answer.actor.user_id,
                    minutes_id,
                    _sector(draft),
                    str(draft.get("part")),
                    answer.text,
                )
            else:
                refusal = await self.core.minutes.write(
                    answer.actor.user_id, minutes_id, step, answer.text
                )
        elif step in ("review", "act_due"):
            day = parse_future_day(answer.text, await self._today(answer.board_id))
            if day is None:
                await answer.reply(Reply(self.t(lang, "minutes.bad_day")))
                return
            if step == "review":
                refusal = await self.core.minutes.set_review(answer.actor.user_id, minutes_id, day)
            else:
                refusal = await self._save_action(answer.actor, draft, day)
        elif step == "act_title":
            title = bounded(answer.text, MAX_ACTION_TITLE, "minutes.too_long", fold=True)
            draft["act_title"] = title
            refusal = None
        else:
            await answer.reply(Reply(self.t(lang, "newcase.use_buttons")))
            return
        if refusal is not None:
            await self.core.dialogs.close(answer.actor.user_id)
            await answer.reply(Reply(self.t(lang, refusal.message_key, limit=MAX_FIELD)))
            return
        step, draft = next_minutes_step(step, draft)
        await answer.reply(await self._advance(answer.actor, answer.dialog, step, draft))

    async def _today(self, board_id: int) -> date:
        """The board's date, not UTC's: just after midnight in Sofia it is already tomorrow."""
        zone = (await self.core.settings.of(board_id)).timezone
        return self.core.clock.now().astimezone(zone).date()

    async def _save_action(
        self, actor: Actor, draft: dict[str, Any], due: date | None
    ) -> DraftRefusal | None:
        owner = draft.get("act_owner")
        return await self.core.minutes.add_action(
            actor.user_id,
            int(draft.get("minutes_id", 0)),
            str(draft.get("act_title", "")),
            int(owner) if owner else None,
            due,
        )

    @on_press(MinutesScreen, MinutesAction.MINUTES_STEP)
    async def step_pressed(
        self, update: Update, context: Context, actor: Actor, press: MinutesScreen
    ) -> None:
        query, dialog, op, value, _ = await self.dialogs.screen_pressed(update, actor, KIND, press)
        lang = actor.language
        draft = dict(dialog.draft)
        step = dialog.step
        minutes_id = int(draft.get("minutes_id", 0))
        if press.number != int(draft.get("n", 0)):  # a button of an earlier question
            raise Refused("error.stale_button")
        if op == "pause":
            await self.core.dialogs.close(actor.user_id)
            await tg.answer(query)
            await tg.edit(query, Reply(self.t(lang, "minutes.paused")))
            return
        if op == "end" and step == "actions":
            await self.core.dialogs.close(actor.user_id)
            await tg.answer(query)
            doc = await self.core.minutes.document(minutes_id, actor.user_id, actor.chat_id)
            if doc is not None:
                zone = (await self.core.settings.of(doc.board.id)).timezone
                await tg.edit(query, minutes_reply(self.core.i18n, lang, doc, zone))
            return
        if op == "rm" and step == "actions":
            refusal = await self.core.minutes.remove_action(
                actor.user_id, minutes_id, int(value) if value.isdigit() else None
            )
            if refusal is not None:
                raise Refused(refusal.message_key)
        elif op == "add" and step == "actions":
            step = "act_title"
        elif op == "own" and step == "act_owner" and value.isdigit():
            draft["act_owner"] = int(value)
            step, draft = next_minutes_step(step, draft)
        elif op == "skip" and step in SKIPPABLE:
            if step == "act_due":
                refusal = await self._save_action(actor, draft, None)
                if refusal is not None:
                    text = self.t(lang, refusal.message_key, limit=MAX_ACTION_TITLE)
                    await tg.answer(query, text, alert=True)
                    return
            step, draft = next_minutes_step(step, draft)
        else:
            raise Refused("error.stale_button")
        await tg.answer(query)
        await tg.edit(query, await self._advance(actor, dialog, step, draft))

    # reading, approving, amending ---------------------------------------------------------------
    @on_press(ReadMinutes, MinutesAction.MINUTES_STEP)
    async def read_pressed(
        self, update: Update, context: Context, actor: Actor, press: ReadMinutes
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        doc = await self.core.minutes.document(press.minutes_id, actor.user_id, actor.chat_id)
        if doc is None:
            raise Refused("case.details_refused")
        zone = (await self.core.settings.of(doc.board.id)).timezone
        await tg.answer(query)
        await tg.edit(query, minutes_reply(self.core.i18n, lang, doc, zone))

    @on_press(ApproveMinutes, MinutesAction.MINUTES_STEP)
    async def approve_pressed(
        self, update: Update, context: Context, actor: Actor, press: ApproveMinutes
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        approval = await self.core.minutes.approve(actor.user_id, press.minutes_id)
        if approval is not None:
            raise Refused(approval.message_key)
        await tg.answer(query, self.t(lang, "minutes.approved_toast"))
        doc = await self.core.minutes.document(press.minutes_id, actor.user_id, actor.chat_id)
        if doc is not None:
            zone = (await self.core.settings.of(doc.board.id)).timezone
            await tg.edit(query, minutes_reply(self.core.i18n, lang, doc, zone))

    @on_press(AmendMinutes, MinutesAction.MINUTES_STEP)
    async def amend_pressed(
        self, update: Update, context: Context, actor: Actor, press: AmendMinutes
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        doc = await self.core.minutes.document(
            press.minutes_id, actor.user_id, actor.chat_id, audit=False
        )
        if doc is None or not doc.recorder:
            raise Refused("deny.role")
        if doc.minutes.status != MinutesStatus.APPROVED:
            raise Refused("error.stale_button")
        aside, _ = await self.dialogs.begin(
            actor,
            AMEND_KIND,
            "text",
            doc.board.id,
            {"minutes_id": doc.minutes.id, "case_id": doc.case.id},
        )
        await tg.answer(query)
        await tg.send_below(
            query, Reply(aside + self.t(lang, "minutes.ask.amendment", code=doc.case.code))
        )

    @on_step(AMEND_KIND, first_step="text")
    async def amend_answer(self, answer: Answer) -> None:
        lang = answer.lang
        refusal = await self.core.minutes.amend(
            answer.actor.user_id, int(answer.dialog.draft.get("minutes_id", 0)), answer.text
        )
        if refusal is AmendRefusal.TOO_LONG:  # the dialogue stays: a shorter text is welcome
            await answer.reply(Reply(self.t(lang, refusal.message_key, limit=MAX_FIELD)))
            return
        await self.core.dialogs.close(answer.actor.user_id)
        if refusal is not None:
            await answer.reply(Reply(self.t(lang, refusal.message_key)))
            return
        await answer.reply(Reply(self.t(lang, "minutes.amended")))


def _sector(draft: dict[str, Any]) -> str:
    """The sector whose view the dialogue is asking for."""
    sectors = list(draft.get("sectors") or [])
    index = int(draft.get("si", 0))
    return str(sectors[index]) if 0 <= index < len(sectors) else "other"


CAPABILITY = Capability(
    handlers=modules(MinutesHandlers),
    renderers=lambda w: build_minutes_renderers(w.core.i18n, w.core.settings),
)
