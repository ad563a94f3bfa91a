"""A newcomer browses the principles library, and switches to easy read, keyboard and mouse."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_to_principle_to_easy_read(page, axe, frameworks):
    page.goto("/")
    assert page.locator("h1").inner_text().startswith("Reflect together")
    axe(page, "home")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Principles").click()
    assert page.locator("h1").inner_text() == "Principles of co-production"
    axe(page, "principles")

    cahn = frameworks["cahn"]
    page.get_by_role("link", name=cahn.name).click()
    assert page.locator("h1").inner_text() == cahn.name
    axe(page, "framework")

    first = cahn.principles.order_by("order").first()
    page.get_by_role("link", name=f"1. {first.name}").click()
    assert page.locator("h1").inner_text() == first.name
    statement = first.statements.order_by("order").first()
    assert statement.from_text in page.content()
    assert statement.to_text in page.content()
    axe(page, "principle")

    here = page.url
    page.get_by_role("button", name="Switch to easy read").click()
    assert page.url == here, "easy read keeps the reader on the page"
    assert page.locator("h1").inner_text() == first.easy_read_name
    assert page.get_by_role("img", name=first.picture_alt).is_visible()
    body = page.locator("main").inner_text()
    assert statement.from_easy in body
    assert statement.to_easy in body
    assert statement.from_text not in body
    axe(page, "principle-easy-read")

    page.get_by_role("button", name="Switch to standard wording").click()
    assert statement.from_text in page.locator("main").inner_text()


def test_what_is_coproduction_page_is_accessible(page, axe, frameworks):
    page.goto("/what-is-co-production/")
    assert page.locator("h1").inner_text() == "What is co-production?"
    headings = page.locator("main h2").all_inner_texts()
    assert any("ladder" in h.lower() for h in headings)
    axe(page, "what-is")


def test_skip_link_is_first_and_moves_focus_to_main(page, frameworks):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"


def test_sign_in_page_is_accessible(page, axe):
    factories.user("jo@example.org")
    page.goto("/accounts/login/")
    axe(page, "login")
    page.get_by_label("E-mail address").fill("jo@example.org")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert "Signed in as jo@example.org" in page.locator("header").inner_text()
