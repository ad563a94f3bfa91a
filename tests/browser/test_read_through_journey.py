"""A lead of the demo's Cwm Gwyrdd reads its Welsh-five round through nef's six: from the
results page to a page of its own, labelled as read through. axe checks it."""

import pytest
from django.core.management import call_command

from assessments.demo import PASSWORD
from tests.browser.support import sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_welsh_five_round_read_through_nefs_six(page, axe):
    ensure_framework()
    call_command("load_demo", force=True)
    sign_in(page, "lead@cwmgwyrdd.example", PASSWORD)
    page.goto("/orgs/cwmgwyrdd/")
    page.get_by_role("link", name="Community well-being: reflection").first.click()
    page.get_by_role("link", name="Results", exact=True).first.click()
    nef = "Read these results through nef and NESTA’s six principles of co-production"
    page.get_by_role("link", name=nef).click()
    page.wait_for_url("**/results/through/nef-nesta/")
    main = page.locator("main").inner_text()
    assert "These figures were not answered directly" in main
    assert page.locator("table tbody tr").count() == 6
    page.screenshot(path="/tmp/crosswalks-through-browser.png", full_page=True)
    axe(page, "read-through")
