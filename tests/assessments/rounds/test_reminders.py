"""Reminders: to everyone e-mailed a link that still works, finished or not, now or at a
set time before the round closes; so the lead, whose own address may be among them, never
learns from a reminder who has started or finished; logged in the activity."""

import datetime
import re
from datetime import timedelta

import pytest
from django.core import mail as outbox
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.accounts.models import AuditEvent
from assessments.errors import ServiceError
from assessments.mail.models import OutgoingEmail
from assessments.rounds import reminders
from assessments.rounds import services as rounds
from assessments.rounds.models import Reminder, Respondent, token_hash
from tests import factories
from tests.support import World, date_boxes, link_tokens, sign_in

pytestmark = pytest.mark.django_db

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')


@pytest.fixture
def world(db):
    world = World()
    # Four links e-mailed: one finished, one started, one untouched, one revoked.
    world.links = {}
    for name in ("finished", "started", "untouched", "revoked"):
        invite = factories.invite(world.round)
        rounds.invite_send(invite=invite, email=f"{name}@example.org")
        world.links[name] = invite
    Respondent.objects.create(
        round=world.round,
        perspective="lived_experience",
        invite=world.links["finished"],
        finished_at=timezone.now(),
    )
    Respondent.objects.create(
        round=world.round, perspective="lived_experience", invite=world.links["started"]
    )
    world.links["revoked"].revoked_at = timezone.now()
    world.links["revoked"].save(update_fields=["revoked_at"])
    outbox.outbox.clear()
    return world


def reminded() -> list[str]:
    return sorted(m.to[0] for m in outbox.outbox if m.subject.startswith("Reminder"))


def test_a_reminder_goes_to_every_working_link_e_mailed_finished_or_not(world):
    reminder = reminders.reminder_schedule(round=world.round, by=world.lead)
    everyone = ["finished@example.org", "started@example.org", "untouched@example.org"]
    assert reminded() == everyone
    reminder.refresh_from_db()
    assert reminder.sent_count == 3 and reminder.sent_at is not None
    # It carries no link, names nobody, and reads the same for everyone.
    assert len({m.body for m in outbox.outbox}) == 1
    for message in outbox.outbox:
        assert "/r/" not in message.body and "started@" not in message.body
        assert "If you have already finished, thank you: please ignore this e-mail." in (
            message.body
        )
    event = AuditEvent.objects.get(kind="reminder_sent")
    assert event.text == "Reminder e-mailed to 3 people e-mailed a link."
    assert event.actor == world.lead and event.round == world.round


def test_a_lead_reading_a_reminded_address_learns_nothing_of_who_finished(client, world):
    """The attack: the lead e-mails a person's link to an address the lead reads, passes
    the link on, and sends a reminder before and after the person finishes. Sent only to
    those who had not finished, the reminder would arrive the first time and not the
    second."""
    sign_in(client, world.lead)
    client.post(
        reverse("assessments:invites", kwargs={"pk": world.round.pk}),
        {"perspective": "carer", "count": 1, "email": "lead-inbox@riverside.example"},
        follow=True,
    )
    [token] = link_tokens(outbox.outbox[-1].body)
    remind = reverse("assessments:round-reminders", kwargs={"pk": world.round.pk})

    def lead_is_reminded() -> tuple[bool, str]:
        outbox.outbox.clear()
        page = client.post(remind, {"action": "now"}, follow=True).content.decode()
        said = re.findall(r'<div class="alert[^"]*">(.*?)</div>', page)
        round_page = client.get(world.round.get_absolute_url()).content.decode()
        section = round_page[round_page.index('id="reminders"') : round_page.index("Or send")]
        return "lead-inbox@riverside.example" in reminded(), "\n".join([*said, section])

    before = lead_is_reminded()
    person = Client()
    start = reverse("assessments:invite-start", kwargs={"token": token})
    person.post(start)
    respondent = Respondent.objects.get(invite__token_hash=token_hash(token))
    factories.answer_all(respondent, finished=False)
    assert person.post(reverse("assessments:invite-done", kwargs={"token": token})).status_code
    respondent.refresh_from_db()
    assert respondent.finished_at is not None
    after = lead_is_reminded()
    assert before[0] and after[0]  # reminded both times
    assert TOKENS.sub("", before[1]) == TOKENS.sub("", after[1])


def test_the_page_says_how_many_links_it_goes_to_and_never_who(client, world):
    sign_in(client, world.lead)
    page = client.get(reverse("assessments:round", kwargs={"pk": world.round.pk}))
    text = page.content.decode()
    # The three e-mailed links not revoked: a number of the lead's own making.
    assert "3 people now" in text
    section = text[text.index('id="reminders"') : text.index("Or send your own")]
    assert "@example.org" not in section
    response = client.post(
        reverse("assessments:round-reminders", kwargs={"pk": world.round.pk}),
        {"action": "now"},
        follow=True,
    )
    assert "Reminder queued: it will be sent in a moment" in response.content.decode()
    assert len(reminded()) == 3


