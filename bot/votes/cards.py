"""How a vote and an action read: the group's live message, the private brief, the action card.

The group sees the case code, the short title, counts and sectors; names only in an open vote.
Reasons, details and the case's criteria stay in private.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.actions.cards import owner_sector_text
from bot.boards.disclosure import GroupSectors
from bot.cases.cards import sector_names
from bot.kernel.dates import written_day
from bot.kernel.i18n import Html, Translator, escape, weekday_moment
from bot.kernel.policy import COORDINATORS, Role
from bot.kernel.safety import EMERGENCY_KEY
from bot.kernel.ui import Button, DetailsOf, Reply
from bot.votes.buttons import CastVote, CloseVote, DraftOp, OpenVote, RemindVoters
from bot.votes.rules import CHOICES, Tally
from bot.votes.service import VoteView
from storage.models import ProposalRecord, ProposalStatus

CHOICE_CODES = {"agree": "a", "abstain": "b", "disagree": "d", "block": "k"}


CHOICE_OF_CODE = {code: choice for choice, code in CHOICE_CODES.items()}


ICONS = {"agree": "👍", "abstain": "🤷", "disagree": "👎", "block": "✋"}


def counts_line(t: Translator, lang: str, result: Tally) -> str:
    return " · ".join(
        t.t(
            lang,
            "vote.count",
            icon=ICONS[choice],
            name=t.t(lang, f"vote.choice.{choice}"),
            count=result.counts[choice],
        )
        for choice in CHOICES
    )


def _counts_or_hidden(t: Translator, lang: str, proposal: ProposalRecord, result: Tally) -> str:
    """An anonymous vote shows its counts only once closed: a count that moves together with a
    one-member sector would tell everyone how that member voted."""
    if proposal.anonymous and proposal.status == ProposalStatus.OPEN:
        return str(t.t(lang, "vote.counts_hidden"))
    return counts_line(t, lang, result)


def rule_line(t: Translator, lang: str, proposal: ProposalRecord, result: Tally) -> str:
    line = t.t(
        lang,
        "vote.rule",
        rule=t.t(lang, f"vote_rule.{proposal.outcome_rule}"),
        needed=result.needed,
        eligible=result.eligible,
    )
    if proposal.every_sector:
        line += " · " + t.t(lang, "vote.rule_every_sector")
    return line


def state_lines(
    t: Translator,
    lang: str,
    proposal: ProposalRecord,
    result: Tally,
    tz: ZoneInfo,
    shown: GroupSectors | None = None,
) -> list[str]:
    """Where the vote stands: its close or outcome, the counts, the turnout and sectors.

    An anonymous vote names no sector, open or closed: with one member in a sector, "health has
    voted" says who voted, and the closing counts would then say how. In the group (``shown``)
    an open vote names only sectors of three or more; the private brief names them all."""

    def sectors(keys: tuple[str, ...]) -> str:
        return sector_names(t, lang, shown.labels(keys) if shown is not None else keys)

    lines = [
        t.t(lang, "vote.closes", when=weekday_moment(proposal.closes_at, lang, tz))
        if proposal.status == ProposalStatus.OPEN and proposal.closes_at is not None
        else t.t(lang, f"vote.outcome.{proposal.status}"),
        _counts_or_hidden(t, lang, proposal, result),
        t.t(lang, "vote.turnout_count", voted=result.voted, eligible=result.eligible)
        if proposal.anonymous
        else t.t(
            lang,
            "vote.turnout",
            voted=result.voted,
            eligible=result.eligible,
            sectors=sectors(result.sectors_voted),
        ),
    ]
    if result.sectors_missing and not proposal.anonymous:
        lines.append(t.t(lang, "vote.sectors_missing", sectors=sectors(result.sectors_missing)))
    return lines


def vote_buttons(t: Translator, lang: str, proposal_id: int) -> tuple[Button, ...]:
    return tuple(
        Button(
            f"{ICONS[choice]} {t.t(lang, f'vote.choice.{choice}')}",
            CastVote(proposal_id, CHOICE_CODES[choice]).pack(),
        )
        for choice in CHOICES
    )


def live_message(
    t: Translator, lang: str, view: VoteView, tz: ZoneInfo, bot_username: str
) -> Reply:
    """The group's vote message, open or closed; always sent with its keyboard."""
    proposal, result = view.proposal, view.tally
    is_open = proposal.status == ProposalStatus.OPEN
    lines = [
        t.t(lang, "vote.live_title" if is_open else "vote.closed_title", code=view.case.code),
        t.t(lang, "vote.title_line", title=proposal.title),
        rule_line(t, lang, proposal, result),
    ]
    lines += state_lines(t, lang, proposal, result, tz, view.group_sectors)
    if proposal.status == ProposalStatus.ACCEPTED:
        lines.append(action_line(t, lang, view))
    if proposal.anonymous:
        lines.append(t.t(lang, "vote.anonymous_mark"))
    else:
        entitled = {m.user_id for m in view.voters}
        for choice in CHOICES:
            names = [
                view.names.get(b.user_id, "?")
                for b in view.ballots
                if b.choice == choice and b.user_id in entitled
            ]
            if names:
                lines.append(f"{ICONS[choice]} " + escape(", ".join(names)))
    rows: list[tuple[Button, ...]] = []
    if is_open:
        rows.append(vote_buttons(t, lang, proposal.id))
    if bot_username:
        link = f"https://t.me/{bot_username}?start=brief_{proposal.id}"
        rows.append((Button(t.t(lang, "button.brief"), url=link),))
    return Reply("\n".join(str(line) for line in lines), tuple(rows))


