"""A lead's smaller tools, as a lead uses them: the links table on a phone, a batch of
links as a CSV for a mail merge, deleting an action, agreeing a whole principle on one
page; and a facilitator's start page and reminders."""

import csv
import io

import pytest
from django.core import mail
from pypdf import PdfReader

from assessments.rounds.models import Action
from assessments.rounds.services import round_close
from tests import factories
from tests.browser.support import make_links, sign_in
from tests.support import cohort, ensure_framework, member_org

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
    make_links(phone, round_, 2, label="Workshop table")

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


def test_a_lead_agrees_a_whole_principle_on_one_page(page, axe):
    ensure_framework()
    lead = factories.user("rita@riverside.example")
    org = factories.organisation("Riverside adult care", lead=lead)
    round_ = factories.round(org, title="Spring reflection")
    # Six on each side: the noise moves one or two of each group's answers, which could
    # close a gap between three and three but never one between six and six.
    for _ in range(6):
        factories.answer_all(
            factories.respondent(round_, "lived_experience"), level=1, note="Nobody asked us"
        )
    for _ in range(6):
        factories.answer_all(factories.respondent(round_, "staff"), level=4)
    round_close(round=round_, by=lead)
    principle = round_.framework.principles.order_by("order").first()
    statements = list(principle.statements.order_by("order"))
    sign_in(page, lead.email)
    page.goto(f"/rounds/{round_.pk}/results/")
    page.get_by_role("link", name=f"of this principle on one page (1. {principle.name})").click()
    assert page.locator("h1").inner_text() == f"Agreed positions: 1. {principle.name}"
    # Beside each statement: what people said, from the published figures, and the notes.
    first = page.locator(".agree-statement").first
    assert "Person with lived experience" in first.inner_text()
    assert "Large gap" in first.inner_text() and "Nobody asked us" in first.inner_text()
    axe(page, "agreed-positions")

    # A level without a reason is caught, and the summary leads to the box.
    page.get_by_role("group", name=f"stands on statement {statements[0].code}?").get_by_label(
        "2 – Starting to move"
    ).check()
    page.get_by_role("button", name="Save the agreed positions").click()
    assert "There is a problem" in page.locator("main").inner_text()
    axe(page, "agreed-positions-errors")
    page.get_by_role("link", name=f"level for statement {statements[0].code}").click()
    page.keyboard.type("People who use the service see it differently.")
    page.get_by_role("group", name=f"stands on statement {statements[1].code}?").get_by_label(
        "3 – Mostly the to"
    ).check()
    page.get_by_label(f"Why did the group agree this? (statement {statements[1].code})").fill(
        "Most of the time."
    )
    page.get_by_role("button", name="Save the agreed positions").click()
    assert "Agreed positions for principle 1: 2 saved." in page.locator(".messages").inner_text()
    main = page.locator("main").inner_text()
    assert "Agreed position: 2 – Starting to move." in main
    assert "Agreed position: 3 – Mostly the to." in main


def test_a_facilitator_reminds_the_organisations_that_have_not_started(page, axe):
    ensure_framework()
    facilitator = factories.user("fran@network.example", full_name="Fran Okafor")
    the_cohort = cohort(facilitator, name="North Vale network")
    member_org(the_cohort, "Riverside")
    member_org(the_cohort, "Lakeside", with_round=False)
    sign_in(page, facilitator.email)
    page.get_by_role("link", name="North Vale network").first.click()
    page.get_by_role("link", name="Remind the organisation that has not started").click()
    assert page.locator("h1").inner_text() == "Remind organisations that have not started"
    assert "Lakeside" in page.locator("main").inner_text()
    assert "Riverside" not in page.locator("main").inner_text()
    axe(page, "cohort-remind")
    page.get_by_label("A note from you (optional)").fill("We meet on 3 March.")
    page.get_by_role("button", name="Send the reminder").click()
    messages = page.locator(".messages").inner_text()
    assert (
        "Reminder to the leads of 1 organisation (Lakeside) queued: it will be sent in a moment."
        in messages
    )
    assert len(mail.outbox) == 1 and "We meet on 3 March." in mail.outbox[0].body
    axe(page, "cohort-reminded")


def test_a_facilitator_prints_the_cohort_summary_for_one_group_with_its_people(page, axe, tmp_path):
    ensure_framework()
    facilitator = factories.user("fran@network.example", full_name="Fran Okafor")
    the_cohort = cohort(facilitator, name="North Vale network")
    member_org(the_cohort, "Brookfield", lived=4, staff=10)
    sign_in(page, facilitator.email)
    page.goto(the_cohort.get_absolute_url())
    page.get_by_label("Whose answers?").select_option(label="Person with lived experience")
    page.get_by_role("button", name="Show these answers").click()
    assert "4 of 14" in page.get_by_role("row", name="Brookfield").inner_text()
    # A worker prepares it (at once in tests); its page offers the file.
    page.get_by_role("button", name="Cohort summary for commissioners (PDF)").click()
    assert page.locator("h1").inner_text() == "Your download is ready"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download north-vale-network-summary.pdf").click()
    target = tmp_path / "summary.pdf"
    download.value.save_as(target)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(target)).pages)
    assert "People in the group" in text and "Brookfield Closed 4 of 14" in text
    assert "4 in the group “Person with lived experience”, of 14 who answered" in text
