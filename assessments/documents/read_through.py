"""A round's results read through another framework, where a crosswalk links the two
(``principles.crosswalks``).

Why this cannot tell anyone more than the round's own results page:

- It reads the round's latest publication and nothing else: its principle scores as
  stored (``PublicationScore``) and the groups it showed. Never an answer, never a count of
  people, never a figure the publication held back.
- Each principle of the other framework gets the mean of the published scores of the
  round's principles linked to it, for everyone and for each group the publication showed,
  the same principles for every group. A mean of figures every reader of the results page
  already sees tells them nothing new about anyone.
- If any principle it is read from is held back for a group, it is held back for that group
  too: a mean over the principles that are shown would change with what was held back, and
  set beside the others could help work out the figure that was not shown.

The figures are labelled as read through the other framework, never put in a table with
figures answered directly, and name the principles they are read from and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean

from django.utils.translation import gettext

from assessments.documents.stamp import stamp
from assessments.figures import publishing
from assessments.figures.models import Publication, PublicationScore
from assessments.figures.publishing import EVERYONE, GROUP_ORDER
from assessments.rounds.models import PERSPECTIVE_LABELS, Round
from coprod.cache import kept
from principles.crosswalks import Lineup, Link, lineups
from principles.models import Framework, Principle

SHOWN, HELD = "shown", "held"


@dataclass(frozen=True)
class Cell:
    key: str  # the group, or everyone
    state: str
    value: float | None = None


@dataclass(frozen=True)
class ReadPrinciple:
    """A principle of the other framework, the round's principles it is read from (each
    with its link's reasoning), and its figure for everyone and each group."""

    principle: Principle
    links: list[Link]
    cells: list[Cell]

    @property
    def held(self) -> bool:
        return any(cell.state == HELD for cell in self.cells)


@dataclass(frozen=True)
class ReadThrough:
    round: Round
    other: Framework
    publication: Publication | None
    groups: list[tuple[str, str]]  # (key, label): everyone, then each group shown
    principles: list[ReadPrinciple]  # the other framework's principles the crosswalk covers
    not_covered: list[Principle]
    source: str

    @property
    def any_held(self) -> bool:
        return any(p.held for p in self.principles)


def partners(round_: Round) -> list[Framework]:
    """The frameworks this round's results can be read through: those a crosswalk links to
    at least one of the round's principles. Kept by each worker until the results stamp
    changes (a crosswalk loaded renews it), as the rest of what the results page shows."""
    framework = round_.framework
    return kept(
        ("results-through", framework.pk, framework.content_hash, stamp()),
        lambda: [lineup.other for lineup in lineups(framework) if lineup.links],
    )


def read_through(round_: Round, other_slug: str) -> ReadThrough | None:
    """The round's latest publication read through the framework ``other_slug``; None when
    no crosswalk links the round's framework to it."""
    found = [lu for lu in lineups(round_.framework) if lu.other.slug == other_slug]
    if not found or not found[0].links:
        return None
    lineup: Lineup = found[0]
    publication = publishing.latest(round_, figures=False)
    shown: dict[tuple[str, int], float] = {}
    keys = [EVERYONE]
    if publication is not None:
        people = (publication.scores or {}).get("people", {})
        keys += [key for key in GROUP_ORDER if key in people]
        rows = PublicationScore.objects.filter(publication=publication).values_list(
            "group", "principle", "score"
        )
        shown = {(group, order): score for group, order, score in rows}
    groups = [(k, gettext("Everyone") if k == EVERYONE else PERSPECTIVE_LABELS[k]) for k in keys]
    principles = []
    for principle in lineup.there:
        links = lineup.reaching(principle)
        if links:
            orders = sorted({link.here.order for link in links})
            principles.append(
                ReadPrinciple(principle, links, [_cell(shown, k, orders) for k in keys])
            )
    return ReadThrough(
        round=round_,
        other=lineup.other,
        publication=publication,
        groups=groups,
        principles=principles,
        not_covered=lineup.not_covered,
        source=lineup.source,
    )


def principle_cells(
    lineup: Lineup, principles: list[Principle], scores: dict[str, float], key: str
) -> list[Cell | None]:
    """One group's published principle scores (by order, as a publication stores them)
    read through ``lineup`` onto ``principles`` (a version of the other framework, matched
    by slug): a cell per principle, or None where no link reaches it (not covered)."""
    shown = {(key, int(order)): score for order, score in scores.items()}
    cells: list[Cell | None] = []
    for principle in principles:
        orders = sorted(
            {link.here.order for link in lineup.links if link.there.slug == principle.slug}
        )
        cells.append(_cell(shown, key, orders) if orders else None)
    return cells


def _cell(shown: dict[tuple[str, int], float], key: str, orders: list[int]) -> Cell:
    """The mean of the published scores of the principles ``orders`` for ``key``, or held
    back when any of them was not published."""
    scores = [shown.get((key, order)) for order in orders]
    if any(score is None for score in scores):
        return Cell(key, HELD)
    return Cell(key, SHOWN, fmean(score for score in scores if score is not None))
