"""A lead runs a round: creates it, opens it, makes links for a workshop, revokes one,
prints invitation sheets and closes the round. axe checks every page on the way."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments.rounds.models import Invite, Round, RoundStatus, token_hash
from tests import factories
from tests.browser.support import fill_date, make_links, sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)


def test_lead_runs_a_round(page, axe):
    framework = ensure_framework()
    lead = factories.user("rita@riverside.example", full_name="Rita Patel")
    org = factories.organisation("Riverside adult care", lead=lead)
    sign_in(page, lead.email)

    # Start a round.
    page.goto(f"/orgs/{org.slug}/rounds/new/")
    assert page.locator("h1").inner_text() == "Start a new round"
    axe(page, "rounds-create")
    page.get_by_role("button", name="Create the round").click()  # nothing filled in
    assert "Enter a title for the round." in page.locator("main").inner_text()
    axe(page, "rounds-create-errors")
    page.get_by_label("Title").fill("Spring reflection")
    page.get_by_label(framework.name).check()
    closes = timezone.localdate() + timedelta(days=21)
    fill_date(page, "Closing date (optional)", closes)
    page.get_by_label("Who people can ask (optional)").fill("Sam Okoye, 01632 960123")
    page.get_by_role("button", name="Create the round").click()
    assert page.locator("h1").inner_text() == "Spring reflection"
    assert "ready as a draft" in page.locator(".messages").inner_text()
    axe(page, "rounds-detail-draft")

    # Open it.
    page.get_by_role("button", name="Open round").click()
    assert "Round opened. People can now answer." in page.locator(".messages").inner_text()
    assert "Open" in page.locator(".round-facts").inner_text()
    axe(page, "rounds-detail-open")

    # Make a batch of 3 links for people with lived experience.
    page.get_by_role("link", name="Manage links").first.click()
    assert page.locator("h1").inner_text() == "Links for people without an account"
    assert "No links yet" in page.locator("main").inner_text()
    axe(page, "rounds-links-empty")
    page.get_by_label("Person with lived experience").check()
    page.get_by_label("How many links?").fill("3")
    page.get_by_label("Label (optional)").fill("Workshop table")
    page.get_by_role("button", name="Make links").click()

    # The new links are shown once, in full, with copy buttons and their sheets.
    assert page.locator("h1").inner_text() == "Your new links"
    assert "3 new links made" in page.locator(".messages").inner_text()
    invites = list(Invite.objects.filter(round__organisation=org).order_by("pk"))
    tokens = []
    for number, invite in enumerate(invites, start=1):
        address = page.get_by_label(f"Address of link {number} ").input_value()
        tokens.append(address.rsplit("/r/", 1)[1].strip("/"))
        assert token_hash(tokens[-1]) == invite.token_hash
    # The copy buttons appear once the script has run.
    expect(page.get_by_role("button", name="Copy link 1 (Workshop table 1)")).to_be_visible()
    axe(page, "rounds-links-new")

    # Print sheets for them: one per link.
    page.get_by_role("link", name="Print sheets for these links").click()
    assert page.locator("h1").inner_text() == "Invitation sheets"
    assert page.locator(".invite-sheet").count() == 3
    axe(page, "rounds-print")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("h1").is_visible()
    # Printed, each sheet is a page of its own, without the site's header and footer.
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert len(pdf.pages) == 3
    for pdf_page, token in zip(pdf.pages, tokens, strict=True):
        printed = " ".join(pdf_page.extract_text().split())
        assert printed.startswith("You are invited to share your views")
        assert "Signed in as" not in printed and "Frameworks:" not in printed
        assert token in printed.replace(" ", "")
        # The short code to type at /go, and who to ask.
        code = r"[A-Z0-9]{5}-[A-Z0-9]{5}"
        assert re.search(rf"go to http://\S+/go ?/ and type this code: {code}", printed)
        assert "Questions? Ask Sam Okoye, 01632 960123." in printed
    page.emulate_media(media="screen")

    # The list of links: label, perspective and whether it works, and no address.
    page.get_by_role("link", name="Back to your new links").click()
    page.get_by_role("link", name="Back to all links").first.click()
    assert page.locator("h1").inner_text() == "Links for people without an account"
    assert page.locator("table.links-table tbody tr").count() == 3
    content = page.content()
    assert all(token not in content for token in tokens)
    assert "/r/" not in page.locator("main").inner_html()
    assert "3 links: 3 active, 0 revoked." in page.locator("main").inner_text()
    axe(page, "rounds-links")

    # Revoke the second link, after the confirmation step.
    page.get_by_text("Revoke link 2 (Workshop table 2)", exact=True).click()
    axe(page, "rounds-links-revoke-confirm")
    page.get_by_role("button", name="Yes, revoke link 2 (Workshop table 2)").click()
    assert "Link revoked. It no longer works." in page.locator(".messages").inner_text()
    assert "3 links: 2 active, 1 revoked." in page.locator("main").inner_text()
    revoked = Invite.objects.get(label="Workshop table 2")
    assert revoked.revoked_at is not None
    axe(page, "rounds-links-after-revoke")

    # A fresh link for the third: the old one stops working, the new one is shown once.
    page.get_by_text("Fresh link for link 3 (Workshop table 3)", exact=True).click()
    page.get_by_role("button", name="Make a fresh link for link 3 (Workshop table 3)").click()
    assert page.locator("h1").inner_text() == "Your new links"
    assert "Fresh link made." in page.locator(".messages").inner_text()
    fresh = page.get_by_label("Address of link 4 ").input_value().rsplit("/r/", 1)[1]
    assert token_hash(fresh.strip("/")) == Invite.objects.get(pk__gt=invites[-1].pk).token_hash
    page.get_by_role("button", name="I have what I need: hide these links now").click()
    assert "Those links are hidden now." in page.locator(".messages").inner_text()
    assert fresh not in page.content()

    # Back to the round, see the progress and close it.
    page.get_by_role("link", name="Spring reflection").first.click()
    main = page.locator("main").inner_text()
    assert "4 links made, 2 revoked." in main
    assert "Reminder message" in main
    page.get_by_text("Close round…", exact=True).click()
    axe(page, "rounds-close-confirm")
    page.get_by_role("button", name="Yes, close the round and freeze answers").click()
    assert "Round closed. Answers are now frozen." in page.locator(".messages").inner_text()
    assert Round.objects.get(organisation=org).status == RoundStatus.CLOSED
    record = page.locator("main").inner_text()
    assert "Opened by Rita Patel" in record and "Closed by Rita Patel" in record
    axe(page, "rounds-detail-closed")

    page.get_by_role("link", name="Manage links").first.click()
    assert "these links no longer work" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Make links").count() == 0
    axe(page, "rounds-links-closed")


def test_member_sees_the_simple_round_page(page, axe):
    ensure_framework()
    lead = factories.user()
    org = factories.organisation("Riverside adult care", lead=lead)
    member = factories.member(org, email="marcus@riverside.example")
    r = factories.round(org, title="Spring reflection")
    sign_in(page, member.email)
    page.goto(r.get_absolute_url())
    assert page.locator("h1").inner_text() == "Spring reflection"
    assert page.get_by_role("link", name="Answer now").is_visible()
    assert page.get_by_role("link", name="Manage links").count() == 0
    axe(page, "rounds-detail-member")


def test_a_person_types_the_code_from_their_sheet_on_a_phone(page, page_without_js, axe):
    """Someone given a printed sheet types its short code on a phone, JavaScript off, and
    lands on their own link; a mistyped code is explained."""
    ensure_framework()
    lead = factories.user("rita@riverside.example")
    org = factories.organisation("Riverside adult care", lead=lead)
    round_ = factories.round(org, title="Spring reflection")
    sign_in(page, lead.email)
    make_links(page, round_, 2)
    codes = page.locator(".link-code").all_inner_texts()
    tokens = [
        page.get_by_label(f"Address of link {n}").input_value().rsplit("/r/", 1)[1].strip("/")
        for n in (1, 2)
    ]

    person = page_without_js
    person.goto("/")
    person.get_by_role("link", name="Type the code from your sheet").click()
    assert person.locator("h1").inner_text() == "Type the code from your sheet"
    axe(person, "go-phone")
    code = person.get_by_label("Your code")
    code.fill(codes[1].replace("-", "")[:-1])  # one character short
    person.get_by_role("button", name="Go to my questions").click()
    assert "A code has 10 letters and numbers; you typed 9." in person.locator("main").inner_text()
    assert person.title().startswith("Error:")
    axe(person, "go-phone-error")
    # Typed in small letters with a space in the middle, as people do.
    person.get_by_label("Your code").fill(codes[1].lower().replace("-", " "))
    person.get_by_role("button", name="Go to my questions").click()
    assert person.url.endswith(f"/r/{tokens[1]}/")
    assert person.locator("h1").inner_text() == "Help us see how well we work with you"
    # The code box is big enough to read and tap on a phone.
    person.goto("/go/")
    box = person.get_by_label("Your code").bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] <= 390
