"""A workshop in a room: the lead's projector and six phones (390×844, each its own
browser) join by code, answer, and the projector shows the counts and then, when the lead
chooses, the spread; the lead records an agreed position and an action from the projector.
With two people nothing is shown. axe checks the projector and the phone pages."""

import re

import pytest
from playwright.sync_api import expect

from assessments.rounds.models import Action, AgreedPosition, Answer, Respondent
from tests import factories
from tests.browser.support import sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
GROUPS = [
    "Staff",
    "Person with lived experience",
    "Manager or leader",
    "Carer or family member",
    "Staff",
    "Person with lived experience",
]


@pytest.fixture
def phones(browser, live_server):
    contexts = []

    def open_one():
        context = browser.new_context(base_url=live_server.url, viewport=PHONE)
        contexts.append(context)
        phone = context.new_page()
        phone.set_default_timeout(10_000)
        return phone

    yield open_one
    for context in contexts:
        context.close()


def _answer_first_principle(phone, level_index: int):
    """Choose a level for every statement on the first page, then save and continue."""
    phone.locator("form[data-autosave-ready]").wait_for(state="attached")
    for fieldset in phone.locator("fieldset.answer").all():
        fieldset.locator("input[type=radio]").nth(level_index).check()
        expect(fieldset.locator("[data-save-status]")).to_have_text("Saved")
    phone.get_by_role("button", name="Save and continue").click()
    expect(phone).to_have_url(re.compile(r"/r/[^/]+/2/$"))


def test_a_room_joins_answers_and_agrees_together(page, phones, axe, live_server):
    ensure_framework()
    lead = factories.user("rita@riverside.example", full_name="Rita Patel")
    org = factories.organisation("Riverside adult care", lead=lead)
    round_ = factories.round(org, title="Spring reflection")
    principle = round_.framework.principles.order_by("order")[0]
    statement = principle.statements.order_by("order")[0]

    # The lead starts the workshop: the projector (a 1920×1080 screen) shows the code.
    page.set_viewport_size({"width": 1920, "height": 1080})
    sign_in(page, lead.email)
    page.goto(f"/rounds/{round_.pk}/")
    page.get_by_role("link", name="Workshop: answer together in a room").click()
    axe(page, "workshop-start")
    page.get_by_label("How many people can join?").fill("20")
    page.get_by_role("button", name="Start the workshop").click()
    code = page.locator(".join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    expect(page.locator(".join-qr svg")).to_be_visible()
    page.get_by_role("button", name=re.compile(f"Show 1. {re.escape(principle.name)}")).click()
    axe(page, "workshop-projector-empty")

    # Six phones join: the first types the code from the home page, the rest use the QR.
    joined = []
    for number, group in enumerate(GROUPS):
        phone = phones()
        if number == 0:
            phone.goto("/")
            phone.get_by_role("link", name=re.compile("Join with the code")).click()
            axe(phone, "workshop-join-phone")
            phone.get_by_label("Workshop code").fill(code.lower())
            phone.get_by_role("button", name="Next").click()
        else:
            phone.goto(f"/join/?code={code.replace('-', '')}")
        expect(phone.locator("h1")).to_have_text("Which group are you in?")
        if number == 0:
            axe(phone, "workshop-join-group-phone")
        phone.get_by_label(group, exact=True).check()
        phone.get_by_role("button", name="Join and start answering").click()
        expect(phone).to_have_url(re.compile(r"/r/[^/]+/1/$"))
        assert phone.locator("nav[aria-label=Main] .navbar-nav").count() == 0
        if number == 0:
            axe(phone, "workshop-answer-phone")
        joined.append(phone)

    # The projector counts them without a reload.
    expect(page.locator(".count-number")).to_have_text("6", timeout=15_000)

    # Two people finish the principle: nothing is shown yet.
    for phone, level in zip(joined[:2], (0, 3), strict=True):
        _answer_first_principle(phone, level)
    expect(page.locator("#room-counts")).to_contain_text("2", timeout=15_000)
    page.reload()
    expect(page.locator(".figures-wait")).to_be_visible()
    assert page.locator(".spread-table").count() == 0

    # Four more: the figures appear on the projector by themselves.
    for phone, level in zip(joined[2:], (1, 2, 1, 3), strict=True):
        _answer_first_principle(phone, level)
    expect(page.locator(".spread-table").first).to_be_visible(timeout=15_000)
    expect(page.locator(".figures-basis")).to_contain_text("From the 6 people")
    assert Answer.objects.filter(respondent__invite__workshop__round=round_).count() == 6 * len(
        principle.statements.all()
    )
    axe(page, "workshop-projector")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path="test-artifacts/workshop-projector-laptop.png", full_page=False)

    # The lead records what the room agreed and an action, from the projector.
    item = page.locator(f"#agree-{statement.pk}")
    item.get_by_label("Mostly the to").check()
    item.get_by_label("Why does the room agree this?").fill("Most of us see it happening")
    item.get_by_role("button", name=re.compile("Save agreed position")).click()
    expect(page.locator(".alert-success")).to_contain_text("Agreed position")
    assert page.url.endswith(f"/rounds/{round_.pk}/workshop/#agree-{statement.pk}")
    assert AgreedPosition.objects.get(round=round_, statement=statement).level == 3
    page.locator(f"#agree-{statement.pk}").get_by_role(
        "link", name=re.compile("Write an action")
    ).click()
    page.get_by_label("What happens now").fill("People hear about changes afterwards")
    page.get_by_label("What will happen instead").fill("People plan changes with us")
    page.locator("#id_owner").fill("Service manager")
    page.locator("#id_co_owner").fill("A resident on the panel")
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.locator("h1")).to_have_text(re.compile("Workshop"), timeout=5_000)
    action = Action.objects.get(round=round_)
    assert action.co_owner == "A resident on the panel" and action.statement == statement

    # Ending the workshop stops the code working.
    page.get_by_role("button", name="End the workshop").click()
    latecomer = phones()
    latecomer.goto("/join/")
    latecomer.get_by_label("Workshop code").fill(code)
    latecomer.get_by_role("button", name="Next").click()
    expect(latecomer.locator(".alert-danger")).to_contain_text("does not match a workshop")
    assert Respondent.objects.filter(invite__workshop__round=round_).count() == 6
