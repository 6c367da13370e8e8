"""Scenarios for flow tests (privacy): the steps many tests share, pressed the way people do."""

from __future__ import annotations


def json_escaped(text: str) -> bytes:
    """How json.dumps (ensure_ascii) would store the text."""
    import json

    return json.dumps(text).strip('"').encode()
