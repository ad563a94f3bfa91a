"""A Welsh reader browses the principles library: the frameworks' own words in Welsh,
standard and easy read, and the pages clean in axe."""

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db(transaction=True)


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


def test_a_principle_in_welsh_then_easy_read(welsh_page, axe, frameworks):
    page = welsh_page
    cahn = frameworks["cahn"]
    first = cahn.principles.order_by("order").first()
    statement = first.statements.order_by("order").first()
    with translation.override("cy"):
        name, framework_name, easy_name, alt = (
            first.name,
            cahn.name,
            first.easy_read_name,
            first.picture_alt,
        )
        from_text, to_text, from_easy = statement.from_text, statement.to_text, statement.from_easy

    page.goto(cahn.get_absolute_url())
    assert page.locator("h1").inner_text() == framework_name
    axe(page, "framework-cy")

    page.get_by_role("link", name=f"1. {name}").click()
    assert page.locator("h1").inner_text() == name
    body = page.locator("main").inner_text()
    assert from_text in body and to_text in body
    page.screenshot(path="/tmp/i18n-frameworks-principle-cy.png", full_page=True)
    axe(page, "principle-cy")

    page.locator("input[name=easy_read][value=on] ~ button").click()
    assert page.locator("h1").inner_text() == easy_name
    assert page.get_by_role("img", name=alt).is_visible()
    assert from_easy in page.locator("main").inner_text()
    page.screenshot(path="/tmp/i18n-frameworks-principle-cy-easy.png", full_page=True)
