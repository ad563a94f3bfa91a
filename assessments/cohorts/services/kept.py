"""What a cohort shows, kept up to date: its figures worked out again, and a new version
of its pages, whenever anything they show may have changed."""

import logging
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from assessments.cohorts import selectors
from assessments.cohorts.benchmark import benchmark_update
from assessments.cohorts.figures import cohort_figures
from assessments.cohorts.models import (
    Cohort,
    CohortFigures,
    CohortMember,
)

logger = logging.getLogger(__name__)


def cohort_figures_store(*, cohort: Cohort) -> CohortFigures:
    """Work out the cohort-level figures of the dashboard from the members' latest
    publications, and keep them."""
    data = cohort_figures(
        cohort, closed_organisations=len(selectors.cohort_closing_publications(cohort))
    )
    figures, _ = CohortFigures.objects.update_or_create(
        cohort=cohort,
        defaults={"data": data, "made_at": timezone.now(), "version": uuid.uuid4().hex},
    )
    return figures


def cohort_pages_touch(*, organisation_id: int) -> None:
    """Something the cohort pages show of an organisation changed without changing any
    figure (its round's title, or whether it shows figures while open): a new version, so
    that no worker shows what it kept of the pages before."""
    CohortFigures.objects.filter(cohort__members__organisation_id=organisation_id).update(
        version=uuid.uuid4().hex
    )


def cohort_figures_refresh(
    *, cohort: Cohort | None = None, organisation_id: int | None = None
) -> None:
    """After anything that can change what a cohort shows — a round made, opened, closed or
    reopened, a publication made, an organisation joining or leaving, the period moved —
    point each member at the round that counts and its latest publication, work the
    cohort-level figures out again, and make a new cohort mean if the rules allow one
    (``reporting.benchmark``). For every cohort the organisation is in, or for one cohort
    (all its members, or only the organisation given). Pages only read what this keeps."""
    if cohort is not None:
        cohorts = [cohort]
    else:
        assert organisation_id is not None, "a cohort or an organisation"
        cohorts = list(  # always locked in the same order
            Cohort.objects.filter(members__organisation_id=organisation_id)
            .select_related("framework")
            .order_by("pk")
        )
    only = None if organisation_id is None else [organisation_id]
    for each in cohorts:
        with transaction.atomic():
            Cohort.objects.select_for_update().filter(pk=each.pk).first()  # one at a time
            standing = selectors.cohort_standing(each, only)
            members = CohortMember.objects.filter(cohort=each)
            if only is not None:
                members = members.filter(organisation_id__in=only)
            changed = []
            for member in members.only("pk", "organisation_id", "round_id", "publication_id"):
                round_id, publication_id = standing.get(member.organisation_id, (None, None))
                if (member.round_id, member.publication_id) != (round_id, publication_id):
                    member.round_id, member.publication_id = round_id, publication_id
                    changed.append(member)
            CohortMember.objects.bulk_update(changed, ["round", "publication"], batch_size=500)
            cohort_figures_store(cohort=each)
            benchmark_update(cohort=each)


def cohorts_of(organisation_id: int) -> list[int]:
    """The cohorts an organisation is in (to refresh them once it has gone)."""
    return list(
        CohortMember.objects.filter(organisation_id=organisation_id).values_list(
            "cohort_id", flat=True
        )
    )


def cohorts_refresh(cohort_ids: Iterable[int]) -> None:
    for cohort in Cohort.objects.filter(pk__in=cohort_ids).select_related("framework"):
        cohort_figures_refresh(cohort=cohort)
