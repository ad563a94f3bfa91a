"""Which worker holds which job, and what happens when a worker dies.

A job (an e-mail, an export) is claimed by the worker that runs its task: the row says
which worker and until when (a lease of settings.WORKER_TIMEOUT seconds). While a worker
lives, ``manage.py worker`` renews the leases of what it holds every few seconds. A job
whose lease ran out belonged to a worker that was killed or lost its machine:
``recover`` puts it back in the queue, or marks it failed after its last try, so a page
always says what became of it. A task's function may run twice (the worker died after
the work and before saying so); e-mails are sent at least once, exports are idempotent.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from assessments.jobs.models import Export, Job, JobStatus, OutgoingEmail

logger = logging.getLogger(__name__)

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


def renew(worker_id: str) -> None:
    """This worker is alive: extend the leases of the jobs it holds."""
    until = timezone.now() + lease()
    for model in (OutgoingEmail, Export):
        model._default_manager.filter(status=JobStatus.RUNNING, worker=worker_id).update(
            lease_until=until
        )


def recover() -> int:
    """Jobs whose worker died: queue them again, or mark them failed after their last try.
    Returns how many were found."""
    from assessments.jobs import exports

    now = timezone.now()
    found = 0
    limits = {OutgoingEmail: settings.MAIL_ATTEMPTS, Export: exports.ATTEMPTS}
    for model, attempts in limits.items():
        stale = model._default_manager.filter(status=JobStatus.RUNNING, lease_until__lt=now)
        for pk in stale.values_list("pk", flat=True):
            with transaction.atomic():
                row = model._default_manager.select_for_update().filter(pk=pk).first()
                if row is None or row.status != JobStatus.RUNNING:
                    continue
                if row.lease_until is not None and row.lease_until >= now:
                    continue
                found += 1
                logger.warning(
                    "job lost with its worker: job=%s worker=%s attempt=%d",
                    model.__name__,
                    row.worker,
                    row.attempts,
                )
                row.worker, row.lease_until, row.error = "", None, "WorkerLost"
                if row.attempts >= attempts:
                    row.status, row.finished_at = JobStatus.FAILED, now
                    if isinstance(row, OutgoingEmail):
                        row.body = row.html = ""
                    row.save()
                    continue
                row.status = JobStatus.QUEUED
                row.save()
                transaction.on_commit(partial(_requeue, row))
    return found


def _requeue(row: Job) -> None:
    from assessments.jobs import exports
    from assessments.mail import _enqueue

    if isinstance(row, OutgoingEmail):
        _enqueue(row)
    elif isinstance(row, Export):
        exports.enqueue(row)
