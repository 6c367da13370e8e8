"""Follow-up: the buttons on private nudges (snooze, done, open) and /settings (decent hours,
which nudges to receive, language)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from telegram import Update

from bot.cases.cards import group_card
from bot.kernel.i18n import weekday_moment
from bot.kernel.outbox import Task
from bot.kernel.people import Actor
from bot.kernel.policy import Role
from bot.kernel.refusal import Refusal
from bot.kernel.settings import CHOICES, SettingError
from bot.kernel.ui import Button, Reply
from bot.nudges.buttons import NudgeOp, NudgePress, Pref, PrefPick, PrefValue
from bot.nudges.notices import build_nudge_renderers
from bot.nudges.policy import NudgeAction
from bot.nudges.refusals import PrefRefusal
from bot.nudges.rules import MUTE_GROUPS, SNOOZES
from bot.nudges.service import SWEEP, NudgeRow
from handlers import tg
from handlers.actions import action_card_reply
from handlers.base import Context, Refused
from handlers.capability import Capability, modules
from handlers.module import HandlerModule, on_command, on_press
from handlers.services import (
    HasActions,
    HasBoards,
    HasCases,
    HasClock,
    HasNudges,
    HasSeries,
    HasSettings,
    HasWords,
)
from storage.models import OutboxItem

PREF_CHOICES = {
    Pref.QUIET_START: CHOICES["quiet_hours_start"],
    Pref.QUIET_END: CHOICES["quiet_hours_end"],
}


class Services(
    HasClock, HasWords, HasSettings, HasBoards, HasCases, HasActions, HasNudges, Protocol
):
    """What :class:`NudgeHandlers` uses of the core."""


class NudgeHandlers(HandlerModule[Services]):
    # buttons on a nudge -------------------------------------------------------------------------
    @on_press(NudgePress, NudgeAction.NUDGE_BUTTON)
    async def pressed(
        self, update: Update, context: Context, actor: Actor, press: NudgePress
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        row = await self.core.nudges.row(press.nudge_id)
        op = press.op
        if row is None:
            raise Refused("error.stale_button")
        if row.recipient != actor.user_id:  # a forwarded or forged nudge
            raise Refused("nudge.not_yours")
        action_id = row.action_id
        if op is NudgeOp.SNOOZE_ASK:
            await tg.answer(query)
            await tg.edit(
                query,
                Reply(
                    self.t(lang, "nudge.snooze_ask"),
                    (
                        tuple(
                            Button(
                                self.t(lang, f"nudge.snooze.{choice}"),
                                NudgePress(row.id, NudgeOp.SNOOZE, choice).pack(),
                            )
                            for choice in SNOOZES
                        ),
                    ),
                ),
            )
            return
        if op is NudgeOp.SNOOZE:
            until = await self.core.nudges.snooze(actor.user_id, row, press.choice or "")
            if until is None:
                raise Refused("action.changed_meanwhile")
            zone = (await self.core.settings.of(row.board_id or 0)).timezone
            when = weekday_moment(until, lang, zone)
            await tg.answer(query, self.t(lang, "nudge.snoozed", when=when))
            await tg.edit(query, Reply(self.t(lang, "nudge.snoozed", when=when)))
            return
        if op is NudgeOp.DONE and action_id is not None:
            done = await self.core.actions.change(actor.user_id, action_id, "done")
            if isinstance(done, Refusal):
                await tg.answer(query, self.t(lang, done.message_key), alert=True)
                await self._open(update, actor, row)
                return
            await tg.answer(query, self.t(lang, "nudge.done"))
            await self._open(update, actor, row)
            return
        if op is NudgeOp.OPEN:
            await tg.answer(query)
            await self._open(update, actor, row)
            return
        await tg.answer(query, self.t(lang, "error.stale_button"), alert=True)

    async def _open(self, update: Update, actor: Actor, row: NudgeRow) -> None:
        """The item as it is now: the action's card, or the case's short card."""
        query = update.callback_query
        assert query is not None
        lang = actor.language
        if row.action_id is not None:
            access = await self.core.actions.access(row.action_id, actor.user_id)
            if access is not None:
                await tg.edit(query, await action_card_reply(self.core, actor, access))
                return
        else:
            case = await self.core.cases.get(row.case_id)
            if case is not None:
                role, _ = await self.core.cases.access(case, actor.user_id)
                if role is not Role.NON_MEMBER:
                    card = group_card(
                        self.core.i18n, lang, case, self.core.clock.now(), private=True
                    )
                    await tg.edit(query, card)
                    return
        await tg.edit(query, Reply(self.t(lang, "action.changed_meanwhile")))

    # /settings ----------------------------------------------------------------------------------
    @on_command("settings", NudgeAction.MY_SETTINGS)
    async def settings(self, update: Update, context: Context, actor: Actor) -> None:
        await tg.respond(update, await self._settings_reply(actor))

    async def _settings_reply(self, actor: Actor) -> Reply:
        lang = actor.language
        prefs = await self.core.nudges.prefs(actor.user_id)
        board_default = self.t(lang, "prefs.board_default")
        boards = [
            await self.core.settings.of(board.id)
            for board, _ in await self.core.boards.boards_of(actor.user_id)
        ]

        def inherited(values: list[str]) -> str:
            """The boards' value when the person has not set one: "20:00 (като борда)", or
            just "като борда" when their boards differ."""
            return f"{values[0]} ({board_default})" if len(set(values)) == 1 else board_default

        def yes_no(value: bool) -> str:
            return str(self.t(lang, "settings.yes" if value else "settings.no"))

        weekends = (
            inherited([yes_no(b.quiet_weekends) for b in boards])
            if prefs.quiet_weekends is None
            else yes_no(prefs.quiet_weekends)
        )
        lines = [
            self.t(lang, "prefs.title"),
            self.t(
                lang,
                "prefs.quiet",
                start=prefs.quiet_start
                or inherited([b.quiet_hours_start.strftime("%H:%M") for b in boards]),
                end=prefs.quiet_end
                or inherited([b.quiet_hours_end.strftime("%H:%M") for b in boards]),
            ),
            self.t(lang, "prefs.weekends", value=weekends),
            self.t(
                lang,
                "prefs.kinds",
                kinds=", ".join(
                    ("🔕 " if group in prefs.muted else "🔔 ") + self.t(lang, f"prefs.kind.{group}")
                    for group in MUTE_GROUPS
                ),
            ),
            self.t(lang, "prefs.language_hint"),
        ]
        rows: list[tuple[Button, ...]] = [
            (
                Button(self.t(lang, "prefs.set_start"), PrefPick(Pref.QUIET_START).pack()),
                Button(self.t(lang, "prefs.set_end"), PrefPick(Pref.QUIET_END).pack()),
            ),
            (
                Button(
                    self.t(lang, "prefs.weekends_button", value=weekends),
                    PrefValue(
                        Pref.QUIET_WEEKENDS, "false" if prefs.quiet_weekends else "true"
                    ).pack(),
                ),
            ),
        ]
        kinds = [
            Button(
                ("🔕 " if group in prefs.muted else "🔔 ") + self.t(lang, f"prefs.kind.{group}"),
                PrefValue(Pref.MUTED, group).pack(),
            )
            for group in MUTE_GROUPS
        ]
        rows += [tuple(kinds[i : i + 2]) for i in range(0, len(kinds), 2)]
        return Reply("\n".join(lines), tuple(rows))

    @on_press(PrefPick, NudgeAction.MY_SETTINGS)
    async def pref_pressed(
        self, update: Update, context: Context, actor: Actor, press: PrefPick
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        field = press.field
        options = PREF_CHOICES.get(field)
        if options is None:
            raise Refused("error.stale_button")
        await tg.answer(query)
        buttons = [
            Button(option, PrefValue(field, option.replace(":", "")).pack()) for option in options
        ]
        await tg.edit(
            query,
            Reply(
                self.t(lang, f"prefs.ask.{field}"),
                tuple(tuple(buttons[i : i + 3]) for i in range(0, len(buttons), 3)),
            ),
        )

    @on_press(PrefValue, NudgeAction.MY_SETTINGS)
    async def pref_value_pressed(
        self, update: Update, context: Context, actor: Actor, press: PrefValue
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        field, raw = press.field, press.value
        if field in PREF_CHOICES and len(raw) == 4 and raw.isdigit():
            raw = f"{raw[:2]}:{raw[2:]}"  # callback data cannot carry ":"
        try:
            refusal = await self.core.nudges.set_pref(actor.user_id, field.value, raw)
        except SettingError:
            refusal = PrefRefusal.NO_SUCH_CHOICE
        if refusal is not None:
            raise Refused(refusal.message_key)
        await tg.answer(query, self.t(lang, "prefs.saved"))
        await tg.edit(query, await self._settings_reply(actor))


class SweepServices(HasNudges, HasSeries, Protocol):
    """What the daily sweep uses of the core."""


def _sweep(core: SweepServices) -> Task:
    """The daily sweep: plan the nudges that are due, and a series' next occurrences."""

    async def sweep(item: OutboxItem) -> datetime | None:
        await core.nudges.sweep()
        await core.series.extend()
        return None

    return sweep


CAPABILITY = Capability(
    handlers=modules(NudgeHandlers),
    renderers=lambda w: build_nudge_renderers(w.core.i18n, w.core.settings, w.core.clock),
    tasks=lambda w: {SWEEP: _sweep(w.core)},
)
