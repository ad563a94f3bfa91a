"""Someone new signs up, verifies their address by the e-mailed link, turns on two-step
sign-in with an authenticator app, and signs in again with a code. axe checks every page.

The codes are worked out here as an authenticator app would, with allauth's own TOTP
functions, from the secret the set-up page shows."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "sam@council.example"
PASSWORD = "three words together"


def totp(secret: str, step: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def test_sign_up_verify_turn_on_two_step_and_sign_in_with_a_code(page, axe, settings):
    # A code is refused if used twice: the sign-in uses the next 30 seconds' code.
    settings.MFA_TOTP_TOLERANCE = 1
    page.goto("/")
    page.get_by_role("link", name="Create an account").click()
    axe(page, "account-signup")
    page.get_by_label("Your name").fill("Sam Lee")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    assert "Check your e-mail" in page.locator("h1").inner_text()
    axe(page, "account-verification-sent")

    # The e-mailed link, opened in the same browser, confirms the address and signs in.
    assert len(mail.outbox) == 1
    link = re.search(r"https://coprod\.example(/accounts/confirm-email/\S+/)", mail.outbox[0].body)
    assert link
    page.goto(link.group(1))
    axe(page, "account-confirm-email")
    page.get_by_role("button", name="Confirm").click()
    assert f"Signed in as {EMAIL}" in page.locator("header").inner_text()

    # Two-step sign-in, from "Your account".
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Two-step sign-in").click()
    axe(page, "two-step-index")
    page.get_by_role("link", name="Turn on two-step sign-in").click()
    # Changing how one signs in asks for the password again.
    assert "Confirm it is you" in page.locator("h1").inner_text()
    axe(page, "account-reauthenticate")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    axe(page, "two-step-activate")
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Code from the app").fill(totp(secret))
    page.get_by_role("button", name="Turn on").click()
    assert "Your recovery codes" in page.locator("h1").inner_text()
    assert page.locator(".recovery-codes li").count() == 10
    axe(page, "two-step-recovery-codes")

    page.get_by_role("button", name="Sign out").click()
    page.goto("/accounts/login/")
    axe(page, "account-login")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert "Enter the code from your authenticator app" in page.locator("h1").inner_text()
    assert "Signed in as" not in page.locator("header").inner_text()
    axe(page, "two-step-authenticate")
    page.get_by_label("Code").fill("000000" if totp(secret, 1) != "000000" else "111111")
    page.get_by_role("button", name="Sign in").click()
    assert "Signed in as" not in page.locator("header").inner_text()
    page.get_by_label("Code").fill(totp(secret, 1))
    page.get_by_role("button", name="Sign in").click()
    assert f"Signed in as {EMAIL}" in page.locator("header").inner_text()
