"""Logging that never carries the token or message text.

The ``httpx`` logger prints request URLs, and a Bot API URL holds the token: it is kept at WARNING,
and every record is scrubbed of the token as a second line of defence.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Mapping


class RedactingFilter(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, "[redacted]")
            record.msg = message
            record.args = None
        if record.exc_info:
            # A traceback may quote URLs or data: keep the class and where it happened only.
            record.msg = f"{record.getMessage()} [{describe_exception(record.exc_info[1])}]"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


def describe_exception(exc: BaseException | None) -> str:
    """``KeyError at bot/x.py:12``: enough to find a bug, nothing from the data."""
    if exc is None:
        return "unknown error"
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return type(exc).__name__
    last = frames[-1]
    parts = last.filename.replace("\\", "/").split("/")
    return f"{type(exc).__name__} at {'/'.join(parts[-2:])}:{last.lineno}"


def log_format(environ: Mapping[str, str]) -> str:
    """Under systemd (``JOURNAL_STREAM`` set) journald stamps each line itself: no second
    timestamp. Elsewhere the time leads the line."""
    if environ.get("JOURNAL_STREAM"):
        return "%(levelname)s %(name)s: %(message)s"
    return "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str, secrets: list[str]) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(log_format(os.environ)))
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # These log request URLs (the token), call parameters (message text) or SQL parameters at
    # DEBUG/INFO: they stay quiet whatever level the rest of the bot logs at.
    for name in (
        "httpx",
        "httpcore",
        "apscheduler",
        "aiosqlite",
        "telegram.Bot",
        "telegram.ext.ExtBot",
        "telegram.ext.Updater",
        "telegram.ext.JobQueue",
        "telegram.ext.Application",
        "telegram.ext.AIORateLimiter",
    ):
        logging.getLogger(name).setLevel(logging.WARNING)
