"""Reads about people and organisations that pages need, with their joins in one place."""

from allauth.account.models import EmailAddress
from django.db.models import Count, Q

from assessments.accounts.models import (
    Membership,
    Organisation,
)
from assessments.rounds.models import Action, Answer, Invite, Respondent, Round, RoundStatus


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


def organisation_members(organisation):
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-role", "user__email")
    )


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


def email_verified(user) -> bool:
    """Whether the person has shown that the e-mail address they sign in with is theirs
    (by the link e-mailed to it, or through single sign-on that vouched for it)."""
    return (
        user.is_authenticated
        and EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
    )
