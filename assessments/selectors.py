"""Reads that the round pages need, each with its joins and aggregates in one place.

Every function here issues a fixed number of queries, whatever the number of respondents
or answers: the pages' query counts are asserted in the tests.
"""

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, Sum
from django.utils import timezone

from principles.models import Framework, PracticeStatement, Principle

from . import scoring
from .models import (
    OPEN_ACTION_STATUSES,
    Action,
    AgreedPosition,
    Answer,
    Cohort,
    CohortInvitation,
    CohortMember,
    Invite,
    Membership,
    Organisation,
    Perspective,
    Respondent,
    Round,
    RoundStatus,
)


def memberships_for_user(user):
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .annotate(
            open_rounds=Count(
                "organisation__rounds", filter=Q(organisation__rounds__status=RoundStatus.OPEN)
            )
        )
        .order_by("organisation__name")
    )


def organisation_rounds(organisation):
    return (
        Round.objects.filter(organisation=organisation)
        .select_related("framework")
        .annotate(
            respondent_count=Count(
                "respondents", filter=Q(respondents__answers__isnull=False), distinct=True
            )
        )
        .order_by("-created_at")
    )


def organisation_members(organisation):
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-role", "user__email")
    )


def framework_with_content(framework_id: int) -> Framework:
    """A framework version with its principles and statements, in order, in three queries."""
    return Framework.objects.prefetch_related(
        Prefetch(
            "principles",
            queryset=Principle.objects.order_by("order").prefetch_related(
                Prefetch("statements", queryset=PracticeStatement.objects.order_by("order"))
            ),
        )
    ).get(pk=framework_id)


def framework_statements(framework_id: int):
    """The statements of one framework version, with their principle (for the code)."""
    return PracticeStatement.objects.filter(principle__framework_id=framework_id).select_related(
        "principle"
    )


def statement_count(framework_id: int) -> int:
    return PracticeStatement.objects.filter(principle__framework_id=framework_id).count()


def latest_frameworks():
    return Framework.objects.latest_versions().order_by("name")


def round_progress(round: Round) -> dict:
    """Who has answered, by perspective, as counts only (never who said what)."""
    answered = Respondent.objects.filter(round=round).annotate(
        has_answers=Exists(Answer.objects.filter(respondent=OuterRef("pk")))
    )
    rows = (
        answered.values("perspective")
        .annotate(
            started=Count("pk", filter=Q(has_answers=True)),
            finished=Count("pk", filter=Q(finished_at__isnull=False)),
        )
        .order_by()
    )
    by_perspective = {row["perspective"]: row for row in rows}
    perspectives = [
        {
            "value": value,
            "label": label,
            "started": by_perspective.get(value, {}).get("started", 0),
            "finished": by_perspective.get(value, {}).get("finished", 0),
        }
        for value, label in Perspective.choices
    ]
    invites = Invite.objects.filter(round=round).aggregate(
        total=Count("pk"),
        revoked=Count("pk", filter=Q(revoked_at__isnull=False)),
        used=Count("pk", filter=Q(respondent__isnull=False)),
    )
    return {
        "perspectives": perspectives,
        "started": sum(p["started"] for p in perspectives),
        "finished": sum(p["finished"] for p in perspectives),
        "invites": invites,
    }


def round_invites(round: Round):
    return (
        Invite.objects.filter(round=round)
        .annotate(
            answers=Count("respondent__answers"),
        )
        .select_related("respondent")
        .order_by("revoked_at", "created_at", "pk")
    )


def answer_rows(round: Round) -> list[scoring.AnswerRow]:
    """Every answer of the round as plain rows for the scoring functions (one query)."""
    rows = Answer.objects.filter(respondent__round=round).values_list(
        "respondent_id",
        "respondent__perspective",
        "statement__principle_id",
        "statement_id",
        "level",
    )
    return [
        scoring.AnswerRow(
            respondent_id=respondent_id,
            perspective=perspective,
            principle_id=principle_id,
            statement_id=statement_id,
            level=level or None,  # 0 is "not sure"
        )
        for respondent_id, perspective, principle_id, statement_id, level in rows
    ]


