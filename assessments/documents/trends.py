"""An organisation's trend: each principle's published scores, closed round by closed round.

Why a trend cannot tell anyone more than the publications it is made from:

- Each round's answers are separate answers. A round's figures were published once, with
  the disclosure check against everything that round had published before
  (``figures.publishing``); the trend reads those stored figures and nothing else — never
  an answer, never a figure worked out again.
- The trend shows each publication's figures unchanged: the principle score of everyone
  and of each group the publication showed on its own, to one decimal place as the round's
  results show it, and "held back" where the publication showed none. Every number on the
  trend is one the round's own results page already shows to the same people (members
  and leads of the organisation).
- It adds no figure of its own: no difference between rounds, no difference between two
  groups, no mean over rounds, no count of people. A reader who sets two rounds side by
  side learns what they could learn from the two results pages open side by side, and
  nothing a difference of counts across rounds could give (the groups of two rounds are
  different people, or the same people answering again, and no count is shown here).

Rounds are put together by framework (its slug): principles are matched by their position,
as "what moved since the last round" matches them, and a new version of the framework
breaks the line (the wording people answered changed). Rounds on another framework are a
trend of their own. Reading it takes a fixed number of queries, whatever the number of
rounds (``organisation_trend``).
"""

from __future__ import annotations

import os
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext

from assessments.documents.trend_chart import Line, trend_svg
from assessments.figures.models import Publication, PublicationScore
from assessments.figures.publishing import EVERYONE, GROUP_ORDER
from assessments.rounds.models import PERSPECTIVE_LABELS, Round, RoundStatus
from principles.models import Principle

# A trend needs this many closed rounds with figures to say much; with two, a page shows
# them with a word of warning.
ENOUGH_ROUNDS = 3
SHOWN, HELD, NOT_A_GROUP, NO_FIGURES = "shown", "held", "not_a_group", "no_figures"


@dataclass(frozen=True)
class TrendRound:
    round: Round  # with its framework
    publication_id: int | None
    groups: tuple[str, ...] = ()  # the groups its publication showed on their own
    scores: dict[tuple[str, int], float] = field(default_factory=dict)  # (group, order)

    @property
    def published(self) -> bool:
        return self.publication_id is not None

    def cell(self, key: str, order: int) -> Cell:
        if not self.published:
            return Cell(key, NO_FIGURES)
        if key != EVERYONE and key not in self.groups:
            return Cell(key, NOT_A_GROUP)
        value = self.scores.get((key, order))
        return Cell(key, HELD) if value is None else Cell(key, SHOWN, value)


@dataclass(frozen=True)
class Cell:
    key: str  # the group, or everyone
    state: str
    value: float | None = None


@dataclass
class PrincipleTrend:
    order: int
    name: str
    groups: list[tuple[str, str]]  # (key, label): everyone, then each group shown anywhere
    rows: list[tuple[TrendRound, list[Cell]]]
    chart: str = ""


@dataclass
class FrameworkTrend:
    """The rounds on one framework (any version), oldest first, and each principle's."""

    name: str
    rounds: list[TrendRound]
    principles: list[PrincipleTrend] = field(default_factory=list)

    @property
    def with_figures(self) -> int:
        return sum(1 for r in self.rounds if r.published)

    @property
    def versions(self) -> list[int]:
        return sorted({r.round.framework.version for r in self.rounds})

    @property
    def breaks(self) -> frozenset[int]:
        """Rounds on a different version from the round before them."""
        rounds = self.rounds
        return frozenset(
            i
            for i in range(1, len(rounds))
            if rounds[i].round.framework_id != rounds[i - 1].round.framework_id
        )


@dataclass
class OrganisationTrend:
    frameworks: list[FrameworkTrend]

    @property
    def with_figures(self) -> int:
        return sum(f.with_figures for f in self.frameworks)

    @property
    def longest(self) -> int:
        """The most closed rounds with figures on one framework: what a trend can join."""
        return max((f.with_figures for f in self.frameworks), default=0)

    @property
    def enough(self) -> bool:
        return self.longest >= ENOUGH_ROUNDS


def closed_rounds(organisation_id: int):
    """The organisation's closed rounds, oldest first, each with the id of its latest
    publication as ``publication_id`` (one query)."""
    latest = Publication.objects.filter(round=OuterRef("pk")).order_by("-number").values("pk")
    return (
        Round.objects.filter(organisation_id=organisation_id, status=RoundStatus.CLOSED)
        .select_related("framework")
        .annotate(publication_id=Subquery(latest[:1]))
        .order_by("created_at", "pk")
    )


def rounds_with_figures(organisation_id: int) -> int:
    """How many closed rounds of the organisation have published figures (one query)."""
    return (
        Round.objects.filter(
            organisation_id=organisation_id,
            status=RoundStatus.CLOSED,
            publications__isnull=False,
        )
        .distinct()
        .count()
    )


