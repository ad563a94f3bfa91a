"""The issue's attack: sign up as the address of a pending invitation without verifying
it, then accept. Accepting now needs a verified address *and* the one-use token from the
e-mailed link (the database keeps only its hash)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from assessments.accounts import services as account_services
from assessments.accounts.models import Membership, User
from assessments.cohorts.models import CohortMember
from assessments.errors import EmailNotVerified, ServiceError
from tests import factories
from tests.support import sign_in

pytestmark = pytest.mark.django_db


def test_signing_up_as_a_pending_cohort_invitations_address_does_not_take_it(client, world):
    invitation = factories.cohort_invitation(
        cohort=world.other_cohort, email="lead@pending.example", invited_by=world.facilitator
    )
    # The attacker signs up with the invited address and does not (cannot) verify it.
    client.post(
        reverse("account_signup"),
        {
            "full_name": "Mallory",
            "email": "lead@pending.example",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
        },
    )
    assert "_auth_user_id" not in client.session  # not signed in before verifying
    mallory = User.objects.get(email="lead@pending.example")
    client.force_login(mallory)  # even if they were signed in some other way
    # Creating an organisation needs a verified address.
    response = client.post(reverse("assessments:organisation-create"), {"name": "Fake org"})
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("verify-email-first")
    )
    with pytest.raises(EmailNotVerified):
        account_services.organisation_create(name="Fake org", lead=mallory)
    # Even with an organisation (made here directly) the invitation cannot be accepted:
    # not by its number, not without the link's token, not while the address is unverified.
    org = factories.organisation("Fake org")
    Membership.objects.create(user=mallory, organisation=org, role="lead")
    url = reverse("assessments:cohort-invitation", kwargs={"pk": invitation.pk})
    client.post(url, {"action": "accept", "organisation": org.pk})
    link = reverse(
        "assessments:cohort-invitation-link",
        kwargs={"pk": invitation.pk, "token": invitation.raw_token},
    )
    response = client.post(link, {"action": "accept", "organisation": org.pk})
    assert response["Location"].startswith(reverse("verify-email-first"))
    assert not CohortMember.objects.filter(cohort=world.other_cohort, organisation=org).exists()
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_a_cohort_invitation_needs_the_token_from_its_link(client, world):
    invitation = factories.cohort_invitation(
        cohort=world.other_cohort, email=world.outside_lead.email, invited_by=world.facilitator
    )
    sign_in(client, world.outside_lead)
    plain = reverse("assessments:cohort-invitation", kwargs={"pk": invitation.pk})
    page = client.get(plain).content.decode()
    assert "open the link in the invitation e-mail" in page
    client.post(plain, {"action": "accept", "organisation": world.outside_org.pk})
    wrong = reverse(
        "assessments:cohort-invitation-link", kwargs={"pk": invitation.pk, "token": "x" * 43}
    )
    client.post(wrong, {"action": "accept", "organisation": world.outside_org.pk})
    assert not CohortMember.objects.filter(organisation=world.outside_org).exists()
    right = reverse(
        "assessments:cohort-invitation-link",
        kwargs={"pk": invitation.pk, "token": invitation.raw_token},
    )
    client.post(right, {"action": "accept", "organisation": world.outside_org.pk})
    assert CohortMember.objects.filter(organisation=world.outside_org).exists()


def test_a_colleague_invitation_needs_a_verified_address_and_its_token(client, world):
    account_services.colleague_invite(
        organisation=world.org, email="sam@example.org", role="member", invited_by=world.lead
    )
    token = re.search(r"/join/([\w-]+)/", mail.outbox[0].body).group(1)
    invite = world.org.colleague_invites.get()
    assert token not in (invite.token_hash, str(invite.pk))  # only the hash is kept
    sam = factories.user("sam@example.org", verified=False)
    sign_in(client, sam)
    response = client.post(reverse("assessments:join", kwargs={"token": token}))
    assert response["Location"].startswith(reverse("verify-email-first"))
    assert not Membership.objects.filter(user=sam).exists()
    with pytest.raises(ServiceError):
        account_services.colleague_invite_accept(invite=invite, user=sam, token="wrong")
    account_services.email_address_verify(user=sam)
    client.post(reverse("assessments:join", kwargs={"token": token}))
    assert Membership.objects.filter(user=sam, organisation=world.org).exists()
    # One use: the link is spent.
    page = client.get(reverse("assessments:join", kwargs={"token": token})).content.decode()
    assert "already been accepted" in page


def test_the_verify_first_page_sends_the_link_again(client):
    person = factories.user("new@example.org", verified=False)
    sign_in(client, person)
    page = client.get(reverse("verify-email-first")).content.decode()
    assert "Confirm your e-mail address first" in page
    client.post(reverse("verify-email-first"))
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.org"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_facilitators_are_asked_to_turn_on_two_step_and_can_say_not_now(client, world):
    sign_in(client, world.facilitator)
    url = reverse("assessments:cohort", kwargs={"pk": world.cohort.pk})
    page = client.get(url).content.decode()
    assert "turn on two-step sign-in" in page
    response = client.post(reverse("two-step-not-now"), {"next": url})
    assert response["Location"] == url
    assert "turn on two-step sign-in" not in client.get(url).content.decode()
