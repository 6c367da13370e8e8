"""What every benchmark's result carries and how it is kept: the machine and the date beside
the figures, the table printed, the JSON written to the results folder."""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def stamp() -> dict[str, str]:
    """Where and when the figures were measured (they are only comparable within one run)."""
    return {
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.system()}, {os.cpu_count()} cores",
    }


def publish(result: dict[str, Any], out: Path, show: Callable[[dict[str, Any]], None]) -> None:
    """Print the table and keep the JSON."""
    show(result)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
