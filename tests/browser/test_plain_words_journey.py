"""A lead new to co-production meets the words the results and the action plan use, and
finds each explained one click away: the five steps on the action form, range and the
perception gap on the results, the core economy on a principle's page."""

import pytest

from assessments.figures.scoring import GAP_MEANING
from assessments.rounds.models import Action, RoundStatus
from tests import factories
from tests.browser.support import sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_lead_finds_what_the_words_mean_and_leaves_the_step_for_later(page, axe):
    ensure_framework()
    lead = factories.user("rita@riverside.example")
    org = factories.organisation("Riverside adult care", lead=lead)
    round_ = factories.round(org, title="Spring reflection")
    for _ in range(3):
        factories.answer_all(factories.respondent(round_, "lived_experience"), level=1)
    for _ in range(3):
        factories.answer_all(factories.respondent(round_, "staff"), level=4)
    sign_in(page, lead.email)
    page.goto(f"/rounds/{round_.pk}/")
    page.get_by_text("Close round…").click()
    page.get_by_role("button", name="Yes, close the round and freeze answers").click()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED

    # The results: "Range" and "Perception gap" lead to what they mean.
    page.get_by_role("link", name="Results").first.click()
    page.get_by_role("link", name="Range", exact=True).click()
    assert page.locator("h1").inner_text() == "What the words mean"
    assert page.url.endswith("#range")
    assert page.locator("#range").is_visible()
    axe(page, "glossary")
    assert f"The perception gap is {GAP_MEANING}." in page.locator("main").inner_text()
    page.go_back()
    page.get_by_role("link", name="Perception gap", exact=True).first.click()
    assert page.url.endswith("#perception-gap")
    page.go_back()

    # The action form: the step is optional, and each step is a plain sentence.
    page.get_by_role("link", name="Action plan").first.click()
    page.get_by_role("link", name="Add an action").click()
    form = page.locator("main").inner_text()
    assert "Step (optional)" in form
    assert "Map it: Find out who already takes part and what they bring." in form
    assert page.get_by_label("Not decided yet").is_checked()
    axe(page, "action-form-steps")
    page.get_by_role("link", name="five steps of co-production").click()
    assert page.url.endswith("#steps")
    assert "Grow it: Keep it going" in page.locator("#steps + dd").inner_text()
    page.go_back()
    page.locator("#id_principle").select_option(index=1)
    page.get_by_label("What happens now (from)").fill("We plan first and ask later.")
    page.get_by_label("What will happen instead (to)").fill("We plan together.")
    page.locator("#id_owner").fill("Rita Patel")
    page.get_by_role("button", name="Add to the plan").click()
    assert "Action added to the plan." in page.locator(".messages").inner_text()
    assert "Not decided yet" in page.locator("main").inner_text()
    assert Action.objects.get().step == ""

    # A principle that speaks of the core economy explains it.
    principle = round_.framework.principles.get(summary__contains="core economy")
    page.goto(principle.get_absolute_url())
    page.get_by_role("link", name="core economy").click()
    assert page.url.endswith("#core-economy")
    assert "without pay" in page.locator("#core-economy + dd").inner_text()
