"""How a case reads: the group card (code, status, counts) and the team's full card."""

from __future__ import annotations

from datetime import datetime

from bot.boards.disclosure import NOTHING_NAMED, POOLED, GroupSectors
from bot.cases.buttons import (
    CaseDetails,
    CaseLearn,
    CaseLinkKind,
    CaseMark,
    CaseSuccess,
    LearnPart,
)
from bot.cases.rules import (
    CHILD_VIEWS,
    CRITERIA,
    INTERVENTIONS,
    LINK_KINDS,
    NEEDS,
    STRENGTHS,
    days_since,
)
from bot.kernel.dates import written_day
from bot.kernel.i18n import Html, Translator, escape
from bot.kernel.safety import EMERGENCY_KEY
from bot.kernel.ui import Button, Reply
from storage.models import CaseLinkRecord, CaseRecord


def _marks(i18n: Translator, lang: str, case: CaseRecord, stalled: bool, private: bool) -> str:
    """Flags that must catch the eye in a list: moved around too often (team only), gone quiet."""
    marks = ""
    if private and case.carousel_at is not None:
        marks += i18n.t(lang, "case.carousel_mark") + " "
    if stalled:
        marks += i18n.t(lang, "case.stalled_mark") + " "
    return marks


def lead_sector(
    i18n: Translator, lang: str, case: CaseRecord, private: bool, shown: GroupSectors | None
) -> str:
    """The lead sector by name, except in a group when it is a sector of fewer than three
    (bot.boards.disclosure): then "one of the smaller sectors"."""
    label = case.lead_sector if private else (shown or NOTHING_NAMED).label(case.lead_sector)
    return str(i18n.t(lang, "sector.pooled_one" if label == POOLED else f"sector.{label}"))


def group_card(
    i18n: Translator,
    lang: str,
    case: CaseRecord,
    now: datetime,
    *,
    stalled: bool = False,
    private: bool = False,
    shown: GroupSectors | None = None,
) -> Reply:
    """All a group may see: never the label, summary or factors; ``shown``: the sectors the
    group may see named (without it, none is)."""
    text = _marks(i18n, lang, case, stalled, private) + i18n.t(
        lang,
        "case.card",
        code=case.code,
        urgency=i18n.t(lang, f"urgency.{case.urgency}"),
        criteria=len(case.criteria),
        total=len(CRITERIA),
        sector=lead_sector(i18n, lang, case, private, shown),
        status=i18n.t(lang, f"case_status.{case.status}"),
        activity=activity(i18n, lang, case, now),
    )
    button = Button(i18n.t(lang, "button.case_details"), CaseDetails(case.id).pack())
    return Reply(text, ((button,),))


def activity(i18n: Translator, lang: str, case: CaseRecord, now: datetime) -> str:
    """How long the case has been quiet: "active today", "1 day without activity"… (a case
    raised today is not "0 days without activity")."""
    days = days_since(case.last_activity_at, now)
    return i18n.tn(lang, "case.idle_days", days) if days else i18n.t(lang, "case.active_today")


def sector_names(i18n: Translator, lang: str, sectors: tuple[str, ...]) -> str:
    """Sectors as people read them, or "—" for none."""
    return ", ".join(i18n.t(lang, f"sector.{s}") for s in sectors) or "—"


def list_line(
    i18n: Translator,
    lang: str,
    case: CaseRecord,
    now: datetime,
    *,
    stalled: bool = False,
    private: bool = False,
    shown: GroupSectors | None = None,
) -> str:
    marks = _marks(i18n, lang, case, stalled, private)
    return marks + i18n.t(
        lang,
        "case.list_line",
        code=case.code,
        status=i18n.t(lang, f"case_status.{case.status}"),
        criteria=len(case.criteria),
        urgency=i18n.t(lang, f"urgency.{case.urgency}"),
        sector=lead_sector(i18n, lang, case, private, shown),
        activity=activity(i18n, lang, case, now),
    )


def factor_words(i18n: Translator, lang: str, factors: tuple[str, ...] | list[str]) -> str:
    """The chosen factors by name (HTML-escaped), not their count: "Фактори: 4" says nothing."""
    return ", ".join(escape(i18n.t(lang, f"factor.{f}")) for f in factors)


def detail_card(
    i18n: Translator,
    lang: str,
    case: CaseRecord,
    team: list[tuple[str, tuple[str, ...]]],
    now: datetime,
    links: list[CaseLinkRecord] | None = None,
) -> Reply:
    """For the team and the coordinators, in private only; ``team``: each person's name and
    roles (``bot.cases.rules.team_by_person``); ``links``: the related cases."""
    criteria = "\n".join(f"• {escape(i18n.t(lang, f'criterion.{c}'))}" for c in case.criteria)
    factors = factor_words(i18n, lang, case.factors)
    team_text = ", ".join(
        f"{escape(name)} ({escape(', '.join(i18n.t(lang, f'case_role.{r}') for r in roles))})"
        for name, roles in team
    )
    text = "\n".join(
        [
            group_card(i18n, lang, case, now, private=True).text,
            i18n.t(lang, "case.detail_label", label=case.label),
            i18n.t(lang, "case.detail_criteria", criteria=Html(criteria or "—")),
            i18n.t(lang, "case.detail_factors", factors=Html(factors or "—")),
            i18n.t(
                lang,
                "case.detail_sectors",
                sectors=", ".join(i18n.t(lang, f"sector.{s}") for s in case.other_sectors) or "—",
            ),
            i18n.t(lang, "case.detail_legal", basis=i18n.t(lang, f"legal.{case.legal_basis}")),
            i18n.t(lang, "case.detail_summary", summary=case.summary),
            *learning_lines(i18n, lang, case, links or []),
            i18n.t(lang, "case.detail_team", team=Html(team_text or "—")),
            "",
            i18n.t(lang, EMERGENCY_KEY),
        ]
    )
    return Reply(text)


