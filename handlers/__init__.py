"""The Telegram adapter: every handler of the bot, registered here in one visible order."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import BaseHandler

from bot.core import Core
from handlers import (
    actions,
    agenda,
    boards,
    cases,
    common,
    dialogs,
    escalations,
    meeting_controls,
    meetings,
    members,
    minutes,
    nudges,
    privacy,
    votes,
)
from handlers.base import Context
from handlers.deeplinks import DeepLinks


@dataclass(slots=True)
class Handlers:
    ordered: list[BaseHandler[Update, Context, None]]
    deep_links: DeepLinks
    dialogs: dialogs.DialogRouter


def build_handlers(core: Core) -> Handlers:
    """All handlers in one group, first match wins. The order matters:

    1. chat events (membership changes, group migration) — they carry no command;
    2. commands and buttons of each capability, by callback prefix;
    3. private free text, which goes through the personal-data guard into the open dialogue;
    4. fallbacks: unknown commands and stale or forged buttons, answered politely.
    """
    deep_links = DeepLinks()
    router = dialogs.DialogRouter(core)
    common_handlers, common_callbacks = common.build_handlers(core, deep_links)
    ordered: list[BaseHandler[Update, Context, None]] = [
        *boards.build_handlers(core, deep_links, router),  # chat events first, then its commands
        *members.build_handlers(core),
        *common_handlers,
        *cases.build_handlers(core, deep_links, router),
        *votes.build_handlers(core, deep_links, router),
        *actions.build_handlers(core, router),
        *meetings.build_handlers(core, deep_links, router),
        *meeting_controls.build_handlers(core, router),
        *agenda.build_handlers(core, router),
        *minutes.build_handlers(core, router),
        *nudges.build_handlers(core),
        *escalations.build_handlers(core, deep_links, router),
        *privacy.build_handlers(core),
        *dialogs.build_handlers(core, router),
        *common.build_fallbacks(common_callbacks, core),
    ]
    return Handlers(ordered, deep_links, router)
