"""A lead makes links and sees them once; a person answers through one in their own
browser; the lead, opening the same link, sees none of it; the person moves their answers
to another device with a one-time code. axe checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from assessments.rounds.models import Answer, Invite, Respondent, token_hash
from tests import factories
from tests.browser.support import sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "Nobody rang me back for weeks"


@pytest.fixture
def other_browser(browser, live_server):
    """A second, separate browser (its own cookies), as on someone else's computer."""
    contexts = []

    def open_one():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 390, "height": 844}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_one
    for context in contexts:
        context.close()


def test_a_link_is_shown_once_and_its_answers_stay_with_their_browser(page, other_browser, axe):
    ensure_framework()
    lead = factories.user("rita@riverside.example", full_name="Rita Patel")
    org = factories.organisation("Riverside adult care", lead=lead)
    round_ = factories.round(org, title="Spring reflection")
    statement = round_.framework.principles.order_by("order")[0].statements.order_by("order")[0]

    # The lead makes two links and sees them in full, once, with copy buttons.
    sign_in(page, lead.email)
    page.goto(f"/rounds/{round_.pk}/links/")
    page.get_by_label("Person with lived experience").check()
    page.get_by_label("How many links?").fill("2")
    page.get_by_label("Label (optional)").fill("Jane")
    page.get_by_role("button", name="Make links").click()
    assert page.locator("h1").inner_text() == "Your new links"
    # The copy buttons are added by a deferred script: wait for it, as a person would.
    expect(page.get_by_role("button", name="Copy link 1 (Jane 1)")).to_be_visible()
    address = page.get_by_label("Address of link 1 ").input_value()
    token = address.rsplit("/r/", 1)[1].strip("/")
    assert token_hash(token) == Invite.objects.get(label="Jane 1").token_hash
    axe(page, "links-new")

    # The person answers through it in their own browser.
    person = other_browser()
    person.goto(address)
    axe(person, "link-welcome")
    person.get_by_role("button", name="Start").click()
    person.locator("form[data-autosave-ready]").wait_for(state="attached")
    person.locator(f"#answer-{statement.pk}").get_by_label("Still mostly the from").check()
    person.locator(f"#answer-{statement.pk}").get_by_text("Add a note (optional)").click()
    person.locator(f"#note-{statement.pk}").fill(NOTE)
    person.locator(f"#note-{statement.pk}").blur()
    expect(person.locator(f"#answer-{statement.pk} [data-save-status]")).to_have_text("Saved")
    assert Answer.objects.get(respondent__invite__label="Jane 1").note == NOTE

    # The links page shows no address, nothing of the answers, and not who has started.
    page.goto(f"/rounds/{round_.pk}/links/")
    main = page.locator("main")
    assert "Jane 1" in main.inner_text() and "Started" not in main.inner_text()
    assert set(main.locator(".link-status").all_inner_texts()) == {"Active"}
    assert token not in page.content() and "/r/" not in main.inner_html()
    assert NOTE not in page.content()
    axe(page, "links-status-only")

    # The lead opens the link copied earlier: the welcome page of a link nobody has used,
    # none of the answers; only pressing Start says the link is in use.
    page.goto(address)
    assert page.locator("h1").inner_text() == "Help us see how well we work with you"
    assert NOTE not in page.content()
    page.goto(f"{address}1/")
    assert page.locator("h1").inner_text() == "Help us see how well we work with you"
    page.get_by_role("button", name="Start").click()
    assert page.locator("h1").inner_text() == "This link is in use in another browser"
    assert page.locator("input[type=radio]").count() == 0 and NOTE not in page.content()
    axe(page, "link-in-use-elsewhere")

    # The person moves to another device with a one-time code.
    person.get_by_role("link", name="Continue on another device").click()
    assert person.locator("h1").inner_text() == "Continue on another device"
    axe(person, "link-move")
    person.get_by_role("button", name="Show a code").click()
    code = person.locator("#move-code").inner_text().split()[-1]
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    axe(person, "link-move-code")

    tablet = other_browser()
    tablet.goto(address)
    tablet.get_by_role("button", name="Start").click()
    tablet.get_by_label("Code from your other device").fill("WRONG-CODE")
    tablet.get_by_role("button", name="Move my answers here").click()
    assert "That code is not right" in tablet.locator("main").inner_text()
    axe(tablet, "link-move-here-error")
    tablet.get_by_label("Code from your other device").fill(code.lower())
    tablet.get_by_role("button", name="Move my answers here").click()
    assert tablet.locator(f"#note-{statement.pk}").input_value() == NOTE
    assert tablet.locator(f"#level-{statement.pk}-1").is_checked()

    # The first browser has let go of the answers.
    person.goto(f"{address}1/")
    assert person.locator("h1").inner_text() == "Help us see how well we work with you"
    person.get_by_role("button", name="Start").click()
    assert person.locator("h1").inner_text() == "This link is in use in another browser"
    assert NOTE not in person.content()
    assert Respondent.objects.filter(invite__label="Jane 1").count() == 1
