"""Brakes on guessing (django-allauth's limits, ACCOUNT_RATE_LIMITS): five wrong passwords
pause signing in with that address from that network address; twenty from one network
address pause it for every account; a few password reset e-mails an hour at most; a limit
on sign-ups from one network address. Network addresses are read by coprod.network."""

import pytest
from django.core import mail
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

EMAIL = "jo@example.org"
PAUSED = "Signing in with this address is paused"


@pytest.fixture
def jo():
    return factories.user(EMAIL)


def sign_in(client, password, email=EMAIL, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def fail(client, times, email=EMAIL, **extra):
    """Sign in with a wrong password `times` times; the last response."""
    for _ in range(times):
        response = sign_in(client, "wrong-guess", email, **extra)
    return response


def test_four_wrong_passwords_just_say_so(client, jo):
    response = fail(client, 4)
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


def test_five_wrong_passwords_pause_signing_in_with_that_address(client, jo):
    response = fail(client, 5)
    assert "do not match an account" in response.content.decode()
    response = sign_in(client, factories.PASSWORD)
    assert PAUSED in response.content.decode()
    assert 'class="site-header"' in response.content.decode()  # the site's own look
    assert "_auth_user_id" not in client.session


def test_the_count_is_per_address_whatever_its_case(client, jo):
    fail(client, 3, email="Jo@Example.org")
    fail(client, 2, email="JO@EXAMPLE.ORG")
    assert PAUSED in sign_in(client, factories.PASSWORD).content.decode()


def test_other_addresses_and_other_networks_are_not_paused(client, jo):
    other = factories.user("sam@example.org")
    fail(client, 5)
    assert sign_in(client, factories.PASSWORD, email=other.email).status_code == 302
    client.logout()
    # Nobody can lock a colleague out by typing their address wrongly from elsewhere.
    response = sign_in(client, factories.PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302


def test_one_network_address_cannot_try_a_few_passwords_on_every_account(client, jo):
    """The issue's finding: the pause counted per address-and-e-mail pair only, so one
    network address could try four passwords on every account."""
    for n in range(5):
        fail(client, 4, email=f"person{n}@example.org")
    response = sign_in(client, factories.PASSWORD)
    assert PAUSED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert sign_in(client, factories.PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 302


def test_behind_a_proxy_the_count_follows_the_visitor(client, jo, settings):
    settings.BEHIND_PROXY = True
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    fail(client, 5, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    paused = sign_in(client, factories.PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert PAUSED in paused.content.decode()
    # A made-up first entry changes nothing: the proxy's own entry is the one counted.
    spoofed = sign_in(
        client, factories.PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7", **proxy
    )
    assert PAUSED in spoofed.content.decode()
    other = sign_in(client, factories.PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)
    assert other.status_code == 302


def test_signing_in_starts_a_new_session(client, jo):
    client.get(reverse("home"))
    client.post(reverse("reading-mode"), {"easy_read": "on", "next": "/"})
    before = client.session.session_key
    assert before
    assert sign_in(client, factories.PASSWORD).status_code == 302
    assert client.session.session_key != before


def reset(client, email=EMAIL, **extra):
    return client.post(reverse("account_reset_password"), {"email": email}, **extra)


def test_three_reset_links_an_hour_for_one_address(client, jo):
    for _ in range(3):
        assert reset(client).status_code == 302
    response = reset(client)
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()
    assert len(mail.outbox) == 3


def test_the_reset_limit_does_not_say_whether_an_account_exists(client, jo):
    for _ in range(3):
        reset(client, email="nobody@example.org")
    unknown = reset(client, email="nobody@example.org")
    for _ in range(3):
        reset(client)
    known = reset(client)
    assert unknown.status_code == known.status_code == 429

    def main(response):
        text = response.content.decode()
        return text[text.index("<main") : text.index("</main>")]

    assert main(unknown) == main(known)


def test_reset_limit_per_network_address(client, jo):
    for n in range(20):
        assert reset(client, email=f"person{n}@example.org").status_code == 302
    assert reset(client).status_code == 429
    assert reset(client, REMOTE_ADDR="203.0.113.9").status_code == 302


def signup(client, n, **extra):
    return client.post(
        reverse("account_signup"),
        {
            "full_name": "Someone",
            "email": f"new{n}@example.org",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
        **extra,
    )


def test_sign_ups_from_one_network_address_are_limited(client):
    for n in range(10):
        assert signup(client, n).status_code == 302
        client.logout()
    assert signup(client, 10).status_code == 429
    assert signup(client, 11, REMOTE_ADDR="203.0.113.9").status_code == 302
