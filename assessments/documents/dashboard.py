"""A cohort's dashboard as the page and the downloads show it: the heat map's rows, the
principle columns with their cohort-level figures, the hardest statements, and the radar.
Read by ``documents.cohort.cohort_dashboard``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Page
from django.utils.translation import gettext, ngettext

from assessments.cohorts.figures import PROGRESS_LABELS, ROUND_PROGRESS, RoundState
from assessments.cohorts.models import Cohort
from assessments.documents.radar import Series, radar_svg
from assessments.figures import cohort_scoring, scoring
from assessments.rounds.models import PERSPECTIVE_LABELS
from principles.models import PracticeStatement, Principle


@dataclass
class Cell:
    score: float | None
    note: str = ""  # read through a crosswalk: why there is no score ("held back", …)

    @property
    def band(self) -> int | None:
        return cohort_scoring.band(self.score)


@dataclass
class OrganisationRow:
    name: str  # the organisation's
    round: RoundState | None
    respondents: int  # people the round's latest publication covers (0: none yet)
    # People behind the figures: everyone, or the group filtered on; None when the
    # publication does not show that group on its own.
    group: int | None
    cells: list[Cell]
    reason: str = ""  # why there are no figures, when there are none
    published: bool = False  # the round has published figures
    # The framework the round was answered on, when it is not the cohort's: its scores are
    # read through the crosswalk (``documents.read_through``).
    read_through: str = ""

    @property
    def read_through_label(self) -> str:
        if not self.read_through:
            return ""
        return gettext("Read through from %(framework)s") % {"framework": self.read_through}

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

    def people(self, perspective: str) -> str:
        """The people behind the row's figures, as every table of the heat map shows
        them: everyone the publication covers, or, filtered on a group, "4 of 14" (the
        group's people of everyone's; "–" where the group is not shown on its own)."""
        if not self.published:
            return "–"
        if perspective:
            group = "–" if self.group is None else self.group
            return gettext("%(group)s of %(everyone)s") % {
                "group": group,
                "everyone": self.respondents,
            }
        return str(self.respondents)


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
    version: str = ""  # changes whenever the cohort-level figures are worked out again
    hardest_stored: list = field(default_factory=list)  # [[position, summary, below, pk]]
    read_through: int = 0  # organisations whose round is on a framework read through
    bands: dict[int, str] = field(default_factory=lambda: dict(cohort_scoring.BANDS))

    @cached_property
    def hardest(self) -> list[HardStatement]:
        """The statements with the lowest cohort mean (read only when shown)."""
        numbers = {column.principle.order: column.number for column in self.principles}
        found = PracticeStatement.objects.filter(
            pk__in=[pk for *_, pk in self.hardest_stored]
        ).select_related("principle")
        statements = {statement.pk: statement for statement in found}
        return [
            HardStatement(
                statements[pk],
                numbers[statements[pk].principle.order],
                scoring.Summary(*summary),
                below,
            )
            for _, summary, below, pk in self.hardest_stored
            if pk in statements and statements[pk].principle.order in numbers
        ]

    @property
    def group_respondents(self) -> int:
        """With a group filtered on, its people in the rows that show it on their own (all
        of them when the dashboard was made for a download)."""
        return sum(row.group or 0 for row in self.rows if row.published and row.has_figures)

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
            Series(gettext("Cohort mean"), tuple(c.summary.mean for c in self.principles)),
            Series(
                gettext("Lowest organisation"), tuple(c.summary.minimum for c in self.principles)
            ),
            Series(
                gettext("Highest organisation"), tuple(c.summary.maximum for c in self.principles)
            ),
        ]
        if self.perspective:
            title = gettext("Principle scores across %(cohort)s, group “%(group)s”") % {
                "cohort": self.cohort.name,
                "group": self.perspective_label,
            }
        else:
            title = gettext("Principle scores across %(cohort)s") % {"cohort": self.cohort.name}
        return radar_svg(
            axes=axes,
            series=series,
            title=title,
            description=ngettext(
                "Radar chart of the cohort mean of each principle on the 1 to 4 scale, with "
                "the lowest and highest of %(organisations)s organisation. The same figures "
                "are in the table beside it.",
                "Radar chart of the cohort mean of each principle on the 1 to 4 scale, with "
                "the lowest and highest of %(organisations)s organisations. The same figures "
                "are in the table beside it.",
                self.with_figures,
            )
            % {"organisations": self.with_figures},
        )
