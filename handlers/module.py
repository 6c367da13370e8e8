"""A handler module's class: each method says what it handles where it is defined.

``@on_command("propose", VoteAction.PROPOSE)`` and ``@on_press(CastVote, VoteAction.VOTE)`` put a
method behind the guard (who is acting, may they) as a command or as one kind of button;
``@on_step(KIND)`` makes it a dialogue's free-text step, ``@on_resume("note")`` the place a
command's blanked text goes on, and ``@on_deep_link("case")`` the handler of ``/start case_…``.
:class:`HandlerModule` registers the steps, resumes and deep links when it is made and gives the
commands and buttons to the root in the order they are written, so a module has no registration
table to keep beside its methods.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Awaitable, Callable
from typing import Any, Generic, NamedTuple, TypeVar

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.core import Core
from bot.kernel.buttons import ButtonData
from bot.kernel.people import Actor
from bot.kernel.policy import Action
from handlers.base import Context, button, guarded
from handlers.deeplinks import DeepLinks
from handlers.dialogs import Answer, DialogRouter
from handlers.services import HasWords


class _Command(NamedTuple):
    name: str
    action: Action


class _Press(NamedTuple):
    kind: type[ButtonData]
    action: Action


class _Step(NamedTuple):
    kind: str
    first_step: str


class _Resume(NamedTuple):
    origin: str


class _DeepLink(NamedTuple):
    prefix: str


_Route = _Command | _Press | _Step | _Resume | _DeepLink
_ROUTES: dict[Callable[..., Any], list[_Route]] = {}
"""Each decorated function and what it handles, innermost decorator first."""

F = TypeVar("F", bound=Callable[..., Awaitable[None]])
S = TypeVar("S", bound=HasWords)
# What each kind of route's method takes (mypy holds a decorated method to it):
CommandF = TypeVar("CommandF", bound=Callable[[Any, Update, Context, Actor], Awaitable[None]])
PressF = TypeVar("PressF", bound=Callable[[Any, Update, Context, Actor, Any], Awaitable[None]])
StepF = TypeVar("StepF", bound=Callable[[Any, Answer], Awaitable[None]])
ResumeF = TypeVar(
    "ResumeF", bound=Callable[[Any, Update, Context, Actor, dict[str, Any], str], Awaitable[None]]
)
DeepLinkF = TypeVar(
    "DeepLinkF", bound=Callable[[Any, Update, Context, Actor, str], Awaitable[None]]
)


def _route(route: _Route) -> Callable[[F], F]:
    def mark(method: F) -> F:
        _ROUTES.setdefault(method, []).append(route)
        return method

    return mark


def on_command(name: str, action: Action) -> Callable[[CommandF], CommandF]:
    """The method ``(self, update, context, actor)`` answers ``/name``."""
    return _route(_Command(name, action))


def on_press(kind: type[ButtonData], action: Action) -> Callable[[PressF], PressF]:
    """The method ``(self, update, context, actor, press)`` answers a press of ``kind``, given
    its data unpacked; its ``press`` parameter must accept ``kind`` (checked as the class is
    made). Stacked, one method answers several kinds."""
    return _route(_Press(kind, action))


def on_step(kind: str, first_step: str = "") -> Callable[[StepF], StepF]:
    """The method ``(self, answer: Answer)`` takes a free-text answer in an open dialogue of
    ``kind`` (``first_step``: where it starts, so nothing is yet lost)."""
    return _route(_Step(kind, first_step))


def on_resume(origin: str) -> Callable[[ResumeF], ResumeF]:
    """The method ``(self, update, context, actor, payload, text)`` goes on with a command of
    ``origin`` whose text the guard blanked and its author saved."""
    return _route(_Resume(origin))


def on_deep_link(prefix: str) -> Callable[[DeepLinkF], DeepLinkF]:
    """The method ``(self, update, context, actor, payload)`` answers ``/start prefix_…``."""
    return _route(_DeepLink(prefix))


class HandlerModule(Generic[S]):
    """The base of every handler class: the services it declares (``core``), the words, and the
    dialogue router and deep links it registers its methods with."""

    def __init__(self, core: S, dialogs: DialogRouter, deep_links: DeepLinks) -> None:
        self.core = core
        self.t = core.i18n.t
        self.dialogs = dialogs
        self.deep_links = deep_links
        for name, route in self._routes():
            method = getattr(self, name)
            if isinstance(route, _Step):
                dialogs.register(route.kind, method, first_step=route.first_step)
            elif isinstance(route, _Resume):
                dialogs.register_resume(route.origin, method)
            elif isinstance(route, _DeepLink):
                deep_links.register(route.prefix, method)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, route in cls._routes():
            if isinstance(route, _Press):
                _check_accepts(cls, name, route.kind)

    @classmethod
    def _routes(cls) -> list[tuple[str, _Route]]:
        """Every route of the class's own methods, in the order the methods are written."""
        return [
            (name, route)
            for name, value in vars(cls).items()
            for route in reversed(_ROUTES.get(value, []))
        ]

    def build_handlers(self, core: Core) -> list[BaseHandler[Update, Context, None]]:
        """The commands and buttons, each behind the guard, in the order they are written."""
        found: list[BaseHandler[Update, Context, None]] = []
        for name, route in self._routes():
            where = f"{type(self).__name__}.{name}"
            if isinstance(route, _Command):
                found.append(
                    CommandHandler(
                        route.name, guarded(core, route.action, where, getattr(self, name))
                    )
                )
            elif isinstance(route, _Press):
                found.append(button(core, route.kind, route.action, where, getattr(self, name)))
        return found


def _check_accepts(cls: type, name: str, kind: type[ButtonData]) -> None:
    """A button routed to a method whose ``press`` parameter is of another kind fails here, as
    the module is imported, not on the first press."""
    function = vars(cls)[name]
    parameters = list(inspect.signature(function).parameters)
    if len(parameters) != 5:
        raise TypeError(f"{cls.__name__}.{name} must take (self, update, context, actor, press)")
    hints = typing.get_type_hints(function)
    accepted = hints.get(parameters[4])
    options = (
        typing.get_args(accepted)
        if isinstance(accepted, types.UnionType) or typing.get_origin(accepted) is typing.Union
        else (accepted,)
    )
    if not any(isinstance(option, type) and issubclass(kind, option) for option in options):
        raise TypeError(f"{cls.__name__}.{name} does not take a {kind.__name__} press")
