"""What a cohort's facilitator sees, from what each round published.

An organisation's figures are those its round published (``assessments.reporting.
publishing``), each already checked so that no figure, beside any other the round
published, tells what one or two people said; nothing here reads an answer. When a round
publishes, its scores are worked out once (``scoring.publication_scores``) and stored with
the publication; each cohort member points at the round that counts and its latest
publication (kept by ``cohorts.services.cohort_figures_refresh``).

So the dashboard costs the same whatever the cohort's size: the heat map is sorted and
paged in the database (``cohort_dashboard``), and the cohort-level figures — progress,
cohort means, spreads, gaps, hardest statements, for everyone and for each perspective —
are worked out by ``cohort_figures`` when a member's figures change and stored
(``CohortFigures``), not on each look. The downloads read every organisation the same way.
The rules in words are in docs/SCORING.md ("Cohorts").

The cohort mean organisations see beside their own scores is another matter, with rules of
its own: ``assessments.reporting.benchmark``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Case, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, Lower

from assessments.cohorts import selectors
from assessments.cohorts.models import Cohort, CohortFigures, CohortMember
from assessments.reporting import scoring
from assessments.reporting.models import PublicationScore
from assessments.reporting.publishing import EVERYONE
from assessments.reporting.radar import Series, radar_svg
from assessments.rounds.models import PERSPECTIVE_LABELS, Perspective, Round, RoundStatus
from principles.models import PracticeStatement, Principle
from principles.selectors import framework_with_content

MIN_RESPONDENTS = scoring.MIN_GROUP
HARDEST = 5
PAGE_SIZE = 25  # organisations per page of the heat map

PROGRESS_LABELS = {
    "not_started": "Not started",
    "draft": "Draft, not open yet",
    "open": "Open",
    "closed": "Closed",
}
PROGRESS_ORDER = {"not_started": 0, "draft": 1, "open": 2, "closed": 3}
# A round's progress by its status; any other status is "closed".
ROUND_PROGRESS: dict[str, str] = {RoundStatus.DRAFT: "draft", RoundStatus.OPEN: "open"}


@dataclass
class Cell:
    score: float | None

    @property
    def band(self) -> int | None:
        return scoring.band(self.score)


@dataclass
class OrganisationRow:
    member: CohortMember  # with its organisation
    round: Round | None
    respondents: int  # people the round's latest publication covers (0: none yet)
    # People behind the figures: everyone, or the group filtered on; None when the
    # publication does not show that group on its own.
    group: int | None
    cells: list[Cell]
    reason: str = ""  # why there are no figures, when there are none
    published: bool = False  # the round has published figures

    @property
    def organisation(self):
        return self.member.organisation

    @property
    def progress(self) -> str:
        if self.round is None:
            return "not_started"
        return ROUND_PROGRESS.get(self.round.status, "closed")

    @property
    def progress_label(self) -> str:
        return PROGRESS_LABELS[self.progress]

    @property
    def has_figures(self) -> bool:
        return not self.reason


@dataclass
class PrincipleColumn:
    principle: Principle
    number: int
    summary: scoring.Summary  # over organisations
    distribution: dict[int, int]  # band → organisations
    gap: float | None = None  # cohort mean of the organisations' perception gaps
    gap_organisations: int = 0
    gap_flagged: int = 0

    @property
    def sort_key(self) -> str:
        return f"p{self.principle.order}"


@dataclass
class HardStatement:
    statement: PracticeStatement
    principle_number: int
    summary: scoring.Summary  # over organisations
    below_half: int  # organisations whose mean is under 2.5


@dataclass
class CohortDashboard:
    cohort: Cohort
    perspective: str  # "" for everyone
    rows: list[OrganisationRow]  # the page's rows, or every organisation's for a download
    principles: list[PrincipleColumn]
    hardest: list[HardStatement]
    pending_invitations: int
    gap_organisations: int  # organisations where both sides had at least 3 people
    organisations: int  # in the cohort
    with_figures: int  # organisations with figures for the group shown
    respondents: int  # people behind the organisations' latest publications
    progress: dict[str, int]  # progress → organisations
    # The perspectives some organisation's publication shows as a group of their own: the
    # ones the filter offers ("others" is not offered: it holds different people in each).
    offered: list[str] = field(default_factory=list)
    sort: str = "name"
    descending: bool = False
    page: Page | None = None  # the page of the heat map shown, when paged
    bands: dict[int, str] = field(default_factory=lambda: dict(scoring.BANDS))

    @property
    def perspective_label(self) -> str:
        return PERSPECTIVE_LABELS.get(self.perspective, "")

    @property
    def progress_counts(self) -> list[tuple[str, int]]:
        return [(label, self.progress.get(key, 0)) for key, label in PROGRESS_LABELS.items()]

    def radar(self) -> str:
        """The cohort mean with the lowest and highest organisation on each principle."""
        axes = [column.principle.name for column in self.principles]
        if len(axes) < 3 or not self.with_figures:
            return ""
        series = [
            Series("Cohort mean", tuple(c.summary.mean for c in self.principles)),
            Series("Lowest organisation", tuple(c.summary.minimum for c in self.principles)),
            Series("Highest organisation", tuple(c.summary.maximum for c in self.principles)),
        ]
        who = f", group “{self.perspective_label}”" if self.perspective else ""
        return radar_svg(
            axes=axes,
            series=series,
            title=f"Principle scores across {self.cohort.name}{who}",
            description=(
                "Radar chart of the cohort mean of each principle on the 1 to 4 scale, with "
                f"the lowest and highest of {self.with_figures} organisations. "
                "The same figures are in the table beside it."
            ),
        )


def _unpublished_reason(round_: Round) -> str:
    """Why a round that has opened has no figures yet."""
    if round_.status == RoundStatus.OPEN and not round_.figures_while_open:
        return "Figures appear when the round closes."
    if round_.status == RoundStatus.OPEN:
        return (
            f"Not enough people yet: figures appear once {MIN_RESPONDENTS} people have "
            "finished, or when the round closes."
        )
    return f"Fewer than {MIN_RESPONDENTS} people have answered."


def _key(perspective: str) -> str:
    return perspective or EVERYONE


def _figures_of(round_: Round | None, scores: dict | None, perspective: str) -> tuple[str, bool]:
    """Why an organisation has no figures for the group (empty when it has), and whether
    its publication shows the group at all (its perception gap and statement means then
    count, as they always have, even with no principle score)."""
    if round_ is None:
        return "No round on this framework in the period yet.", False
    if round_.status == RoundStatus.DRAFT:
        return "The round has not opened yet.", False
    if scores is None:
        return _unpublished_reason(round_), False
    if perspective and perspective not in scores["people"]:
        return (
            f"The group “{PERSPECTIVE_LABELS[perspective]}” is not shown on its own in "
            f"this round’s figures: fewer than {MIN_RESPONDENTS} of them answered, or "
            "their figures could be worked out from the other groups’."
        ), False
    if _key(perspective) not in scores["groups"]:
        return (
            f"No statement was rated by at least {MIN_RESPONDENTS} people"
            + (" in the group" if perspective else "")
            + ", so there are no scores to show (“not sure” is not a rating)."
        ), True
    return "", True


def _row(member: CohortMember, perspective: str, principles) -> OrganisationRow:
    publication = member.publication
    scores = publication.scores if publication is not None else None
    reason, _ = _figures_of(member.round, scores, perspective)
    respondents = publication.respondents if publication is not None else 0
    group: int | None = respondents
    if scores is not None and perspective:
        group = scores["people"].get(perspective)
    cells = (
        scores["groups"][_key(perspective)]["principles"]
        if scores is not None and not reason
        else {}
    )
    return OrganisationRow(
        member=member,
        round=member.round,
        respondents=respondents,
        group=group,
        cells=[Cell(cells.get(str(p.order))) for p in principles],
        reason=reason,
        published=publication is not None,
    )


# The cohort-level figures, worked out when they change -----------------------------------


def _summary(summary: scoring.Summary) -> list:
    return list(asdict(summary).values())


def _view(
    members: list[tuple[Round | None, dict | None]], perspective: str, principles, statements
):
    """The cohort-level figures for one group (everyone when ``perspective`` is empty)."""
    key = _key(perspective)
    shown: list[dict[str, float]] = []  # principle scores of organisations with figures
    statement_means: list[dict[str, float]] = []
    gaps: list[dict[str, float]] = []
    for round_, scores in members:
        reason, counted = _figures_of(round_, scores, perspective)
        if not counted or scores is None:
            continue
        group = scores["groups"].get(key, {"principles": {}, "statements": {}})
        statement_means.append(group["statements"])
        if scores["gaps"]:
            gaps.append(scores["gaps"])
        if not reason:
            shown.append(group["principles"])
    columns = {}
    for principle in principles:
        order = str(principle.order)
        values = [scores.get(order) for scores in shown]
        org_gaps = [g[order] for g in gaps if order in g]
        columns[order] = {
            "summary": _summary(scoring.summarise(v for v in values if v is not None)),
            "distribution": scoring.band_counts(values),
            "gap": sum(org_gaps) / len(org_gaps) if org_gaps else None,
            "gap_organisations": len(org_gaps),
            "gap_flagged": sum(1 for g in org_gaps if abs(g) >= scoring.GAP_FLAG),
        }
    hardest = []
    for position, summary in scoring.across_organisations(statement_means).items():
        if position in statements:
            below = sum(1 for means in statement_means if means.get(position, 4) < 2.5)
            hardest.append((position, summary, below))
    hardest.sort(key=lambda h: (h[1].mean, statements[h[0]].principle_id, statements[h[0]].order))
    return {
        "with_figures": len(shown),
        "gap_organisations": len(gaps),
        "principles": columns,
        "hardest": [
            [position, _summary(summary), below] for position, summary, below in hardest[:HARDEST]
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
    ``CohortFigures`` keeps. A few queries, and work in proportion to the organisations:
    made when their figures change, not when someone looks."""
    principles = list(framework_with_content(cohort.framework_id).principles.all())
    statements = _statements_by_position(principles)
    members: list[tuple[Round | None, dict | None]] = []
    progress = dict.fromkeys(PROGRESS_LABELS, 0)
    respondents = 0
    offered: set[str] = set()
    for member in selectors.cohort_heat_map(cohort):
        publication = member.publication
        progress[_progress(member.round)] += 1
        if publication is None:
            members.append((member.round, None))
            continue
        members.append((member.round, publication.scores))
        respondents += publication.respondents
        offered.update(k for k in publication.scores["people"] if k in Perspective.values)
    return {
        "organisations": len(members),
        "progress": progress,
        "respondents": respondents,
        "offered": [p for p in Perspective.values if p in offered],
        "closed_organisations": closed_organisations,
        "views": {
            perspective: _view(members, perspective, principles, statements)
            for perspective in ["", *Perspective.values]
        },
    }


