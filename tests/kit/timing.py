"""Time limits for tests of real processes that scale with how fast the machine is right now.

A test that says "within 100 ms" means 100 ms on an idle machine of the kind CI runs on; beside
a CPU hog the same work takes longer for reasons that are not the bot's. ``slowness()`` times a
fixed piece of the same kind of work here and now (decoding Telegram updates, what a flood
costs) against its time on an idle 2-core machine, never less than 1.
"""

from __future__ import annotations

import time

from telegram import Bot, Update

from fakegram.updates import message_update

REFERENCE_SECONDS = 0.021
"""Decoding 300 updates on an idle 2-core x86_64 machine (CPython 3.11, 2.12.2026)."""


def slowness() -> float:
    """How many times slower than the reference machine this one is now (at least 1)."""
    bot = Bot("1:calibration")
    sender = {"id": 1, "is_bot": False, "first_name": "А"}
    chat = {"id": 1, "type": "private", "first_name": "А"}
    updates = [message_update(i, i, sender, chat, f"текст {i}", 0) for i in range(300)]
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for update in updates:
            Update.de_json(update, bot)
        best = min(best, time.perf_counter() - started)
    return max(1.0, best / REFERENCE_SECONDS)
