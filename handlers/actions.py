"""Actions: /actions in the group (codes, sectors, due dates — no names), /myactions in private,
and the action card's buttons: done, blocked (with a reason), snooze, name the owner, due date."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

from telegram import Update

from bot.actions.buttons import TYPED_DAY, ActionDue, ActionOwner, ActionPress, ActionSnooze
from bot.actions.cards import action_card, action_line, my_action_line
from bot.actions.notices import build_action_renderers
from bot.actions.policy import FollowUpAction
from bot.actions.refusals import SnoozeRefusal
from bot.actions.rules import DUE_IN_DAYS, MAX_LIST, SNOOZES, ActionOp, snooze_until
from bot.actions.service import ActionAccess
from bot.kernel.people import Actor
from bot.kernel.refusal import Refusal
from bot.kernel.ui import Button, Reply
from bot.kernel.when import parse_future_day
from bot.votes.rules import MAX_REASON
from handlers import tg
from handlers.base import Context, Refused, bounded, owner_rows
from handlers.capability import Capability, modules
from handlers.dialogs import Answer
from handlers.module import HandlerModule, on_command, on_press, on_step
from handlers.services import HasActions, HasBoards, HasClock, HasDialogs, HasSettings, HasWords

BLOCK_KIND = "actblock"
DUE_KIND = "actdue"


class ActionCardReplyServices(HasClock, HasWords, HasSettings, HasBoards, Protocol):
    """What :func:`action_card_reply` uses of the core."""


async def action_card_reply(
    core: ActionCardReplyServices, actor: Actor, access: ActionAccess
) -> Reply:
    """An action's card with what this person may do with it now (also opened from a nudge)."""
    settings = await core.settings.of(access.action.board_id)
    now = core.clock.now()
    owner = None
    if access.action.owner_id is not None:
        member = await core.boards.membership(access.action.board_id, access.action.owner_id)
        if member is not None:
            owner = (member.display_name, member.sector)
    return action_card(
        core.i18n,
        actor.language,
        access.action,
        access.case.code,
        owner,
        access.operations,
        now.astimezone(settings.timezone).date(),
        settings.timezone,
        now,
    )


class Services(HasClock, HasWords, HasSettings, HasDialogs, HasBoards, HasActions, Protocol):
    """What :class:`ActionHandlers` uses of the core."""


