"""The services handlers call, assembled once. No Telegram types in here."""

from __future__ import annotations

from dataclasses import dataclass

from bot.actions.service import ActionService
from bot.agenda.service import AgendaService
from bot.boards.service import BoardService
from bot.cases.learning import CaseLearning
from bot.cases.service import CaseService, CaseWork
from bot.escalations.service import EscalationService
from bot.guard.service import HeldTexts
from bot.kernel.clock import Clock
from bot.kernel.config import Config
from bot.kernel.dialogs import DialogService
from bot.kernel.i18n import Translator
from bot.kernel.outbox import Outbox, Waker
from bot.kernel.people import PeopleService
from bot.kernel.service import Kernel
from bot.kernel.settings import BoardSettingsService
from bot.meetings.service import MeetingService
from bot.minutes.service import MinutesService
from bot.nudges.service import NudgeService
from bot.overview.service import OverviewService
from bot.privacy.service import PrivacyService
from bot.series.service import SeriesService
from bot.stats.council import CouncilService
from bot.stats.service import StatsService
from bot.votes.service import VoteService
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
    learning: CaseLearning
    votes: VoteService
    actions: ActionService
    meetings: MeetingService
    series: SeriesService
    agenda: AgendaService
    minutes: MinutesService
    nudges: NudgeService
    escalations: EscalationService
    privacy: PrivacyService
    held: HeldTexts
    overview: OverviewService
    stats: StatsService
    councils: CouncilService


def build_core(
    config: Config, db: Database, clock: Clock, waker: Waker, *, strict_i18n: bool = False
) -> Core:
    settings = BoardSettingsService(
        {"timezone": config.boardbot_timezone, "language": config.boardbot_language}, db
    )
    kernel = Kernel(db, clock, Outbox(waker), settings)
    nudges = NudgeService(kernel)
    agenda = AgendaService(kernel, nudges)
    meetings = MeetingService(kernel, nudges)
    return Core(
        config=config,
        db=db,
        clock=clock,
        i18n=Translator(strict=strict_i18n),
        settings=settings,
        people=PeopleService(kernel),
        dialogs=DialogService(kernel),
        outbox=kernel.outbox,
        boards=BoardService(kernel),
        cases=CaseService(kernel),
        casework=CaseWork(kernel),
        learning=CaseLearning(kernel),
        votes=VoteService(kernel, nudges),
        actions=ActionService(kernel, nudges),
        meetings=meetings,
        series=SeriesService(kernel, meetings),
        agenda=agenda,
        minutes=MinutesService(kernel, nudges),
        nudges=nudges,
        escalations=EscalationService(kernel, nudges, agenda),
        privacy=PrivacyService(kernel),
        held=HeldTexts(kernel),
        overview=OverviewService(kernel),
        stats=StatsService(kernel),
        councils=CouncilService(kernel),
    )
