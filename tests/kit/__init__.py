"""The test kit: the in-process fake Bot API and people acting in chats (from ``fakegram``),
plus helpers the tests share."""

from __future__ import annotations

from fakegram.api import ApiCall, Failure, FakeBotApi, SentMessage
from fakegram.harness import Exchange, Group, Harness, Person

__all__ = [
    "ApiCall",
    "Exchange",
    "Failure",
    "FakeBotApi",
    "Group",
    "Harness",
    "Person",
    "SentMessage",
]
