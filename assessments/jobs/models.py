"""Work done in the background, with a record a person can see: e-mails in the outbox, and
downloads being prepared.

The queue itself (django-tasks' database backend) only knows "run this function with this
id". What the work is about, how far it got, how often it was tried and why it failed live
here, so that pages can say so, and a worker that dies mid-task leaves a row that another
worker takes up again (``jobs.services.jobs_recover``) instead of a task silently lost.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting"
    RUNNING = "running", "Being worked on"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Job(models.Model):
    """What every background job records: its state, its tries, and which worker holds it
    until when (its lease, renewed while the worker lives)."""

    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=64, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    # The queue's id of the task that will run it next (django-tasks' result id).
    task_id = models.CharField(max_length=64, blank=True, default="")
    # The name of the last error (never its message: it may hold an address).
    error = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status in {JobStatus.QUEUED, JobStatus.RUNNING}


class OutgoingEmail(Job):
    """One e-mail on its way. The text is kept only until it is sent or given up on (it may
    hold an answer link or a reset link); the rest stays a while to show what happened.

    ``about`` names what the e-mail is about ("assessments.invite:12"): when it is sent,
    that row's ``sent_at`` is set; when it fails for good, pages listing it say so."""

    message = models.CharField(max_length=40, blank=True, default="")
    about = models.CharField(max_length=80, blank=True, default="", db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_email = models.CharField(max_length=254, blank=True, default="")
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list)
    bcc = models.JSONField(default=list)
    reply_to = models.JSONField(default=list)
    headers = models.JSONField(default=dict)
    subject = models.CharField(max_length=998, blank=True, default="")
    body = models.TextField(blank=True, default="")
    html = models.TextField(blank=True, default="")
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "done", "failed"]),
                name="outgoing_email_status_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.message or 'e-mail'} ({self.get_status_display()})"


class ExportKind(models.TextChoices):
    COHORT_PDF = "cohort_pdf", "Cohort summary (PDF)"
    ORGANISATION_ZIP = "organisation_zip", "Everything the organisation holds (zip)"


class Export(Job):
    """A download prepared by a worker, for the person who asked and nobody else, kept for
    settings.EXPORT_RETENTION_HOURS and then deleted. Kept in the database like everything
    else, so any server can hand it over."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=ExportKind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    organisation = models.ForeignKey(
        "assessments.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exports",
    )
    cohort = models.ForeignKey(
        "assessments.Cohort", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)
    filename = models.CharField(max_length=200, blank=True, default="")
    content_type = models.CharField(max_length=100, blank=True, default="")
    content = models.BinaryField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="cohort_pdf", cohort__isnull=False)
                    | models.Q(kind="organisation_zip", organisation__isnull=False)
                ),
                name="export_names_what_it_is_of",
            ),
            # One export being made per person and settings: asking again while it is
            # waiting or being made (a double click, a reload) finds it instead of queueing
            # another. Two constraints, as each kind names what it is of in its own column
            # (NULLs never collide in a unique index).
            models.UniqueConstraint(
                fields=["requested_by", "cohort", "params"],
                condition=models.Q(kind="cohort_pdf", status__in=["queued", "running"]),
                name="export_one_cohort_pdf_being_made",
            ),
            models.UniqueConstraint(
                fields=["requested_by", "organisation", "params"],
                condition=models.Q(kind="organisation_zip", status__in=["queued", "running"]),
                name="export_one_organisation_zip_being_made",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"