def answer_notes(round: Round) -> dict[tuple[int, int], str]:
    """Notes keyed by (respondent id, statement id), for the anonymised answers export."""
    return {
        (respondent_id, statement_id): note
        for respondent_id, statement_id, note in Answer.objects.filter(respondent__round=round)
        .exclude(note="")
        .values_list("respondent_id", "statement_id", "note")
    }


def round_notes(round: Round) -> dict[int, list[str]]:
    """Notes by statement, without names or perspectives, in a stable, non-revealing order."""
    notes: dict[int, list[str]] = {}
    for statement_id, note in (
        Answer.objects.filter(respondent__round=round)
        .exclude(note="")
        .order_by("statement_id", "note")
        .values_list("statement_id", "note")
    ):
        notes.setdefault(statement_id, []).append(note)
    return notes


def respondent_answers(respondent: Respondent) -> dict[int, Answer]:
    return {a.statement_id: a for a in Answer.objects.filter(respondent=respondent)}


def respondent_count(round: Round) -> int:
    """People who have given at least one answer in the round."""
    return Respondent.objects.filter(round=round, answers__isnull=False).distinct().count()


def respondent_answer_count(respondent: Respondent) -> int:
    return Answer.objects.filter(respondent=respondent).count()


def member_respondent(round: Round, user) -> Respondent | None:
    return Respondent.objects.filter(round=round, user=user).first()


def agreed_positions(round: Round) -> dict[int, AgreedPosition]:
    return {
        p.statement_id: p
        for p in AgreedPosition.objects.filter(round=round).select_related("recorded_by")
    }


def round_actions(round: Round):
    return Action.objects.filter(round=round).select_related(
        "principle", "statement__principle", "carried_from__round"
    )


def action_plan(round: Round) -> list[tuple[Principle, list[Action]]]:
    """The round's actions grouped by principle, in the framework's order; principles with no
    actions are left out (four queries)."""
    actions = list(round_actions(round))
    framework = framework_with_content(round.framework_id)
    grouped = [
        (principle, [a for a in actions if a.principle_id == principle.pk])
        for principle in framework.principles.all()
    ]
    return [(principle, items) for principle, items in grouped if items]


def previous_round(round: Round, *, same_framework: bool = False) -> Round | None:
    """The organisation's round before this one that has been opened; with
    ``same_framework``, the one on the same framework (any version): the one "what moved"
    compares with."""
    earlier = Round.objects.filter(
        organisation_id=round.organisation_id, created_at__lt=round.created_at
    )
    if same_framework:
        earlier = earlier.filter(framework__slug=round.framework.slug)
    return earlier.exclude(status=RoundStatus.DRAFT).order_by("-created_at").first()


def organisation_holdings(organisation: Organisation) -> dict[str, int]:
    """Counts of what an organisation holds, to say what a deletion would remove."""
    rounds = Round.objects.filter(organisation=organisation)
    return {
        "people": Membership.objects.filter(organisation=organisation).count(),
        "rounds": rounds.count(),
        "answers": Answer.objects.filter(respondent__round__in=rounds).count(),
        "links": Invite.objects.filter(round__in=rounds).count(),
        "actions": Action.objects.filter(round__in=rounds).count(),
    }


def rounds_answered_by(user) -> int:
    """How many rounds this person answered signed in."""
    return Respondent.objects.filter(user=user).count()