class ActionHandlers(HandlerModule[Services]):
    # lists ------------------------------------------------------------------------------------
    @on_command("actions", FollowUpAction.LIST_ACTIONS)
    async def board_actions(self, update: Update, context: Context, actor: Actor) -> None:
        assert actor.board is not None
        lang = actor.language
        settings = await self.core.settings.of(actor.board.id)
        today = self.core.clock.now().astimezone(settings.timezone).date()
        actions = await self.core.actions.for_board(actor.board.id)
        shown = await self.core.boards.group_sectors(actor.board.id)
        lines = [self.t(lang, "actions.title", count=len(actions))]
        lines += [
            action_line(self.core.i18n, lang, action, code, sector, today, shown)
            for action, code, sector in actions[:MAX_LIST]
        ]
        if len(actions) > MAX_LIST:
            lines.append(self.t(lang, "mycases.more", count=len(actions) - MAX_LIST))
        if not actions:
            lines.append(self.t(lang, "actions.none"))
        await tg.respond(update, Reply("\n".join(lines)))

    @on_command("myactions", FollowUpAction.MY_ACTIONS)
    async def my_actions(self, update: Update, context: Context, actor: Actor) -> None:
        lang = actor.language
        owned, waiting = await self.core.actions.mine(actor.user_id)
        codes = await self.core.actions.codes({a.case_id for a in [*owned, *waiting]})
        now = self.core.clock.now()
        zones = {
            board_id: (await self.core.settings.of(board_id)).timezone
            for board_id in {a.board_id for a in owned}
        }
        lines = [self.t(lang, "myactions.title", count=len(owned))]
        rows: list[tuple[Button, ...]] = []
        for action in owned[:MAX_LIST]:
            today = now.astimezone(zones[action.board_id]).date()
            lines.append(
                my_action_line(self.core.i18n, lang, action, codes.get(action.case_id, "?"), today)
            )
            rows.append(self._open_button(action.id, codes.get(action.case_id, "?"), action.title))
        if not owned:
            lines.append(self.t(lang, "myactions.none"))
        if waiting:
            lines.append("")
            lines.append(self.t(lang, "myactions.waiting", count=len(waiting)))
            for action in waiting[:MAX_LIST]:
                rows.append(
                    self._open_button(action.id, codes.get(action.case_id, "?"), action.title)
                )
        await tg.respond(update, Reply("\n".join(lines), tuple(rows[:MAX_LIST])))

    @staticmethod
    def _open_button(action_id: int, code: str, title: str) -> tuple[Button, ...]:
        label = f"📌 {code} · {title}"
        return (Button(label[:60], ActionPress(action_id, ActionOp.VIEW).pack()),)

    # the card ---------------------------------------------------------------------------------
    async def card(self, actor: Actor, access: ActionAccess) -> Reply:
        return await action_card_reply(self.core, actor, access)

    @on_press(ActionPress, FollowUpAction.ACTION_STEP)
    async def pressed(
        self, update: Update, context: Context, actor: Actor, press: ActionPress
    ) -> None:
        """Every press re-reads the action and what this person may do with it now."""
        query = tg.pressed(update)
        lang = actor.language
        access = await self.core.actions.access(press.action_id, actor.user_id)
        op = press.op
        if access is None:
            raise Refused("error.stale_button")
        ops = access.operations
        if op is ActionOp.VIEW:
            await tg.answer(query)
            await tg.edit(query, await self.card(actor, access))
            return
        if op in (ActionOp.DONE, ActionOp.REOPEN) and op in ops:
            await self._change(update, actor, access, op)
            return
        if op is ActionOp.CANCEL and op in ops:
            await tg.answer(query)
            await tg.edit(query, self._confirm_cancel(lang, access))
            return
        if op is ActionOp.CANCEL_CONFIRMED and ActionOp.CANCEL in ops:
            await self._change(update, actor, access, ActionOp.CANCEL)
            return
        if op is ActionOp.BLOCKED and op in ops:
            await tg.answer(query)
            await self._ask(update, actor, access, BLOCK_KIND, "reason", "action.ask_block")
            return
        if op is ActionOp.SNOOZE and op in ops:
            await tg.answer(query)
            await tg.edit(query, self._snooze_choices(lang, access))
            return
        if op is ActionOp.ASSIGN and op in ops:
            await tg.answer(query)
            await tg.edit(query, await self._owner_choices(lang, access))
            return
        if op is ActionOp.DUE and (
            ActionOp.ASSIGN in ops or (access.is_owner and access.action.due_on is None)
        ):
            await tg.answer(query)
            await tg.edit(query, self._due_choices(lang, access, owner_id=0))
            return
        await tg.answer(query, self.t(lang, "action.changed_meanwhile"), alert=True)

    def _confirm_cancel(self, lang: str, access: ActionAccess) -> Reply:
        action_id = access.action.id
        return Reply(
            self.t(lang, "action.cancel_confirm", code=access.case.code, title=access.action.title),
            (
                (
                    Button(
                        self.t(lang, "button.cancel_action_yes"),
                        ActionPress(action_id, ActionOp.CANCEL_CONFIRMED).pack(),
                    ),
                    Button(
                        self.t(lang, "button.back"), ActionPress(action_id, ActionOp.VIEW).pack()
                    ),
                ),
            ),
        )

    async def _change(self, update: Update, actor: Actor, access: ActionAccess, op: str) -> None:
        query = update.callback_query
        assert query is not None
        lang = actor.language
        updated = await self.core.actions.change(actor.user_id, access.action.id, op)
        if isinstance(updated, Refusal):
            raise Refused(updated.message_key)
        await tg.answer(
            query,
            self.t(
                lang,
                "action.status_toast",
                code=access.case.code,
                status=self.t(lang, f"action_status.{updated.status}"),
            ),
        )
        fresh = await self.core.actions.access(updated.id, actor.user_id)
        if fresh is not None:
            await tg.edit(query, await self.card(actor, fresh))

    def _back(self, lang: str, action_id: int) -> Button:
        return Button(self.t(lang, "button.back"), ActionPress(action_id, ActionOp.VIEW).pack())

    # snooze -----------------------------------------------------------------------------------
    def _snooze_choices(self, lang: str, access: ActionAccess) -> Reply:
        action_id = access.action.id
        return Reply(
            self.t(lang, "action.snooze_ask"),
            (
                tuple(
                    Button(self.t(lang, f"snooze.{choice}"), ActionSnooze(action_id, choice).pack())
                    for choice in SNOOZES
                ),
                (
                    Button(
                        self.t(lang, "button.back"), ActionPress(action_id, ActionOp.VIEW).pack()
                    ),
                ),
            ),
        )

    @on_press(ActionSnooze, FollowUpAction.ACTION_STEP)
    async def snooze_pressed(
        self, update: Update, context: Context, actor: Actor, press: ActionSnooze
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        access = await self.core.actions.access(press.action_id, actor.user_id)
        choice = press.choice
        if access is None:
            raise Refused("error.stale_button")
        settings = await self.core.settings.of(access.action.board_id)
        until = snooze_until(choice, self.core.clock.now(), settings.timezone)
        refusal = (
            SnoozeRefusal.NOT_NOW
            if until is None
            else await self.core.actions.snooze(actor.user_id, access.action.id, until)
        )
        if refusal is not None:
            raise Refused(refusal.message_key)
        await tg.answer(query, self.t(lang, f"snooze.done_{choice}"))
        fresh = await self.core.actions.access(access.action.id, actor.user_id)
        if fresh is not None:
            await tg.edit(query, await self.card(actor, fresh))

    # owner and due date -----------------------------------------------------------------------
    async def _owner_choices(self, lang: str, access: ActionAccess) -> Reply:
        action_id = access.action.id
        rows = await owner_rows(
            self.core,
            lang,
            access.action.board_id,
            lambda user_id: ActionOwner(action_id, user_id).pack(),
        )
        rows.append((self._back(lang, action_id),))
        return Reply(
            self.t(lang, "action.owner_ask", code=access.case.code, title=access.action.title),
            tuple(rows),
        )

    def _due_choices(self, lang: str, access: ActionAccess, *, owner_id: int) -> Reply:
        action_id = access.action.id
        return Reply(
            self.t(lang, "action.due_ask"),
            (
                tuple(
                    Button(
                        self.t(lang, "propose.due_in", days=days),
                        ActionDue(action_id, owner_id, str(days)).pack(),
                    )
                    for days in DUE_IN_DAYS
                ),
                (
                    Button(
                        self.t(lang, "action.due_type"),
                        ActionDue(action_id, owner_id, TYPED_DAY).pack(),
                    ),
                ),
                (
                    Button(
                        self.t(lang, "button.back"), ActionPress(action_id, ActionOp.VIEW).pack()
                    ),
                ),
            ),
        )

    @on_press(ActionOwner, FollowUpAction.ACTION_STEP)
    async def owner_pressed(
        self, update: Update, context: Context, actor: Actor, press: ActionOwner
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        access = await self.core.actions.access(press.action_id, actor.user_id)
        owner_id = press.owner_id
        if access is None or ActionOp.ASSIGN not in access.operations:
            raise Refused("action.changed_meanwhile")
        await tg.answer(query)
        await tg.edit(query, self._due_choices(lang, access, owner_id=owner_id))

    @on_press(ActionDue, FollowUpAction.ACTION_STEP)
    async def due_pressed(
        self, update: Update, context: Context, actor: Actor, press: ActionDue
    ) -> None:
        query = tg.pressed(update)
        access = await self.core.actions.access(press.action_id, actor.user_id)
        owner_id = press.owner_id
        choice = press.choice
        if access is None:
            raise Refused("error.stale_button")
        if choice == TYPED_DAY:
            await tg.answer(query)
            await self._ask(
                update, actor, access, DUE_KIND, "day", "action.due_type_ask", owner_id=owner_id
            )
            return
        if not choice.isdigit() or int(choice) not in DUE_IN_DAYS:
            raise Refused("error.stale_button")
        settings = await self.core.settings.of(access.action.board_id)
        today = self.core.clock.now().astimezone(settings.timezone).date()
        reply = await self._save_due(actor, access, owner_id, today + timedelta(days=int(choice)))
        await tg.answer(query)
        await tg.edit(query, reply)

    async def _save_due(
        self, actor: Actor, access: ActionAccess, owner_id: int, day: date
    ) -> Reply:
        lang = actor.language
        if owner_id:
            refusal = await self.core.actions.assign(actor.user_id, access.action.id, owner_id, day)
        else:
            refusal = await self.core.actions.set_due(actor.user_id, access.action.id, day)
        fresh = await self.core.actions.access(access.action.id, actor.user_id)
        if refusal is not None:
            return Reply(self.t(lang, refusal.message_key))
        if fresh is None:
            return Reply(self.t(lang, "action.changed_meanwhile"))
        card = await self.card(actor, fresh)
        return Reply(self.t(lang, "action.saved") + "\n\n" + card.text, card.keyboard)

    # typed answers ----------------------------------------------------------------------------
    async def _ask(
        self,
        update: Update,
        actor: Actor,
        access: ActionAccess,
        kind: str,
        step: str,
        key: str,
        *,
        owner_id: int = 0,
    ) -> None:
        query = update.callback_query
        assert query is not None
        aside, _ = await self.dialogs.begin(
            actor,
            kind,
            step,
            access.action.board_id,
            {"action_id": access.action.id, "owner_id": owner_id},
        )
        await tg.edit(
            query,
            Reply(
                aside
                + self.t(
                    actor.language,
                    key,
                    code=access.case.code,
                    title=access.action.title,
                    limit=MAX_REASON,
                )
            ),
        )

    @on_step(BLOCK_KIND, first_step="reason")
    async def block_answer(self, answer: Answer) -> None:
        lang = answer.lang
        reason = bounded(answer.text, MAX_REASON, "vote.bad_reason")
        action_id = int(answer.dialog.draft.get("action_id", 0))
        updated = await self.core.actions.change(answer.actor.user_id, action_id, "blocked", reason)
        await self.core.dialogs.close(answer.actor.user_id)
        fresh = await self.core.actions.access(action_id, answer.actor.user_id)
        if isinstance(updated, Refusal) or fresh is None:
            await answer.reply(Reply(self.t(lang, "action.changed_meanwhile")))
            return
        card = await self.card(answer.actor, fresh)
        await answer.reply(
            Reply(self.t(lang, "action.blocked_saved") + "\n\n" + card.text, card.keyboard)
        )

    @on_step(DUE_KIND, first_step="day")
    async def due_answer(self, answer: Answer) -> None:
        lang = answer.lang
        access = await self.core.actions.access(
            int(answer.dialog.draft.get("action_id", 0)), answer.actor.user_id
        )
        if access is None:
            await self.core.dialogs.close(answer.actor.user_id)
            await answer.reply(Reply(self.t(lang, "action.changed_meanwhile")))
            return
        settings = await self.core.settings.of(access.action.board_id)
        day = parse_future_day(
            answer.text, self.core.clock.now().astimezone(settings.timezone).date()
        )
        if day is None:
            await answer.reply(Reply(self.t(lang, "propose.bad_due")))
            return
        await self.core.dialogs.close(answer.actor.user_id)
        reply = await self._save_due(
            answer.actor, access, int(answer.dialog.draft.get("owner_id", 0)), day
        )
        await answer.reply(reply)


CAPABILITY = Capability(
    handlers=modules(ActionHandlers),
    renderers=lambda w: build_action_renderers(w.core.i18n, w.core.settings),
)
