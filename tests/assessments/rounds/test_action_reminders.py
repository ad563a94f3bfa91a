"""An action's owner, a colleague with an account, is e-mailed once before the action is
due: queued when the action is saved with a due date, queued again when the date changes,
never for an action done or dropped, never twice for the same date; in their language."""

import datetime
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.mail.models import OutgoingEmail
from assessments.rounds import action_reminders, services
from assessments.rounds.models import Action
from tests import factories
from tests.support import date_boxes, sign_in

pytestmark = pytest.mark.django_db

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASK = "assessments.rounds.action_reminders.send_action_reminder"


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE


def tasks():
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(task_path=TASK).order_by("enqueued_at", "id"))


def reminders_sent() -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(message="action_reminder"))


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + timedelta(days=n)


def action_form(world, **extra):
    return {
        "principle": world.round.framework.principles.order_by("order")[0].pk,
        "change_from": "We write the plan, then ask.",
        "change_to": "We write the plan together.",
        "owner_user": world.member.pk,
        "owner": "",
        "co_owner": "",
        "step": "",
        "status": "not_started",
        **extra,
    }


def run(task) -> bool:
    return action_reminders.action_reminder_send(*task.args_kwargs["args"])


def test_the_form_offers_colleagues_and_seven_days(client, world):
    sign_in(client, world.lead)
    page = client.get(reverse("assessments:action-create", kwargs={"pk": world.round.pk}))
    html = page.content.decode()
    assert "Owner from the team (optional)" in html
    assert "member@riverside.example" in html and "lead@hillside.example" not in html
    assert 'name="remind_days_before" value="7"' in html


def test_saving_with_a_due_date_queues_one_reminder_for_its_day(client, world, queue):
    sign_in(client, world.lead)
    url = reverse("assessments:action-create", kwargs={"pk": world.round.pk})
    due = in_days(30)
    response = client.post(url, action_form(world, **date_boxes("due_on", due.isoformat())))
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.owner == world.member.email  # named from the colleague chosen
    [task] = tasks()
    send_at = timezone.localtime(task.run_after)
    assert send_at.date() == due - timedelta(days=7) and send_at.hour == 9
    assert not reminders_sent()
    # Its day comes: the worker runs it; once only.
    assert run(task)
    [email] = reminders_sent()
    assert email.to == [world.member.email]
    assert "Reminder: an action you own is due on" in email.subject
    assert "We write the plan together." in email.body
    assert "https://coprod.example/" in email.body
    assert not run(task)
    assert len(reminders_sent()) == 1


def test_a_new_date_queues_again_and_the_old_task_sends_nothing(client, world, queue):
    sign_in(client, world.lead)
    url = reverse("assessments:action-create", kwargs={"pk": world.round.pk})
    client.post(url, action_form(world, **date_boxes("due_on", in_days(30).isoformat())))
    action = Action.objects.get()
    edit = reverse("assessments:action-edit", kwargs={"action": action.pk})
    new_due = in_days(60)
    data = action_form(world, remind_days_before="3", **date_boxes("due_on", new_due.isoformat()))
    data["owner"] = action.owner
    assert client.post(edit, data).status_code == 302
    old, new = tasks()
    assert timezone.localtime(new.run_after).date() == new_due - timedelta(days=3)
    assert not run(old)  # the date it was queued for has gone
    assert run(new) and not run(new)
    assert len(reminders_sent()) == 1
    # Saved again with the same date (say a typo fixed): nothing more queued.
    data["change_to"] = "We write the plan together, with carers."
    client.post(edit, data)
    assert len(tasks()) == 2 and len(reminders_sent()) == 1


def test_an_action_reopened_is_queued_again_but_not_sent_twice_for_a_date(world, queue):
    action = Action(
        round=world.round,
        principle=world.round.framework.principles.first(),
        change_from="a",
        change_to="b",
        owner="Member",
        owner_user=world.member,
        due_on=in_days(20),
    )
    services.action_save(action=action, by=world.lead)
    services.action_progress_add(action=action, status="done", by=world.lead)
    services.action_progress_add(action=action, status="in_progress", by=world.lead)
    first, again = tasks()
    assert run(again) and not run(first)
    assert len(reminders_sent()) == 1