def respondent_counts_by_round(round_ids) -> dict[int, int]:
    """How many people answered each of these rounds (one query)."""
    return dict(
        Respondent.objects.filter(round_id__in=round_ids, answers__isnull=False)
        .values("round_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("round_id", "n")
    )


def statement_positions(framework_id: int) -> dict[int, tuple[int, int]]:
    """Each statement of a framework version by its position: (principle order, order)."""
    return {
        pk: (principle_order, order)
        for pk, principle_order, order in PracticeStatement.objects.filter(
            principle__framework_id=framework_id
        ).values_list("pk", "principle__order", "order")
    }


def actions_to_review(round: Round):
    """Open actions of the organisation's previous round that this round has not yet taken on."""
    previous = previous_round(round)
    if previous is None:
        return previous, Action.objects.none()
    actions = (
        Action.objects.filter(round=previous, status__in=OPEN_ACTION_STATUSES)
        .exclude(carried_into__round=round)
        .select_related("principle", "statement__principle")
    )
    return previous, actions


# Cohorts -------------------------------------------------------------------------------


def cohorts_for_facilitator(user):
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


def cohort_members(cohort: Cohort):
    return (
        CohortMember.objects.filter(cohort=cohort)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def cohort_invitations(cohort: Cohort, *, pending_only: bool = False):
    invitations = CohortInvitation.objects.filter(cohort=cohort).select_related("organisation")
    if pending_only:
        invitations = invitations.filter(status=CohortInvitation.Status.PENDING)
    return invitations.order_by("-created_at", "-pk")


def cohort_rounds(cohort: Cohort, *, closed_only: bool = False):
    """The rounds of the cohort's organisations on its framework (any version) that were
    opened within the period, or are drafts made within it. One query, whatever the number
    of organisations; ``cohort_respondent_counts`` says how many people answered each."""
    period = (cohort.starts_on, cohort.ends_on)
    in_period = Q(opened_at__isnull=False, opened_at__date__range=period)
    if not closed_only:
        in_period |= Q(status=RoundStatus.DRAFT, created_at__date__range=period)
    rounds = Round.objects.filter(
        in_period,
        organisation__cohort_memberships__cohort=cohort,
        framework__slug=cohort.framework.slug,
    )
    if closed_only:
        rounds = rounds.filter(status=RoundStatus.CLOSED)
    return rounds.order_by("organisation_id", "opened_at", "created_at", "pk")


def cohort_closed_fingerprint(cohort: Cohort) -> tuple:
    """A cheap summary of the cohort's closed rounds and their respondents, which changes
    when a round closes or reopens, an organisation joins or leaves, or a respondent (with
    their answers) is deleted: the key the cohort mean is cached under (one query over
    rounds and respondents, no answers)."""
    found = (
        cohort_rounds(cohort, closed_only=True)
        .order_by()
        .aggregate(
            rounds=Count("pk", distinct=True),
            round_ids=Sum("pk"),
            last_closed=Max("closed_at"),
            people=Count("respondents__pk"),
            people_ids=Sum("respondents__pk"),
        )
    )
    last = found["last_closed"]
    return (
        found["rounds"],
        found["round_ids"] or 0,
        last.isoformat() if last else "",
        found["people"],
        found["people_ids"] or 0,
    )


def cohort_statement_stats(round_ids) -> list[scoring.StatementStat]:
    """Sums of the answers per round, perspective and statement, added up in the database."""
    rows = (
        Answer.objects.filter(respondent__round_id__in=round_ids)
        .values(
            "respondent__round_id",
            "respondent__perspective",
            "statement__principle__order",
            "statement__order",
        )
        .annotate(
            total=Sum("level", filter=Q(level__gt=0), default=0),
            rated=Count("pk", filter=Q(level__gt=0)),
            not_sure=Count("pk", filter=Q(level=0)),
        )
        .order_by()
        # Tuples, not dicts: a 1,000-organisation cohort has about 90,000 of these rows.
        .values_list(
            "respondent__round_id",
            "respondent__perspective",
            "statement__principle__order",
            "statement__order",
            "total",
            "rated",
            "not_sure",
        )
    )
    return [scoring.StatementStat(*row) for row in rows]


def cohort_respondent_counts(round_ids) -> dict[int, dict[str, int]]:
    """round id → perspective → people who gave at least one answer (one query)."""
    rows = (
        Respondent.objects.filter(round_id__in=round_ids)
        .filter(Exists(Answer.objects.filter(respondent=OuterRef("pk"))))
        .values("round_id", "perspective")
        .annotate(people=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["round_id"], {})[row["perspective"]] = row["people"]
    return counts


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


def organisation_cohorts(organisation):
    """The cohorts an organisation is in, with the facilitator."""
    return (
        CohortMember.objects.filter(organisation=organisation)
        .select_related("cohort__framework", "cohort__facilitator")
        .order_by("-cohort__starts_on", "cohort__name")
    )


def cohort_invitations_for_lead(user):
    """Invitations waiting for this person's answer, addressed to their e-mail address."""
    return (
        CohortInvitation.objects.filter(
            email__iexact=user.email, status=CohortInvitation.Status.PENDING
        )
        .select_related("cohort__framework", "cohort__facilitator")
        .order_by("-created_at", "-pk")
    )


def cohort_named_peers(cohort: Cohort, *, exclude_organisation=None) -> tuple[list[str], int]:
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
