"""A facilitator adds a framework of their own for their cohort: uploads a file with a
mistake, reads the problem with its line, uploads the mended file, previews it as
respondents will see it, and publishes it. axe checks every page on the way."""

import os

import pytest

from principles.models import Framework
from tests.browser.support import sign_in
from tests.framework_texts import BROKEN, PLAIN
from tests.support import CohortWorld

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("OWN_FRAMEWORK_SHOTS", "")  # a folder: screenshots of each page


def shot(page, name):
    if SHOTS:
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/own-{name}-{width}.png", full_page=True)


def toml(text: str) -> dict:
    return {"name": "charter.toml", "mimeType": "application/toml", "buffer": text.encode()}


def test_facilitator_uploads_mends_previews_and_publishes_a_framework(page, axe):
    world = CohortWorld()
    sign_in(page, world.facilitator.email)

    page.goto("/frameworks/")
    assert "There are no frameworks of your own yet." in page.locator("main").inner_text()
    axe(page, "own-frameworks-empty")
    shot(page, "list-empty")
    page.get_by_role("link", name="Add a framework for the cohort North Vale network").click()
    axe(page, "own-framework-add")
    shot(page, "add")

    page.get_by_label("Upload a framework file (optional)").set_input_files(toml(BROKEN))
    page.get_by_role("button", name="Check the file").click()
    problems = page.locator("#problems").inner_text()
    assert "The file has 1 problem to mend before it can be published:" in problems
    assert "line 11, principle 1 (listening), statement 1: missing 'to_text'." in problems
    axe(page, "own-framework-problems")
    shot(page, "problems")

    page.get_by_label("Upload a framework file (optional)").set_input_files(toml(PLAIN))
    page.get_by_role("button", name="Save and check the file").click()
    assert "The file passes the check. Principles: 2. Statements: 3." in (
        page.locator("#passes").inner_text()
    )
    shot(page, "passes")

    page.get_by_role("link", name="Preview it as respondents will see it").click()
    main = page.locator("main").inner_text()
    assert "Principle 1 of 2:" in main and "We listen first" in main
    assert "We ask people what matters before anything is decided." in main
    axe(page, "own-framework-preview")
    shot(page, "preview")
    page.get_by_role("link", name="Principle 2", exact=True).click()
    assert "We share power" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Back to the framework").click()

    page.get_by_role("button", name="Publish").click()
    assert "Our co-production charter is published (version 1)." in (
        page.locator(".messages").inner_text()
    )
    assert "Download version 1 as a file" in page.locator("main").inner_text()
    axe(page, "own-framework-published")
    shot(page, "published")
    framework = Framework.objects.get(slug="our-charter")
    assert (framework.version, framework.shared) == (1, False)
