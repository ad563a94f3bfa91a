"""What a cohort's facilitator sees, from what each round published.

An organisation's figures are those its round published (``assessments.reporting.
publishing``), each already checked so that no figure, beside any other the round
published, tells what one or two people said; nothing here reads an answer. When a round
publishes, its scores are worked out once (``cohort_scoring.publication_scores``) and stored with
the publication; each cohort member points at the round that counts and its latest
publication (kept by ``cohorts.services.cohort_figures_refresh``).

So the dashboard costs the same whatever the cohort's size: the heat map is sorted and
paged in the database (``cohort_dashboard``), and the cohort-level figures — progress,
cohort means, spreads, gaps, hardest statements, for everyone and for each perspective —
are worked out by ``cohort_figures`` when a member's figures change and stored
(``CohortFigures``), not on each look. The downloads read every organisation the same way.
The rules in words are in docs/SCORING.md ("Cohorts").

The cohort mean organisations see beside their own scores is another matter, with rules of
its own: ``assessments.cohorts.benchmark``.
"""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import Case, F, FilteredRelation, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, Lower
from django.utils.translation import gettext

from assessments.cohorts import selectors
from assessments.cohorts.figures import figures_of, group_key, round_state, summary_list
from assessments.cohorts.models import Cohort
from assessments.cohorts.services import cohort_figures_store
from assessments.documents.dashboard import Cell, CohortDashboard, OrganisationRow, PrincipleColumn
from assessments.documents.read_through import HELD, principle_cells
from assessments.documents.read_through import Cell as ReadCell
from assessments.figures import cohort_scoring, scoring
from assessments.rounds.models import Perspective, RoundStatus
from coprod.cache import kept
from principles.crosswalks import Lineup, lineups
from principles.models import Framework, Principle

PAGE_SIZE = 25  # organisations per page of the heat map


def _heat_map_fields(perspective: str) -> list[str]:
    """What a row of the heat map needs, as plain values: the organisation's name, its
    round, and of the round's latest publication the people in it, the groups it shows,
    and the group's principle scores (read out of the stored scores by the database)."""
    return [
        "organisation__name",
        "round_id",
        "round__status",
        "round__title",
        "round__figures_while_open",
        "publication__respondents",
        "publication__scores__people",
        f"publication__scores__groups__{group_key(perspective)}__principles",
        "round__framework_id",
        "round__framework__slug",
    ]


# A member whose round is on another framework: that framework's name, and how it lines up
# with the cohort's, by the round's framework version.
Through = dict[int, tuple[str, Lineup | None]]


def _row(values: tuple, perspective: str, principles, through: Through) -> OrganisationRow:
    name, round_id, status, title, while_open, respondents, people, cells, framework_id, _ = values
    round_ = round_state(round_id, status, title, while_open)
    reason, _ = figures_of(round_, people, cells is not None, perspective)
    group: int | None = respondents or 0
    if people is not None and perspective:
        group = people.get(perspective)
    cells = cells if cells is not None and not reason else {}
    other, lineup = through.get(framework_id, ("", None))
    if other and cells:
        read: list[ReadCell | None] = [None] * len(principles)  # no crosswalk left
        if lineup is not None:
            read = principle_cells(lineup, principles, cells, group_key(perspective))
        row_cells = [_read_cell(cell) for cell in read]
    else:
        row_cells = [Cell(cells.get(str(p.order))) for p in principles]
    return OrganisationRow(
        name=name,
        round=round_,
        respondents=respondents or 0,
        group=group,
        cells=row_cells,
        reason=reason,
        published=people is not None,
        read_through=other,
    )


def _read_cell(cell: ReadCell | None) -> Cell:
    if cell is None:
        return Cell(None, gettext("not covered"))
    if cell.state == HELD:
        return Cell(None, gettext("held back"))
    return Cell(cell.value)


def _through(cohort: Cohort, values: list[tuple]) -> Through:
    """How the frameworks of the members read through a crosswalk line up with the
    cohort's: a query, and three per framework version among them (none when every
    member answered on the cohort's framework)."""
    ids = {row[-2] for row in values if row[-1] is not None and row[-1] != cohort.framework.slug}
    if not ids:
        return {}
    found: Through = {}
    for framework in Framework.objects.filter(pk__in=ids):
        found[framework.pk] = (framework.name, None)
        for lineup in lineups(framework):
            if lineup.other.slug == cohort.framework.slug:
                found[framework.pk] = (framework.name, lineup)
    return found


def _rows(cohort: Cohort, values, perspective: str, principles) -> list[OrganisationRow]:
    values = list(values)
    through = _through(cohort, values)
    return [_row(row, perspective, principles, through) for row in values]


