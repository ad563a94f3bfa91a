"""Reads that the cohort pages need: members, invitations, the cohort's rounds, their
published figures and the cohort mean shown so far, each in a fixed number of queries.
Nothing here reads an answer: the cohort pages are made of what rounds published.
"""

from collections.abc import Collection, Iterable

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from assessments.accounts.models import Membership, Organisation, Role, User
from assessments.cohorts.models import (
    Cohort,
    CohortBenchmark,
    CohortFigures,
    CohortInvitation,
    CohortMember,
)
from assessments.figures.models import Publication
from assessments.mail import with_mail_status
from assessments.rounds.models import Round, RoundStatus
from principles.models import Crosswalk, PracticeStatement


def facilitates_cohorts(user: User) -> bool:
    """Whether the person runs any cohort."""
    return Cohort.objects.filter(facilitator=user).exists()


def cohorts_for_facilitator(user: User) -> QuerySet[Cohort]:
    """The cohorts a person runs, with how many organisations are in each and how many
    invitations wait for an answer."""
    return (
        Cohort.objects.filter(facilitator=user)
        .select_related("framework")
        .annotate(
            organisation_count=Count("members", distinct=True),
            pending_count=Count(
                "invitations",
                filter=Q(invitations__status=CohortInvitation.Status.PENDING),
                distinct=True,
            ),
        )
        .order_by("-starts_on", "name")
    )


