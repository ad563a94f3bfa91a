"""Jobs and what people see of them: an e-mail on its way or given up on, an export being
prepared, failed or expired, and a worker that died holding either."""

from datetime import timedelta

import pytest
from django.core import mail as outbox
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments import mail
from assessments.accounts import services as accounts
from assessments.errors import ServiceError
from assessments.jobs import exports, worker
from assessments.jobs.models import Export, ExportKind
from assessments.mail.models import OutgoingEmail
from tests.support import World, sign_in

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
FAILING = "tests.mail_backends.FailingBackend"


@pytest.fixture
def world(db):
    return World()


def people(client, world) -> str:
    sign_in(client, world.lead)
    return client.get(
        reverse("assessments:people", kwargs={"org": world.org.slug})
    ).content.decode()


def test_an_invitation_waiting_for_a_worker_says_it_is_being_sent(client, world, settings):
    settings.TASKS = DUMMY  # no worker has taken it yet
    accounts.colleague_invite(
        organisation=world.org, email="new@riverside.example", role="member", invited_by=world.lead
    )
    page = people(client, world)
    assert "<strong>being sent</strong>" in page and "failed" not in page
    # Nothing to resend while it is being sent: a second e-mail would stop the first
    # one's link working before it arrives.
    assert "Resend" not in page


def test_an_invitation_being_sent_is_not_sent_again(client, world, settings):
    settings.TASKS = DUMMY
    invite = accounts.colleague_invite(
        organisation=world.org, email="new@riverside.example", role="member", invited_by=world.lead
    )
    with pytest.raises(ServiceError, match="is being sent. Wait a few minutes"):
        accounts.colleague_invite_resend(invite=invite, by=world.lead)
    assert OutgoingEmail.objects.count() == 1


