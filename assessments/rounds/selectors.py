"""Reads that the round pages need, each with its joins and aggregates in one place.

Every function here issues a fixed number of queries, whatever the number of respondents
or answers: the pages' query counts are asserted in the tests.
"""

from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from assessments.accounts.models import ROUND_HISTORY, AuditEvent, Membership, Organisation, User
from assessments.mail import with_mail_status
from assessments.rounds import steps
from assessments.rounds.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionUpdate,
    AgreedPosition,
    Answer,
    Invite,
    Respondent,
    Round,
    RoundStatus,
)
from assessments.rounds.scopes import answer_key
from coprod.queries import only_row
from principles.models import PracticeStatement, Principle
from principles.selectors import framework_with_content


def organisation_rounds(organisation: Organisation) -> list[Round]:
    """The organisation's rounds, newest first, each with ``respondent_count``: how many
    people gave an answer, in steps of three (``steps``)."""
    rounds = list(
        Round.objects.filter(organisation=organisation)
        .select_related("framework")
        .annotate(
            respondent_count=Count(
                "respondents", filter=Q(respondents__answers__isnull=False), distinct=True
            )
        )
        .order_by("-created_at")
    )
    for round_ in rounds:
        if round_.answers_deleted:  # what it had when they went
            round_.respondent_count = round_.people_answered
        round_.respondent_count = steps.in_steps(round_.respondent_count)
    return rounds


def round_progress(round: Round) -> dict:
    """How many people have answered and finished, in steps of three (``steps``), and how
    many links the lead made and revoked. Never by perspective, nor how many links were
    used: a small group's count, or a count that moves by one, would tell the lead when one
    person answered, and so which people the next publication covers. Once the round's
    answers are deleted, the counts it had then, and no links."""
    if round.answers_deleted:
        return {
            "answered": steps.in_steps(round.people_answered),
            "finished": steps.in_steps(round.people_finished),
            "invites": {"total": 0, "revoked": 0},
        }
    people = Respondent.objects.filter(round=round).aggregate(
        answered=Count("pk", filter=Exists(Answer.objects.filter(respondent=OuterRef("pk")))),
        finished=Count("pk", filter=Q(finished_at__isnull=False)),
    )
    invites = Invite.objects.filter(round=round, workshop__isnull=True).aggregate(
        total=Count("pk"), revoked=Count("pk", filter=Q(revoked_at__isnull=False))
    )
    return {
        "answered": steps.in_steps(people["answered"]),
        "finished": steps.in_steps(people["finished"]),
        "invites": invites,
    }


def round_invites(round: Round) -> QuerySet[Invite]:
    """A round's links as the lead may see them: label, perspective, who it was e-mailed to
    and whether the e-mail went, and whether the lead revoked it. Never whether anyone has
    answered or finished through it: that would tell the lead which people a publication
    covers (figures move as people finish) and when one of them finished. The links a
    workshop made for the phones that joined it are not listed: the lead never had them."""
    return with_mail_status(Invite.objects.filter(round=round, workshop__isnull=True)).order_by(
        "revoked_at", "created_at", "pk"
    )


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


def respondent_answers(respondent: Respondent) -> dict[int | str, Answer]:
    """A respondent's answers by statement (and level: ``scopes.answer_key``): the level and
    note of each (what the answering pages show; nothing else is read)."""
    answers = Answer.objects.filter(respondent=respondent).only(
        "statement_id", "scope", "level", "note"
    )
    return {answer_key(a.statement_id, a.scope): a for a in answers}


def respondent_count(round: Round) -> int:
    """People who have given at least one answer in the round."""
    return Respondent.objects.filter(round=round, answers__isnull=False).distinct().count()


def respondent_answer_count(respondent: Respondent) -> int:
    return Answer.objects.filter(respondent=respondent).count()


def member_respondent(round: Round, user: User) -> Respondent | None:
    """The member's own respondent in the round (at most one: a unique constraint)."""
    return only_row(Respondent.objects.filter(round=round, user=user))


def agreed_positions(
    round: Round, *, recorded_by: bool = True, evidence: bool = False
) -> dict[int, AgreedPosition]:
    """The round's agreed positions by statement; with who recorded each, unless not
    ``recorded_by`` (what the results keep needs only the level and the reason); with
    ``evidence``, each with its evidence (``position.evidence.all()``, one query more)."""
    positions = AgreedPosition.objects.filter(round=round)
    if recorded_by:
        positions = positions.select_related("recorded_by")
    if evidence:
        positions = positions.prefetch_related("evidence")
    return {p.statement_id: p for p in positions}


def round_actions(round: Round) -> QuerySet[Action]:
    return Action.objects.filter(round=round).select_related(
        "principle", "statement__principle", "carried_from__round"
    )


def action_plan(round: Round) -> list[tuple[Principle, list[Action]]]:
    """The round's actions grouped by principle, in the framework's order, each with its
    progress notes, newest first; principles with no actions are left out (five queries)."""
    actions = list(
        round_actions(round).prefetch_related(
            Prefetch("updates", queryset=ActionUpdate.objects.select_related("written_by"))
        )
    )
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


def respondent_counts_by_round(round_ids: Iterable[int]) -> dict[int, int]:
    """How many people answered each of these rounds (two queries): for a round whose
    answers are deleted, how many had answered then."""
    round_ids = list(round_ids)
    counts = dict(
        Respondent.objects.filter(round_id__in=round_ids, answers__isnull=False)
        .values("round_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("round_id", "n")
    )
    counts.update(
        Round.objects.filter(pk__in=round_ids, answers_deleted_at__isnull=False).values_list(
            "pk", "people_answered"
        )
    )
    return counts


def statement_positions(framework_id: int) -> dict[int, tuple[int, int]]:
    """Each statement of a framework version by its position: (principle order, order)."""
    return {
        pk: (principle_order, order)
        for pk, principle_order, order in PracticeStatement.objects.filter(
            principle__framework_id=framework_id
        ).values_list("pk", "principle__order", "order")
    }


def action_updates(action: Action) -> list[ActionUpdate]:
    """An action's progress notes, newest first, with who wrote each (one query)."""
    return list(ActionUpdate.objects.filter(action=action).select_related("written_by"))


def followed_actions(round: Round, previous: Round | None) -> list[Action]:
    """The actions of ``previous`` (the round "what moved" compares with), each with
    ``carried``: its copy in ``round`` when it was carried into it, or None (one query)."""
    if previous is None:
        return []
    actions = list(
        Action.objects.filter(Q(round=previous) | Q(round=round, carried_from__round=previous))
        .select_related("principle", "statement__principle")
        .order_by("principle__order", "statement__order", "pk")
    )
    copies = {a.carried_from_id: a for a in actions if a.round_id == round.pk}
    followed = [a for a in actions if a.round_id == previous.pk]
    for action in followed:
        action.carried = copies.get(action.pk)  # type: ignore[attr-defined]
    return followed


def actions_to_review(round: Round) -> tuple[Round | None, QuerySet[Action]]:
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


def round_history(round: Round) -> list[AuditEvent]:
    """The round's life (opened, closed, reopened, by whom and why), read from the
    organisation's activity log, oldest first."""
    return list(
        AuditEvent.objects.filter(round=round, kind__in=ROUND_HISTORY)
        .select_related("actor")
        .order_by("at", "pk")
    )


def memberships_for_user(user: User) -> QuerySet[Membership]:
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
