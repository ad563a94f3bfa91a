"""The language switch in the header: found by keyboard with the site's focus ring, working
without JavaScript, on the site's pages and on a workshop's phone pages, and clean in axe."""

import pytest
from django.urls import reverse

from tests.browser.test_focus_ring import ring, tab_to
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_switch_works_without_scripts_and_by_keyboard(page_without_js, axe):
    page = page_without_js
    ensure_framework()
    page.goto("/principles/?from=switch")
    assert page.locator("html").get_attribute("lang") == "en-gb"
    switch = page.locator("header").get_by_role("button", name="Cymraeg")
    assert switch.get_attribute("lang") == "cy"
    tab_to(page, switch)
    measured = ring(page)
    assert measured["outline"][0] == "solid" and measured["outline"][1] == "3px", measured
    axe(page, "language-switch-english")

    # The switch sends a form and comes back to the same address: wait for the new page,
    # not for an address the old one already has.
    with page.expect_navigation(url="**/principles/?from=switch"):
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "cy"
    back = page.locator("header").get_by_role("button", name="English")
    assert back.get_attribute("lang") == "en"
    axe(page, "language-switch-welsh")

    with page.expect_navigation(url="**/principles/?from=switch"):
        back.click()
    assert page.locator("html").get_attribute("lang") == "en-gb"


def test_a_workshop_phone_page_has_the_switch(page_without_js, axe):
    page = page_without_js
    join = reverse("assessments:workshop-join")
    page.goto(join)
    assert "Join" in page.locator("h1").inner_text()
    with page.expect_navigation(url=f"**{join}"):
        page.locator("header").get_by_role("button", name="Cymraeg").click()
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.url.endswith(join)
    axe(page, "language-switch-workshop")