@pytest.mark.parametrize("status", ["done", "dropped"])
def test_no_reminder_for_an_action_done_or_dropped(world, queue, status):
    action = Action(
        round=world.round,
        principle=world.round.framework.principles.first(),
        change_from="a",
        change_to="b",
        owner="Member",
        owner_user=world.member,
        due_on=in_days(20),
    )
    services.action_save(action=action, by=world.lead)
    [task] = tasks()
    services.action_progress_add(action=action, status=status, by=world.lead)
    assert len(tasks()) == 1  # nothing more queued for it
    assert not run(task) and not reminders_sent()


def test_no_reminder_without_an_owner_with_an_account_or_a_due_date(world, queue):
    for owner_user, due in ((None, in_days(20)), (world.member, None)):
        services.action_save(
            action=Action(
                round=world.round,
                principle=world.round.framework.principles.first(),
                change_from="a",
                change_to="b",
                owner="Sam",
                owner_user=owner_user,
                due_on=due,
            ),
            by=world.lead,
        )
    assert not tasks()


def test_a_colleague_of_another_organisation_cannot_be_the_owner(world):
    from assessments.errors import ServiceError

    with pytest.raises(ServiceError, match="not a member of this organisation"):
        services.action_save(
            action=Action(
                round=world.round,
                principle=world.round.framework.principles.first(),
                change_from="a",
                change_to="b",
                owner="x",
                owner_user=world.other_member,
            ),
            by=world.lead,
        )


def test_a_reminder_is_not_sent_to_someone_who_left(world, queue):
    from assessments.accounts.models import Membership

    action = services.action_save(
        action=Action(
            round=world.round,
            principle=world.round.framework.principles.first(),
            change_from="a",
            change_to="b",
            owner="Member",
            owner_user=world.member,
            due_on=in_days(20),
        ),
        by=world.lead,
    )
    Membership.objects.filter(user=world.member).delete()
    assert not run(tasks()[0]) and not reminders_sent()
    action.refresh_from_db()
    assert action.reminded_for is None


def test_due_within_the_days_set_the_reminder_goes_at_once(world, settings):
    """Tasks run at once (the tests' usual queue): an action due in three days reminds
    now; one due in a month waits for a worker that can keep it."""
    for days in (3, 30):
        services.action_save(
            action=Action(
                round=world.round,
                principle=world.round.framework.principles.first(),
                change_from="a",
                change_to=f"due in {days}",
                owner="Member",
                owner_user=world.member,
                due_on=in_days(days),
            ),
            by=world.lead,
        )
    [email] = reminders_sent()
    assert email.status == "done"
    assert Action.objects.get(change_to="due in 3").reminded_for == in_days(3)


def test_the_reminder_is_in_the_owners_language(world, queue):
    world.member.language = "cy"
    world.member.save(update_fields=["language"])
    action = services.action_save(
        action=Action(
            round=world.round,
            principle=world.round.framework.principles.first(),
            change_from="a",
            change_to="b",
            owner="Member",
            owner_user=world.member,
            due_on=in_days(20),
        ),
        by=world.lead,
    )
    run(tasks()[0])
    [email] = reminders_sent()
    assert 'lang="cy"' in email.html
    assert action.pk


def test_an_organisation_writing_in_both_languages_sends_both(world, queue):
    world.org.bilingual_emails = True
    world.org.save(update_fields=["bilingual_emails"])
    services.action_save(
        action=Action(
            round=world.round,
            principle=world.round.framework.principles.first(),
            change_from="a",
            change_to="b",
            owner="Member",
            owner_user=world.member,
            due_on=in_days(20),
        ),
        by=world.lead,
    )
    run(tasks()[0])
    [email] = reminders_sent()
    assert " / " in email.subject and 'lang="cy"' in email.html


def test_a_carried_action_is_reminded_in_its_new_round_only(world, queue):
    from assessments.rounds.models import RoundStatus
    from assessments.rounds.services import round_close

    action = services.action_save(
        action=Action(
            round=world.round,
            principle=world.round.framework.principles.first(),
            change_from="a",
            change_to="b",
            owner="Member",
            owner_user=world.member,
            due_on=in_days(20),
        ),
        by=world.lead,
    )
    round_close(round=world.round, by=world.lead)
    new = factories.round(world.org, status=RoundStatus.DRAFT, title="Autumn")
    copy = services.action_carry_forward(action=action, into=new, by=world.lead)
    first, second = tasks()
    assert not run(first)  # the original: carried on
    assert run(second)
    [email] = reminders_sent()
    assert email.about == f"assessments.action:{copy.pk}"