def _progress(round_: Round | None) -> str:
    if round_ is None:
        return "not_started"
    return ROUND_PROGRESS.get(round_.status, "closed")


def stored_figures(cohort: Cohort) -> dict:
    """The cohort-level figures as last worked out; worked out now (and kept) only for a
    cohort that has none yet, such as one made before they were kept."""
    found = CohortFigures.objects.filter(cohort=cohort).values_list("data", flat=True).first()
    if found is None:
        from assessments.cohorts.services import cohort_figures_store  # a cycle otherwise

        found = cohort_figures_store(cohort=cohort).data
    return found


# The dashboard ---------------------------------------------------------------------------


def sort_keys(principles) -> list[str]:
    return ["name", "progress"] + [f"p{p.order}" for p in principles]


def _ordered(members, sort: str, descending: bool, perspective: str, principles):
    """The members in the order asked for, in the database. Rows without a figure in the
    sorted column always come last, by name."""
    name = Lower("organisation__name")
    if sort == "progress":
        progress = Case(
            When(round__isnull=True, then=Value(0)),
            When(round__status=RoundStatus.DRAFT, then=Value(1)),
            When(round__status=RoundStatus.OPEN, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
        keys = [progress, Coalesce("publication__respondents", Value(0)), name]
        return members.order_by(*[k.desc() if descending else k.asc() for k in keys], "pk")
    if sort.startswith("p") and sort[1:].isdigit() and int(sort[1:]) in principles:
        score = PublicationScore.objects.filter(
            publication=OuterRef("publication"), group=_key(perspective), principle=int(sort[1:])
        ).values("score")[:1]
        members = members.annotate(sort_score=Subquery(score))
        column = F("sort_score")
        first = column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)
        return members.order_by(first, name, "pk")
    return members.order_by(name.desc() if descending else name.asc(), "pk")


def _columns(view: dict, principles) -> list[PrincipleColumn]:
    columns = []
    for number, principle in enumerate(principles, start=1):
        stored = view["principles"].get(str(principle.order))
        if stored is None:  # a principle added after the figures were worked out
            stored = {"summary": _summary(scoring.EMPTY), "distribution": {}}
        columns.append(
            PrincipleColumn(
                principle=principle,
                number=number,
                summary=scoring.Summary(*stored["summary"]),
                distribution={
                    band: stored["distribution"].get(str(band), 0) for band in scoring.BANDS
                },
                gap=stored.get("gap"),
                gap_organisations=stored.get("gap_organisations", 0),
                gap_flagged=stored.get("gap_flagged", 0),
            )
        )
    return columns


def cohort_dashboard(
    cohort: Cohort,
    *,
    perspective: str = "",
    sort: str = "name",
    descending: bool = False,
    page: int | str | None = 1,
) -> CohortDashboard:
    """The dashboard: the stored cohort-level figures and one page of the heat map
    (``page``: its number; None for every organisation, as the downloads want). A fixed
    number of queries whatever the number of organisations."""
    if perspective not in Perspective.values:
        perspective = ""
    principles = list(framework_with_content(cohort.framework_id).principles.all())
    orders = {p.order for p in principles}
    if sort not in sort_keys(principles):
        sort = "name"
    figures = stored_figures(cohort)
    view = figures["views"][perspective]
    members = _ordered(selectors.cohort_heat_map(cohort), sort, descending, perspective, orders)
    shown: Page | None = None
    if page is None:
        rows = [_row(member, perspective, principles) for member in members.iterator(200)]
    else:
        shown = Paginator(members, PAGE_SIZE).get_page(page)
        rows = [_row(member, perspective, principles) for member in shown.object_list]
    statements = _statements_by_position(principles)
    hardest = [
        HardStatement(
            statements[position],
            next(
                n for n, p in enumerate(principles, 1) if p.pk == statements[position].principle_id
            ),
            scoring.Summary(*summary),
            below,
        )
        for position, summary, below in view["hardest"]
        if position in statements
    ]
    return CohortDashboard(
        cohort=cohort,
        perspective=perspective,
        rows=rows,
        principles=_columns(view, principles),
        hardest=hardest,
        pending_invitations=selectors.cohort_invitations(cohort, pending_only=True).count(),
        gap_organisations=view["gap_organisations"],
        organisations=figures["organisations"],
        with_figures=view["with_figures"],
        respondents=figures["respondents"],
        progress=figures["progress"],
        offered=figures["offered"],
        sort=sort,
        descending=descending,
        page=shown,
    )
