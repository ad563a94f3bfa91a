"""An e-mail address belongs to the account that confirmed it, never to one that only typed
it. Replayed as it happens: someone signs up with, or adds to their account, an address
that is not theirs and never confirms it; its owner must still be able to sign up and
confirm it, and a password reset for it must reach no account but a confirmed one."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from assessments.accounts.models import Membership, User
from tests import factories

pytestmark = pytest.mark.django_db

OWNER = "owner@council.example"
OWNERS_PASSWORD = "the-owners-own-passphrase"


def sign_up(client, email, password, name="Someone"):
    return client.post(
        reverse("account_signup"),
        {"full_name": name, "email": email, "password1": password, "password2": password},
    )


def link_in(message, path) -> str:
    found = re.search(rf"https://coprod\.example({path}\S+/)", message.body)
    assert found is not None, message.body
    return found.group(1)


def mails_to(address) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def later():
    """Some time later: the owner comes along after the limit on confirmation e-mails to one
    address (one every 3 minutes) has passed."""
    mail.outbox.clear()
    cache.clear()


def add_address(client, email):
    """What anyone signed in can do on their account's e-mail page: add an address, which is
    sent a link and stays unconfirmed until someone opens it."""
    response = client.post(reverse("account_email"), {"action_add": "", "email": email})
    assert response.status_code == 302


@pytest.fixture
def other(client):
    """An account of someone else, signed in, that added the owner's address and never
    confirmed it."""
    account = factories.user("other@example.org")
    client.force_login(account)
    add_address(client, OWNER)
    client.logout()
    assert EmailAddress.objects.filter(user=account, email=OWNER, verified=False).exists()
    [sent] = mails_to(OWNER)
    account.addition_link = link_in(sent, "/accounts/confirm-email/")
    later()
    return account


@pytest.fixture
def squatter():
    """An account someone made by signing up with the owner's address, never confirmed."""
    browser = Client()
    assert sign_up(browser, OWNER, "the-squatters-passphrase", name="Not The Owner").status_code
    account = User.objects.get(email=OWNER)
    [confirmation] = mails_to(OWNER)
    account.squatters_link = link_in(confirmation, "/accounts/confirm-email/")
    later()
    return account


def owner_signs_up_and_confirms(client) -> User:
    response = sign_up(client, OWNER, OWNERS_PASSWORD, name="The Owner")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    [message] = mails_to(OWNER)
    assert message.subject == "coprod: Confirm your e-mail address"
    link = link_in(message, "/accounts/confirm-email/")
    assert f"Confirm that <strong>{OWNER}</strong>" in client.get(link).content.decode()
    assert client.post(link).status_code == 302
    owner = User.objects.get(email=OWNER)
    assert owner.full_name == "The Owner"
    assert EmailAddress.objects.get(user=owner, email=OWNER).verified
    assert client.session["_auth_user_id"] == str(owner.pk)
    return owner


def test_an_address_another_account_added_does_not_stop_its_owner_signing_up(client, other):
    owner = owner_signs_up_and_confirms(client)
    assert owner != other
    # The other account lets go of its unconfirmed copy once the owner has confirmed it.
    assert list(EmailAddress.objects.filter(email=OWNER).values_list("user", flat=True)) == [
        owner.pk
    ]
    other_browser = Client()
    other_browser.force_login(other)
    assert OWNER not in other_browser.get(reverse("account_email")).content.decode()
    assert other_browser.get("/").status_code == 200  # the other account is unharmed


def test_a_sign_up_never_confirmed_gives_way_to_the_owner(client, squatter):
    owner = owner_signs_up_and_confirms(client)
    assert not User.objects.filter(pk=squatter.pk).exists()
    # The link sent for the sign-up that was never confirmed no longer confirms anything.
    stale = Client().get(squatter.squatters_link).content.decode()
    assert "This link has expired or has already been used" in stale
    # The owner's password is the one that signs in with the address.
    client.logout()
    assert Client().login(username=OWNER, password=OWNERS_PASSWORD)
    assert not Client().login(username=OWNER, password="the-squatters-passphrase")
    assert User.objects.get(email=OWNER) == owner


def test_signing_up_says_the_same_whether_or_not_someone_typed_the_address(client, other):
    held = sign_up(client, OWNER, OWNERS_PASSWORD)
    client.logout()
    free = sign_up(Client(), "nobody-yet@council.example", OWNERS_PASSWORD)
    assert held.status_code == free.status_code == 302
    assert held["Location"] == free["Location"]


def reset(client, email):
    return client.post(reverse("account_reset_password"), {"email": email})


@pytest.mark.parametrize("holder", ["other", "squatter"])
def test_a_password_reset_reaches_no_account_that_did_not_confirm_the_address(
    client, holder, request
):
    request.getfixturevalue(holder)
    factories.user("known@example.org")
    response = reset(client, OWNER)
    known = reset(Client(), "known@example.org")
    # The page says the same as for an address with an account.
    assert response.status_code == known.status_code == 302
    assert response["Location"] == known["Location"]
    # The owner's mailbox gets no link to reset the account that typed the address.
    [message] = mails_to(OWNER)
    assert "/accounts/password/reset/key/" not in message.body
    assert "no account has confirmed this address" in message.body
    assert "sign up again" in message.body


def test_once_the_owner_confirmed_the_reset_reaches_the_owner(client, other):
    owner = owner_signs_up_and_confirms(client)
    client.logout()
    later()
    reset(client, OWNER)
    [message] = mails_to(OWNER)
    assert message.subject == "coprod: Reset your password"
    form = client.get(link_in(message, "/accounts/password/reset/key/"), follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"},
    )
    owner.refresh_from_db()
    other.refresh_from_db()
    assert owner.check_password("a-brand-new-passphrase")
    assert other.check_password(factories.PASSWORD)


def test_whoever_confirms_first_keeps_the_address(client, other):
    """If the owner opens the link the other account's addition sent, they have given the
    address to that account: their own later sign-up is then told the address is taken."""
    assert Client().post(other.addition_link).status_code == 302
    assert EmailAddress.objects.get(user=other, email=OWNER).verified
    later()
    sign_up(client, OWNER, OWNERS_PASSWORD)
    assert not User.objects.filter(email=OWNER).exists()
    [message] = mails_to(OWNER)
    assert message.subject == "coprod: You already have an account"


def test_an_account_that_was_used_is_never_removed_for_a_sign_up(client):
    """Only a sign-up that was never confirmed and holds nothing gives way: not an account
    that has signed in, one in an organisation, or one an administrator made."""
    used = factories.user("used@example.org", verified=False)
    EmailAddress.objects.create(user=used, email=used.email, verified=False, primary=True)
    User.objects.filter(pk=used.pk).update(last_login="2026-01-01T00:00Z")
    member = factories.user("member@example.org", verified=False)
    EmailAddress.objects.create(user=member, email=member.email, verified=False, primary=True)
    Membership.objects.create(user=member, organisation=factories.organisation())
    made = factories.user("made@example.org", verified=False)  # no address row at all
    for account in (used, member, made):
        later()
        assert sign_up(client, account.email, OWNERS_PASSWORD).status_code == 302
        assert User.objects.get(email=account.email) == account
        [message] = mails_to(account.email)
        assert message.subject == "coprod: You already have an account"
