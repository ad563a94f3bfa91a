"""Answering a round at levels on a phone (390×844): each statement's choices at each
level are a group named by its level, an answer at one level is saved as it is given, and
axe finds nothing wrong."""

import pytest
from playwright.sync_api import expect

from assessments.rounds.models import Answer
from tests import factories
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_phone_answers_each_level_of_a_statement(browser, live_server, axe):
    ensure_framework()
    org = factories.organisation("Hillside", lead=factories.user("lead@hillside.example"))
    round_ = factories.round(org, slug="nef-nesta", at_levels=True, title="Three levels")
    link = factories.invite(round_, perspective="staff")
    first = round_.framework.principles.get(order=1).statements.get(order=1)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"/r/{link.raw_token}/")
    page.get_by_role("button", name="Start").click()
    page.locator("form[data-autosave-ready]").wait_for(state="attached")

    statement = page.locator(f"#answer-{first.pk}")
    service = statement.get_by_role("group", name="Level: The service")
    service.get_by_label("Mostly the to").check()
    expect(page.locator(f'[id="answer-{first.pk}@service"] [data-save-status]')).to_have_text(
        "Saved"
    )
    expect(page.locator("[data-progress-text]")).to_have_text("1 of 72 answered")
    answer = Answer.objects.get(statement=first)
    assert (answer.scope, answer.level) == ("service", 3)
    page.screenshot(path="/tmp/levels-phone.png")
    axe(page, "answer-levels-phone")
    context.close()
