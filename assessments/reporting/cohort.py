"""What a cohort's facilitator sees, gathered once, from what each round published.

A fixed number of queries whatever the number of organisations: the cohort's members, its
rounds, each chosen round's latest publication (its figures, never its notes), the position
of every statement of the framework, and the framework's content. An organisation's figures
are those its round published (``assessments.reporting.publishing``), each already checked
so that no figure, beside any other the round published, tells what one or two people said;
nothing here reads an answer. The figures come from the pure functions in
``assessments.reporting.scoring``; the rules in words are in docs/SCORING.md ("Cohorts").

The cohort mean organisations see beside their own scores is another matter, with rules of
its own: ``assessments.reporting.benchmark``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assessments.cohorts import selectors
from assessments.cohorts.models import Cohort, CohortMember
from assessments.reporting import scoring
from assessments.reporting.publishing import EVERYONE
from assessments.reporting.radar import Series, radar_svg
from assessments.rounds.models import PERSPECTIVE_LABELS, Perspective, Round, RoundStatus
from principles.models import PracticeStatement, Principle
from principles.selectors import framework_with_content

MIN_RESPONDENTS = scoring.MIN_GROUP
HARDEST = 5

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
    rows: list[OrganisationRow]
    principles: list[PrincipleColumn]
    hardest: list[HardStatement]
    pending_invitations: int
    gap_organisations: int  # organisations where both sides had at least 3 people
    # The perspectives some organisation's publication shows as a group of their own: the
    # ones the filter offers ("others" is not offered: it holds different people in each).
    offered: list[str] = field(default_factory=list)
    sort: str = "name"
    descending: bool = False
    bands: dict[int, str] = field(default_factory=lambda: dict(scoring.BANDS))

    @property
    def perspective_label(self) -> str:
        return PERSPECTIVE_LABELS.get(self.perspective, "")

    @property
    def with_figures(self) -> list[OrganisationRow]:
        return [row for row in self.rows if row.has_figures]

    @property
    def progress_counts(self) -> list[tuple[str, int]]:
        counts = dict.fromkeys(PROGRESS_LABELS, 0)
        for row in self.rows:
            counts[row.progress] += 1
        return [(PROGRESS_LABELS[key], count) for key, count in counts.items()]

    @property
    def respondents(self) -> int:
        return sum(row.respondents for row in self.rows)

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
                f"the lowest and highest of {len(self.with_figures)} organisations. "
                "The same figures are in the table beside it."
            ),
        )


def _pick_rounds(rounds) -> dict[int, Round]:
    """Each organisation's round for the cohort: its latest opened round in the period, or
    failing that its latest draft. ``rounds`` come ordered by organisation, then opening."""
    chosen: dict[int, Round] = {}
    for round_ in rounds:
        current = chosen.get(round_.organisation_id)
        if current is None or round_.opened_at is not None or current.opened_at is None:
            chosen[round_.organisation_id] = round_
    return chosen


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


def cohort_dashboard(
    cohort: Cohort, *, perspective: str = "", sort: str = "name", descending: bool = False
) -> CohortDashboard:
    if perspective not in Perspective.values:
        perspective = ""
    key = perspective or EVERYONE
    framework = framework_with_content(cohort.framework_id)
    principles = list(framework.principles.all())
    members = list(selectors.cohort_members(cohort))
    chosen = _pick_rounds(selectors.cohort_rounds(cohort))
    opened = [r.pk for r in chosen.values() if r.status != RoundStatus.DRAFT]
    published = selectors.cohort_publications(opened) if opened else {}
    positions = selectors.cohort_statement_positions(cohort) if published else {}
    offered = {group for found in published.values() for group in found.groups}

    rows: list[OrganisationRow] = []
    statement_means: list[dict] = []
    gaps: list[dict[int, float]] = []
    for member in members:
        round_ = chosen.get(member.organisation_id)
        found = published.get(round_.pk) if round_ else None
        respondents = found.respondents if found else 0
        group: int | None = respondents
        reason = ""
        scores: dict[int, float] = {}
        if round_ is None:
            reason = "No round on this framework in the period yet."
        elif round_.status == RoundStatus.DRAFT:
            reason = "The round has not opened yet."
        elif found is None:
            reason = _unpublished_reason(round_)
        elif perspective and perspective not in found.groups:
            group = None
            reason = (
                f"The group “{PERSPECTIVE_LABELS[perspective]}” is not shown on its own in "
                f"this round’s figures: fewer than {MIN_RESPONDENTS} of them answered, or "
                "their figures could be worked out from the other groups’."
            )
        else:
            if perspective:
                group = found.groups[perspective]
            round_stats = scoring.published_stats(round_.pk, found.statements, positions)
            means = scoring.organisation_statement_means(round_stats, [key]).get(round_.pk, {})
            scores = scoring.principle_means(means)
            statement_means.append(means)
            gap = scoring.organisation_gaps(round_stats, found.groups)
            if gap:
                gaps.append(gap)
            if not scores:
                reason = (
                    f"No statement was rated by at least {MIN_RESPONDENTS} people"
                    + (" in the group" if perspective else "")
                    + ", so there are no scores to show (“not sure” is not a rating)."
                )
        rows.append(
            OrganisationRow(
                member=member,
                round=round_,
                respondents=respondents,
                group=group,
                cells=[Cell(scores.get(p.order) if not reason else None) for p in principles],
                reason=reason,
                published=found is not None,
            )
        )

    shown = [row for row in rows if row.has_figures]
    columns = []
    for number, principle in enumerate(principles, start=1):
        values = [row.cells[number - 1].score for row in shown]
        org_gaps = [g[principle.order] for g in gaps if principle.order in g]
        columns.append(
            PrincipleColumn(
                principle=principle,
                number=number,
                summary=scoring.summarise(v for v in values if v is not None),
                distribution=scoring.band_counts(values),
                gap=sum(org_gaps) / len(org_gaps) if org_gaps else None,
                gap_organisations=len(org_gaps),
                gap_flagged=sum(1 for g in org_gaps if abs(g) >= scoring.GAP_FLAG),
            )
        )

    statements = {
        (principle.order, statement.order): (number, statement)
        for number, principle in enumerate(principles, start=1)
        for statement in principle.statements.all()
    }
    hardest = []
    for key, summary in scoring.across_organisations(statement_means).items():
        if key in statements:
            number, statement = statements[key]
            below = sum(1 for means in statement_means if means.get(key, 4) < 2.5)
            hardest.append(HardStatement(statement, number, summary, below))
    hardest.sort(key=lambda h: (h.summary.mean, h.statement.principle_id, h.statement.order))

    _sort(rows, sort, descending, principles)
    return CohortDashboard(
        cohort=cohort,
        perspective=perspective,
        rows=rows,
        principles=columns,
        hardest=hardest[:HARDEST],
        pending_invitations=selectors.cohort_invitations(cohort, pending_only=True).count(),
        gap_organisations=len(gaps),
        offered=[p for p in Perspective.values if p in offered],
        sort=sort,
        descending=descending,
    )


def sort_keys(principles) -> list[str]:
    return ["name", "progress"] + [f"p{p.order}" for p in principles]


def _sort(rows: list[OrganisationRow], sort: str, descending: bool, principles) -> None:
    """Sort in place. Rows without a figure in the sorted column always come last."""
    if sort == "progress":
        rows.sort(
            key=lambda r: (PROGRESS_ORDER[r.progress], r.respondents, r.organisation.name.lower()),
            reverse=descending,
        )
        return
    if sort.startswith("p") and sort[1:].isdigit():
        index = next((i for i, p in enumerate(principles) if f"p{p.order}" == sort), None)
        if index is not None:
            rows.sort(key=lambda r: r.organisation.name.lower())
            scored = [r for r in rows if r.cells[index].score is not None]
            unscored = [r for r in rows if r.cells[index].score is None]
            scored.sort(key=lambda r: r.cells[index].score or 0.0, reverse=descending)
            rows[:] = scored + unscored
            return
    rows.sort(key=lambda r: r.organisation.name.lower(), reverse=descending)
