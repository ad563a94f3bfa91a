"""Form controls people can see (WCAG 1.4.11, non-text contrast: 3:1), which axe does not
check. The `axe` fixture measures every control on every page the journeys visit; these
tests show that the measure catches a faint control, and walk the pages where faint ones
were found: a new round (radios), the links page (radios, a number box, a text box)."""

import pytest

from tests import factories
from tests.browser.conftest import contrast, faint_controls
from tests.browser.support import sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)


def test_contrast_is_wcags_ratio():
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert contrast("rgb(222, 226, 230)", "rgb(255, 255, 255)") < 1.4  # Bootstrap's edge
    assert contrast("rgb(80, 90, 95)", "rgb(255, 255, 255)") > 7


def test_the_measure_finds_a_faint_input_and_a_borderless_one(page):
    page.set_content(
        '<form><input id="faint" style="border: 1px solid #dee2e6">'
        '<input id="none" style="border: 0">'
        '<input id="clear" style="border: 2px solid #505a5f">'
        '<input type="hidden" name="x"><input type="submit"></form>'
    )
    faint = "\n".join(faint_controls(page))
    assert "#faint" in faint and "1.30:1" in faint
    assert "#none" in faint
    assert "#clear" not in faint and "hidden" not in faint and "submit" not in faint


def test_the_new_round_and_links_pages_have_controls_people_can_see(page, axe):
    framework = ensure_framework()
    lead = factories.user("rita@riverside.example")
    org = factories.organisation("Riverside adult care", lead=lead)
    round_ = factories.round(org, slug=framework.slug)
    sign_in(page, lead.email)

    page.goto(f"/orgs/{org.slug}/rounds/new/")
    measured = page.evaluate(
        "() => getComputedStyle(document.querySelector('input[type=radio]')).borderTopColor"
    )
    assert contrast(measured, "rgb(255, 255, 255)") >= 3
    axe(page, "form-contrast-new-round")
    page.get_by_label("Title").focus()  # a focused box keeps its edge
    assert faint_controls(page) == []

    page.goto(f"/rounds/{round_.pk}/links/")
    axe(page, "form-contrast-links")
    page.get_by_label("Person with lived experience").check()  # a ticked radio too
    assert faint_controls(page) == []
    page.get_by_label("How many links?").fill("2")
    page.get_by_role("button", name="Make links").click()
    page.get_by_role("link", name="Back to all links").first.click()
    # The e-mail box inside a row's "E-mail" step, once it is open.
    page.locator("summary", has_text="E-mail").first.click()
    assert page.locator("details[open] input[type=email]").count() == 1
    axe(page, "form-contrast-links-email")
    # Intro text in a normal weight, not Bootstrap's light one.
    weights = page.evaluate(
        "() => Array.from(document.querySelectorAll('.lead'))"
        ".map((e) => getComputedStyle(e).fontWeight)"
    )
    assert all(int(weight) >= 400 for weight in weights)
