"""A lead asks for the zip of everything and a facilitator for the cohort summary PDF: a
worker makes each, and the download's page says so, then offers the file. With the keyboard
only; axe checks each state of the page (being prepared, ready)."""

import pytest

from assessments.jobs import exports
from assessments.jobs.models import Export
from assessments.rounds.models import RoundStatus
from tests import factories
from tests.browser.support import sign_in
from tests.support import cohort, ensure_framework, member_org

pytestmark = pytest.mark.django_db(transaction=True)

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_a_download_being_prepared_is_offered_when_ready(page, axe, settings, tmp_path):
    ensure_framework()
    lead = factories.user("rita@riverside.example", full_name="Rita Patel")
    org = factories.organisation("Riverside adult care", lead=lead)
    factories.round(org, status=RoundStatus.OPEN, title="Spring reflection")
    # A queue no worker takes from yet: the page shows the export being prepared.
    settings.TASKS = DUMMY

    sign_in(page, lead.email)
    page.goto(f"/orgs/{org.slug}/data/")
    button = page.get_by_role("button", name="Prepare everything for download (zip)")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/downloads/**")
    assert page.locator("h1").inner_text() == "Preparing your download"
    assert page.get_by_role("status").count() == 1
    assert page.get_by_role("link", name="Check again").is_visible()
    axe(page, "export-being-prepared")

    # A worker makes it; the page's script notices and shows the file, without a click.
    exports.build(Export.objects.get().pk)
    page.wait_for_selector("text=Your download is ready", timeout=15_000)
    axe(page, "export-ready")
    link = page.get_by_role("link", name="Download riverside-adult-care-everything-")
    link.focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    path = tmp_path / "everything.zip"
    info.value.save_as(path)
    assert path.read_bytes()[:2] == b"PK"


def test_a_facilitator_asks_for_the_cohort_pdf(page, axe):
    ensure_framework()
    facilitator = factories.user("fran@network.example", full_name="Fran Okafor")
    the_cohort = cohort(facilitator)
    member_org(the_cohort, "Brookfield")
    sign_in(page, facilitator.email)
    page.goto(f"/cohorts/{the_cohort.pk}/")
    page.get_by_role("button", name="Cohort summary for commissioners (PDF)").click()
    # Tasks run at once in tests: the page offers the file straight away.
    assert page.locator("h1").inner_text() == "Your download is ready"
    assert page.get_by_role("link", name="Download north-vale-network-summary.pdf").is_visible()
    axe(page)
