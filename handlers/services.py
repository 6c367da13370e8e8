"""What the core offers, one service at a time: each handler module and helper declares a
Protocol of just the services it uses (``class Services(HasCases, HasWords, Protocol)``), so
mypy keeps a handler from reaching for one it has not declared, and a reader sees at the top of
every module what it depends on. :class:`bot.core.Core` satisfies all of them."""

from __future__ import annotations

from typing import Protocol

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
from bot.kernel.outbox import Outbox
from bot.kernel.people import PeopleService
from bot.kernel.settings import BoardSettingsService
from bot.meetings.service import MeetingService
from bot.minutes.service import MinutesService
from bot.nudges.service import NudgeService
from bot.privacy.service import PrivacyService
from bot.series.service import SeriesService
from bot.votes.service import VoteService
from storage import Database


class HasConfig(Protocol):
    config: Config


class HasDb(Protocol):
    db: Database


class HasClock(Protocol):
    clock: Clock


class HasWords(Protocol):
    i18n: Translator


class HasSettings(Protocol):
    settings: BoardSettingsService


class HasPeople(Protocol):
    people: PeopleService


class HasDialogs(Protocol):
    dialogs: DialogService


class HasOutbox(Protocol):
    outbox: Outbox


class HasBoards(Protocol):
    boards: BoardService


class HasCases(Protocol):
    cases: CaseService


class HasCasework(Protocol):
    casework: CaseWork


class HasLearning(Protocol):
    learning: CaseLearning


class HasVotes(Protocol):
    votes: VoteService


class HasActions(Protocol):
    actions: ActionService


class HasMeetings(Protocol):
    meetings: MeetingService


class HasSeries(Protocol):
    series: SeriesService


class HasAgenda(Protocol):
    agenda: AgendaService


class HasMinutes(Protocol):
    minutes: MinutesService


class HasNudges(Protocol):
    nudges: NudgeService


class HasEscalations(Protocol):
    escalations: EscalationService


class HasPrivacy(Protocol):
    privacy: PrivacyService


class HasHeld(Protocol):
    held: HeldTexts
