"""The services handlers call, assembled once. No Telegram types in here."""

from __future__ import annotations

from dataclasses import dataclass

from bot.boards import BoardService
from bot.cases import CaseService, CaseWork
from bot.clock import Clock
from bot.config import Config
from bot.dialogs import DialogService
from bot.i18n import Translator
from bot.outbox import Outbox, Waker
from bot.people import PeopleService
from bot.settings import BoardSettingsService
from storage import Database


@dataclass(slots=True)
class Core:
    config: Config
    db: Database
    clock: Clock
    i18n: Translator
    settings: BoardSettingsService
    people: PeopleService
    dialogs: DialogService
    outbox: Outbox
    boards: BoardService
    cases: CaseService
    casework: CaseWork


def build_core(
    config: Config, db: Database, clock: Clock, waker: Waker, *, strict_i18n: bool = False
) -> Core:
    settings = BoardSettingsService(
        {"timezone": config.boardbot_timezone, "language": config.boardbot_language}, db
    )
    outbox = Outbox(waker)
    return Core(
        config=config,
        db=db,
        clock=clock,
        i18n=Translator(strict=strict_i18n),
        settings=settings,
        people=PeopleService(db, clock, settings),
        dialogs=DialogService(db, clock),
        outbox=outbox,
        boards=BoardService(db, clock, outbox),
        cases=CaseService(db, clock, outbox),
        casework=CaseWork(db, clock, outbox),
    )
