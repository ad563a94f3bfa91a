"""The cohort mean an organisation sees beside its own scores, and the rules that keep it
from giving any one organisation away.

Its members never see one another's figures, only this mean; but a mean of a handful of
organisations, looked at before and after one more of them closes a round, would give that
organisation's scores away by subtraction. So the mean:

- is made only of figures published when rounds closed (``Publication.closing``), one
  publication per organisation: that of its latest round in the cohort to have closed;
- is shown only while at least ``MIN_ORGANISATIONS`` organisations have such figures, and
  a principle's mean only when every one of them has a score for it, so that every figure
  shown covers the same organisations;
- is stored as shown (``CohortBenchmark``), rounded to one decimal place, and made again
  only when at least ``MIN_CHANGED`` organisations' figures differ from the stored one's
  (an organisation new to it, gone from it, or with a newer publication) and, beside every
  mean the cohort has shown before, the new one lets nothing about one or two
  organisations be worked out (``disclosure.Ledger``, each organisation's publication being
  one unknown) — not even by one of the organisations, which knows its own figures, in
  this mean and every earlier one, and can take them out. Until then the stored one
  stands, whatever has changed.

Each organisation knowing its own figures is why a mean covers at least 5 organisations (4
others besides the one looking) and moves only when at least 4 have changed: were 3 enough,
one of the 3 would learn what the other two did together.

The rules are applied when something changes what the mean could be made of — a round's
figures published at close, an organisation joining or leaving, the cohort's period moved
(``cohorts.services.cohort_figures_refresh`` calls ``benchmark_update``) — and never when
someone looks: a look reads the stored mean and how many organisations have figures
published at close now (kept with the cohort's figures), so looking again and again neither
makes a new mean nor checks a refused one again. Making one reads the chosen publications'
figures once.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext

from assessments.cohorts import selectors
from assessments.cohorts.models import Cohort, CohortBenchmark
from assessments.figures import cohort_scoring
from assessments.figures.disclosure import MIN_PEOPLE, Ledger
from assessments.figures.publishing import EVERYONE
from assessments.rounds.models import Round

MIN_ORGANISATIONS = cohort_scoring.COHORT_MIN_ORGANISATIONS
MIN_CHANGED = 4
DECIMALS = 1


@dataclass
class Benchmark:
    """The cohort mean per principle (by order), as shown to the cohort's organisations."""

    cohort: Cohort
    organisations: int
    means: dict[int, float]
    made_at: datetime
    organisation_ids: frozenset[int]

    @property
    def label(self) -> str:
        return gettext("Cohort mean")

    def covers(self, organisation_id: int) -> bool:
        return organisation_id in self.organisation_ids

    @classmethod
    def of(cls, cohort: Cohort, stored: CohortBenchmark) -> Benchmark:
        pairs = stored.pairs
        return cls(
            cohort=cohort,
            organisations=len(pairs),
            means={int(order): mean for order, mean in stored.means.items()},
            made_at=stored.made_at,
            organisation_ids=frozenset(pairs),
        )


def changed(stored: dict[int, int], now: dict[int, int]) -> int:
    """How many organisations' figures differ between two sets of (organisation →
    publication): new, gone, or published again."""
    return sum(1 for org in stored.keys() | now.keys() if stored.get(org) != now.get(org))


def due(stored: CohortBenchmark | None, now: dict[int, int]) -> bool:
    """Whether a new cohort mean may be worked out from ``now`` (organisation →
    publication): enough organisations, and enough of them changed since the stored one.
    The disclosure check against every earlier mean comes after, in ``benchmark_update``."""
    if len(now) < MIN_ORGANISATIONS:
        return False
    return stored is None or changed(stored.pairs, now) >= MIN_CHANGED


