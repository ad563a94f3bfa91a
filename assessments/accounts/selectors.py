"""Reads about people and organisations that pages need, with their joins in one place."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet

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


# An e-mail address belongs to an account only once someone has opened the link e-mailed to
# it: an account that merely typed an address (at sign-up, or as an extra address) has no
# claim on it against the person who receives that address's mail.


def accounts_with_confirmed_address(email: str) -> QuerySet[User]:
    """The active accounts that have confirmed ``email``: the only ones a password reset for
    it may reach."""
    return User.objects.filter(
        is_active=True,
        emailaddress__email__iexact=email.strip(),
        emailaddress__verified=True,
    ).distinct()


def unconfirmed_signups(email: str) -> QuerySet[User]:
    """An account made by signing up with ``email`` whose link was never opened: never
    signed in, no confirmed address, in no organisation and not staff, so it holds nothing.
    Whoever confirms the address first takes it over."""
    email = email.strip()
    confirmed = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    return User.objects.filter(
        email__iexact=email,
        emailaddress__email__iexact=email,
        emailaddress__verified=False,
        last_login__isnull=True,
        is_staff=False,
        is_superuser=False,
        memberships__isnull=True,
    ).exclude(Exists(confirmed))


def email_address_taken(email: str) -> bool:
    """Whether sign-up must treat ``email`` as an existing account's: an account has
    confirmed it, or signs in with it and is more than an unconfirmed sign-up."""
    email = email.strip()
    if EmailAddress.objects.filter(email__iexact=email, verified=True).exists():
        return True
    return (
        User.objects.filter(email__iexact=email)
        .exclude(pk__in=unconfirmed_signups(email).values("pk"))
        .exists()
    )
