"""A case's team, in private: /team CODE, adding and removing members, naming the lead."""

from __future__ import annotations

from typing import Protocol

from telegram import Update

from bot.cases.buttons import (
    TeamAdd,
    TeamLead,
    TeamRemove,
)
from bot.cases.policy import CaseAction
from bot.cases.rules import (
    can_read_details,
)
from bot.kernel.people import Actor
from bot.kernel.ui import Button, Reply
from handlers import tg
from handlers.base import Context, Refused
from handlers.module import HandlerModule, on_command, on_press
from handlers.services import HasBoards, HasCases, HasCasework, HasWords
from storage.models import CaseRecord, TeamRole


class Services(HasWords, HasBoards, HasCases, HasCasework, Protocol):
    """What :class:`CaseTeamHandlers` uses of the core."""


class CaseTeamHandlers(HandlerModule[Services]):
    # the team ---------------------------------------------------------------------------------
    @on_command("team", CaseAction.CASE_TEAM)
    async def team(self, update: Update, context: Context, actor: Actor) -> None:
        case = await self.core.cases.by_code(" ".join(context.args or []))
        if case is None:
            await tg.respond(update, Reply(self.t(actor.language, "case.not_found")))
            return
        role, team = await self.core.cases.access(case, actor.user_id)
        if not can_read_details(role, team):
            await tg.respond(update, Reply(self.t(actor.language, "case.not_found")))
            return
        await tg.respond(update, await self.team_reply(actor, case))

    async def team_reply(self, actor: Actor, case: CaseRecord) -> Reply:
        lang = actor.language
        members = {m.user_id: m.display_name for m in await self.core.boards.members(case.board_id)}
        team = await self.core.cases.team_of(case.id)
        lines = [self.t(lang, "team.title", code=case.code)]
        lines += [
            self.t(
                lang,
                "team.line",
                name=members.get(uid, str(uid)),
                role=self.t(lang, f"case_role.{role}"),
            )
            for uid, role in team
        ]
        rows: list[tuple[Button, ...]] = []
        if await self.core.casework.may_manage(case, actor.user_id):
            on_team = {uid for uid, _ in team}
            rows += [
                (Button(f"➖ {members.get(uid, str(uid))}", TeamRemove(case.id, uid).pack()),)
                for uid, role in team
                if role == TeamRole.CONTRIBUTOR
            ]
            rows += [
                (Button(f"➕ {name}", TeamAdd(case.id, uid).pack()),)
                for uid, name in members.items()
                if uid not in on_team
            ]
        if await self.core.casework.is_coordinating(case, actor.user_id):
            leads = {uid for uid, role in team if role == TeamRole.LEAD}
            rows += [
                (Button(f"👑 {name}", TeamLead(case.id, uid).pack()),)
                for uid, name in members.items()
                if uid not in leads
            ]
        return Reply("\n".join(lines), tuple(rows[:90]))

    @on_press(TeamAdd, CaseAction.CASE_TEAM)
    @on_press(TeamRemove, CaseAction.CASE_TEAM)
    @on_press(TeamLead, CaseAction.CASE_TEAM)
    async def team_pressed(
        self, update: Update, context: Context, actor: Actor, press: TeamAdd | TeamRemove | TeamLead
    ) -> None:
        query = tg.pressed(update)
        lang = actor.language
        member_id = press.user_id
        case = await self.core.cases.get(press.case_id)
        if case is None:
            raise Refused("error.stale_button")
        work = self.core.casework
        if isinstance(press, TeamAdd):
            refusal = await work.add_contributor(actor.user_id, case.id, member_id)
        elif isinstance(press, TeamLead):
            refusal = await work.set_lead(actor.user_id, case.id, member_id)
        else:
            refusal = await work.remove_contributor(actor.user_id, case.id, member_id)
        if refusal is not None:
            raise Refused(refusal.message_key)
        await tg.answer(query, self.t(lang, "team.saved"))
        await tg.edit(query, await self.team_reply(actor, case))
