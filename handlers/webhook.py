"""Webhook mode: Telegram POSTs each update to the bot, behind the operator's reverse proxy.

``BOARDBOT_WEBHOOK_URL`` switches it on. The bot registers the URL with its secret token
(``setWebhook``); every request must carry that token in ``X-Telegram-Bot-Api-Secret-Token``
or it is refused with 403 and never reaches a handler. An accepted update is handed to PTB's
update queue and answered 200 at once; the bot works through the queue as it does when polling.
The same server answers ``GET /healthz`` for the operator's monitoring: whether the database
answers, and how late the oldest message due in the outbox is.

The server is Starlette run by uvicorn, as in python-telegram-bot's custom webhook example.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import Iterator
from urllib.parse import urlparse

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update

from bot.kernel.config import Config
from handlers.app import ALLOWED_UPDATES, BotRuntime, active_runtime, stop_on_signals

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1_000_000
"""An update is a few kilobytes; anything near this is not from Telegram."""


def webhook_path(config: Config) -> str:
    """The path Telegram posts to: the one in the public URL (the proxy keeps it)."""
    return urlparse(config.boardbot_webhook_url or "").path or "/"


def web_app(runtime: BotRuntime, secret: str, path: str) -> Starlette:
    application = runtime.application

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return PlainTextResponse("forbidden", status_code=403)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_UPDATE_BYTES:
            return PlainTextResponse("too large", status_code=413)
        body = await request.body()
        if len(body) > MAX_UPDATE_BYTES:
            return PlainTextResponse("too large", status_code=413)
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an update")
            update = Update.de_json(data, application.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            return PlainTextResponse("not an update", status_code=400)
        await application.update_queue.put(update)
        return PlainTextResponse("ok")

    async def healthz(request: Request) -> Response:
        report = await runtime.health()
        return JSONResponse(report, status_code=200 if report["database"] == "ok" else 503)

    return Starlette(
        routes=[
            Route(path, receive, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: the bot stops it, then stops itself in order
    (the application, then the database)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def run_webhook(config: Config) -> None:
    """Serve the webhook until SIGINT/SIGTERM; as with polling, every state is in the database,
    and a standby listens only once it has taken over."""
    secret = config.webhook_secret
    if config.boardbot_webhook_url is None or secret is None:
        raise ValueError("webhook mode needs BOARDBOT_WEBHOOK_URL and BOARDBOT_WEBHOOK_SECRET")
    host, _, port = config.boardbot_webhook_listen.rpartition(":")
    stop = stop_on_signals()
    async with active_runtime(config, stop) as runtime:
        if runtime is None:
            return
        server = _Server(
            uvicorn.Config(
                web_app(runtime, secret, webhook_path(config)),
                host=host,
                port=int(port),
                log_level="warning",
                log_config=None,  # uvicorn's records go through the bot's handlers, redacted
                lifespan="off",
                access_log=False,
            )
        )
        stopping = asyncio.create_task(stop.wait())
        stopping.add_done_callback(lambda _task: setattr(server, "should_exit", True))
        try:
            await runtime.application.bot.set_webhook(
                config.boardbot_webhook_url,
                secret_token=secret,
                allowed_updates=ALLOWED_UPDATES,
            )
            log.info(
                "boardbot is running as @%s, webhook on %s",
                runtime.application.bot.username,
                config.boardbot_webhook_listen,
            )
            await server.serve()
        finally:
            stopping.cancel()
