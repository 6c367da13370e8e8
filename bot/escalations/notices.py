"""Escalation messages, worded at send time: to the coordinators (in full), to the external
contact (code, kind and urgency only), and to the raiser (each step and reply)."""

from __future__ import annotations

from bot.escalations.buttons import EscalationOp, EscalationPress
from bot.escalations.service import ESC_EXTERNAL, ESC_NOTICE, ESC_UPDATE
from bot.kernel.i18n import Translator
from bot.kernel.notices import recipient_language
from bot.kernel.outbox import Rendered, Renderer
from bot.kernel.policy import COORDINATORS, Role
from bot.kernel.safety import EMERGENCY_KEY
from bot.kernel.settings import BoardSettingsService
from bot.kernel.ui import Button, DetailsOf, Reply
from storage import Session
from storage.models import EscalationRecord, EscalationStatus, MembershipStatus, OutboxItem

HANDLING = (
    EscalationOp.ACKNOWLEDGE,
    EscalationOp.REPLY,
    EscalationOp.SUPERVISION,
    EscalationOp.RESOLVE,
)


def handling_buttons(
    t: Translator, lang: str, escalation_id: int
) -> tuple[tuple[Button, ...], ...]:
    buttons = [
        Button(
            t.t(lang, f"escalation.button.{op.value}"),
            EscalationPress(escalation_id, op).pack(),
        )
        for op in HANDLING
    ]
    return (tuple(buttons[:2]), tuple(buttons[2:]))


def withdraw_button(t: Translator, lang: str, escalation_id: int, label: str = "") -> Button:
    """The raiser's way back; ``label`` adds which concern, in a list."""
    text = t.t(lang, "escalation.button.wd")
    return Button(
        f"{text} · {label}" if label else text,
        EscalationPress(escalation_id, EscalationOp.WITHDRAW).pack(),
    )


async def subject_line(
    t: Translator, lang: str, session: Session, escalation: EscalationRecord
) -> str:
    case = None if escalation.case_id is None else await session.cases.get(escalation.case_id)
    return str(
        t.t(
            lang,
            "escalation.subject",
            code=case.code if case is not None else t.t(lang, "escalation.no_case"),
            kind=t.t(lang, f"escalation.kind.{escalation.kind}"),
            urgency=t.t(lang, f"escalation.urgency.{escalation.urgency}"),
        )
    )


def build_escalation_renderers(
    i18n: Translator, settings: BoardSettingsService
) -> dict[str, Renderer]:
    t = i18n

    async def load(item: OutboxItem, session: Session) -> EscalationRecord | None:
        escalation = await session.escalations.get(int(item.payload.get("escalation_id", 0)))
        if escalation is None or item.recipient_id is None:
            return None
        return escalation

    async def notice(item: OutboxItem, session: Session) -> Rendered:
        escalation = await load(item, session)
        if escalation is None or escalation.status in (
            EscalationStatus.RESOLVED,
            EscalationStatus.WITHDRAWN,
        ):
            return None
        member = await session.boards.membership(escalation.board_id, item.recipient_id or 0)
        if (
            member is None
            or member.status != MembershipStatus.ACTIVE
            or Role(member.role) not in COORDINATORS
        ):
            return None  # no longer coordinating: the text and the raiser's name are not theirs
        lang = await recipient_language(item, session, settings)
        raiser = await session.boards.membership(escalation.board_id, escalation.raised_by)
        text = "\n".join(
            [
                t.t(lang, "escalation.notice_title", level=escalation.level + 1),
                await subject_line(t, lang, session, escalation),
                t.t(
                    lang,
                    "escalation.raised_by",
                    name=raiser.display_name if raiser else "—",
                    sector=t.t(lang, f"sector.{raiser.sector if raiser else 'other'}"),
                ),
                t.t(lang, "escalation.description", text=escalation.description),
                t.t(lang, EMERGENCY_KEY),
            ]
        )
        return Reply(
            text,
            handling_buttons(t, lang, escalation.id),
            details_of=DetailsOf(escalation.case_id, escalation.board_id),
        )

    async def external(item: OutboxItem, session: Session) -> Rendered:
        escalation = await load(item, session)
        if escalation is None or escalation.status != EscalationStatus.OPEN:
            return None
        if await session.escalations.external_contact(escalation.board_id) != item.recipient_id:
            return None  # the board has another external contact now
        lang = await recipient_language(item, session, settings)
        board = await session.boards.get(escalation.board_id)
        text = "\n".join(
            [
                t.t(lang, "escalation.external_title", board=board.title if board else "—"),
                await subject_line(t, lang, session, escalation),
                t.t(lang, "escalation.external_hint"),
            ]
        )
        return Reply(text)

    async def update(item: OutboxItem, session: Session) -> Rendered:
        escalation = await load(item, session)
        if escalation is None:
            return None
        member = await session.boards.membership(escalation.board_id, item.recipient_id or 0)
        if member is None or member.status != MembershipStatus.ACTIVE:
            return None  # left the board meanwhile
        lang = await recipient_language(item, session, settings)
        event = str(item.payload.get("event", ""))
        lines = [await subject_line(t, lang, session, escalation)]
        if event == "reply":
            reply = await session.escalations.reply(int(item.payload.get("reply_id", 0)))
            if reply is None:
                return None
            lines.insert(0, t.t(lang, "escalation.update.reply"))
            lines.append(t.t(lang, "escalation.reply_text", text=reply[2]))
        elif event == "resolve":
            lines.insert(0, t.t(lang, "escalation.update.resolve"))
            lines.append(t.t(lang, "escalation.outcome", text=escalation.outcome or "—"))
        elif event in ("acknowledge", "supervision", "withdraw"):
            lines.insert(0, t.t(lang, f"escalation.update.{event}"))
        else:
            return None
        return Reply("\n".join(lines))

    return {ESC_NOTICE: notice, ESC_EXTERNAL: external, ESC_UPDATE: update}
