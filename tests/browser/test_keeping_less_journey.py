"""A lead sets how long answers are kept; a person answering by link opens the privacy
notice from the welcome page, in plain words and in easy read, and reads that period; a
round past it shows its figures and says when its answers went. axe checks every page."""

import datetime

import pytest
from django.utils import timezone

from assessments.datarights import retention
from assessments.rounds.models import Round
from assessments.rounds.services import round_close
from tests import factories
from tests.browser.support import sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)


def test_keeping_period_notice_and_a_round_whose_answers_went(page, axe):
    ensure_framework()
    lead = factories.user("rita@riverside.example", full_name="Rita Patel")
    org = factories.organisation("Riverside adult care", lead=lead)
    round_ = factories.round(org, title="Spring reflection")
    link = factories.invite(round_)

    # The lead sets the keeping period; a wrong value is refused beside the field.
    sign_in(page, lead.email)
    page.goto(f"/orgs/{org.slug}/people/#keeping")
    field = page.get_by_label("Months to keep answers and notes after a round closes")
    assert field.input_value() == "12"
    field.fill("0")
    page.get_by_role("button", name="Save how long answers are kept").click()
    assert "Keep answers for at least 1 month." in page.content()
    axe(page, "retention-setting-error")
    field = page.get_by_label("Months to keep answers and notes after a round closes")
    field.fill("18")
    page.get_by_role("button", name="Save how long answers are kept").click()
    assert "are now kept for 18 months after each round closes" in page.content()
    page.locator("#keeping").scroll_into_view_if_needed()
    axe(page, "retention-setting")

    # Someone with the link opens the notice from the welcome page, without an account.
    page.context.clear_cookies()
    page.goto(f"/r/{link.raw_token}/")
    page.get_by_role("link", name="Privacy notice").first.click()
    assert page.locator("h1").inner_text() == "Privacy notice"
    assert "keeps each person’s answers and notes for 18 months after the round closes" in (
        page.content()
    )
    axe(page, "retention-notice")
    page.get_by_role("button", name="Switch to easy read").click()
    assert "We keep your answers and notes for 18 months after the questions close." in (
        page.content()
    )
    axe(page, "retention-notice-easy")
    page.get_by_role("link", name="Back to the questions").click()
    assert f"/r/{link.raw_token}/" in page.url

    # A round past its period: the results still show, and say when the answers went.
    for perspective in ("staff", "staff", "staff", "lived_experience"):
        factories.answer_all(factories.respondent(round_, perspective), level=3, note="A note")
    round_close(round=round_, by=lead)
    Round.objects.filter(pk=round_.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=600)
    )
    assert retention.expired_answers_delete() == 1
    page.context.clear_cookies()
    sign_in(page, lead.email)
    page.goto(f"/rounds/{round_.pk}/")
    assert "Each person’s answers and notes in this round were deleted on" in page.content()
    axe(page, "retention-round")
    page.goto(f"/rounds/{round_.pk}/results/")
    assert "Each person’s answers and notes in this round were deleted on" in page.content()
    assert "A note" not in page.content()
    axe(page, "retention-results")
