"""A lead follows an action between rounds: adds a progress note that moves its status,
and the team reads the history on the plan; the form offers a colleague as the owner."""

import pytest

from assessments.rounds import services
from assessments.rounds.models import Action, ActionStatus
from tests import factories
from tests.browser.support import sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_lead_adds_a_progress_note_and_the_plan_shows_the_history(page, axe):
    ensure_framework()
    lead = factories.user("rita@riverside.example", full_name="Rita Patel")
    org = factories.organisation("Riverside adult care", lead=lead)
    factories.member(org, email="sam@riverside.example")
    round_ = factories.round(org, title="Spring reflection")
    principle = round_.framework.principles.order_by("order").first()
    action = services.action_save(
        action=Action(
            round=round_,
            principle=principle,
            change_from="We write the plan, then ask.",
            change_to="We write the plan together with carers.",
            owner="Rita Patel",
        ),
        by=lead,
    )
    sign_in(page, lead.email)
    page.goto(f"/rounds/{round_.pk}/actions/")
    page.screenshot(path="/tmp/actions-plan-before.png", full_page=True)
    page.locator(f"#action-{action.pk} a", has_text="Add a progress note").click()
    assert page.locator("h1").inner_text() == "Add a progress note"
    axe(page, "actions-progress-form")
    page.get_by_role("button", name="Add the note").click()  # nothing said, nothing changed
    assert "Say what has happened, or choose a new status." in page.locator("main").inner_text()
    axe(page, "actions-progress-error")
    page.get_by_label("In progress").check()
    page.get_by_label("What has happened (optional)").fill(
        "First meeting held with the carers' forum."
    )
    page.get_by_role("button", name="Add the note").click()
    assert "Progress note added." in page.locator(".messages").inner_text()
    row = page.locator(f"#action-{action.pk}")
    assert "First meeting held with the carers' forum." in row.inner_text()
    assert "In progress" in row.inner_text()
    axe(page, "actions-plan-history")
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS

    # The form offers colleagues as owners, and the reminder's days.
    page.goto(f"/rounds/{round_.pk}/actions/new/")
    page.get_by_label("Owner from the team (optional)").select_option(label="sam@riverside.example")
    assert page.get_by_label("Days before the due date to remind the owner").input_value() == "7"
    axe(page, "actions-form-owner")


def test_the_next_rounds_results_show_the_last_rounds_actions(page, axe):
    from tests.assessments.rounds.test_followed_actions import earlier_with_actions
    from tests.support import World, with_answers

    world = World()
    _, carried = earlier_with_actions(world)
    services.action_carry_forward(action=carried, into=world.round, by=world.lead)
    with_answers(world, lived=3, staff=3, lived_level=3, staff_level=3)
    sign_in(page, world.member.email)
    page.goto(f"/rounds/{world.round.pk}/results/")
    section = page.locator("section", has=page.locator("#followed-heading"))
    # Folded, like each statement's details: its summary says how many actions it holds.
    assert "Ask carers before writing the plan" not in section.inner_text()
    section.get_by_text("actions from the last round, each with what moved").click()
    text = section.inner_text()
    assert "Ask carers before writing the plan" in text and "Not shown" in text
    assert "Carried into this round" in text
    section.screenshot(path="/tmp/actions-followed.png")
    axe(page, "results-followed-actions")
