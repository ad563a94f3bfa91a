"""The four Co's grid in the browser: a link holder answers its first part on its own
scale, and the team reads the grid in the results. axe checks both pages; the screenshots
are kept for a person to look at."""

import pytest

from assessments.rounds import services
from tests import factories
from tests.browser.support import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_grid_is_answered_on_its_scale_and_read_as_a_table(page, axe):
    lead = factories.user()
    org = factories.organisation("Riverside adult care", lead=lead)
    round_ = factories.round(org, title="Spring reflection", by=lead, instrument="four-cos")
    for _ in range(3):
        factories.answer_all(factories.respondent(round_, "staff"), level=lambda s: s.pk % 5)
    link = factories.invite(round_)
    pages = round_.framework.principles.count()

    page.goto(f"/r/{link.raw_token}/")
    page.get_by_role("button", name="Start").click()
    page.goto(f"/r/{link.raw_token}/{pages + 1}/")
    assert "Co-commissioning" in page.locator("h1").inner_text()
    page.get_by_label("Sharing").first.check()
    page.screenshot(path="/tmp/fourcos-answering.png", full_page=True)
    axe(page, "grid-answering")

    services.round_close(round=round_, by=lead)
    sign_in(page, lead.email)
    page.goto(f"/rounds/{round_.pk}/results/")
    grid = page.locator("section.grid-result")
    assert "Co-assessment: checking how it went" in grid.inner_text()
    grid.screenshot(path="/tmp/fourcos-results.png")
    axe(page, "grid-results")