def cohort_means(
    statements: dict[int, dict[str, dict]], positions: dict[int, tuple[int, int]]
) -> dict[int, float]:
    """principle order → the mean of the organisations' principle scores (each from its
    publication's figures for everyone), to one decimal place; a principle only when every
    organisation has a score for it. ``statements``: publication id → its cells."""
    per_organisation = []
    for publication, cells in statements.items():
        stats = cohort_scoring.published_stats(publication, cells, positions)
        means = cohort_scoring.organisation_statement_means(stats, [EVERYONE]).get(publication, {})
        per_organisation.append(cohort_scoring.principle_means(means))
    scores: dict[int, list[float]] = defaultdict(list)
    for organisation in per_organisation:
        for order, score in organisation.items():
            scores[order].append(score)
    return {
        order: round(statistics.fmean(values), DECIMALS)
        for order, values in sorted(scores.items())
        if len(values) == len(per_organisation)
    }


def readers(means: list[list[tuple[int, int]]]) -> list[frozenset[tuple[int, int]]]:
    """What the organisations in ``means`` know of them, so that the check is made again as
    each would make it: an organisation knows its own (organisation, publication) pairs,
    in every mean. Only readers who could learn more than anyone are given:

    - pairs that stand in exactly the same means are only ever seen together, so an
      organisation each of whose pairs shares its means with at least 3 other pairs can
      take its own out of their total and still be left with a total of 3 or more;
    - two organisations whose pairs lie in the means in the same way learn the same (each
      about the other's fellows), so one of them is given.

    So a cohort whose members mostly stand still is a handful of readers, not one per
    organisation."""
    where: dict[tuple[int, int], tuple[int, ...]] = defaultdict(tuple)
    for number, mean in enumerate(means):
        for organisation, publication in mean:
            where[organisation, publication] += (number,)
    alike: dict[tuple[int, ...], int] = defaultdict(int)
    for means_in in where.values():
        alike[means_in] += 1
    own: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pair in where:
        own[pair[0]].append(pair)
    distinct: dict[tuple[tuple[int, ...], ...], frozenset[tuple[int, int]]] = {}
    for pairs in own.values():
        shape = tuple(sorted(where[pair] for pair in pairs))
        if any(alike[means_in] <= MIN_PEOPLE for means_in in shape):
            distinct.setdefault(shape, frozenset(pairs))
    return list(distinct.values())


def benchmark_update(*, cohort: Cohort) -> CohortBenchmark | None:
    """Make a new cohort mean if the rules allow one now; return it, or None when the
    stored one stands. Under a lock on the cohort, so two pages asking at once make one."""
    with transaction.atomic():
        Cohort.objects.select_for_update().get(pk=cohort.pk)
        stored = selectors.cohort_benchmark_latest(cohort)
        now = selectors.cohort_closing_publications(cohort)
        if not due(stored, now):
            return None
        pairs = sorted(now.items())
        history = selectors.cohort_benchmark_history(cohort)
        if not Ledger(history).safe_with(pairs, readers=readers([*history, pairs])):
            return None  # beside an earlier mean, this one would give one or two away
        statements = selectors.cohort_publication_statements(list(now.values()))
        means = cohort_means(statements, selectors.cohort_statement_positions(cohort))
        return CohortBenchmark.objects.create(
            cohort=cohort, organisations=[list(pair) for pair in pairs], means=means
        )


def cohort_benchmark(cohort: Cohort) -> Benchmark | None:
    """The cohort mean the cohort's organisations see now, or None while fewer than
    ``MIN_ORGANISATIONS`` organisations have figures published at close. Only reads: the
    mean is made when its figures change (``benchmark_update``). Two queries."""
    if closed_organisations(cohort) < MIN_ORGANISATIONS:
        return None
    stored = selectors.cohort_benchmark_latest(cohort)
    if stored is None:
        return None
    return Benchmark.of(cohort, stored)


def closed_organisations(cohort: Cohort) -> int:
    """How many of the cohort's organisations have figures published at close, as last
    counted when the cohort's figures changed (counted now for a cohort with none kept)."""
    kept = selectors.cohort_figures_data(cohort)
    if kept is None:
        return len(selectors.cohort_closing_publications(cohort))
    return kept[1]["closed_organisations"]


def round_benchmark(round_: Round) -> Benchmark | None:
    """The cohort mean for a round of a cohort, or None when the round is in no cohort or
    the cohort's mean is not shown."""
    cohort = selectors.round_cohort(round_)
    if cohort is None:
        return None
    return cohort_benchmark(cohort)
