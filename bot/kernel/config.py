"""Settings read once from the environment (and an optional ``.env``), validated up front.

A bad value must stop the bot with one line that names the variable, never a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SUPPORTED_LANGUAGES = ("bg", "en")


TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"


TELEGRAM_API_FILE_URL = "https://api.telegram.org/file/bot"


_TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")


class ConfigError(Exception):
    """A configuration value is unusable; the message names the variable."""


class Config(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    telegram_bot_token: SecretStr | None = Field(default=None)
    telegram_api_base_url: str = TELEGRAM_API_BASE_URL
    telegram_api_file_url: str = TELEGRAM_API_FILE_URL
    boardbot_db: Path = Path("data/boardbot.sqlite3")
    boardbot_database_url: SecretStr | None = None
    """``postgresql://user:password@host/db`` to keep everything in PostgreSQL (or
    ``sqlite:///path``); unset, the SQLite file ``BOARDBOT_DB``. A secret: it may carry a
    password, so it is never printed or logged."""
    boardbot_timezone: str = "Europe/Sofia"
    boardbot_language: str = "bg"
    boardbot_log_level: str = "INFO"
    boardbot_clock_shift_seconds: float = 0.0
    """For tests and rehearsals only: the bot lives this many seconds ahead of (or behind) the
    system clock, so a real process can be run on a chosen day and hour."""

    boardbot_webhook_url: str | None = None
    """Set, Telegram POSTs updates to this public https URL (behind the operator's reverse
    proxy) instead of the bot polling for them."""
    boardbot_webhook_listen: str = "127.0.0.1:8080"
    """Where the webhook server listens (host:port); the proxy forwards to it. It also
    answers ``GET /healthz``."""
    boardbot_webhook_secret: SecretStr | None = None
    """Telegram sends it in ``X-Telegram-Bot-Api-Secret-Token`` with every update; a request
    without it is refused. Required with a webhook URL."""

    @property
    def database_location(self) -> str:
        """Where :func:`storage.open_database` finds the database."""
        url = self.boardbot_database_url
        return url.get_secret_value() if url is not None else str(self.boardbot_db)

    @property
    def database_label(self) -> str:
        """The database as it may be printed: the file, or the server and database name
        (never the user or the password in the URL)."""
        url = self.boardbot_database_url
        if url is None:
            return str(self.boardbot_db)
        parts = urlsplit(url.get_secret_value())
        if parts.scheme.startswith("postgres"):
            return f"PostgreSQL {parts.hostname or 'localhost'}:{parts.port or 5432}{parts.path}"
        return parts.path

    @model_validator(mode="after")
    def _webhook(self) -> Config:
        if self.boardbot_webhook_url is not None and self.boardbot_webhook_secret is None:
            raise ValueError(
                "BOARDBOT_WEBHOOK_SECRET is needed with BOARDBOT_WEBHOOK_URL"
                " (1-256 characters: A-Z, a-z, 0-9, _ and -)"
            )
        return self

    @field_validator("boardbot_webhook_url", mode="before")
    @classmethod
    def _webhook_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not re.match(r"^https?://[^\s/]+", value.strip()):
            raise ValueError("must be the public https URL Telegram posts updates to")
        return value.strip()

    @field_validator("boardbot_webhook_listen")
    @classmethod
    def _listen(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"must be host:port, got {value!r}")
        return value

    @field_validator("boardbot_webhook_secret", mode="before")
    @classmethod
    def _secret(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.strip()):
            raise ValueError("must be 1-256 characters: A-Z, a-z, 0-9, _ and -")
        return value.strip()

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not _TOKEN_RE.match(value.strip()):
            raise ValueError("does not look like a bot token (digits:letters, from @BotFather)")
        return value.strip()

    @field_validator("telegram_api_base_url", "telegram_api_file_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError(f"must be an http(s) URL, got {value!r}")
        return value

    @field_validator("boardbot_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r} (e.g. Europe/Sofia)") from None
        return value

    @field_validator("boardbot_language")
    @classmethod
    def _language(cls, value: str) -> str:
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LANGUAGES)}, got {value!r}")
        return value

    @field_validator("boardbot_log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        if value.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError(f"must be DEBUG, INFO, WARNING or ERROR, got {value!r}")
        return value.upper()

    @property
    def token(self) -> str | None:
        return (
            None if self.telegram_bot_token is None else self.telegram_bot_token.get_secret_value()
        )

    @property
    def webhook_secret(self) -> str | None:
        secret = self.boardbot_webhook_secret
        return None if secret is None else secret.get_secret_value()

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.boardbot_timezone)


def load_config(env_file: str | None = ".env") -> Config:
    """Read the configuration or raise ``ConfigError`` with one readable line."""
    try:
        return Config(_env_file=env_file)  # type: ignore[call-arg]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "configuration"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{name}: {message}") from None
