"""An action's progress over time: notes with the status at the time, who wrote them and
when; the status changes only through them; the plan shows the history and the printed
plan the latest note. Leads write, members read."""

import pytest
from django.urls import reverse

from assessments.documents.pdf import action_plan_html
from assessments.errors import ServiceError
from assessments.rounds import services
from assessments.rounds.models import Action, ActionStatus, ActionUpdate, RoundStatus
from tests import factories
from tests.support import sign_in

pytestmark = pytest.mark.django_db


def make_action(world, **extra) -> Action:
    action = Action(
        round=world.round,
        principle=world.round.framework.principles.order_by("order")[0],
        change_from="We write the plan, then ask.",
        change_to="We write the plan together.",
        owner="Rita Patel",
        **extra,
    )
    return services.action_save(action=action, by=world.lead)


def progress_url(action):
    return reverse("assessments:action-progress", kwargs={"action": action.pk})


def plan_url(world):
    return reverse("assessments:actions", kwargs={"pk": world.round.pk})


def test_a_new_action_starts_its_history(world):
    action = make_action(world)
    update = ActionUpdate.objects.get(action=action)
    assert update.status == ActionStatus.NOT_STARTED and update.written_by == world.lead


def test_lead_adds_progress_notes_and_the_team_reads_the_history(client, world):
    action = make_action(world)
    sign_in(client, world.lead)
    page = client.get(progress_url(action)).content.decode()
    assert "Add a progress note" in page and "Status now: Not started." in page
    response = client.post(
        progress_url(action), {"status": "in_progress", "note": "First meeting held with carers."}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#action-{action.pk}")
    client.post(progress_url(action), {"status": "in_progress", "note": "Terms agreed."})
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    assert [u.note for u in ActionUpdate.objects.filter(action=action)] == [
        "Terms agreed.",
        "First meeting held with carers.",
        "",
    ]

    sign_in(client, world.member)
    page = client.get(plan_url(world)).content.decode()
    assert "Progress, newest first" in page
    # Newest first, each with who wrote it.
    assert page.index("Terms agreed.") < page.index("First meeting held with carers.")
    assert "Rita Patel" in page
    assert "Add a progress note" not in page  # members read only


def test_a_note_that_changes_nothing_is_refused(client, world):
    action = make_action(world)
    sign_in(client, world.lead)
    response = client.post(progress_url(action), {"status": "not_started", "note": " "})
    assert response.status_code == 400
    assert "Say what has happened, or choose a new status." in response.content.decode()
    response = client.post(progress_url(action), {"note": "Something"})
    assert response.status_code == 400
    assert "Choose where the action stands." in response.content.decode()
    assert ActionUpdate.objects.filter(action=action).count() == 1


def test_editing_an_action_leaves_its_status_to_the_progress_notes(client, world):
    action = make_action(world)
    sign_in(client, world.lead)
    edit = reverse("assessments:action-edit", kwargs={"action": action.pk})
    page = client.get(edit).content.decode()
    assert 'name="status"' not in page
    assert "To change it, <a href" in page
    data = {
        "principle": action.principle_id,
        "change_from": "Now",
        "change_to": "Later",
        "owner": "Rita",
        "step": "",
        "status": "done",
    }
    assert client.post(edit, data).status_code == 302
    action.refresh_from_db()
    assert action.change_to == "Later" and action.status == ActionStatus.NOT_STARTED


@pytest.mark.parametrize("who", ["member", "anonymous", "other_lead", "other_member"])
def test_only_the_organisations_leads_write_progress_notes(client, world, who):
    action = make_action(world)
    if who != "anonymous":
        sign_in(client, getattr(world, who))
    for response in (
        client.get(progress_url(action)),
        client.post(progress_url(action), {"status": "done", "note": "Intruder"}),
    ):
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == (403 if who == "member" else 404)
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED
    assert ActionUpdate.objects.filter(action=action).count() == 1
    if who != "anonymous":  # the service refuses them too
        with pytest.raises(ServiceError):
            services.action_progress_add(action=action, status="done", by=getattr(world, who))


def test_the_printed_plan_shows_the_latest_note_and_status(world):
    action = make_action(world)
    services.action_progress_add(
        action=action, status="in_progress", note="Started in March.", by=world.lead
    )
    services.action_progress_add(
        action=action, status="done", note="Carers now co-chair the group.", by=world.lead
    )
    html = action_plan_html(world.round)
    assert "Carers now co-chair the group." in html and "Started in March." not in html
    assert "(Done): Carers now co-chair the group." in html and "<td>Done</td>" in html


def test_a_carried_action_is_updated_in_its_new_round_only(world):
    from assessments.rounds.services import round_close

    action = make_action(world)
    round_close(round=world.round, by=world.lead)
    new = factories.round(world.org, status=RoundStatus.DRAFT, title="Autumn")
    copy = services.action_carry_forward(action=action, into=new, by=world.lead)
    with pytest.raises(ServiceError, match="carried into a later round"):
        services.action_progress_add(action=action, status="done", by=world.lead)
    services.action_progress_add(action=copy, status="done", by=world.lead)
    copy.refresh_from_db()
    assert copy.status == ActionStatus.DONE
    assert ActionUpdate.objects.filter(action=copy).count() == 2


def test_the_plan_page_query_count_does_not_grow_with_notes(client, world):
    from tests.support import count_queries

    first = make_action(world)
    sign_in(client, world.member)
    client.get(plan_url(world))
    before = count_queries(client, plan_url(world))
    for n in range(3):
        action = make_action(world)
        for status in ("in_progress", "done"):
            services.action_progress_add(
                action=action, status=status, note=f"Note {n}", by=world.lead
            )
    services.action_progress_add(action=first, status="dropped", by=world.lead)
    assert count_queries(client, plan_url(world)) == before