def test_with_no_link_e_mailed_the_page_says_so_and_sends_nothing(client, world):
    for name in ("finished", "started", "untouched"):
        rounds.invite_revoke(invite=world.links[name], by=world.lead)
    sign_in(client, world.lead)
    url = reverse("assessments:round", kwargs={"pk": world.round.pk})
    text = client.get(url).content.decode()
    assert "Nobody to remind by e-mail" in text and "Send a reminder now" not in text
    assert "Schedule the reminder" in text  # links may still be e-mailed before then
    response = client.post(
        reverse("assessments:round-reminders", kwargs={"pk": world.round.pk}),
        {"action": "now"},
        follow=True,
    )
    assert "Nobody to remind by e-mail" in response.content.decode()
    assert "on its way" not in response.content.decode()
    assert not reminded() and not Reminder.objects.exists()


def test_everyone_finishing_changes_nothing_the_lead_sees_of_reminders(client, world):
    """With every e-mailed person finished, the page still offers a reminder to the same
    number of people, as it did when nobody had: "nobody left to remind" would tell."""
    sign_in(client, world.lead)
    url = reverse("assessments:round", kwargs={"pk": world.round.pk})

    def section() -> str:
        text = client.get(url).content.decode()
        return TOKENS.sub("", text[text.index('id="reminders"') : text.index("Or send")])

    before = section()
    for name in ("started", "untouched"):
        respondent = Respondent.objects.filter(invite=world.links[name]).first()
        respondent = respondent or Respondent.objects.create(
            round=world.round, perspective="lived_experience", invite=world.links[name]
        )
        respondent.finished_at = timezone.now()
        respondent.save(update_fields=["finished_at"])
    assert section() == before and "Send a reminder now" in before


def test_members_cannot_send_reminders(client, world):
    sign_in(client, world.member)
    url = reverse("assessments:round-reminders", kwargs={"pk": world.round.pk})
    assert client.post(url, {"action": "now"}).status_code == 403
    assert not reminded()


def schedule(client, world, day: datetime.date, at="09:00"):
    sign_in(client, world.lead)
    return client.post(
        reverse("assessments:round-reminders", kwargs={"pk": world.round.pk}),
        {"action": "schedule", **date_boxes("day", day), "at": at},
        follow=True,
    ).content.decode()


def test_a_scheduled_reminder_is_a_task_run_at_its_time(client, world, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE
    world.round.closes_on = timezone.localdate() + timedelta(days=10)
    world.round.save(update_fields=["closes_on"])
    day = timezone.localdate() + timedelta(days=3)
    page = schedule(client, world, day)
    assert f"Reminder scheduled for {day:%-d %B %Y} at 09:00." in page
    assert 'Cancel<span class="visually-hidden"> the reminder of' in page
    reminder = Reminder.objects.get()
    task = DBTaskResult.objects.get(task_path="assessments.rounds.reminders.send_reminder")
    assert task.run_after == reminder.send_at
    assert timezone.localtime(reminder.send_at).hour == 9
    assert AuditEvent.objects.filter(kind="reminder_scheduled").count() == 1
    assert not reminded()  # not yet
    # Its time comes: the worker runs the task, which puts the e-mails in the outbox.
    assert reminders.reminder_send(reminder.pk) == 3
    assert sorted(
        e.to[0] for e in OutgoingEmail.objects.filter(message="reminder", status="queued")
    ) == ["finished@example.org", "started@example.org", "untouched@example.org"]
    assert reminders.reminder_send(reminder.pk) == 0  # once only


def test_a_reminder_cannot_be_set_after_the_round_closes(client, world, settings):
    settings.TASKS = DATABASE
    world.round.closes_on = timezone.localdate() + timedelta(days=2)
    world.round.save(update_fields=["closes_on"])
    page = schedule(client, world, timezone.localdate() + timedelta(days=3))
    assert "Choose a time before the round closes" in page
    assert not Reminder.objects.exists()


def test_a_cancelled_reminder_is_not_sent(world, settings):
    settings.TASKS = DATABASE
    reminder = reminders.reminder_schedule(
        round=world.round, by=world.lead, send_at=timezone.now() + timedelta(hours=2)
    )
    reminders.reminder_cancel(reminder=reminder, by=world.lead)
    assert reminders.reminder_send(reminder.pk) == 0 and not reminded()


def test_a_reminder_due_after_the_round_closed_is_not_sent(world, settings):
    settings.TASKS = DATABASE
    reminder = reminders.reminder_schedule(
        round=world.round, by=world.lead, send_at=timezone.now() + timedelta(hours=2)
    )
    rounds.round_close(round=world.round, by=world.lead)
    assert reminders.reminder_send(reminder.pk) == 0 and not reminded()
    reminder.refresh_from_db()
    assert reminder.cancelled_at is not None


def test_scheduling_needs_a_queue_that_can_wait(world):
    # Tasks run at once in tests: a reminder for later cannot be kept for later.
    with pytest.raises(ServiceError, match="only where a task worker runs them"):
        reminders.reminder_schedule(
            round=world.round, by=world.lead, send_at=timezone.now() + timedelta(hours=2)
        )


def test_the_reminder_email_reads_well(world):
    reminders.reminder_schedule(round=world.round, by=world.lead)
    message = outbox.outbox[0]
    assert message.subject == "Reminder: Riverside adult care would still like to hear from you"
    assert re.search(r"use the personal link you were sent by e-mail", message.body)
