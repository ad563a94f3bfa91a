"""A lead's smaller tools, as a lead uses them: the links table on a phone, a batch of
links as a CSV for a mail merge, deleting an action, agreeing a whole principle on one
page; and a facilitator's start page and reminders."""

import csv
import io

import pytest

from assessments.rounds.models import Action
from tests import factories
from tests.browser.support import sign_in
from tests.support import cohort, ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def fits_the_screen(page, locator) -> None:
    """The control is there to tap without scrolling sideways."""
    box = locator.bounding_box()
    assert box is not None, "not drawn"
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


def test_on_a_phone_the_links_table_keeps_copy_email_and_revoke_on_screen(phone, axe):
    ensure_framework()
    lead = factories.user("rita@riverside.example")
    org = factories.organisation("Riverside adult care", lead=lead)
    round_ = factories.round(org, title="Spring reflection")
    sign_in(phone, lead.email)
    phone.goto(f"/rounds/{round_.pk}/links/")
    phone.get_by_label("Person with lived experience").check()
    phone.get_by_label("How many links?").fill("2")
    phone.get_by_label("Label (optional)").fill("Workshop table")
    phone.get_by_role("button", name="Make links").click()

    # Your new links: the address, Copy and E-mail all within the screen.
    assert phone.locator("h1").inner_text() == "Your new links"
    fits_the_screen(phone, phone.get_by_label("Address of link 1 (Workshop table 1)"))
    fits_the_screen(phone, phone.get_by_role("button", name="Copy link 1 (Workshop table 1)"))
    fits_the_screen(phone, phone.locator("summary", has_text="E-mail").first)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe(phone, "phone-links-new")

    # All links: E-mail, Fresh link and Revoke under each link's name.
    phone.get_by_role("link", name="Back to all links").first.click()
    for name in ("E-mail", "Fresh link", "Revoke"):
        fits_the_screen(phone, phone.locator("summary", has_text=name).first)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe(phone, "phone-links")
    phone.locator("summary", has_text="Revoke").first.click()
    button = phone.get_by_role("button", name="Yes, revoke link 1 (Workshop table 1)")
    fits_the_screen(phone, button)
    button.click()
    assert "Link revoked" in phone.locator(".messages").inner_text()


def test_a_lead_deletes_a_mistaken_action_after_a_confirmation_step(page, axe):
    ensure_framework()
    lead = factories.user("rita@riverside.example")
    org = factories.organisation("Riverside adult care", lead=lead)
    round_ = factories.round(org, title="Spring reflection")
    principle = round_.framework.principles.order_by("order").first()
    Action.objects.create(
        round=round_,
        principle=principle,
        change_from="Typed twice by mistake.",
        change_to="A duplicate of another action.",
        owner="Rita Patel",
    )
    sign_in(page, lead.email)
    page.goto(f"/rounds/{round_.pk}/actions/")
    page.locator("main a[href$='/edit/']").first.click()
    page.get_by_text("Delete this action…").click()
    axe(page, "action-delete-confirm")
    page.get_by_role("button", name="Yes, delete this action").click()
    assert "Action deleted from the plan." in page.locator(".messages").inner_text()
    assert "A duplicate of another action." not in page.locator("main").inner_text()
    assert not Action.objects.exists()
    page.goto(f"/orgs/{org.slug}/activity/")
    assert "A duplicate of another action." in page.locator("main").inner_text()
    axe(page, "activity-action-deleted")


def test_a_lead_downloads_a_batch_for_a_mail_merge_and_prints_that_batch(page, axe, tmp_path):
    ensure_framework()
    lead = factories.user("rita@riverside.example")
    org = factories.organisation("Riverside adult care", lead=lead)
    round_ = factories.round(org, title="Spring reflection")
    sign_in(page, lead.email)
    page.goto(f"/rounds/{round_.pk}/links/")
    for label, count in (("Carers group", "2"), ("Day centre", "3")):
        page.get_by_label("Carer or family member").check()
        page.get_by_label("How many links?").fill(count)
        page.get_by_label("Label (optional)").fill(label)
        page.get_by_role("button", name="Make links").click()
        if label == "Carers group":
            page.get_by_role("link", name="Back to all links").first.click()

    # The second batch, from "Your new links", as a CSV.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these links as CSV").click()
    target = tmp_path / "links.csv"
    download.value.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8-sig"))))
    assert [row["label"] for row in rows] == ["Day centre 1", "Day centre 2", "Day centre 3"]
    assert all("/r/" in row["link"] for row in rows)

    # The first batch alone, printed from the list of links.
    page.get_by_role("link", name="Back to all links").first.click()
    axe(page, "links-with-batches")
    page.get_by_role("link", name="print their sheets (2 made at").click()
    assert page.locator(".invite-sheet").count() == 2
    assert "Carers group 1" in page.locator("main").inner_text()
    assert "Day centre" not in page.locator("main").inner_text()


def test_a_facilitator_without_an_organisation_signs_in_to_their_cohorts(page, axe):
    ensure_framework()
    facilitator = factories.user("fran@network.example")
    cohort(facilitator, name="North Vale network")
    sign_in(page, facilitator.email)
    assert page.locator("h1").inner_text() == "Your cohorts"
    assert "North Vale network" in page.locator("main").inner_text()
    assert "Set up a new organisation" not in page.locator("main").inner_text()
    axe(page, "facilitator-lands-on-cohorts")
