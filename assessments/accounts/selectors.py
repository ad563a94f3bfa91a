"""Reads about people and organisations that pages need, with their joins in one place."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from assessments.accounts.models import Membership, Organisation, User


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-role", "user__email")
    )


def email_verified(user: User | AnonymousUser) -> bool:
    """Whether the person has shown that the e-mail address they sign in with is theirs
    (by the link e-mailed to it, or through single sign-on that vouched for it)."""
    return (
        user.is_authenticated
        and EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
    )
