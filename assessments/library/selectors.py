"""Reads about frameworks made on the site: which a person or an organisation may use,
and the ones a person may see."""

from django.db.models import Q, QuerySet

from assessments.accounts.models import Membership, Organisation, Role, User
from assessments.cohorts.models import CohortMember
from principles.models import Framework

from .models import OwnFramework


def _usable(own: QuerySet[OwnFramework]) -> QuerySet[Framework]:
    """The newest version of every shared framework, and of those in ``own``."""
    slugs = own.exclude(slug="").values("slug")
    return (
        Framework.objects.latest_versions()
        .filter(Q(shared=True) | Q(slug__in=slugs))
        .order_by("name")
    )


def frameworks_for_organisation(organisation: Organisation | int) -> QuerySet[Framework]:
    """What an organisation's rounds may use: the shared library, its own frameworks, and
    those of the cohorts it is in."""
    cohorts = CohortMember.objects.filter(organisation=organisation).values("cohort")
    return _usable(
        OwnFramework.objects.filter(Q(organisation=organisation) | Q(cohort__in=cohorts))
    )


def frameworks_for_facilitator(user: User) -> QuerySet[Framework]:
    """What a new cohort may use: the shared library, and the frameworks of the cohorts the
    person runs and of the organisations they are a member of."""
    organisations = Membership.objects.filter(user=user).values("organisation")
    return _usable(
        OwnFramework.objects.filter(Q(cohort__facilitator=user) | Q(organisation__in=organisations))
    )


def own_frameworks_seen_by(user: User) -> QuerySet[OwnFramework]:
    """The frameworks made on the site that ``user`` may see: their organisations' (drafts
    too), their cohorts' (drafts too), and the published ones of cohorts their
    organisations are in."""
    organisations = Membership.objects.filter(user=user).values("organisation")
    in_cohorts = CohortMember.objects.filter(organisation__in=organisations).values("cohort")
    return (
        OwnFramework.objects.filter(
            Q(organisation__in=organisations)
            | Q(cohort__facilitator=user)
            | Q(cohort__in=in_cohorts, published_at__isnull=False)
        )
        .select_related("organisation", "cohort")
        .distinct()
    )


def owners_for(user: User) -> tuple[list[Organisation], list]:
    """Where ``user`` may add a framework: the organisations they lead, the cohorts they run."""
    organisations = list(
        Organisation.objects.filter(memberships__user=user, memberships__role=Role.LEAD).order_by(
            "name"
        )
    )
    cohorts = list(user.cohorts_run.order_by("name"))
    return organisations, cohorts


def versions_of(own: OwnFramework) -> QuerySet[Framework]:
    if not own.slug:
        return Framework.objects.none()
    return Framework.objects.filter(slug=own.slug).order_by("-version")
