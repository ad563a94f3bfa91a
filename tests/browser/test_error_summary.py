"""Forms the GOV.UK way, in a browser: a form sent back with errors opens with the focus on
its error summary (with the site's scripts, and without them), each link in it puts the
cursor in its field, and a date is typed in three boxes by keyboard alone."""

import datetime

import pytest

from assessments.rounds.models import Round
from tests import factories
from tests.browser.support import sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)

FOCUSED = "() => document.activeElement.matches('[data-error-summary]')"
FOCUSED_ID = "() => document.activeElement.id"
# Two frames drawn: by then the browser has applied the summary's autofocus, which on a
# loaded machine can come after the script focused it, and would take the focus back from
# wherever the keyboard has moved it.
DRAWN = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def test_the_summary_takes_the_focus_and_leads_to_each_field(page, axe):
    framework = ensure_framework()
    lead = factories.user("rita@riverside.example", full_name="Rita Patel")
    org = factories.organisation("Riverside adult care", lead=lead)
    sign_in(page, lead.email)

    page.goto(f"/orgs/{org.slug}/rounds/new/")
    page.get_by_role("button", name="Create the round").click()  # nothing filled in
    summary = page.locator("[data-error-summary]")
    assert summary.get_by_role("heading").inner_text() == "There is a problem"
    assert page.title().startswith("Error: ")
    page.wait_for_function(FOCUSED)
    page.evaluate(DRAWN)
    axe(page, "error-summary-round")

    # Each link puts the cursor in its field, with the field's label in view.
    summary.get_by_role("link", name="Enter a title for the round.").click()
    assert page.evaluate(FOCUSED_ID) == "id_title"
    label = page.locator("label[for=id_title]").evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= label < page.viewport_size["height"]
    page.keyboard.type("Spring reflection")
    page.get_by_label(framework.name).check()

    # A date that does not exist: the summary says so, and leads to the boxes by keyboard.
    year = datetime.date.today().year + 1
    closing = page.get_by_role("group", name="Closing date (optional)")
    closing.get_by_label("Day").fill("31")
    closing.get_by_label("Month").fill("2")
    closing.get_by_label("Year").fill(str(year))
    page.get_by_role("button", name="Create the round").click()
    page.wait_for_function(FOCUSED)
    page.evaluate(DRAWN)
    assert "Closing date must be a real date" in summary.inner_text()
    assert "Closing date must be a real date" in closing.inner_text()  # beside the boxes
    page.keyboard.press("Tab")  # to the summary's one link
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED_ID) == "id_closes_on_0"
    page.keyboard.press("Control+A")
    page.keyboard.type("28")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED_ID) == "id_closes_on_1"
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED_ID) == "id_closes_on_2"
    page.keyboard.press("Enter")  # sends the form
    page.wait_for_selector("text=ready as a draft")
    assert Round.objects.get(title="Spring reflection").closes_on == datetime.date(year, 2, 28)


def test_without_scripts_the_summary_comes_first_and_has_the_focus(page_without_js, axe):
    page = page_without_js
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Create account").click()
    assert page.title().startswith("Error: ")
    # First in the main content, so the skip link reaches it first...
    first = page.evaluate("() => document.querySelector('main').firstElementChild.className")
    assert "error-summary" in first
    # ...and focused on load by its autofocus, scripts or not (the browser applies autofocus
    # as it next draws the page, a moment after the load).
    page.wait_for_function(FOCUSED, timeout=5000)
    links = page.locator("[data-error-summary] a")
    assert links.count() >= 3
    for link in links.all():
        target = link.get_attribute("href")
        assert page.locator(target).count() == 1, target
    axe(page, "error-summary-signup-phone")
