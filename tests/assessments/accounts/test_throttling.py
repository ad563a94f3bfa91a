"""Brakes on guessing: five wrong passwords pause signing in with that address from that
network address for 15 minutes, with a page that says so; a few password reset e-mails an
hour at most."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

EMAIL = "jo@example.org"


@pytest.fixture
def jo():
    return factories.user(EMAIL)


def sign_in(client, password, email=EMAIL, **extra):
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def fail(client, times, email=EMAIL, **extra):
    """Sign in with a wrong password `times` times; the last response."""
    for _ in range(times):
        response = sign_in(client, "wrong-guess", email, **extra)
    return response


def test_four_wrong_passwords_just_say_so(client, jo):
    response = fail(client, 4)
    assert response.status_code == 200
    assert "Please enter a correct e-mail address and password" in response.content.decode()


def test_five_wrong_passwords_pause_signing_in_with_a_page_that_says_so(client, jo):
    fail(client, 4)
    times = [timezone.localtime(timezone.now() + timedelta(minutes=15)).strftime("%H:%M")]
    response = sign_in(client, "wrong-guess")
    times.append(timezone.localtime(timezone.now() + timedelta(minutes=15)).strftime("%H:%M"))
    assert response.status_code == 429
    text = response.content.decode()
    assert "<h1>Signing in is paused</h1>" in text
    assert "for 15 minutes" in text
    assert 'class="site-header"' in text  # the site's own look
    assert any(f"Try again after {until}" in text for until in times)

    # Even the right password is refused while the pause lasts.
    response = sign_in(client, factories.PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_pause_ends_after_15_minutes(client, jo):
    fail(client, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = sign_in(client, factories.PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(jo.pk)


def test_a_try_during_the_pause_starts_it_again(client, jo):
    fail(client, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert sign_in(client, factories.PASSWORD).status_code == 429
    attempt = AccessAttempt.objects.get()
    assert attempt.attempt_time > timezone.now() - timedelta(minutes=1)


def test_the_count_is_per_address_whatever_its_case(client, jo):
    fail(client, 3, email="Jo@Example.org")
    fail(client, 1, email="JO@EXAMPLE.ORG")
    assert sign_in(client, "wrong-guess", email="jo@example.org").status_code == 429


def test_other_addresses_and_other_networks_are_not_paused(client, jo):
    other = factories.user("sam@example.org")
    fail(client, 5)
    assert sign_in(client, factories.PASSWORD, email=other.email).status_code == 302
    client.logout()
    response = sign_in(client, factories.PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302


def test_signing_in_clears_the_count(client, jo):
    fail(client, 4)
    assert sign_in(client, factories.PASSWORD).status_code == 302
    client.logout()
    fail(client, 4)
    assert sign_in(client, factories.PASSWORD).status_code == 302


def test_nothing_personal_is_kept_for_a_successful_sign_in(client, jo):
    assert sign_in(client, factories.PASSWORD).status_code == 302
    assert AccessAttempt.objects.count() == 0


def test_signing_in_starts_a_new_session(client, jo):
    client.get(reverse("home"))
    client.post(reverse("reading-mode"), {"easy_read": "on", "next": "/"})
    before = client.session.session_key
    assert before
    assert sign_in(client, factories.PASSWORD).status_code == 302
    assert client.session.session_key != before


def reset(client, email=EMAIL, **extra):
    return client.post(reverse("password_reset"), {"email": email}, **extra)


def test_three_reset_links_an_hour_for_one_address(client, jo):
    for _ in range(3):
        assert reset(client).status_code == 302
    response = reset(client)
    assert response.status_code == 429
    text = response.content.decode()
    assert "we have not sent another" in text
    assert "ask again after" in text
    assert len(mail.outbox) == 3


def test_the_reset_limit_does_not_say_whether_an_account_exists(client, jo):
    for _ in range(3):
        reset(client, email="nobody@example.org")
    unknown = reset(client, email="nobody@example.org")
    for _ in range(3):
        reset(client)
    known = reset(client)
    assert unknown.status_code == known.status_code == 429

    def alert(response):
        return re.search(r'<div class="alert.*?</div>', response.content.decode(), re.S).group()

    assert alert(unknown) == alert(known)


def test_reset_limit_per_network_address(client, jo, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 4
    for n in range(4):
        assert reset(client, email=f"person{n}@example.org").status_code == 302
    assert reset(client).status_code == 429
    assert reset(client, REMOTE_ADDR="203.0.113.9").status_code == 302
    assert len(mail.outbox) == 1


def test_reset_links_can_be_asked_for_again_after_an_hour(client, jo):
    from assessments.accounts.throttling import password_reset_request

    later = timezone.now() + timedelta(hours=1, seconds=1)
    for _ in range(3):
        assert password_reset_request(ip="198.51.100.1", email=EMAIL) is None
    assert password_reset_request(ip="198.51.100.1", email=EMAIL) is not None
    assert password_reset_request(ip="198.51.100.1", email=EMAIL, now=later) is None
