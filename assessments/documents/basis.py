"""What a round's results are made from (``Basis``), found without reading any figures,
and kept until the results stamp changes (``documents.stamp``): the latest publication,
the previous comparable round and the id of its latest publication, the cohort mean (the
cohort, the stored mean; see ``cohorts.benchmark``), the agreed positions with their
evidence and the number of actions, and the previous round's actions followed into this
one. ``documents.summary`` works the results out from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import translation

from assessments.cohorts.benchmark import Benchmark, round_benchmark
from assessments.documents.stamp import stamp
from assessments.figures import publishing, scoring
from assessments.figures import selectors as figures_selectors
from assessments.figures.models import Publication
from assessments.figures.publishing import EVERYONE, Figures
from assessments.rounds import selectors
from assessments.rounds.models import Action, AgreedPosition, Round
from coprod.cache import kept


@dataclass
class Basis:
    """What a round's results are made from, found without reading any figures: the
    latest publication, the previous comparable round with the id of its latest
    publication, and the cohort mean shown; and beside them the agreed positions and the
    number of actions. Publications never change, so the results made from the same basis
    are the same: ``key`` names it (the agreed positions apart), and what is worked out from
    it can be kept (the results page keeps its figures' HTML)."""

    round: Round
    publication: Publication | None
    previous: Round | None = None  # with ``publication_id``
    benchmark: Benchmark | None = None
    agreed: dict[int, AgreedPosition] = field(default_factory=dict)
    actions: int = 0
    # The previous round's actions, each with ``carried`` (``selectors.followed_actions``).
    followed: list[Action] = field(default_factory=list)

    @property
    def respondents(self) -> int:
        return self.publication.respondents if self.publication else 0

    @property
    def enough(self) -> bool:
        return self.respondents >= scoring.MIN_GROUP  # summary.MIN_RESPONDENTS

    def key(self) -> tuple:
        """Everything the results depend on besides the publications' own figures: the ids
        and times of the publications, the words shown with them (titles, names), the
        framework version's content hash and translations' hash, and the language they are
        read in."""
        round_, publication, previous = self.round, self.publication, self.previous
        framework = round_.framework
        parts: list = [
            round_.pk,
            round_.title,
            round_.organisation_id,
            round_.answers_deleted_at,  # the notes went with the answers
            (framework.pk, framework.content_hash, framework.frozen_at),
            (framework.translations_hash, translation.get_language()),
            (publication.pk, publication.made_at) if publication else None,
        ]
        if round_.instrument is not None:  # the grid's wording, translations corrected
            parts.append((round_.instrument.pk, round_.instrument.translations_hash))
        if previous is not None:
            parts.append(
                (previous.pk, previous.title, previous.closed_at, previous_publication_id(previous))
            )
        if self.followed:
            parts.append(tuple(_followed_key(action) for action in self.followed))
        if self.benchmark is not None:
            b = self.benchmark
            parts.append(
                (b.cohort.pk, b.cohort.name, b.made_at, b.organisations, sorted(b.means.items()))
            )
        return tuple(parts)


def _followed_key(action: Action) -> tuple:
    carried = getattr(action, "carried", None)
    return (
        action.pk,
        action.updated_at,
        (carried.pk, carried.updated_at) if carried is not None else None,
    )


def previous_publication_id(previous: Round) -> int | None:
    return getattr(previous, "publication_id", None)  # annotated by _previous_round


def _previous_round(round_: Round) -> Round | None:
    """The round "what moved" compares with, with its latest publication's id as
    ``publication_id`` (a second query when there is such a round)."""
    previous = selectors.previous_round(round_, same_framework=True)
    if previous is not None:
        previous.publication_id = figures_selectors.latest_publication_id(previous)  # type: ignore[attr-defined]
    return previous


def results_basis(round_: Round, *, compare: bool = True, benchmark: bool = True) -> Basis:
    """The basis of a round's results (see ``Basis``), kept by each worker until the results
    stamp changes (``stamp``: anything shown besides a publication's figures may have
    changed): one read of the shared cache while it stands. Looking it up takes four
    queries (five when there are agreed positions: their evidence), two more with
    ``compare`` when there is a previous round, three more for the cohort mean with
    ``benchmark``, and one for the previous round's actions."""

    def look_up() -> tuple:
        previous = _previous_round(round_) if compare else None
        return (
            publishing.latest(round_, figures=False),
            previous,
            round_benchmark(round_) if benchmark else None,
            selectors.agreed_positions(round_, recorded_by=False, evidence=True),
            selectors.round_actions(round_).count(),
            selectors.followed_actions(round_, previous),
        )

    looked_up = kept(("results-basis", round_.pk, compare, benchmark, stamp()), look_up)
    return Basis(round_, *looked_up)


def previous_scores(
    previous: Round | None, framework
) -> tuple[Round | None, int, dict[int, scoring.Summary], dict[int, scoring.Summary]]:
    """The previous comparable round's published principle and statement scores, keyed by
    this round's principle and statement ids (matched by position), or nothing to compare."""
    publication_id = previous_publication_id(previous) if previous else None
    if previous is None or publication_id is None:
        return None, 0, {}, {}
    figures = Figures.of(Publication.objects.defer("ledger").get(pk=publication_id))
    if figures.respondents < scoring.MIN_GROUP:  # summary.MIN_RESPONDENTS
        return None, 0, {}, {}
    here = {
        (principle.order, statement.order): (principle.pk, statement.pk)
        for principle in framework.principles.all()
        for statement in principle.statements.all()
    }
    positions = selectors.statement_positions(previous.framework_id)
    principle_of = {}
    renamed: dict[tuple[int, str], dict] = {}  # each statement's cells (one, or one a level)
    for statement_id, levels in figures.cells_of().items():
        position = positions.get(statement_id)
        target = here.get(position) if position else None
        if target:
            principle_of[target[1]] = target[0]
            renamed.update({(target[1], str(n)): cells for n, cells in enumerate(levels)})
    matched = Figures(figures.respondents, figures.groups, {}, {}, scoped=renamed).rows(
        EVERYONE, principle_of
    )
    return (
        previous,
        figures.respondents,
        scoring.principle_scores(matched),
        scoring.statement_scores(matched),
    )
