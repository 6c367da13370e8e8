"""``boardbot run | migrate | demo``: the command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys

from bot.kernel.config import ConfigError, load_config
from bot.kernel.logs import configure_logging


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="boardbot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot with long polling (the demo if no token is set)")
    sub.add_parser("migrate", help="create or upgrade the database, then exit")
    demo = sub.add_parser("demo", help="play a scripted session against a built-in fake Telegram")
    demo.add_argument("--lang", choices=["bg", "en"], default="bg")
    args = parser.parse_args(argv)
    command = args.command or "run"

    try:
        config = load_config()
    except ConfigError as exc:
        print(f"boardbot: configuration error: {exc}", file=sys.stderr)
        return 2
    playing_demo = command == "demo" or (command == "run" and config.token is None)
    level = "WARNING" if playing_demo else config.boardbot_log_level
    configure_logging(level, [config.token or ""])

    if playing_demo:
        from fakegram.demo import play

        lang = getattr(args, "lang", config.boardbot_language)
        print(asyncio.run(play(lang)))
        if command == "run":
            from bot.kernel.i18n import Translator

            print("\n" + Translator().t(config.boardbot_language, "cli.no_token"))
        return 0
    if command == "migrate":
        from storage import Database

        async def migrate() -> list[str]:
            db = await Database.open(config.boardbot_db)
            try:
                return await db.migrate()
            finally:
                await db.close()

        applied = asyncio.run(migrate())
        print(f"database {config.boardbot_db}: {len(applied)} migration(s) applied")
        return 0

    from handlers.app import run_polling

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_polling(config))
    return 0


if __name__ == "__main__":
    sys.exit(main())
