"""/start, /help, /lang, /cancel, and the polite answers: unknown commands and stale buttons."""

from __future__ import annotations

from typing import Protocol

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.core import Core
from bot.kernel.buttons import LanguagePick, MenuPress, MenuTarget
from bot.kernel.help import help_sections
from bot.kernel.i18n import LANGUAGE_NAMES, LANGUAGES
from bot.kernel.people import Actor
from bot.kernel.policy import BasicAction, ChatKind, Role, commands_for
from bot.kernel.safety import EMERGENCY_KEY
from bot.kernel.ui import Button, Reply
from handlers import tg
from handlers.base import Context, Refused, guarded
from handlers.deeplinks import DeepLinks
from handlers.dialogs import DialogRouter
from handlers.module import HandlerModule, on_command, on_deep_link, on_press
from handlers.services import HasDialogs, HasPeople, HasWords


class Services(HasWords, HasPeople, HasDialogs, Protocol):
    """What :class:`CommonHandlers` uses of the core."""


class CommonHandlers(HandlerModule[Services]):
    # /start -----------------------------------------------------------------------------------
    @on_command("start", BasicAction.START)
    async def start(self, update: Update, context: Context, actor: Actor) -> None:
        message = update.effective_message
        if message is None:
            return
        payload = (context.args or [""])[0] if actor.chat_kind is ChatKind.PRIVATE else ""
        if payload and await self.deep_links.route(update, context, actor, payload):
            return
        await tg.send(message, self.welcome(actor))

    def welcome(self, actor: Actor) -> Reply:
        lang = actor.language
        if actor.chat_kind is ChatKind.GROUP:
            key = "start.group_board" if actor.board else "start.group"
            return Reply(self.t(lang, key))
        key = "start.private_member" if actor.role is not Role.NON_MEMBER else "start.private"
        text = "\n\n".join([self.t(lang, key), self.t(lang, EMERGENCY_KEY)])
        return Reply(
            text,
            (
                (
                    Button(self.t(lang, "button.help"), MenuPress(MenuTarget.HELP).pack()),
                    Button(self.t(lang, "button.language"), MenuPress(MenuTarget.LANGUAGE).pack()),
                ),
            ),
        )

    @on_deep_link("help")
    async def _help_link(self, update: Update, context: Context, actor: Actor, _arg: str) -> None:
        await self.help(update, context, actor)

    # /help ------------------------------------------------------------------------------------
    @on_command("help", BasicAction.HELP)
    async def help(self, update: Update, context: Context, actor: Actor) -> None:
        await tg.respond(update, self.help_reply(actor))

    def help_reply(self, actor: Actor, *, everything: bool = False) -> Reply:
        """The commands by task, the everyday ones first; the rest behind "more"."""
        lang = actor.language
        lines = [self.t(lang, f"help.title.{actor.chat_kind.value}")]
        lines.append(self.t(lang, f"help.role.{actor.role.value}"))
        sections, hidden = help_sections(
            commands_for(actor.role, actor.chat_kind), everything=everything
        )
        for group, commands in sections:
            lines.append("")
            lines.append(self.t(lang, f"help.group.{group}"))
            lines += [
                self.t(
                    lang,
                    "help.command_line",
                    command=command,
                    description=self.t(lang, f"cmd.{command}"),
                )
                for command in commands
            ]
        lines.append("")
        lines.append(self.t(lang, f"help.footer.{actor.chat_kind.value}"))
        lines.append(self.t(lang, EMERGENCY_KEY))
        keyboard: tuple[tuple[Button, ...], ...] = ()
        if hidden:
            more = self.core.i18n.tn(lang, "help.more", hidden)
            keyboard = ((Button(more, MenuPress(MenuTarget.HELP_ALL).pack()),),)
        return Reply("\n".join(lines), keyboard)

    # /lang ------------------------------------------------------------------------------------
    @on_command("lang", BasicAction.LANG)
    async def lang(self, update: Update, context: Context, actor: Actor) -> None:
        await tg.respond(update, self.language_picker(actor))

    def language_picker(self, actor: Actor) -> Reply:
        lang = actor.language
        buttons = tuple(
            Button(
                ("✓ " if code == lang else "") + LANGUAGE_NAMES[code],
                LanguagePick(code).pack(),
            )
            for code in LANGUAGES
        )
        return Reply(
            self.t(lang, "lang.choose", language=LANGUAGE_NAMES[lang]),
            (buttons,),
        )

    @on_press(LanguagePick, BasicAction.LANG)
    async def lang_pressed(
        self, update: Update, context: Context, actor: Actor, press: LanguagePick
    ) -> None:
        query = tg.pressed(update)
        choice = press.language
        if choice not in LANGUAGES:
            raise Refused("error.stale_button")
        await self.core.people.set_language(actor, choice)
        confirmation = self.t(choice, "lang.changed", language=LANGUAGE_NAMES[choice])
        await tg.answer(query, confirmation)
        if actor.chat_kind is ChatKind.PRIVATE:
            await tg.edit(query, Reply(confirmation))

    @on_press(MenuPress, BasicAction.HELP)
    async def menu_pressed(
        self, update: Update, context: Context, actor: Actor, press: MenuPress
    ) -> None:
        query = tg.pressed(update)
        target = press.target
        if target in (MenuTarget.HELP, MenuTarget.HELP_ALL):
            await tg.answer(query)
            everything = target is MenuTarget.HELP_ALL
            await tg.edit(query, self.help_reply(actor, everything=everything))
        elif target is MenuTarget.LANGUAGE:
            await tg.answer(query)
            picker = self.language_picker(actor)
            await tg.edit(query, picker)

    # /cancel ----------------------------------------------------------------------------------
    @on_command("cancel", BasicAction.CANCEL)
    async def cancel(self, update: Update, context: Context, actor: Actor) -> None:
        closed = await self.core.dialogs.cancel(actor.user_id)
        key = "cancel.done" if closed else "cancel.nothing"
        await tg.respond(update, Reply(self.t(actor.language, key)))

    # fallbacks --------------------------------------------------------------------------------
    async def unknown_command(self, update: Update, context: Context, actor: Actor) -> None:
        message = update.effective_message
        if message is None or message.text is None:
            return
        command = message.text.split()[0]
        addressee = command.partition("@")[2].lower()
        if actor.chat_kind is ChatKind.GROUP and addressee != (context.bot.username or "").lower():
            return  # a bare command, or one for another bot, is not ours to answer in a group
        await tg.send(
            message,
            Reply(self.t(actor.language, "error.unknown_command", command=command)),
        )

    async def stale_button(self, update: Update, context: Context, actor: Actor) -> None:
        query = update.callback_query
        if query is not None:
            await tg.answer(query, self.t(actor.language, "error.stale_button"), alert=True)


def build_handlers(
    core: Core, dialogs: DialogRouter, deep_links: DeepLinks
) -> tuple[list[BaseHandler[Update, Context, None]], CommonHandlers]:
    common = CommonHandlers(core, dialogs, deep_links)
    return common.build_handlers(core), common


def build_fallbacks(common: CommonHandlers, core: Core) -> list[BaseHandler[Update, Context, None]]:
    """Last in the order: whatever no capability claimed."""
    return [
        MessageHandler(
            filters.COMMAND, guarded(core, None, "unknown_command", common.unknown_command)
        ),
        CallbackQueryHandler(guarded(core, None, "stale_button", common.stale_button)),
    ]
