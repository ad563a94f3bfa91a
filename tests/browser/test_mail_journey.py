"""The mail server is down: a lead invites a colleague and e-mails an answer link, a
facilitator invites an organisation, someone asks for a password reset. Each page says the
e-mail could not be sent and offers to send it again; once the server is back, Resend
delivers it. axe checks every page on the way."""

import pytest
from django.core import mail

from assessments.rounds.models import RoundStatus
from tests import factories
from tests.browser.support import sign_in
from tests.support import cohort, ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)

FAILING = "tests.mail_backends.FailingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def messages(page) -> str:
    return page.locator(".messages").inner_text()


def test_invitations_made_while_the_mail_server_is_down_can_be_resent(page, axe, settings):
    ensure_framework()
    lead = factories.user("rita@riverside.example", full_name="Rita Patel")
    org = factories.organisation("Riverside adult care", lead=lead)
    round_ = factories.round(org, status=RoundStatus.OPEN, title="Spring reflection")
    facilitator = factories.user("fran@network.example", full_name="Fran Okafor")
    the_cohort = cohort(facilitator)
    settings.EMAIL_DELIVERY_BACKEND = FAILING

    # A colleague: saved, not sent, with a Resend button.
    sign_in(page, lead.email)
    page.goto(f"/orgs/{org.slug}/people/")
    page.get_by_label("Colleague's e-mail address").fill("sam@riverside.example")
    page.get_by_role("button", name="Send invitation").click()
    assert "could not send the e-mail just now" in messages(page)
    assert "not sent yet" in page.locator("main").inner_text()
    axe(page, "people-mail-not-sent")

    # An answer link: made, not e-mailed, with a Resend button.
    page.goto(f"/rounds/{round_.pk}/links/")
    page.get_by_label("Person with lived experience").check()
    page.get_by_label("E-mail address (optional)").fill("pat@example.org")
    page.get_by_role("button", name="Make links").click()
    assert "The e-mail to pat@example.org could not be sent just now" in messages(page)
    assert "Not e-mailed yet" in page.locator("main").inner_text()
    axe(page, "links-mail-not-sent")

    # The server is back: both go out with one click each.
    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    page.get_by_role("button", name="Resend link 1").click()
    assert "Link to pat@example.org queued: it will be sent in a moment." in messages(page)
    page.goto(f"/orgs/{org.slug}/people/")
    page.get_by_role("button", name="Resend the invitation to sam@riverside.example").click()
    assert "The invitation will be sent again to sam@riverside.example in a moment." in messages(
        page
    )
    assert "not sent yet" not in page.locator("main").inner_text()
    assert sorted(m.to[0] for m in mail.outbox) == ["pat@example.org", "sam@riverside.example"]
    page.get_by_role("button", name="Sign out").click()

    # An organisation invited to a cohort.
    settings.EMAIL_DELIVERY_BACKEND = FAILING
    sign_in(page, facilitator.email)
    page.goto(f"/cohorts/{the_cohort.pk}/organisations/")
    page.get_by_label("E-mail address of the organisation's lead").fill("lead@hillside.example")
    page.get_by_role("button", name="Send invitation").click()
    assert "could not send the e-mail just now" in messages(page)
    assert "Not sent yet" in page.locator("main").inner_text()
    axe(page, "cohort-organisations-mail-not-sent")
    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    page.get_by_role("button", name="Resend the invitation to lead@hillside.example").click()
    assert "The invitation will be sent again to lead@hillside.example in a moment." in messages(
        page
    )
    page.get_by_role("button", name="Sign out").click()


def test_password_reset_says_when_the_mail_server_is_down(page, axe, settings):
    factories.user("rita@riverside.example")
    settings.EMAIL_BACKEND = "assessments.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = FAILING
    page.goto("/accounts/password/reset/")
    page.get_by_label("E-mail address").fill("rita@riverside.example")
    page.get_by_role("button", name="Send the link").click()
    assert "We could not send the e-mail just now" in page.locator("main").inner_text()
    axe(page, "password-reset-mail-not-sent")
