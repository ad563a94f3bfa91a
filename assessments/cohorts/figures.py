"""A cohort's figures, worked out from what each member's round published when they change
(``services.cohort_figures_store`` keeps them as ``CohortFigures``), never when someone
looks. An organisation's figures are those its round published (``figures.publishing``),
each already checked so that no figure, beside any other the round published, tells what
one or two people said; nothing here reads an answer. The rules in words are in
docs/SCORING.md ("Cohorts")."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import cast

from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from assessments.cohorts import selectors
from assessments.cohorts.models import Cohort
from assessments.figures import cohort_scoring, scoring
from assessments.figures.publishing import EVERYONE
from assessments.rounds.models import PERSPECTIVE_LABELS, Perspective, RoundStatus
from principles.models import PracticeStatement
from principles.selectors import framework_with_content

MIN_RESPONDENTS = scoring.MIN_GROUP
HARDEST = 5

# Lazy, translated where they are shown; they stand wherever a string does.
PROGRESS_LABELS = cast(
    dict[str, str],
    {
        "not_started": _("Not started"),
        "draft": _("Draft, not open yet"),
        "open": pgettext_lazy("a round's progress", "Open"),
        "closed": pgettext_lazy("a round's progress", "Closed"),
    },
)
PROGRESS_ORDER = {"not_started": 0, "draft": 1, "open": 2, "closed": 3}
# A round's progress by its status; any other status is "closed".
ROUND_PROGRESS: dict[str, str] = {RoundStatus.DRAFT: "draft", RoundStatus.OPEN: "open"}


@dataclass(frozen=True)
class RoundState:
    """What the cohort pages show of an organisation's round that counts."""

    status: str
    title: str
    figures_while_open: bool


def _reason(why: str, perspective: str = "") -> str:
    """Why an organisation has no figures, in the language of the page that shows it."""
    n = MIN_RESPONDENTS
    if why == "closes":
        return gettext("Figures appear when the round closes.")
    if why == "finished":
        return ngettext(
            "Not enough people yet: figures appear once %(n)s person has finished, or when "
            "the round closes.",
            "Not enough people yet: figures appear once %(n)s people have finished, or when "
            "the round closes.",
            n,
        ) % {"n": n}
    if why == "fewer":
        return ngettext(
            "Fewer than %(n)s person has answered.", "Fewer than %(n)s people have answered.", n
        ) % {"n": n}
    if why == "no_round":
        return gettext("No round on this framework in the period yet.")
    if why == "draft":
        return gettext("The round has not opened yet.")
    if why == "group_hidden":
        return ngettext(
            "The group “%(group)s” is not shown on its own in this round’s figures: fewer "
            "than %(n)s of them answered, or their figures could be worked out from the "
            "other groups’.",
            "The group “%(group)s” is not shown on its own in this round’s figures: fewer "
            "than %(n)s of them answered, or their figures could be worked out from the "
            "other groups’.",
            n,
        ) % {"group": PERSPECTIVE_LABELS[perspective], "n": n}
    if why == "unrated_group":
        return ngettext(
            "No statement was rated by at least %(n)s person in the group, so there are no "
            "scores to show (“not sure” is not a rating).",
            "No statement was rated by at least %(n)s people in the group, so there are no "
            "scores to show (“not sure” is not a rating).",
            n,
        ) % {"n": n}
    return ngettext(
        "No statement was rated by at least %(n)s person, so there are no scores to show "
        "(“not sure” is not a rating).",
        "No statement was rated by at least %(n)s people, so there are no scores to show "
        "(“not sure” is not a rating).",
        n,
    ) % {"n": n}


# Lazy: the cohort's pages keep rows with their reasons, and each page translates them.
reason = lazy(_reason, str)


def unpublished_reason(round_: RoundState) -> str:
    """Why a round that has opened has no figures yet."""
    if round_.status == RoundStatus.OPEN and not round_.figures_while_open:
        return reason("closes")
    if round_.status == RoundStatus.OPEN:
        return reason("finished")
    return reason("fewer")


def group_key(perspective: str) -> str:
    return perspective or EVERYONE


def figures_of(
    round_: RoundState | None, people: dict | None, scored: bool, perspective: str
) -> tuple[str, bool]:
    """Why an organisation has no figures for the group (empty when it has), and whether
    its publication shows the group at all (its perception gap and statement means then
    count, as they always have, even with no principle score). ``people``: the groups its
    latest publication shows, with their people (None: nothing published); ``scored``:
    whether the group has a score."""
    if round_ is None:
        return reason("no_round"), False
    if round_.status == RoundStatus.DRAFT:
        return reason("draft"), False
    if people is None:
        return unpublished_reason(round_), False
    if perspective and perspective not in people:
        return reason("group_hidden", perspective), False
    if not scored:
        return reason("unrated_group" if perspective else "unrated"), True
    return "", True


