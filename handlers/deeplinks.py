"""``/start <payload>`` routing: each capability registers the deep-link prefixes it owns."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from telegram import Update

from bot.kernel.people import Actor
from handlers.base import Context

DeepLinkHandler = Callable[[Update, Context, Actor, str], Awaitable[None]]
_PAYLOAD = re.compile(r"^([a-z]{1,16})(?:_([A-Za-z0-9_-]{1,48}))?$")


class DeepLinks:
    def __init__(self) -> None:
        self._routes: dict[str, DeepLinkHandler] = {}

    def register(self, prefix: str, handler: DeepLinkHandler) -> None:
        if prefix in self._routes:
            raise ValueError(f"deep-link prefix {prefix!r} registered twice")
        self._routes[prefix] = handler

    async def route(self, update: Update, context: Context, actor: Actor, payload: str) -> bool:
        """Run the payload's handler; ``False`` for a payload nobody owns (or a forged one)."""
        match = _PAYLOAD.match(payload)
        if match is None or match[1] not in self._routes:
            return False
        await self._routes[match[1]](update, context, actor, match[2] or "")
        return True