# what the board learns ----------------------------------------------------------------------------
def _words(i18n: Translator, lang: str, prefix: str, keys: tuple[str, ...]) -> str:
    return ", ".join(escape(i18n.t(lang, f"{prefix}.{k}")) for k in keys) or "—"


def learning_lines(
    i18n: Translator, lang: str, case: CaseRecord, links: list[CaseLinkRecord]
) -> list[str]:
    """The detail card's part about what the board learns: keys in words, codes of related
    cases (never a name)."""
    view = (
        i18n.t(
            lang,
            "learn.child_view_on",
            view=i18n.t(lang, f"child_view.{case.child_view}"),
            day=written_day(case.child_view_on) or "—",
        )
        if case.child_view
        else "—"
    )
    tried = ", ".join(
        f"{escape(i18n.t(lang, f'intervention.{k}'))} ({escape(i18n.t(lang, f'helped.{r}'))})"
        for k, r in case.interventions
    )
    lines = [
        i18n.t(lang, "learn.strengths", words=Html(_words(i18n, lang, "strength", case.strengths))),
        i18n.t(lang, "learn.needs", words=Html(_words(i18n, lang, "need", case.needs))),
        i18n.t(lang, "learn.child_view", view=view),
        i18n.t(lang, "learn.interventions", words=Html(tried or "—")),
    ]
    if links:
        related = ", ".join(
            f"{link.other_code} ({i18n.t(lang, f'link.{link.kind}')})" for link in links
        )
        lines.append(i18n.t(lang, "learn.links", links=related))
    return [str(line) for line in lines]


def learning_screen(i18n: Translator, lang: str, case: CaseRecord, part: LearnPart) -> Reply:
    """One screen of buttons; each press saves at once (no dialogue: nothing is typed)."""

    def mark(index: int) -> str:
        return CaseMark(case.id, part, index).pack()

    back = Button(i18n.t(lang, "button.back"), CaseLearn(case.id, LearnPart.MENU).pack())
    rows: list[tuple[Button, ...]] = []
    if part is LearnPart.MENU:
        text = i18n.t(lang, "learn.menu", code=case.code)
        rows = [
            (Button(i18n.t(lang, f"learn.part.{p.field}"), CaseLearn(case.id, p).pack()),)
            for p in (
                LearnPart.STRENGTHS,
                LearnPart.NEEDS,
                LearnPart.CHILD_VIEW,
                LearnPart.INTERVENTIONS,
            )
        ]
        rows.append((Button(i18n.t(lang, "button.success"), CaseSuccess(case.id).pack()),))
        rows.append((Button(i18n.t(lang, "button.back"), CaseDetails(case.id).pack()),))
        return Reply(text, tuple(rows))
    text = i18n.t(lang, f"learn.ask.{part.field}", code=case.code)
    if part in (LearnPart.STRENGTHS, LearnPart.NEEDS):
        keys, chosen, prefix = (
            (STRENGTHS, case.strengths, "strength")
            if part is LearnPart.STRENGTHS
            else (NEEDS, case.needs, "need")
        )
        buttons = [
            Button(("☑ " if k in chosen else "☐ ") + i18n.t(lang, f"{prefix}.{k}"), mark(i))
            for i, k in enumerate(keys)
        ]
        rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    elif part is LearnPart.CHILD_VIEW:
        rows = [
            (
                Button(
                    ("● " if case.child_view == k else "") + i18n.t(lang, f"child_view.{k}"),
                    mark(i),
                ),
            )
            for i, k in enumerate(CHILD_VIEWS)
        ]
    else:
        results = dict(case.interventions)
        rows = [
            (
                Button(
                    HELPED_ICONS.get(results.get(k, ""), "☐")
                    + " "
                    + i18n.t(lang, f"intervention.{k}")
                    + (f" · {i18n.t(lang, f'helped.{results[k]}')}" if k in results else ""),
                    mark(i),
                ),
            )
            for i, k in enumerate(INTERVENTIONS)
        ]
    rows.append((back,))
    return Reply(text, tuple(rows))


HELPED_ICONS = {"tried": "☑", "helped": "✅", "partly": "◐", "not": "✖"}


def link_screen(i18n: Translator, lang: str, case: CaseRecord, other: CaseRecord) -> Reply:
    """How the two cases are related: one button per kind, and one to unlink."""
    rows = [
        (Button(i18n.t(lang, f"link.{kind}"), CaseLinkKind(case.id, other.id, i).pack()),)
        for i, kind in enumerate(LINK_KINDS)
    ]
    rows.append(
        (
            Button(
                i18n.t(lang, "button.unlink"),
                CaseLinkKind(case.id, other.id, len(LINK_KINDS)).pack(),
            ),
        )
    )
    return Reply(i18n.t(lang, "link.ask", code=case.code, other=other.code), tuple(rows))