def draft_message(t: Translator, lang: str, code: str, proposal: ProposalRecord) -> Reply:
    """The proposer chooses, once and for good, whether the vote is anonymous."""
    text = t.t(lang, "vote.draft", code=code, title=proposal.title)
    return Reply(
        text,
        (
            (
                Button(t.t(lang, "button.vote_open"), OpenVote(proposal.id, DraftOp.OPEN).pack()),
                Button(
                    t.t(lang, "button.vote_anon"), OpenVote(proposal.id, DraftOp.ANONYMOUS).pack()
                ),
            ),
            (Button(t.t(lang, "button.cancel"), OpenVote(proposal.id, DraftOp.WITHDRAW).pack()),),
        ),
    )


def result_message(t: Translator, lang: str, view: VoteView, *, full: bool) -> Reply:
    """What is new once a vote closes: the outcome and the action it made. ``full`` adds the
    counts and turnout, for when the live message (which shows them) could not be edited."""
    proposal, result = view.proposal, view.tally
    lines = [
        t.t(
            lang,
            "vote.result",
            code=view.case.code,
            title=proposal.title,
            outcome=t.t(lang, f"vote.outcome.{proposal.status}"),
        ),
    ]
    if full:
        lines += [
            counts_line(t, lang, result),
            t.t(lang, "vote.turnout_final", voted=result.voted, eligible=result.eligible),
        ]
    if proposal.status == ProposalStatus.ACCEPTED:
        lines.append(action_line(t, lang, view))
    return Reply("\n".join(str(line) for line in lines))


def action_line(t: Translator, lang: str, view: VoteView) -> str:
    """An accepted vote's action in the group: the owner's sector (never a name, nor a sector of
    fewer than three) and the due date."""
    owner = view.proposal.owner_id
    sector = None if owner is None else view.sectors.get(owner)
    return t.t(
        lang,
        "vote.action_created",
        sector=owner_sector_text(t, lang, sector, view.group_sectors)
        if sector is not None
        else t.t(lang, "action.card_no_owner"),
        due=written_day(view.proposal.due_on) or t.t(lang, "action.card_no_due"),
    )


