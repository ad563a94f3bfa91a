"""The Welsh five principles and SCIE's four in the browser: a framework's page in English
and in Welsh, and a person answering a round on it by a link in easy read, on a phone.
axe checks each page; the screenshots are kept for a person to look at."""

import pytest
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def welsh_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        extra_http_headers={"Accept-Language": "cy"},
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_welsh_five_in_english_then_welsh(page, welsh_page, axe, frameworks):
    wales = frameworks["wales-five"]
    page.goto("/principles/")
    page.get_by_role("link", name="The five principles of co-production in Wales").click()
    assert page.locator("h1").inner_text() == "The five principles of co-production in Wales"
    main = page.locator("main").inner_text()
    assert "Value people and build on their strengths" in main
    assert "our own reading" in main
    page.screenshot(path="/tmp/frameworks-wales-en.png", full_page=True)
    axe(page, "wales-five")

    welsh_page.goto(wales.get_absolute_url())
    assert welsh_page.locator("h1").inner_text() == "Pum egwyddor cyd-gynhyrchu yng Nghymru"
    main = welsh_page.locator("main").inner_text()
    assert "Gwerthfawrogi pobl a magu eu cryfderau" in main
    assert "Galluogi pobl i ysgogi newid" in main
    assert "Value people and build on their strengths" not in main
    welsh_page.screenshot(path="/tmp/frameworks-wales-cy.png", full_page=True)
    axe(welsh_page, "wales-five-cy")


def test_scie_framework_page_names_the_jigsaw(page, axe, frameworks):
    page.goto(frameworks["scie"].get_absolute_url())
    main = page.locator("main").inner_text()
    for words in ("Equality", "Diversity", "Accessibility", "Reciprocity", "jigsaw"):
        assert words in main
    page.screenshot(path="/tmp/frameworks-scie-en.png", full_page=True)
    axe(page, "scie")


@pytest.mark.parametrize("slug", ["scie", "wales-five"])
def test_a_link_holder_answers_in_easy_read_on_a_phone(browser, live_server, axe, slug):
    lead = factories.user()
    org = factories.organisation("Riverside adult care", lead=lead)
    round_ = factories.round(org, slug=slug, title="Spring reflection", by=lead)
    link = factories.invite(round_)
    link.easy_read = True
    link.save()
    with translation.override("en"):
        first = round_.framework.principles.order_by("order").first()
        statement = first.statements.order_by("order").first()
        easy_name, alt = first.easy_read_name, first.picture_alt
        from_easy, to_easy, from_text = statement.from_easy, statement.to_easy, statement.from_text

    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    phone.goto(f"/r/{link.raw_token}/")
    assert "Easy read is on." in phone.locator("header").inner_text()
    phone.get_by_role("button", name="Start").click()
    main = phone.locator("main").inner_text()
    assert easy_name in main
    assert from_easy in main and to_easy in main
    assert from_text not in main
    assert phone.get_by_role("img", name=alt).is_visible()
    phone.screenshot(path=f"/tmp/frameworks-{slug}-answer-easy-phone.png")
    axe(phone, f"{slug}-answer-easy-phone")
    context.close()