def test_an_email_given_up_on_is_shown_to_the_lead_with_resend(client, world, settings):
    settings.TASKS = DUMMY
    invite = accounts.colleague_invite(
        organisation=world.org, email="new@riverside.example", role="member", invited_by=world.lead
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_DELIVERY_BACKEND = FAILING
    mail.deliver(OutgoingEmail.objects.get().pk)  # the worker tries, and tries again
    email = OutgoingEmail.objects.get()
    assert email.status == "failed" and email.attempts == settings.MAIL_ATTEMPTS
    assert email.sent_by == world.lead
    page = people(client, world)
    assert "the e-mail to new@riverside.example failed — resend it" in page
    assert 'Resend<span class="visually-hidden"> the invitation to new@riverside.example' in page
    invite.refresh_from_db()
    assert invite.sent_at is None


def lost(row, attempts: int) -> None:
    """As a worker killed mid-task leaves a job: running, its lease run out."""
    type(row).objects.filter(pk=row.pk).update(
        status="running",
        attempts=attempts,
        worker="killed",
        lease_until=timezone.now() - timedelta(seconds=1),
    )


def test_an_email_whose_worker_died_is_sent_by_another(world, settings):
    settings.TASKS = DUMMY
    row = mail.send(mail.Message.ANSWER_LINK, to="sam@example.org", context={"url": "u"})
    lost(row, attempts=1)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert worker.recover() == 1
    row.refresh_from_db()
    assert row.status == "done" and row.attempts == 2 and len(outbox.outbox) == 1


def test_a_job_whose_worker_died_on_its_last_try_is_marked_failed(world):
    export = Export.objects.create(
        kind=ExportKind.ORGANISATION_ZIP,
        requested_by=world.lead,
        organisation=world.org,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    lost(export, attempts=exports.ATTEMPTS)
    assert worker.recover() == 1
    export.refresh_from_db()
    assert export.status == "failed" and export.error == "WorkerLost"


def test_a_live_worker_keeps_its_jobs(world):
    row = OutgoingEmail.objects.create(to=["a@example.org"], subject="s", body="b")
    lost(row, attempts=1)
    worker.renew("killed")  # it was only slow: it renewed its lease
    assert worker.recover() == 0
    row.refresh_from_db()
    assert row.status == "running"


def export_page(client, export) -> str:
    return client.get(reverse("assessments:export", kwargs={"pk": export.pk})).content.decode()


def test_a_failed_export_says_so_and_can_be_asked_for_again(client, world, monkeypatch):
    monkeypatch.setattr(exports, "_make", lambda export: 1 / 0)
    export = exports.request(
        kind=ExportKind.ORGANISATION_ZIP, by=world.lead, organisation=world.org
    )
    assert export.status == "failed" and export.attempts == exports.ATTEMPTS
    sign_in(client, world.lead)
    page = export_page(client, export)
    assert "could not be prepared" in page and "Try again" in page
    monkeypatch.undo()
    response = client.post(reverse("assessments:export-retry", kwargs={"pk": export.pk}))
    again = Export.objects.exclude(pk=export.pk).get()
    assert response["Location"] == reverse("assessments:export", kwargs={"pk": again.pk})
    assert again.status == "done"


def test_asking_twice_while_it_is_prepared_makes_one(world, settings):
    settings.TASKS = DUMMY
    first = exports.request(kind=ExportKind.ORGANISATION_ZIP, by=world.lead, organisation=world.org)
    second = exports.request(
        kind=ExportKind.ORGANISATION_ZIP, by=world.lead, organisation=world.org
    )
    assert first.pk == second.pk and first.status == "queued"
    assert Export.objects.count() == 1


def test_asking_again_once_it_is_ready_makes_a_new_one(world):
    first = exports.request(kind=ExportKind.ORGANISATION_ZIP, by=world.lead, organisation=world.org)
    assert first.status == "done"  # made at once (TASKS_BACKEND=immediate)
    again = exports.request(kind=ExportKind.ORGANISATION_ZIP, by=world.lead, organisation=world.org)
    assert again.pk != first.pk and again.status == "done"


def test_only_one_export_with_the_same_settings_is_made_at_a_time(world):
    """The database's rule behind "asking twice makes one", which holds when two requests
    come at once: a second export with the same settings, for the same person, cannot be
    waiting or being made beside the first."""

    def export(**changes):
        fields = {
            "kind": ExportKind.ORGANISATION_ZIP,
            "requested_by": world.lead,
            "organisation": world.org,
            "params": {"include": "all"},
            "expires_at": timezone.now() + timedelta(hours=1),
            **changes,
        }
        return Export.objects.create(**fields)

    first = export()
    for status in ("queued", "running"):
        with pytest.raises(IntegrityError), transaction.atomic():
            export(status=status)
    export(params={"include": "some"})  # other settings
    export(requested_by=world.other_lead, organisation=world.other_org)  # someone else
    Export.objects.filter(pk=first.pk).update(status="done")
    export()  # the first is made: a new one may be


def test_asking_writes_the_export_and_its_task_and_reads_nothing(
    world, settings, django_assert_num_queries
):
    """Asking is a request a person waits for: two rows written in one transaction (the
    queue's task, then the export with the task's id), and no look for an earlier one. A
    second ask while it is being made leaves no second task behind."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE
    # In the test's own transaction, the ask's transaction is a savepoint: 2 more.
    with django_assert_num_queries(4) as queries:
        export = exports.request(
            kind=ExportKind.ORGANISATION_ZIP, by=world.lead, organisation=world.org
        )
    written = [q["sql"].split()[0] for q in queries.captured_queries]
    assert written == ["SAVEPOINT", "INSERT", "INSERT", "RELEASE"]
    export.refresh_from_db()
    assert export.status == "queued" and export.task_id == str(DBTaskResult.objects.get().pk)
    again = exports.request(kind=ExportKind.ORGANISATION_ZIP, by=world.lead, organisation=world.org)
    assert again == export and DBTaskResult.objects.count() == 1


def test_the_state_is_there_for_the_pages_script(client, world, settings):
    settings.TASKS = DUMMY
    export = exports.request(
        kind=ExportKind.ORGANISATION_ZIP, by=world.lead, organisation=world.org
    )
    sign_in(client, world.lead)
    url = reverse("assessments:export", kwargs={"pk": export.pk})
    assert client.get(url + "?state=1").json() == {"status": "queued"}
    assert "Preparing your download" in client.get(url).content.decode()
    # Not ready: the file's address leads back to the page.
    assert client.get(url + "file")["Location"] == url


def test_an_export_is_deleted_when_its_time_is_up(client, world, settings):
    export = exports.request(
        kind=ExportKind.ORGANISATION_ZIP, by=world.lead, organisation=world.org
    )
    sign_in(client, world.lead)
    url = reverse("assessments:export-file", kwargs={"pk": export.pk})
    assert client.get(url).status_code == 200
    later = timezone.now() + timedelta(hours=settings.EXPORT_RETENTION_HOURS, seconds=1)
    assert exports.prune(now=later) == 1
    assert not Export.objects.exists()
    assert client.get(url).status_code == 404


def test_only_who_asked_may_fetch_it_and_only_while_still_a_lead(client, world):
    export = exports.request(
        kind=ExportKind.ORGANISATION_ZIP, by=world.lead, organisation=world.org
    )
    url = reverse("assessments:export-file", kwargs={"pk": export.pk})
    for someone in (world.member, world.other_lead):
        sign_in(client, someone)
        assert client.get(url).status_code == 404
    world.lead.memberships.update(role="member")
    sign_in(client, world.lead)
    assert client.get(url).status_code == 403


DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_with_the_database_queue_a_dead_workers_task_is_marked_failed(world, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE
    export = exports.request(
        kind=ExportKind.ORGANISATION_ZIP, by=world.lead, organisation=world.org
    )
    first = DBTaskResult.objects.get()
    assert export.task_id == str(first.pk) and first.status == "READY"
    DBTaskResult.objects.filter(pk=first.pk).update(status="RUNNING")  # a worker took it
    lost(export, attempts=1)  # and died
    assert worker.recover() == 1
    first.refresh_from_db()
    assert first.status == "FAILED"
    export.refresh_from_db()
    again = DBTaskResult.objects.get(status="READY")
    assert export.status == "queued" and export.task_id == str(again.pk)


def test_with_the_database_queue_a_job_whose_task_was_taken_and_lost_is_queued_again(
    world, settings
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE
    export = exports.request(
        kind=ExportKind.ORGANISATION_ZIP, by=world.lead, organisation=world.org
    )
    # A worker took the task and died before taking the job: the job still waits.
    DBTaskResult.objects.update(status="RUNNING")
    assert worker.recover() == 0  # not yet: it may be taking it right now
    Export.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - timedelta(seconds=settings.WORKER_TIMEOUT + 1)
    )
    assert worker.recover() == 1
    assert DBTaskResult.objects.filter(status="READY").count() == 1
