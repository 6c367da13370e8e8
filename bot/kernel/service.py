"""The base of every capability's service: the kernel's parts under the names all services use,
so a service's constructor names only what is its own (another capability it calls)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kernel.clock import Clock
from bot.kernel.outbox import Outbox
from bot.kernel.settings import BoardSettingsService
from storage import Database


@dataclass(frozen=True, slots=True)
class Kernel:
    """One database, one clock, one outbox and the boards' settings, shared by every service."""

    db: Database
    clock: Clock
    outbox: Outbox
    settings: BoardSettingsService


class Service:
    """A capability's service: its transactions, with the kernel's parts at hand."""

    def __init__(self, kernel: Kernel) -> None:
        self._kernel = kernel
        self._db = kernel.db
        self._clock = kernel.clock
        self._outbox = kernel.outbox
        self._settings = kernel.settings
