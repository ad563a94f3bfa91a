"""Accounts (django-allauth): the e-mail address is the login name; sign up, verify the
address by the e-mailed link, sign in, sign out, reset and change the password. Sign-up and
reset say the same whether or not an account uses the address."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse
from django.utils.html import strip_tags

from assessments.accounts.models import User
from assessments.mail.models import OutgoingEmail
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def jo(django_user_model):
    return factories.user("Jo@Example.org")


def test_email_is_stored_lower_case_and_is_the_login_name(jo, django_user_model):
    assert jo.email == "jo@example.org"
    assert django_user_model.USERNAME_FIELD == "email"


def test_same_email_in_other_case_is_refused(jo, django_user_model):
    with pytest.raises(IntegrityError):
        django_user_model.objects.create(email="JO@EXAMPLE.ORG")


def sign_in(client, email, password=factories.PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_sign_in_with_email_any_case(client, jo):
    page = client.get(reverse("account_login")).content.decode()
    assert 'name="login"' in page and "E-mail address" in page
    response = sign_in(client, "JO@example.org")
    assert response.status_code == 302
    assert "Signed in as jo@example.org" in client.get("/").content.decode()


def test_wrong_password_says_so_and_keeps_the_email(client, jo):
    response = sign_in(client, "jo@example.org", "nope")
    text = response.content.decode()
    assert response.status_code == 200
    assert "That e-mail address and password do not match an account." in text
    assert 'value="jo@example.org"' in text


def test_sign_out_is_a_post_and_returns_home(client, jo):
    client.force_login(jo)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "Sign in" in client.get("/").content.decode()


def signup(client, email="sam@council.example", password="a-long-passphrase-1", **extra):
    return client.post(
        reverse("account_signup"),
        {"full_name": "Sam Lee", "email": email, "password1": password, "password2": password},
        **extra,
    )


def confirmation_link(message) -> str:
    found = re.search(r"https://coprod\.example(/accounts/confirm-email/\S+/)", message.body)
    assert found is not None
    return found.group(1)


def test_sign_up_sends_a_link_and_the_link_verifies_and_signs_in(client):
    response = signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session  # not before the address is confirmed
    user = User.objects.get(email="sam@council.example")
    assert user.full_name == "Sam Lee"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "coprod: Confirm your e-mail address"

    link = confirmation_link(mail.outbox[0])
    assert "Confirm that <strong>sam@council.example</strong>" in client.get(link).content.decode()
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_unverified_account_cannot_sign_in_with_its_password_until_it_verifies(client):
    signup(client)
    client.logout()
    mail.outbox.clear()
    response = sign_in(client, "sam@council.example", "a-long-passphrase-1")
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_sign_up_does_not_say_whether_an_address_has_an_account(client, jo):
    """The issue's finding: sign-up said which addresses had accounts."""
    taken = signup(client, email="JO@example.org")
    client.logout()
    free = signup(client, email="new@example.org")
    assert taken.status_code == free.status_code == 302
    assert taken["Location"] == free["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="jo@example.org").count() == 1
    # The owner of the address is told by e-mail instead.
    assert mail.outbox[0].to == ["jo@example.org"]
    assert mail.outbox[0].subject == "coprod: You already have an account"


def test_a_password_under_twelve_characters_is_refused_with_the_reason(client):
    response = signup(client, password="short-pass1")
    assert response.status_code == 200
    assert "It must contain at least 12 characters" in response.content.decode()


def test_a_common_password_and_one_like_the_address_are_refused(client):
    common = signup(client, password="password1234").content.decode()
    assert "This password is too common." in common
    similar = signup(client, email="riverside.lead@example.org", password="riverside.lead")
    assert "too similar" in similar.content.decode()


def test_password_reset_round_trip(client, jo):
    response = client.post(reverse("account_reset_password"), {"email": "jo@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "coprod: Reset your password"
    link = re.search(
        r"https://coprod\.example(/accounts/password/reset/key/\S+/)", mail.outbox[0].body
    ).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "another-long-passphrase", "password2": "another-long-passphrase"},
    )
    assert response.status_code == 302
    assert client.login(username="jo@example.org", password="another-long-passphrase")


def test_links_in_account_emails_start_with_site_url_whatever_the_host(client, jo, settings):
    settings.ALLOWED_HOSTS = ["*"]
    client.post(
        reverse("account_reset_password"), {"email": "jo@example.org"}, HTTP_HOST="evil.example"
    )
    signup(client, HTTP_HOST="evil.example")
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "evil.example" not in message.body
        assert "https://coprod.example/accounts/" in message.body


def test_password_reset_for_unknown_address_does_not_reveal_it(client, jo):
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    known = client.post(reverse("account_reset_password"), {"email": "jo@example.org"})
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    page = client.get(known["Location"]).content.decode()
    assert "If an account uses that address" in page


def test_password_reset_with_the_mail_server_down_says_so_and_reveals_nothing(client, jo, settings):
    # Account e-mails go through the outbox; the queue runs tasks at once in tests, so the
    # mail server's failure is known before the page is answered.
    settings.EMAIL_BACKEND = "assessments.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "tests.mail_backends.FailingBackend"
    known = client.post(reverse("account_reset_password"), {"email": "jo@example.org"}, follow=True)
    unknown = client.post(
        reverse("account_reset_password"), {"email": "nobody@example.org"}, follow=True
    )
    assert known.status_code == unknown.status_code == 200
    for response in (known, unknown):
        assert "We could not send the e-mail just now" in response.content.decode()
    assert not mail.outbox


def test_password_reset_sent_by_a_worker_says_the_same_and_asks_no_mail_server(
    client, jo, settings, monkeypatch
):
    """With a worker sending mail, nothing is known of the mail server in the request: the
    page says the same for any address, and the mail server is not asked either."""
    settings.EMAIL_BACKEND = "assessments.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "tests.mail_backends.FailingBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    asked = []
    monkeypatch.setattr("assessments.mail.reachable", lambda: asked.append(1) or False)
    known = client.post(reverse("account_reset_password"), {"email": "jo@example.org"}, follow=True)
    unknown = client.post(
        reverse("account_reset_password"), {"email": "nobody@example.org"}, follow=True
    )
    assert known.status_code == unknown.status_code == 200
    for response in (known, unknown):
        page = response.content.decode()
        assert "If an account uses that address" in page
        assert "We could not send the e-mail just now" not in page
    assert not asked
    assert OutgoingEmail.objects.filter(status="queued").count() == 2


def test_password_change(client, jo):
    client.force_login(jo)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": factories.PASSWORD,
            "password1": "another-long-passphrase",
            "password2": "another-long-passphrase",
        },
    )
    assert response.status_code == 302
    jo.refresh_from_db()
    assert jo.check_password("another-long-passphrase")


def test_account_page_links_to_password_and_two_step(client, jo):
    client.force_login(jo)
    page = client.get(reverse("assessments:account")).content.decode()
    assert reverse("account_change_password") in page
    assert reverse("mfa_index") in page


def test_pages_after_asking_for_an_e_mail_say_it_will_be_sent_not_that_it_was(client, jo):
    """The e-mail goes to the outbox, and a worker sends it a moment later (or the page
    that lists it says it failed): no page claims it has already gone."""
    signed_up = " ".join(strip_tags(signup(client, follow=True).content.decode()).split())
    assert "An e-mail to the address you gave will be sent in a moment." in signed_up
    assert (
        "An e-mail to sam@council.example with a link to confirm the address will be sent "
        "in a moment." in signed_up
    )
    client.logout()
    reset = client.post(reverse("account_reset_password"), {"email": "jo@example.org"}, follow=True)
    text = " ".join(strip_tags(reset.content.decode()).split())
    assert (
        "If an account uses that address, a link to choose a new password will be sent to it "
        "in a moment." in text
    )
    for page in (signed_up, text):
        assert "sent you" not in page and "have sent" not in page and "email sent" not in page