def round_state(round_id, status, title, figures_while_open) -> RoundState | None:
    return None if round_id is None else RoundState(status, title, figures_while_open)


def summary_list(summary: scoring.Summary) -> list:
    return list(asdict(summary).values())


def _view(
    members: list[tuple[RoundState | None, dict | None]], perspective: str, principles, statements
):
    """The cohort-level figures for one group (everyone when ``perspective`` is empty)."""
    key = group_key(perspective)
    shown: list[dict[str, float]] = []  # principle scores of organisations with figures
    statement_means: list[dict[str, float]] = []
    gaps: list[dict[str, float]] = []
    for round_, scores in members:
        people = scores["people"] if scores is not None else None
        group = scores["groups"].get(key) if scores is not None else None
        reason, counted = figures_of(round_, people, group is not None, perspective)
        if not counted or scores is None:
            continue
        statement_means.append(group["statements"] if group else {})
        if scores["gaps"]:
            gaps.append(scores["gaps"])
        if not reason and group:
            shown.append(group["principles"])
    columns = {}
    for principle in principles:
        order = str(principle.order)
        values = [scores.get(order) for scores in shown]
        org_gaps = [g[order] for g in gaps if order in g]
        columns[order] = {
            "summary": summary_list(scoring.summarise(v for v in values if v is not None)),
            "distribution": cohort_scoring.band_counts(values),
            "gap": sum(org_gaps) / len(org_gaps) if org_gaps else None,
            "gap_organisations": len(org_gaps),
            "gap_flagged": sum(1 for g in org_gaps if abs(g) >= scoring.GAP_FLAG),
        }
    hardest = []
    for position, summary in cohort_scoring.across_organisations(statement_means).items():
        if position in statements:
            below = sum(1 for means in statement_means if means.get(position, 4) < 2.5)
            hardest.append((position, summary, below))
    hardest.sort(key=lambda h: (h[1].mean, statements[h[0]].principle_id, statements[h[0]].order))
    return {
        "with_figures": len(shown),
        "gap_organisations": len(gaps),
        "principles": columns,
        "hardest": [
            [position, summary_list(summary), below, statements[position].pk]
            for position, summary, below in hardest[:HARDEST]
        ],
    }


def _statements_by_position(principles) -> dict[str, PracticeStatement]:
    return {
        f"{principle.order}.{statement.order}": statement
        for principle in principles
        for statement in principle.statements.all()
    }


def cohort_figures(cohort: Cohort, *, closed_organisations: int) -> dict:
    """Everything cohort-level the dashboard and the downloads show, for everyone and for
    each perspective, from each member's latest publication's stored scores: what
    ``CohortFigures`` keeps. Members whose round is on another framework (read through a
    crosswalk on the heat map) count in the progress and people only. A few queries, and
    work in proportion to the organisations: made when their figures change, not when
    someone looks."""
    principles = list(framework_with_content(cohort.framework_id).principles.all())
    statements = _statements_by_position(principles)
    members: list[tuple[RoundState | None, dict | None]] = []
    progress = dict.fromkeys(PROGRESS_LABELS, 0)
    respondents = 0
    offered: set[str] = set()
    rows = selectors.cohort_heat_map(cohort).values_list(
        "round_id",
        "round__status",
        "round__figures_while_open",
        "publication__respondents",
        "publication__scores",
        "round__framework__slug",
    )
    read_through = 0
    for round_id, status, while_open, people_in, scores, slug in rows:
        round_ = round_state(round_id, status, "", while_open)
        progress[progress_of(round_)] += 1
        if scores is not None:
            respondents += people_in
            offered.update(k for k in scores["people"] if k in Perspective.values)
        if slug is not None and slug != cohort.framework.slug:
            # Answered on another framework: its row is read through the crosswalk, and
            # it counts in no cohort-level figure (its principles and statements are not
            # the cohort's, and a figure read through is never mixed with answered ones).
            read_through += 1
            continue
        members.append((round_, scores))
    return {
        "organisations": len(members) + read_through,
        "read_through": read_through,
        "progress": progress,
        "respondents": respondents,
        "offered": [p for p in Perspective.values if p in offered],
        "closed_organisations": closed_organisations,
        "views": {
            perspective: _view(members, perspective, principles, statements)
            for perspective in ["", *Perspective.values]
        },
    }


def progress_of(round_: RoundState | None) -> str:
    if round_ is None:
        return "not_started"
    return ROUND_PROGRESS.get(round_.status, "closed")
