"""What one capability brings to the composition root: its handlers, how its outbox kinds are
worded, and the tasks the outbox runs for it. Each handler module exports one ``CAPABILITY``;
``handlers/__init__.py`` lists them, one line each, in the order their handlers are tried."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler

from bot.core import Core
from bot.kernel.outbox import Renderer, Task
from handlers.base import Context
from handlers.deeplinks import DeepLinks
from handlers.dialogs import DialogRouter
from handlers.module import HandlerModule

HandlerList = list[BaseHandler[Update, Context, None]]


@dataclass(frozen=True, slots=True)
class Wiring:
    """What the root shares with every capability as it registers it."""

    core: Core
    deep_links: DeepLinks
    dialogs: DialogRouter
    bot_username: Callable[[], str]
    """The bot's @username once Telegram has told it (links in group posts), else ""."""


ModuleClass = Callable[[Core, DialogRouter, DeepLinks], HandlerModule[Any]]
"""A handler class made from the wiring alone; mypy checks that the core gives it every
service its ``Services`` protocol asks for."""


def modules(*classes: ModuleClass) -> Callable[[Wiring], HandlerList]:
    """The commands and buttons of handler classes that need nothing but the wiring."""

    def build(wiring: Wiring) -> HandlerList:
        made = [cls(wiring.core, wiring.dialogs, wiring.deep_links) for cls in classes]
        return [handler for module in made for handler in module.build_handlers(wiring.core)]

    return build


def _no_renderers(wiring: Wiring) -> dict[str, Renderer]:
    return {}


def _no_tasks(wiring: Wiring) -> dict[str, Task]:
    return {}


@dataclass(frozen=True, slots=True)
class Capability:
    handlers: Callable[[Wiring], HandlerList]
    renderers: Callable[[Wiring], dict[str, Renderer]] = _no_renderers
    tasks: Callable[[Wiring], dict[str, Task]] = _no_tasks
