"""``boardbot run | migrate | demo | backup PATH | copy-to URL``: the command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from pathlib import Path

from bot.kernel.config import ConfigError, load_config
from bot.kernel.logs import configure_logging


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="boardbot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser(
        "run",
        help="run the bot: long polling, or a webhook with BOARDBOT_WEBHOOK_URL"
        " (the demo if no token is set)",
    )
    sub.add_parser("migrate", help="create or upgrade the database, then exit")
    demo = sub.add_parser("demo", help="play a scripted session against a built-in fake Telegram")
    demo.add_argument("--lang", choices=["bg", "en"], default="bg")
    backup = sub.add_parser(
        "backup", help="copy the database, consistently, into a new file (also while it runs)"
    )
    backup.add_argument("path", help="the new file (it must not exist)")
    backup.add_argument(
        "--db", type=Path, default=None, help="the database to copy (default: BOARDBOT_DB)"
    )
    copy_to = sub.add_parser(
        "copy-to",
        help="copy the SQLite database into an empty PostgreSQL one, then compare them row by row",
    )
    copy_to.add_argument("url", help="the PostgreSQL database: postgresql://user@host/name")
    copy_to.add_argument(
        "--db", type=Path, default=None, help="the SQLite file (default: BOARDBOT_DB)"
    )
    args = parser.parse_args(argv)
    command = args.command or "run"

    try:
        config = load_config()
    except ConfigError as exc:
        print(f"boardbot: configuration error: {exc}", file=sys.stderr)
        return 2
    playing_demo = command == "demo" or (command == "run" and config.token is None)
    level = "WARNING" if playing_demo else config.boardbot_log_level
    configure_logging(level, [config.token or "", config.webhook_secret or ""])

    if playing_demo:
        from fakegram.demo import play

        lang = getattr(args, "lang", config.boardbot_language)
        print(asyncio.run(play(lang)))
        if command == "run":
            from bot.kernel.i18n import Translator

            print("\n" + Translator().t(config.boardbot_language, "cli.no_token"))
        return 0
    if command == "migrate":
        from storage import open_database

        async def migrate() -> list[str]:
            db = await open_database(config.database_location)
            try:
                return await db.migrate()
            finally:
                await db.close()

        applied = asyncio.run(migrate())
        print(f"database {config.database_label}: {len(applied)} migration(s) applied")
        return 0

    if command == "backup":
        if args.db is None and config.database_label.startswith("PostgreSQL"):
            print(
                "boardbot: a PostgreSQL database is backed up with pg_dump"
                ' (docs/operations.md, "Backup and restore")',
                file=sys.stderr,
            )
            return 2
        return _backup(args.db or config.boardbot_db, args.path)

    if command == "copy-to":
        return _copy_to(args.db or config.boardbot_db, args.url)

    from handlers.app import LostLeadError, run_polling

    if config.boardbot_webhook_url is not None:
        from handlers.webhook import run_webhook

        serve = run_webhook
    else:
        serve = run_polling
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve(config))
    except LostLeadError as exc:
        print(f"boardbot: stopped: {exc}; starting again makes it a standby", file=sys.stderr)
        return 3
    return 0


def _backup(database: Path, target: str) -> int:
    from storage import SqliteDatabase

    if not database.exists():
        print(f"boardbot: no database at {database}", file=sys.stderr)
        return 2
    copy = Path(target)
    if copy.exists():
        print(f"boardbot: {copy} exists; choose a new file name", file=sys.stderr)
        return 2

    async def backup() -> None:
        db = await SqliteDatabase.open(database)
        try:
            await db.backup_to(copy)
        finally:
            await db.close()

    asyncio.run(backup())
    print(f"database {database}: copied to {copy} ({copy.stat().st_size} bytes)")
    return 0


def _copy_to(database: Path, url: str) -> int:
    from storage import SqliteDatabase, open_database
    from storage.copy import CopyError, copy_database

    if not url.startswith(("postgresql://", "postgres://")):
        print("boardbot: copy-to takes a postgresql:// URL", file=sys.stderr)
        return 2
    if not database.exists():
        print(f"boardbot: no database at {database}", file=sys.stderr)
        return 2

    async def copy() -> int:
        source = await SqliteDatabase.open(database)
        try:
            target = await open_database(url)
            try:
                report = await copy_database(source, target)
            finally:
                await target.close()
        finally:
            await source.close()
        print(
            f"database {database}: {report.total} row(s) in {len(report.rows)} tables copied"
            " to PostgreSQL and compared row by row: the same"
        )
        return 0

    try:
        return asyncio.run(copy())
    except CopyError as exc:
        print(f"boardbot: copy-to stopped: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
