"""Accounts: the e-mail address is the login name; sign in, sign out, password reset."""

import re

import pytest
from django.core import mail
from django.db import IntegrityError
from django.http import HttpRequest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def jo(django_user_model):
    return django_user_model.objects.create_user(
        email="Jo@Example.org", password="a-long-passphrase"
    )


def test_email_is_stored_lower_case_and_is_the_login_name(jo, django_user_model):
    assert jo.email == "jo@example.org"
    assert django_user_model.USERNAME_FIELD == "email"


def test_same_email_in_other_case_is_refused(jo, django_user_model):
    with pytest.raises(IntegrityError):
        django_user_model.objects.create(email="JO@EXAMPLE.ORG")


def test_sign_in_with_email_any_case(client, jo):
    page = client.get(reverse("login"))
    assert 'name="username"' in page.content.decode()
    response = client.post(
        reverse("login"), {"username": "JO@example.org", "password": "a-long-passphrase"}
    )
    assert response.status_code == 302
    assert "Signed in as jo@example.org" in client.get("/").content.decode()


def test_wrong_password_says_so_and_keeps_the_email(client, jo):
    response = client.post(reverse("login"), {"username": "jo@example.org", "password": "nope"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a correct e-mail address and password" in text
    assert 'value="jo@example.org"' in text


def test_sign_out_is_a_post_and_returns_home(client, jo):
    client.force_login(jo)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "Sign in" in client.get("/").content.decode()


def test_password_reset_round_trip(client, jo):
    response = client.post(reverse("password_reset"), {"email": "jo@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https://coprod\.example(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"},
    )
    assert response.status_code == 302
    assert client.login(
        request=HttpRequest(), username="jo@example.org", password="another-long-passphrase"
    )


def test_password_reset_for_unknown_address_does_not_reveal_it(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert "Check your e-mail" in response.content.decode()
    assert mail.outbox == []


def test_password_reset_says_when_the_mail_server_fails(client, jo, settings):
    settings.EMAIL_DELIVERY_BACKEND = "tests.mail_backends.FailingBackend"
    response = client.post(reverse("password_reset"), {"email": "jo@example.org"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "We could not send the e-mail just now. Try again in a few minutes" in page
    assert not mail.outbox

    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(reverse("password_reset"), {"email": "jo@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.subject == "Reset your coprod password"
    link = re.search(r"https://coprod\.example/accounts/reset/\S+", email.body).group(0)
    assert f'<a href="{link}">' in email.alternatives[0][0]


def test_password_reset_with_the_mail_server_down_does_not_reveal_an_account(client, jo, settings):
    settings.EMAIL_DELIVERY_BACKEND = "tests.mail_backends.FailingBackend"
    known = client.post(reverse("password_reset"), {"email": "jo@example.org"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|value="[^"]*@example\.org"')
    assert csrf.sub("", known.content.decode()) == csrf.sub("", unknown.content.decode())
