"""Downloads prepared in the background for the person who asked (the cohort summary PDF,
the zip of everything an organisation holds)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.queue.models import Job


class ExportKind(models.TextChoices):
    COHORT_PDF = "cohort_pdf", _("Cohort summary (PDF)")
    ORGANISATION_ZIP = "organisation_zip", _("Everything the organisation holds (zip)")


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
    # The language of the person who asked, active while the worker makes the file, so the
    # document reads as the page they asked from.
    language = models.CharField(max_length=15, blank=True, default="")

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
