"""Scenarios for flow tests (erasure): the steps many tests share, pressed the way people do."""

from __future__ import annotations

import json
from pathlib import Path

NOTE = "Уникалната бележка за ресурсния учител"
REASON = "Уникална причина: няма психолог до януари"


def database_bytes(path: Path) -> bytes:
    """The main file and its sidecars, as a copy of the folder would carry them."""
    raw = path.read_bytes()
    for suffix in ("-wal", "-shm", "-journal"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            raw += sidecar.read_bytes()
    return raw


def stored_forms(text: str) -> tuple[bytes, bytes]:
    """The text as a column holds it and as a JSON draft holds it (``ensure_ascii``)."""
    return text.encode(), json.dumps(text).strip('"').encode()


def holds(path: Path, text: str) -> bool:
    raw = database_bytes(path)
    return any(form in raw for form in stored_forms(text))
