"""One handler in front of the commands and buttons: the update's command name or button prefix
is looked up in a dict, and only that handler checks and runs it. PTB otherwise tries each of
about a hundred handlers in turn (a regular expression per button, a parse per command) for
every update. Behaviour is the routed handler's own: its check decides, its callback runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.ext import Application, BaseHandler, CommandHandler

from handlers.base import ButtonHandler, Context

Handler = BaseHandler[Update, Context, None]


class Routes(BaseHandler[Update, Context, None]):
    def __init__(
        self, commands: Sequence[CommandHandler[Context, None]], buttons: Sequence[ButtonHandler]
    ) -> None:
        super().__init__(self._unused)
        self._commands: dict[str, CommandHandler[Context, None]] = {}
        for handler in commands:
            for name in handler.commands:
                if name in self._commands:
                    raise ValueError(f"/{name} is handled twice")
                self._commands[name] = handler
        self._buttons: dict[str, ButtonHandler] = {}
        for button in buttons:
            if button.prefix in self._buttons:
                raise ValueError(f"button prefix {button.prefix!r} is handled twice")
            self._buttons[button.prefix] = button

    async def _unused(self, update: Update, context: Context) -> None:
        return None

    def _route(self, update: Update) -> Handler | None:
        query = update.callback_query
        if query is not None:
            data = query.data or ""
            prefix = data.split(":", 2)[1] if data.startswith("v1:") and data.count(":") else ""
            return self._buttons.get(prefix)
        message = update.effective_message
        text = message.text if message is not None else None
        if not text or not text.startswith("/"):
            return None
        name = text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower() if len(text) > 1 else ""
        return self._commands.get(name)

    def check_update(self, update: object) -> tuple[Handler, object] | None:
        if not isinstance(update, Update):
            return None
        handler = self._route(update)
        if handler is None:
            return None
        check = handler.check_update(update)
        if check is None or check is False:
            return None
        return handler, check

    async def handle_update(
        self,
        update: Update,
        application: Application[Any, Context, Any, Any, Any, Any],
        check_result: object,
        context: Context,
    ) -> None:
        assert isinstance(check_result, tuple)
        handler, inner = check_result
        await handler.handle_update(update, application, inner, context)


def routed(handlers: Sequence[Handler]) -> list[Handler]:
    """The same handlers with every command and button behind one :class:`Routes`, placed
    where the first of them stood (the others keep their order around it)."""
    commands = [h for h in handlers if isinstance(h, CommandHandler)]
    buttons = [h for h in handlers if isinstance(h, ButtonHandler)]
    out: list[Handler] = []
    placed = False
    for handler in handlers:
        if isinstance(handler, CommandHandler | ButtonHandler):
            if not placed:
                out.append(Routes(commands, buttons))
                placed = True
            continue
        out.append(handler)
    return out
