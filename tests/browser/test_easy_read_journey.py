"""Someone who reads easy read goes the whole way in it: from an easy-read sheet, through
/go, the welcome page, the questions and the navigation under them, the group page and the
page a link in use elsewhere shows. axe checks each page; none says "lived experience"."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from assessments.rounds.models import Respondent
from tests import factories
from tests.browser.conftest import ARTIFACTS
from tests.browser.support import sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def no_lived_experience(page) -> None:
    words = page.locator("body").inner_text().lower()
    assert "lived experience" not in words, page.url


@pytest.fixture
def setting():
    ensure_framework()
    lead = factories.user("rita@riverside.example", full_name="Rita Patel")
    org = factories.organisation("Riverside adult care", lead=lead)
    round_ = factories.round(org, title="Spring reflection")
    # Everything a sheet can hold, so that the test sees it still fits one page.
    round_.contact = "Sam Patel, 01632 960123"
    round_.closes_on = timezone.localdate() + timedelta(days=30)
    round_.save()
    return {"lead": lead, "round": round_}


def test_easy_read_from_the_sheet_to_the_questions(browser, live_server, page, axe, setting):
    round_ = setting["round"]

    # The lead makes two easy-read links and prints their sheets.
    sign_in(page, setting["lead"].email)
    page.goto(f"/rounds/{round_.pk}/links/")
    page.get_by_label("Person with lived experience").check()
    page.get_by_label("How many links?").fill("2")
    page.get_by_label("Label (optional)").fill("Day centre")
    page.get_by_label("Open the links in easy read").check()
    page.get_by_role("button", name="Make links").click()
    page.get_by_role("link", name="Print sheets for these links").click()
    sheets = page.locator(".invite-sheet")
    assert sheets.count() == 2
    sheet = sheets.first
    words = sheet.inner_text()
    assert "Tell us what you think" in words
    assert "Your group: I use the service." in words
    assert "lived experience" not in words.lower()
    for answer in ("Not yet", "A little", "Mostly", "Really well", "I don't know"):
        assert answer in words
    assert sheet.locator(".sheet-scale .level-symbol").count() == 5
    assert sheet.locator(".sheet-scale .level-symbol").first.bounding_box()["width"] >= 40
    assert f"{live_server.url}/go/easy/" in sheet.locator(".sheet-go").inner_text()
    code = sheet.locator(".sheet-code").inner_text()
    link = sheet.locator(".sheet-link").inner_text()
    axe(page, "easy-read-sheets")
    # Printed, each sheet is one A4 page, its words and pictures on it.
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "easy-read-sheets.pdf").write_bytes(pdf)
    printed = PdfReader(io.BytesIO(pdf))
    assert len(printed.pages) == 2
    first = printed.pages[0].extract_text()
    assert "Tell us what you think" in first and "Really well" in first
    assert "Questions? Ask Sam Patel" in first and "Please answer by" in first
    assert "Reference: Day centre 1" in first
    page.emulate_media(media="screen")

    # Someone with the sheet goes to the easy-read /go it prints, on a phone.
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    phone.goto("/go/")
    assert "Switch to easy read" in phone.locator("header").inner_text()
    axe(phone, "go-phone")
    phone.get_by_role("link", name="Easy read").click()
    assert phone.url.endswith("/go/")
    main = phone.locator("main").inner_text()
    assert "Easy read is on." in phone.locator("header").inner_text()
    assert "The sheet has a code on it." in main
    assert "It is next to the black and white square." in main
    axe(phone, "easy-read-go-phone")
    phone.get_by_label("The code on your sheet").fill("ABC")
    phone.get_by_role("button", name="Go to my questions").click()
    assert "Look at your sheet and try again." in phone.locator("main").inner_text()
    axe(phone, "easy-read-go-error-phone")
    phone.get_by_label("The code on your sheet").fill(code.lower())
    phone.get_by_role("button", name="Go to my questions").click()
    assert phone.url == link

    # The welcome page.
    main = phone.locator("main").inner_text()
    assert "Your group" in main and "I use the service" in main
    no_lived_experience(phone)
    axe(phone, "easy-read-start-phone")
    phone.get_by_role("button", name="Start").click()

    # The navigation under the questions.
    main = phone.locator("main").inner_text()
    assert "Your group: I use the service." in main
    assert "Go to another part" in main
    phone.get_by_text("Go to another part").click()  # folded until wanted
    main = phone.locator("main").inner_text()
    assert "We save your answers on this page first." in main
    assert "(0 of 4 done)" in main
    no_lived_experience(phone)
    axe(phone, "easy-read-page-phone")

    # The group page.
    phone.get_by_role("link", name="Change your group").click()
    main = phone.locator("main").inner_text()
    assert "Which group are you in?" in main
    assert "Nobody sees your answers." in main
    for group in (
        "I work for the service",
        "I manage or lead the service",
        "I use the service",
        "I care for someone who uses the service",
        "I work for a group that works with the service",
        "I live nearby, or I help as a volunteer",
    ):
        assert phone.get_by_label(group, exact=True).count() == 1, group
    assert phone.get_by_label("I use the service", exact=True).is_checked()
    assert "Partner organisation" not in main
    no_lived_experience(phone)
    axe(phone, "easy-read-group-phone")
    phone.get_by_label("I care for someone who uses the service").check()
    phone.get_by_role("button", name="Save my group").click()
    assert "Your group is saved: I care for someone who uses the service." in (
        phone.locator(".messages").inner_text()
    )
    assert Respondent.objects.get(invite__isnull=False, round=round_).perspective == "carer"
    context.close()

    # The same link, opened on another phone: in use elsewhere, said in easy read.
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    other = context.new_page()
    other.set_default_timeout(10_000)
    other.goto(link)
    assert "Easy read is on." in other.locator("header").inner_text()
    other.get_by_role("button", name="Start").click()
    main = other.locator("main").inner_text()
    assert other.locator("h1").inner_text() == "Someone is using this link somewhere else"
    assert "Only that one can show the answers." in main
    assert "The code from your other phone, tablet or computer" in main
    no_lived_experience(other)
    axe(other, "easy-read-elsewhere-phone")
    context.close()


def test_easy_read_pages_on_a_desktop(page, axe, setting):
    round_ = setting["round"]
    link = factories.invite(round_, perspective="partner")
    page.goto("/go/easy/")
    axe(page, "easy-read-go-desktop")
    page.goto(f"/r/{link.raw_token}/")
    page.get_by_role("button", name="Start").click()
    no_lived_experience(page)
    page.get_by_role("link", name="Change your group").click()
    assert page.get_by_label("I work for a group that works with the service").is_checked()
    axe(page, "easy-read-group-desktop")