def brief(
    t: Translator,
    lang: str,
    view: VoteView,
    tz: ZoneInfo,
    *,
    viewer_id: int,
    viewer_role: Role,
    details: bool,
) -> Reply:
    """What a voter needs to decide: the proposal, the tally and their own vote; the case's
    criteria, factors, sectors and the block reasons only with ``details`` (the case team and
    the coordinators, as on ``/case``)."""
    proposal, case, result = view.proposal, view.case, view.tally
    is_open = proposal.status == ProposalStatus.OPEN
    mine = next((b for b in view.ballots if b.user_id == viewer_id), None)
    criteria = "\n".join(f"• {escape(t.t(lang, f'criterion.{c}'))}" for c in case.criteria)
    factors = ", ".join(escape(t.t(lang, f"factor.{f}")) for f in case.factors)
    owner = (
        t.t(
            lang,
            "vote.brief_owner",
            name=view.names.get(proposal.owner_id, "?"),
            sector=t.t(lang, f"sector.{view.sectors.get(proposal.owner_id, 'other')}"),
        )
        if proposal.owner_id is not None
        else t.t(lang, "vote.brief_owner_later")
    )
    lines = [
        t.t(lang, "vote.brief_title", code=case.code, number=proposal.id),
        t.t(lang, "vote.title_line", title=proposal.title),
    ]
    if proposal.details:
        lines.append(t.t(lang, "vote.brief_details", details=proposal.details))
    lines += [
        t.t(
            lang,
            "vote.brief_proposer",
            name=view.names.get(proposal.proposed_by, "?"),
            sector=t.t(lang, f"sector.{view.sectors.get(proposal.proposed_by, 'other')}"),
        ),
        owner,
        t.t(
            lang,
            "vote.brief_due",
            due=written_day(proposal.due_on) or t.t(lang, "action.card_no_due"),
        ),
        "",
        t.t(
            lang,
            "vote.brief_case",
            status=t.t(lang, f"case_status.{case.status}"),
            urgency=t.t(lang, f"urgency.{case.urgency}"),
        ),
    ]
    if details:
        lines += [
            t.t(lang, "case.detail_criteria", criteria=Html(criteria or "—")),
            t.t(lang, "case.detail_factors", factors=Html(factors or "—")),
            t.t(
                lang,
                "vote.brief_sectors",
                sectors=sector_names(t, lang, (case.lead_sector, *case.other_sectors)),
            ),
        ]
    else:
        lines.append(t.t(lang, "vote.brief_no_details"))
    lines += ["", rule_line(t, lang, proposal, result)]
    lines += state_lines(t, lang, proposal, result, tz)
    if mine is not None and mine.choice in CHOICES:
        lines.append(t.t(lang, "vote.brief_yours", choice=t.t(lang, f"vote.choice.{mine.choice}")))
    elif is_open:
        lines.append(t.t(lang, "vote.brief_not_yet"))
    reasons = [
        (ballot.reason or "")
        + ("" if proposal.anonymous else f" ({view.names.get(ballot.user_id, '?')})")
        for ballot in view.ballots
        if ballot.reason and ballot.choice == "block"
    ] or [str(reason) for reason in proposal.result.get("reasons", [])]
    if proposal.anonymous:  # in voting order, reasons could be matched to the names below
        reasons.sort()
    if reasons and details:
        lines.append(t.t(lang, "vote.brief_reasons"))
        lines += [Html("• " + escape(reason)) for reason in reasons]
    if proposal.anonymous and viewer_role in COORDINATORS:
        voted = ", ".join(sorted(view.names.get(b.user_id, "?") for b in view.ballots))
        lines.append(t.t(lang, "vote.brief_who_voted", names=voted or "—"))
    lines += ["", t.t(lang, EMERGENCY_KEY)]
    rows: list[tuple[Button, ...]] = []
    if is_open:
        rows.append(vote_buttons(t, lang, proposal.id))
        if viewer_role in COORDINATORS:
            rows.append(
                (
                    Button(t.t(lang, "button.remind_voters"), RemindVoters(proposal.id).pack()),
                    Button(t.t(lang, "button.close_vote"), CloseVote(proposal.id).pack()),
                )
            )
    return Reply(
        "\n".join(str(line) for line in lines),
        tuple(rows),
        details_of=DetailsOf(view.case.id) if details else None,
    )
