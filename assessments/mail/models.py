"""The outbox: every e-mail the site sends, on its way."""

from django.conf import settings
from django.db import models

from assessments.queue.models import Job


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
