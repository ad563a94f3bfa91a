"""A lead reminds everyone e-mailed a link (finished or not): now, and by scheduling one
before the round closes, then cancelling it. With the keyboard only; axe checks the page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from assessments.rounds import services as rounds
from assessments.rounds.models import RoundStatus
from tests import factories
from tests.browser.support import fill_date, sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_lead_sends_and_schedules_reminders(page, axe, settings):
    ensure_framework()
    lead = factories.user("rita@riverside.example", full_name="Rita Patel")
    org = factories.organisation("Riverside adult care", lead=lead)
    round_ = factories.round(org, status=RoundStatus.OPEN, title="Spring reflection")
    round_.closes_on = timezone.localdate() + timedelta(days=14)
    round_.save(update_fields=["closes_on"])
    rounds.invite_send(invite=factories.invite(round_), email="pat@example.org")
    mail.outbox.clear()

    sign_in(page, lead.email)
    page.goto(f"/rounds/{round_.pk}/")
    assert "1 person now" in page.locator("#reminders ~ p").first.inner_text()
    button = page.get_by_role("button", name="Send a reminder now")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Reminder queued")
    assert [m.to for m in mail.outbox] == [["pat@example.org"]]
    axe(page, "round-reminders")

    settings.TASKS = DATABASE  # a worker runs scheduled reminders at their time
    day = timezone.localdate() + timedelta(days=7)
    fill_date(page, "Day to send it", day)
    page.get_by_label("Time to send it").fill("10:30")
    page.get_by_role("button", name="Schedule the reminder").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(f"text=Reminder scheduled for {day:%-d %B %Y} at 10:30.")
    cancel = page.get_by_role("button", name=f"Cancel the reminder of {day:%-d %B %Y} at 10:30")
    axe(page, "round-reminder-scheduled")
    cancel.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Reminder cancelled.")
    assert page.get_by_role("button", name="Cancel the reminder of").count() == 0
