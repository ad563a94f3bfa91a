"""A facilitator reminds the organisations that have not started a round for the cohort:
an e-mail to their leads, at most once a week each, noted in their activity log."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.accounts.models import AuditEvent, AuditKind
from assessments.cohorts.services import cohort_remind_not_started
from assessments.errors import ServiceError
from tests import factories
from tests.support import member_org, sign_in

pytestmark = pytest.mark.django_db


def remind_url(world):
    return reverse("assessments:cohort-remind", kwargs={"pk": world.cohort.pk})


@pytest.fixture
def idle(world):
    """Two organisations in the cohort without a round, one with a draft (started)."""
    lakeside = member_org(world.cohort, "Lakeside", with_round=False)
    second_lead = factories.member(lakeside, role="lead", email="second@lakeside.example")
    northcote = member_org(world.cohort, "Northcote", with_round=False)
    drafted = member_org(world.cohort, "Millbrook", with_round=False)
    factories.round(drafted, status="draft")
    return {"lakeside": lakeside, "northcote": northcote, "second_lead": second_lead}


def test_the_leads_of_organisations_without_a_round_are_reminded_once_a_week(client, world, idle):
    sign_in(client, world.facilitator)
    dashboard = client.get(reverse("assessments:cohort", kwargs={"pk": world.cohort.pk}))
    assert remind_url(world) in dashboard.content.decode()
    page = client.get(remind_url(world)).content.decode()
    assert "Lakeside" in page and "Northcote" in page
    assert "Millbrook" not in page and "Riverside" not in page  # a draft, a closed round

    response = client.post(remind_url(world), {"note": "We meet on 3 March."}, follow=True)
    text = response.content.decode()
    assert (
        "Reminder to the leads of 2 organisations (Lakeside and Northcote) queued: it will be "
        "sent in a moment." in text
    )
    to = sorted(address for message in mail.outbox for address in message.to)
    lakeside_lead = (
        idle["lakeside"].memberships.filter(role="lead").exclude(user=idle["second_lead"])[0].user
    )
    northcote_lead = idle["northcote"].memberships.filter(role="lead")[0].user
    assert to == sorted([lakeside_lead.email, idle["second_lead"].email, northcote_lead.email])
    message = mail.outbox[0]
    assert "start your round" in message.subject and "North Vale network" in message.subject
    assert "We meet on 3 March." in message.body
    assert "https://coprod.example/orgs/" in message.body and "/rounds/new/" in message.body
    assert "Fran Okafor" in message.alternatives[0][0]
    events = AuditEvent.objects.filter(kind=AuditKind.COHORT_REMINDED)
    assert {e.organisation_id for e in events} == {idle["lakeside"].pk, idle["northcote"].pk}
    assert all(e.actor == world.facilitator for e in events)
    assert "Fran Okafor, facilitator of the cohort “North Vale network”" in events[0].text

    # Again the same week: nobody is written to twice.
    mail.outbox.clear()
    again = client.post(remind_url(world), {}, follow=True).content.decode()
    assert "Not sent again to Lakeside and Northcote: reminded in the last week." in again
    assert mail.outbox == []


def test_a_week_later_they_can_be_reminded_again(world, idle, monkeypatch):
    cohort_remind_not_started(cohort=world.cohort, by=world.facilitator)
    later = timezone.now() + timedelta(days=7, minutes=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    outcome = cohort_remind_not_started(cohort=world.cohort, by=world.facilitator)
    assert outcome.sent == ["Lakeside", "Northcote"]


def test_only_the_cohorts_facilitator_reminds(client, world, idle):
    with pytest.raises(ServiceError):
        cohort_remind_not_started(cohort=world.cohort, by=world.other_facilitator)
    sign_in(client, world.lead)
    assert client.post(remind_url(world)).status_code == 403
    assert mail.outbox == []


def test_a_note_too_long_is_refused_and_kept(client, world, idle):
    sign_in(client, world.facilitator)
    response = client.post(remind_url(world), {"note": "x" * 1001})
    assert response.status_code == 400
    assert "Keep the note to 1000 characters (it has 1001)." in response.content.decode()
    assert mail.outbox == []


def test_when_everyone_has_started_there_is_nobody_to_remind(client, world):
    sign_in(client, world.facilitator)
    page = client.get(remind_url(world)).content.decode()
    assert "Every organisation in the cohort has started a round." in page
    dashboard = client.get(reverse("assessments:cohort", kwargs={"pk": world.cohort.pk}))
    assert remind_url(world) not in dashboard.content.decode()


def test_a_mail_server_that_fails_leaves_the_organisation_to_try_again(world, idle, settings):
    settings.EMAIL_DELIVERY_BACKEND = "tests.mail_backends.FailingBackend"
    outcome = cohort_remind_not_started(cohort=world.cohort, by=world.facilitator)
    assert outcome.failed == ["Lakeside", "Northcote"] and outcome.sent == []
    assert not AuditEvent.objects.filter(kind=AuditKind.COHORT_REMINDED).exists()
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outcome = cohort_remind_not_started(cohort=world.cohort, by=world.facilitator)
    assert outcome.sent == ["Lakeside", "Northcote"]