def _trend_rounds(rounds: list[Round]) -> list[TrendRound]:
    """Each round with what its latest publication shows: the groups (one query) and the
    principle scores (one query)."""
    ids = [r.publication_id for r in rounds if r.publication_id]  # type: ignore[attr-defined]
    people = dict(Publication.objects.filter(pk__in=ids).values_list("pk", "scores__people"))
    scores: dict[int, dict[tuple[str, int], float]] = defaultdict(dict)
    rows = PublicationScore.objects.filter(publication_id__in=ids).values_list(
        "publication_id", "group", "principle", "score"
    )
    for publication_id, group, principle, score in rows:
        scores[publication_id][(group, principle)] = score
    found = []
    for r in rounds:
        pid = r.publication_id  # type: ignore[attr-defined]
        groups = tuple(k for k in GROUP_ORDER if k in (people.get(pid) or {}))
        found.append(TrendRound(r, pid, groups, scores.get(pid, {})))
    return found


def organisation_trend(
    organisation_id: int, *, up_to: Round | None = None, charts: bool = True
) -> OrganisationTrend:
    """Every closed round of the organisation, put together by framework, with each
    principle's published scores; with ``up_to``, only the rounds on that round's framework
    made up to it (the report's trend). Four queries, whatever the number of rounds."""
    rounds = list(closed_rounds(organisation_id))
    if up_to is not None:
        rounds = [
            r
            for r in rounds
            if r.framework.slug == up_to.framework.slug
            and (r.created_at, r.pk) <= (up_to.created_at, up_to.pk)
        ]
    by_slug: dict[str, list[TrendRound]] = defaultdict(list)
    for trend_round in _trend_rounds(rounds):
        by_slug[trend_round.round.framework.slug].append(trend_round)
    newest = {slug: found[-1].round.framework_id for slug, found in by_slug.items()}
    principles: dict[int, list[Principle]] = defaultdict(list)
    for principle in Principle.objects.filter(framework_id__in=newest.values()).order_by("order"):
        principles[principle.framework_id].append(principle)
    frameworks = []
    for slug, found in by_slug.items():
        framework = FrameworkTrend(found[-1].round.framework.name, found)
        framework.principles = [
            _principle_trend(framework, principle, charts) for principle in principles[newest[slug]]
        ]
        frameworks.append(framework)
    return OrganisationTrend(frameworks)


def _principle_trend(framework: FrameworkTrend, principle: Principle, chart: bool):
    shown = {key for r in framework.rounds for key in r.groups}
    keys = [EVERYONE, *(k for k in GROUP_ORDER if k in shown)]
    groups = [(k, gettext("Everyone") if k == EVERYONE else PERSPECTIVE_LABELS[k]) for k in keys]
    rows = [(r, [r.cell(key, principle.order) for key in keys]) for r in framework.rounds]
    trend = PrincipleTrend(principle.order, principle.name, groups, rows)
    if chart and framework.with_figures:
        trend.chart = _chart(framework, trend)
    return trend


def shared_start(titles: list[str]) -> str:
    """The words every title begins with ("Adult social care: "), to leave out under the
    chart where they would crowd out the words that tell the rounds apart."""
    if len(titles) < 2:
        return ""
    start = os.path.commonprefix(titles)
    start = start[: start.rfind(" ") + 1]  # whole words only
    return "" if any(title == start.rstrip() for title in titles) else start


def round_label(trend_round: TrendRound, shared: str = "") -> str:
    """A round under the chart: its title, shortened (without the words every round's title
    starts with), and the month it closed."""
    title = trend_round.round.title.removeprefix(shared) or trend_round.round.title
    title = textwrap.shorten(title, 34, placeholder="…")
    closed = trend_round.round.closed_at
    if closed is None:
        return title
    return gettext("%(title)s (closed %(month)s)") % {
        "title": title,
        "month": date_format(localtime(closed), "M Y"),
    }


def _chart(framework: FrameworkTrend, trend: PrincipleTrend) -> str:
    lines = [
        Line(label, tuple(cells[i].value for _, cells in trend.rows))
        for i, (_, label) in enumerate(trend.groups)
    ]
    groups = len(trend.groups) - 1
    description = ngettext(
        "Line chart of the published score of this principle on the 1 to 4 scale, round by "
        "round, for everyone and %(groups)s group of respondents; a break in a line is a "
        "figure held back or a change of framework version. The table with it shows the same "
        "figures.",
        "Line chart of the published score of this principle on the 1 to 4 scale, round by "
        "round, for everyone and %(groups)s groups of respondents; a break in a line is a "
        "figure held back or a change of framework version. The table with it shows the same "
        "figures.",
        groups,
    ) % {"groups": groups}
    shared = shared_start([r.round.title for r, _ in trend.rows])
    return trend_svg(
        rounds=[round_label(r, shared) for r, _ in trend.rows],
        lines=lines,
        breaks=framework.breaks,
        title=gettext("%(principle)s: published scores round by round") % {"principle": trend.name},
        description=description,
        break_label=gettext("New version"),
    )
