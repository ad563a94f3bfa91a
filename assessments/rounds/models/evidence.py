"""Evidence behind an agreed position: what shows that practice is where the team says. A
lead writes it (a few lines, a link, a document); it is the organisation's, never a
respondent's. Documents are kept through Django's storage API, in the storage named
"evidence" (settings.STORAGES), and handed out only by a view that checks who is asking.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from assessments.rounds.models.plans import AgreedPosition


def evidence_storage() -> Storage:
    """The storage the settings name "evidence" (a folder under MEDIA_ROOT unless a council
    points it at object storage). A callable, so migrations do not hold the settings."""
    return storages["evidence"]


def evidence_path(instance: "Evidence", filename: str) -> str:
    """Where a document is kept: by organisation and round, under a random name (the name
    it was uploaded with is kept in ``filename``, never in the path)."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    round_ = instance.position.round
    return f"{round_.organisation_id}/{round_.pk}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """One piece of evidence behind an agreed position: a few lines saying what shows it,
    and optionally a link (http or https) and a document."""

    position = models.ForeignKey(AgreedPosition, on_delete=models.CASCADE, related_name="evidence")
    text = models.TextField()
    url = models.URLField(max_length=2000, blank=True, default="")
    document = models.FileField(
        storage=evidence_storage, upload_to=evidence_path, max_length=300, blank=True
    )
    filename = models.CharField(max_length=200, blank=True, default="")  # as uploaded
    content_type = models.CharField(max_length=120, blank=True, default="")  # as found
    size = models.PositiveBigIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(url="") | models.Q(url__startswith="http"),
                name="evidence_url_http",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


def document_forget(name: str) -> None:
    """Delete a stored document once the transaction that let go of it commits (never
    before: a rollback would leave a row pointing at nothing)."""
    if name:
        transaction.on_commit(lambda: evidence_storage().delete(name))


@receiver(post_delete, sender=Evidence, dispatch_uid="evidence-document-delete")
def _document_gone(sender, instance: Evidence, **kwargs) -> None:
    # However the row goes (removed by a lead, its position cleared, its round or
    # organisation deleted), its document goes from storage with it.
    document_forget(instance.document.name)
