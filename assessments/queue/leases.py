"""A worker takes a job by claiming its row: the row then says which worker holds it and
until when (a lease of settings.WORKER_TIMEOUT seconds, renewed while the worker lives)."""

from __future__ import annotations

from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from assessments.queue.models import Job, JobStatus

# This process's worker id; "inline" when a task runs in the process that enqueued it.
current = "inline"

_J = TypeVar("_J", bound=Job)


def lease() -> timedelta:
    return timedelta(seconds=settings.WORKER_TIMEOUT)


def claim(model: type[_J], pk) -> _J | None:
    """Take a waiting job for this worker, counting the try; None if it is not waiting."""
    with transaction.atomic():
        row = model._default_manager.select_for_update().filter(pk=pk).first()
        if row is None or row.status != JobStatus.QUEUED:
            return None
        row.status = JobStatus.RUNNING
        row.attempts += 1
        row.worker = current
        row.lease_until = timezone.now() + lease()
        row.save(update_fields=["status", "attempts", "worker", "lease_until"])
    return row


def queued(row: Job, result) -> None:
    """Note which task of the queue will run ``row`` (unless it ran already)."""
    type(row)._default_manager.filter(pk=row.pk, status=JobStatus.QUEUED).update(
        task_id=str(result.id)
    )