def cohort_members(cohort: Cohort) -> QuerySet[CohortMember]:
    return (
        CohortMember.objects.filter(cohort=cohort)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def cohort_heat_map(cohort: Cohort) -> QuerySet[CohortMember]:
    """The cohort's members, from which the heat map reads each organisation, the round
    that counts and its latest publication's scores (never its counts or ledger), as plain
    values. Unordered: the caller sorts and pages in the database."""
    return CohortMember.objects.filter(cohort=cohort)


def cohort_figures_version(cohort: Cohort) -> str | None:
    """Which version of the cohort's figures and pages is kept (None while there are none),
    without reading the figures themselves (``cohort_figures_data``)."""
    return CohortFigures.objects.filter(cohort=cohort).values_list("version", flat=True).first()


def cohort_figures_data(cohort: Cohort) -> tuple[str, dict] | None:
    """The cohort-level figures as last kept, with their version; or None."""
    return CohortFigures.objects.filter(cohort=cohort).values_list("version", "data").first()


def pick_rounds(rounds: Iterable[Round]) -> dict[int, Round]:
    """Each organisation's round for the cohort: its latest opened round in the period, or
    failing that its latest draft. ``rounds`` come ordered by organisation, then opening."""
    chosen: dict[int, Round] = {}
    for round_ in rounds:
        current = chosen.get(round_.organisation_id)
        if current is None or round_.opened_at is not None or current.opened_at is None:
            chosen[round_.organisation_id] = round_
    return chosen


def cohort_standing(
    cohort: Cohort, organisation_ids: Collection[int] | None = None
) -> dict[int, tuple[int | None, int | None]]:
    """organisation id → (the round that counts for the cohort, its latest publication), for
    the cohort's members (or those of ``organisation_ids``). Two queries."""
    rounds = cohort_rounds(cohort).only("pk", "organisation_id", "opened_at")
    members = CohortMember.objects.filter(cohort=cohort)
    if organisation_ids is not None:
        rounds = rounds.filter(organisation_id__in=organisation_ids)
        members = members.filter(organisation_id__in=organisation_ids)
    chosen = {org: round_.pk for org, round_ in pick_rounds(rounds).items()}
    latest = dict(
        Publication.objects.filter(round_id__in=chosen.values())
        .order_by("round_id", "number")
        .values_list("round_id", "pk")
    )  # ordered: each round's latest publication wins
    standing: dict[int, tuple[int | None, int | None]] = {}
    for org in members.values_list("organisation_id", flat=True):
        round_id = chosen.get(org)
        standing[org] = (round_id, latest.get(round_id) if round_id is not None else None)
    return standing


def cohort_not_started(cohort: Cohort) -> list:
    """The cohort's organisations with no round that counts for it (not even a draft), by
    name, each with its leads (``leads``: users). Three queries."""
    idle = [org for org, (round_id, _) in cohort_standing(cohort).items() if round_id is None]
    organisations = list(Organisation.objects.filter(pk__in=idle).order_by("name", "pk"))
    leads: dict[int, list] = {org.pk: [] for org in organisations}
    for membership in (
        Membership.objects.filter(organisation__in=organisations, role=Role.LEAD)
        .select_related("user")
        .order_by("user__email")
    ):
        leads[membership.organisation_id].append(membership.user)
    for org in organisations:
        org.leads = leads[org.pk]  # type: ignore[attr-defined]
    return organisations


def cohort_invitations(cohort: Cohort, *, pending_only: bool = False) -> QuerySet[CohortInvitation]:
    invitations = with_mail_status(
        CohortInvitation.objects.filter(cohort=cohort).select_related("organisation")
    )
    if pending_only:
        invitations = invitations.filter(status=CohortInvitation.Status.PENDING)
    return invitations.order_by("-created_at", "-pk")


def on_cohort_frameworks(cohort: Cohort, path: str = "framework__slug") -> Q:
    """On the cohort's framework, or on one a crosswalk links to it (any version): such a
    round is read through the crosswalk on the heat map, and counts for nothing else. In
    the same query, not one of its own."""
    slug = cohort.framework.slug
    return (
        Q(**{path: slug})
        | Q(**{f"{path}__in": Crosswalk.objects.filter(first=slug).values("second")})
        | Q(**{f"{path}__in": Crosswalk.objects.filter(second=slug).values("first")})
    )


def cohort_rounds(cohort: Cohort, *, closed_only: bool = False) -> QuerySet[Round]:
    """The rounds of the cohort's organisations on its framework (any version), or on one
    a crosswalk links to it (``on_cohort_frameworks``), that were opened within the
    period, or are drafts made within it. One query, whatever the number of
    organisations; ``cohort_standing`` picks the one that counts."""
    period = (cohort.starts_on, cohort.ends_on)
    in_period = Q(opened_at__isnull=False, opened_at__date__range=period)
    if not closed_only:
        in_period |= Q(status=RoundStatus.DRAFT, created_at__date__range=period)
    rounds = Round.objects.filter(
        in_period,
        on_cohort_frameworks(cohort),
        organisation__cohort_memberships__cohort=cohort,
    )
    if closed_only:
        rounds = rounds.filter(status=RoundStatus.CLOSED)
    return rounds.order_by("organisation_id", "opened_at", "created_at", "pk")


def cohort_closing_publications(cohort: Cohort) -> dict[int, int]:
    """organisation id → the publication its cohort mean figures come from: the latest
    publication made at close of its latest round (opened in the period, on the framework)
    that has one. One query over publications, without their figures; a round has one or
    two such publications at most, unless it was reopened and closed again. Only rounds
    answered on the cohort's framework: the cohort mean never holds a figure read through
    a crosswalk."""
    rows = (
        Publication.objects.filter(
            closing=True,
            round__organisation__cohort_memberships__cohort=cohort,
            round__framework__slug=cohort.framework.slug,
            round__opened_at__isnull=False,
            round__opened_at__date__range=(cohort.starts_on, cohort.ends_on),
        )
        .order_by("round__organisation_id", "round__opened_at", "round_id", "number")
        .values_list("round__organisation_id", "pk")
    )
    return dict(rows)  # ordered: the latest round's latest publication wins


def cohort_publication_statements(publication_ids: Iterable[int]) -> dict[int, dict[str, dict]]:
    """publication id → its statements' published cells (one query)."""
    rows = Publication.objects.filter(pk__in=publication_ids).values_list(
        "pk", "figures__statements"
    )
    return {pk: statements or {} for pk, statements in rows}


def cohort_statement_positions(cohort: Cohort) -> dict[int, tuple[int, int]]:
    """Every statement of the cohort's framework, in any version, by its position:
    (principle order, statement order). One query."""
    return {
        pk: (principle_order, order)
        for pk, principle_order, order in PracticeStatement.objects.filter(
            principle__framework__slug=cohort.framework.slug
        ).values_list("pk", "principle__order", "order")
    }


def cohort_benchmark_latest(cohort: Cohort) -> CohortBenchmark | None:
    """The cohort mean shown now, if one has been made."""
    return CohortBenchmark.objects.filter(cohort=cohort).order_by("-made_at", "-pk").first()


def cohort_benchmark_history(cohort: Cohort) -> list[list[tuple[int, int]]]:
    """What every cohort mean ever shown was made of: its (organisation, publication)
    pairs, oldest first (one query)."""
    return [
        [(organisation, publication) for organisation, publication in pairs]
        for pairs in CohortBenchmark.objects.filter(cohort=cohort)
        .order_by("made_at", "pk")
        .values_list("organisations", flat=True)
    ]


def round_cohort(round: Round) -> Cohort | None:
    """The cohort a round belongs to: its organisation accepted the cohort, the framework
    is the cohort's and the round was opened within the period. The latest such cohort if
    there are several."""
    if round.opened_at is None:
        return None
    opened = timezone.localdate(round.opened_at)
    return (
        Cohort.objects.filter(
            members__organisation_id=round.organisation_id,
            framework__slug=round.framework.slug,
            starts_on__lte=opened,
            ends_on__gte=opened,
        )
        .select_related("framework")
        .order_by("-starts_on", "-pk")
        .first()
    )


def organisation_cohorts(organisation: Organisation) -> QuerySet[CohortMember]:
    """The cohorts an organisation is in, with the facilitator."""
    return (
        CohortMember.objects.filter(organisation=organisation)
        .select_related("cohort__framework", "cohort__facilitator")
        .order_by("-cohort__starts_on", "cohort__name")
    )


def cohort_invitations_for_lead(user: User) -> QuerySet[CohortInvitation]:
    """Invitations waiting for this person's answer, addressed to their e-mail address."""
    return (
        CohortInvitation.objects.filter(
            email__iexact=user.email, status=CohortInvitation.Status.PENDING
        )
        .select_related("cohort__framework", "cohort__facilitator")
        .order_by("-created_at", "-pk")
    )


def cohort_named_peers(
    cohort: Cohort, *, exclude_organisation: Organisation | None = None
) -> tuple[list[str], int]:
    """The names of the cohort's organisations that let others see them, and how many
    others keep their names to themselves."""
    members = CohortMember.objects.filter(cohort=cohort)
    if exclude_organisation is not None:
        members = members.exclude(organisation=exclude_organisation)
    named, hidden = [], 0
    for name, show in members.order_by("organisation__name").values_list(
        "organisation__name", "show_name"
    ):
        if show:
            named.append(name)
        else:
            hidden += 1
    return named, hidden
