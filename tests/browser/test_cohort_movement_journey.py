"""The demo's facilitator opens a cohort's movement over periods from its dashboard."""

import pytest
from django.core.management import call_command

from assessments.cohorts.models import Cohort
from assessments.demo import PASSWORD
from tests.browser.support import sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_facilitator_reads_the_movement_over_periods(page, axe):
    ensure_framework()
    call_command("load_demo", force=True)
    cohort = Cohort.objects.get(name="North Vale co-production network")
    sign_in(page, "facilitator@example.org", PASSWORD)
    page.goto(f"/cohorts/{cohort.pk}/")
    page.get_by_role("link", name="Movement over periods").click()
    page.wait_for_url(f"**/cohorts/{cohort.pk}/movement/")
    assert page.locator("svg.trend-chart").count() == 0  # one period: the table says it
    assert page.locator("#one-period").is_visible()
    assert page.locator("table.movement-table tbody tr").count() == 1
    page.screenshot(path="/tmp/trends-cohort-movement.png", full_page=True)
    axe(page, "cohort-movement")
