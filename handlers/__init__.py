"""The Telegram adapter: every handler of the bot, registered here in one visible order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from telegram import Update
from telegram.ext import BaseHandler

from bot.core import Core
from bot.kernel.notices import build_renderers
from bot.kernel.outbox import Renderer, Task
from handlers import (
    actions,
    agenda,
    boards,
    cases,
    common,
    dialogs,
    escalations,
    meetings,
    minutes,
    nudges,
    overview,
    privacy,
    stats,
    votes,
)
from handlers.base import Context
from handlers.capability import Capability, Wiring
from handlers.deeplinks import DeepLinks
from handlers.routing import routed

CAPABILITIES: tuple[Capability, ...] = (
    boards.CAPABILITY,  # its chat events: membership changes and migrations carry no command
    cases.CAPABILITY,
    votes.CAPABILITY,
    actions.CAPABILITY,
    meetings.CAPABILITY,
    agenda.CAPABILITY,
    minutes.CAPABILITY,
    nudges.CAPABILITY,
    escalations.CAPABILITY,
    overview.CAPABILITY,
    stats.CAPABILITY,
    privacy.CAPABILITY,
)
"""Every capability, one line each (and its import above): the only place in the root that
names them, besides its service in ``bot/core.py``."""


@dataclass(slots=True)
class Handlers:
    ordered: list[BaseHandler[Update, Context, None]]
    deep_links: DeepLinks
    dialogs: dialogs.DialogRouter
    renderers: dict[str, Renderer]
    tasks: dict[str, Task]


def build_handlers(core: Core, bot_username: Callable[[], str] = lambda: "") -> Handlers:
    """All handlers in one group, first match wins, and what the outbox needs from each
    capability. The order matters:

    1. /start, /help, /lang, /cancel and the menu buttons;
    2. each capability's chat events (membership changes, migration), commands and buttons;
    3. private free text, which goes through the personal-data guard into the open dialogue;
    4. fallbacks: unknown commands and stale or forged buttons, answered politely.
    """
    deep_links = DeepLinks()
    router = dialogs.DialogRouter(core)
    wiring = Wiring(core, deep_links, router, bot_username)
    common_handlers, common_callbacks = common.build_handlers(core, router, deep_links)
    ordered: list[BaseHandler[Update, Context, None]] = [
        *common_handlers,  # its commands and buttons match nothing a capability's do
        *(handler for capability in CAPABILITIES for handler in capability.handlers(wiring)),
        *dialogs.build_handlers(core, router),
        *common.build_fallbacks(common_callbacks, core),
    ]
    renderers = build_renderers(core.i18n, core.settings)
    tasks: dict[str, Task] = {}
    for capability in CAPABILITIES:
        renderers.update(capability.renderers(wiring))
        tasks.update(capability.tasks(wiring))
    return Handlers(routed(ordered), deep_links, router, renderers, tasks)
