"""How an action reads: the group's /actions line, /myactions, the private card.

The group sees the case code, the short title, the owner's sector unless it is a smaller one,
and the due date; the owner's name only in private.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.actions.buttons import ActionPress
from bot.actions.rules import ActionOp, days_overdue, is_overdue
from bot.boards.disclosure import POOLED, GroupSectors
from bot.kernel.i18n import Html, Translator, weekday_date, weekday_moment
from bot.kernel.ui import Button, Keyboard, Reply
from storage.models import ActionRecord, ActionStatus


# actions ------------------------------------------------------------------------------------------
def due_text(t: Translator, lang: str, action: ActionRecord, today: date) -> str:
    """The due date in a list line: "до 10.12.2026", with the overdue days if it is late."""
    if action.due_on is None:
        return str(t.t(lang, "action.no_due"))
    return str(t.t(lang, "action.due_on", day=card_due_text(t, lang, action, today)))


def card_due_text(t: Translator, lang: str, action: ActionRecord, today: date) -> str:
    """The due line of an action's card: "Срок: 10.12.2026", not "Срок: до 10.12.2026"."""
    if action.due_on is None:
        return str(t.t(lang, "action.card_no_due"))
    day = weekday_date(action.due_on, lang)
    if is_overdue(action.due_on, action.status, today):
        return str(t.tn(lang, "action.card_overdue", days_overdue(action.due_on, today), day=day))
    return day


def action_line(
    t: Translator,
    lang: str,
    action: ActionRecord,
    code: str,
    sector: str | None,
    today: date,
    shown: GroupSectors,
) -> str:
    """One line of /actions in the group: code, title, owner's sector (unless it is a smaller
    one, bot.boards.disclosure), due — never a name."""
    return str(
        t.t(
            lang,
            "action.line",
            code=code,
            title=action.title,
            sector=owner_sector_text(t, lang, sector, shown),
            due=Html(due_text(t, lang, action, today)),
            status=t.t(lang, f"action_status.{action.status}"),
        )
    )


def owner_sector_text(t: Translator, lang: str, sector: str | None, shown: GroupSectors) -> str:
    """An action's owner as the group may see them: a named sector, "one of the smaller
    sectors", or "no owner yet"."""
    if sector is None:
        return str(t.t(lang, "action.no_owner"))
    label = shown.label(sector)
    return str(t.t(lang, "sector.pooled_one" if label == POOLED else f"sector.{label}"))


def my_action_line(t: Translator, lang: str, action: ActionRecord, code: str, today: date) -> str:
    """One line of /myactions: the owner is the reader, so no owner column."""
    return str(
        t.t(
            lang,
            "action.my_line",
            code=code,
            title=action.title,
            due=Html(due_text(t, lang, action, today)),
            status=t.t(lang, f"action_status.{action.status}"),
        )
    )


def action_card(
    t: Translator,
    lang: str,
    action: ActionRecord,
    code: str,
    owner: tuple[str, str] | None,
    operations: list[ActionOp],
    today: date,
    tz: ZoneInfo,
    now: datetime,
) -> Reply:
    lines = [
        t.t(lang, "action.card_title", number=action.id, code=code),
        t.t(lang, "vote.title_line", title=action.title),
        t.t(
            lang,
            "action.card_owner",
            owner=Html(
                t.t(lang, "action.owner", name=owner[0], sector=t.t(lang, f"sector.{owner[1]}"))
                if owner
                else t.t(lang, "action.card_no_owner")
            ),
        ),
        t.t(lang, "action.card_due", due=Html(card_due_text(t, lang, action, today))),
        t.t(lang, "action.card_status", status=t.t(lang, f"action_status.{action.status}")),
    ]
    if action.snoozed_until is not None and action.snoozed_until > now:
        lines.append(
            t.t(lang, "action.snoozed", until=weekday_moment(action.snoozed_until, lang, tz))
        )
    buttons = [
        Button(t.t(lang, f"action_op.{op}"), ActionPress(action.id, op).pack()) for op in operations
    ]
    if action.status in (ActionStatus.OPEN, ActionStatus.BLOCKED) and (
        ActionOp.ASSIGN in operations or (action.due_on is None and ActionOp.DONE in operations)
    ):
        buttons.append(
            Button(t.t(lang, "action_op.due"), ActionPress(action.id, ActionOp.DUE).pack())
        )
    rows: Keyboard = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    return Reply("\n".join(str(line) for line in lines), rows)
