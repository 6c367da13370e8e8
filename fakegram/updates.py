"""Bot API update JSON as Telegram sends it: messages (with command entities) and button presses."""

from __future__ import annotations

from typing import Any


def message_update(
    update_id: int,
    message_id: int,
    sender: dict[str, Any],
    chat: dict[str, Any],
    text: str,
    date: int,
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": date,
        "chat": chat,
        "from": sender,
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"update_id": update_id, "message": message}


def callback_update(
    update_id: int, query_id: str, sender: dict[str, Any], message: dict[str, Any], data: str
) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": query_id,
            "from": sender,
            "chat_instance": str(message["chat"]["id"]),
            "data": data,
            "message": message,
        },
    }