def _principles(framework: Framework) -> list[Principle]:
    """The framework's principles, in order; kept once the version is frozen (new wording
    makes a new version)."""

    def read() -> list[Principle]:
        return list(Principle.objects.filter(framework=framework).order_by("order"))

    if framework.frozen_at is None:
        return read()
    key = ("framework-principles", framework.pk, framework.frozen_at, framework.translations_hash)
    return kept(key, read)


def _kept_figures(cohort: Cohort, version: str | None) -> tuple[str, dict]:
    """The cohort-level figures of this version, with the version: read once, and kept
    until a new version is made."""
    if version is None:
        found_version, found = _stored(cohort)
        return found_version or "", found
    found_version, found = kept(("cohort-figures", cohort.pk, version), lambda: _stored(cohort))
    return found_version or "", found


def _stored(cohort: Cohort) -> tuple[str, dict]:
    found = selectors.cohort_figures_data(cohort)
    if found is None:
        kept = cohort_figures_store(cohort=cohort)
        found = kept.version, kept.data
    return found


def stored_figures(cohort: Cohort) -> dict:
    """The cohort-level figures as last worked out; worked out now (and kept) only for a
    cohort that has none yet, such as one made before they were kept."""
    return _stored(cohort)[1]


# The dashboard ---------------------------------------------------------------------------


def sort_keys(principles) -> list[str]:
    return ["name", "progress"] + [f"p{p.order}" for p in principles]


def _ordered(members, sort: str, descending: bool, perspective: str, principles, slug: str):
    """The members in the order asked for, in the database. Rows without a figure in the
    sorted column always come last, by name; so do rows read through a crosswalk (their
    stored scores are their own framework's principles)."""
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
        # Joined on the unique (publication, group, principle): the score, or nothing.
        members = members.annotate(
            sort_score=FilteredRelation(
                "publication__principle_scores",
                condition=Q(
                    publication__principle_scores__group=group_key(perspective),
                    publication__principle_scores__principle=int(sort[1:]),
                ),
            )
        )
        column = Case(When(round__framework__slug=slug, then=F("sort_score__score")))
        first = column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)
        return members.order_by(first, name, "pk")
    return members.order_by(name.desc() if descending else name.asc(), "pk")


class _Counted(Paginator):
    """A paginator told how many there are."""

    def __init__(self, object_list, per_page: int, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count


def _columns(view: dict, principles) -> list[PrincipleColumn]:
    columns = []
    for number, principle in enumerate(principles, start=1):
        stored = view["principles"].get(str(principle.order))
        if stored is None:  # a principle added after the figures were worked out
            stored = {"summary": summary_list(scoring.EMPTY), "distribution": {}}
        columns.append(
            PrincipleColumn(
                principle=principle,
                number=number,
                summary=scoring.Summary(*stored["summary"]),
                distribution={
                    band: stored["distribution"].get(str(band), 0) for band in cohort_scoring.BANDS
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
    number of queries whatever the number of organisations; a page shown since the
    cohort's figures last changed is kept, and not read again."""
    if perspective not in Perspective.values:
        perspective = ""
    principles = _principles(cohort.framework)
    orders = {p.order for p in principles}
    if sort not in sort_keys(principles):
        sort = "name"
    version, figures = _kept_figures(cohort, selectors.cohort_figures_version(cohort))
    view = figures["views"][perspective]

    def ordered(members):
        return _ordered(members, sort, descending, perspective, orders, cohort.framework.slug)

    members = selectors.cohort_heat_map(cohort)
    fields = _heat_map_fields(perspective)
    shown: Page | None = None
    if page is None:
        everyone = ordered(members).values_list(*fields).iterator(500)
        rows = _rows(cohort, everyone, perspective, principles)
    else:
        # The members on the page are chosen on light columns alone (the sort key), then
        # only theirs are read out of the stored scores: one query either way.
        # How many there are is kept with the figures: members join and leave through
        # the services, which work the figures out again.
        paginator = _Counted(
            ordered(members).values_list("pk", flat=True), PAGE_SIZE, figures["organisations"]
        )
        shown = paginator.get_page(page)
        on_page = shown.object_list

        def read_page() -> list[OrganisationRow]:
            values = ordered(members.filter(pk__in=on_page)).values_list(*fields)
            return _rows(cohort, values, perspective, principles)

        # A page lasts until anything it shows changes, which makes a new version.
        page_key = ("cohort-heat-map", cohort.pk, version, perspective, sort, descending)
        rows = kept((*page_key, shown.number), read_page)
    return CohortDashboard(
        cohort=cohort,
        perspective=perspective,
        rows=rows,
        principles=_columns(view, principles),
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
        version=version,
        hardest_stored=view["hardest"],
        read_through=figures.get("read_through", 0),
    )
