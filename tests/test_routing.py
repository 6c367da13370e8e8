"""The routing table in front of the commands and buttons (handlers.routing)."""

from __future__ import annotations

import pytest
from telegram.ext import CommandHandler

from handlers.base import ButtonHandler
from handlers.routing import Routes, routed


async def nothing(update: object, context: object) -> None:
    return None


def test_a_command_or_a_button_prefix_handled_twice_is_refused_at_start_up() -> None:
    with pytest.raises(ValueError, match="/help"):
        Routes([CommandHandler("help", nothing), CommandHandler("help", nothing)], [])
    with pytest.raises(ValueError, match="'st'"):
        Routes([], [ButtonHandler("st", nothing, "^v1:st"), ButtonHandler("st", nothing, "^v1:st")])


def test_the_routes_stand_where_the_first_command_or_button_stood() -> None:
    from telegram.ext import MessageHandler, filters

    events = MessageHandler(filters.StatusUpdate.MIGRATE, nothing)
    free_text = MessageHandler(filters.TEXT, nothing)
    handlers = [
        events,
        CommandHandler("a", nothing),
        ButtonHandler("b", nothing, "^v1:b"),
        free_text,
    ]
    out = routed(handlers)
    assert out[0] is events and isinstance(out[1], Routes) and out[2] is free_text
    assert len(out) == 3
