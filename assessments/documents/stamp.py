"""A stamp that changes whenever anything a round's results show, besides a publication's
own figures, may have changed: so each worker can keep what it looked up for a round's
results (its latest publication, the previous round's, the cohort mean, the agreed
positions, the number of actions) until the stamp changes, instead of asking the database
on every view (``summary.results_basis``).

The stamp is a random token in the shared cache (the database's, so every worker sees the
same one). Any save or delete of a round, a publication, an agreed position, its evidence,
an action, a cohort, a cohort's member or a cohort mean replaces it, in the writer's
transaction and again once that commits, so no worker can keep a look taken before the
change under a stamp made after it. A worker that finds no stamp makes one. Random, not
counted: a stamp lost from the cache and made again never repeats an old one.

Writes that bypass the models' signals (``bulk_create``, ``QuerySet.update``) on these
models must call ``stamp_renew``; only the load generator does, before anyone looks.

Kept because the results page misses its target without it (bench/NOTES.md, note 25):
naming what a round's results are made of in one ORM query (the latest publication, the
agreed positions' last change, the previous round, the cohort and its mean) takes the
database a tenth of a millisecond to answer and Django five to build, which more than
halves the page's throughput.
"""

from __future__ import annotations

import secrets

from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save

KEY = "results-stamp"


def stamp() -> str:
    """The stamp now (one read of the shared cache)."""
    cache = caches["default"]
    value = cache.get(KEY)
    if value is None:
        cache.add(KEY, secrets.token_hex(8), timeout=None)
        value = cache.get(KEY)
    return value


def stamp_renew() -> None:
    caches["default"].set(KEY, secrets.token_hex(8), timeout=None)


def _changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loading fixtures
    stamp_renew()
    transaction.on_commit(stamp_renew)


def watch() -> None:
    """Renew the stamp on every change to what results show (called once, at start-up)."""
    from assessments.cohorts.models import Cohort, CohortBenchmark, CohortMember
    from assessments.figures.models import Publication
    from assessments.rounds.models import Action, AgreedPosition, Evidence, Round
    from principles.models import Crosswalk

    for model in (
        Round,
        Publication,
        AgreedPosition,
        Evidence,
        Action,
        Cohort,
        CohortMember,
        CohortBenchmark,
        Crosswalk,  # which frameworks a round's results can be read through
    ):
        for signal in (post_save, post_delete):
            signal.connect(_changed, sender=model, dispatch_uid=f"results-stamp-{model.__name__}")
