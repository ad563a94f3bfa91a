"""A lead of the demo's Riverside finds its trend from the organisation page and reads it:
a chart and a table for each principle, four closed rounds, and a report with the trend."""

import pytest
from django.core.management import call_command

from assessments.demo import PASSWORD
from tests.browser.support import sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    ensure_framework()
    call_command("load_demo", force=True)


def test_a_lead_reads_the_trend_over_four_rounds(page, axe, demo):
    sign_in(page, "lead@riverside.example", PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/orgs/riverside/")
    page.get_by_role("link", name="Trends over rounds").click()
    page.wait_for_url("**/orgs/riverside/trends/")
    assert page.get_by_role("heading", level=1).inner_text() == "Trends over rounds"
    charts = page.locator("svg.trend-chart[role=img]")
    assert charts.count() == 4
    assert page.locator("table.trend-table").count() == 4
    first_table = page.locator("table.trend-table").first
    assert first_table.locator("tbody tr").count() == 4
    assert "two years ago" in first_table.inner_text()
    page.screenshot(path="/tmp/trends-page.png", full_page=True)
    axe(page, "trends")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/trends-phone.png", full_page=True)
