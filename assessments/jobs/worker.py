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

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from assessments import mail
from assessments.jobs import exports
from assessments.jobs.models import Export
from assessments.mail.models import OutgoingEmail
from assessments.queue import leases
from assessments.queue.models import Job, JobStatus

logger = logging.getLogger(__name__)


def renew(worker_id: str) -> None:
    """This worker is alive: extend the leases of the jobs it holds."""
    until = timezone.now() + leases.lease()
    for model in (OutgoingEmail, Export):
        model._default_manager.filter(status=JobStatus.RUNNING, worker=worker_id).update(
            lease_until=until
        )


def recover() -> int:
    """Jobs whose worker died: queue them again, or mark them failed after their last try.
    Returns how many were found."""
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
                _task_failed(row.task_id, now)
                row.worker, row.lease_until, row.error = "", None, "WorkerLost"
                if row.attempts >= attempts:
                    row.status, row.finished_at = JobStatus.FAILED, now
                    if isinstance(row, OutgoingEmail):
                        row.body = row.html = ""
                    row.save()
                    continue
                row.status = JobStatus.QUEUED
                row.save()
            # Queued again once that is saved (the queue's worker only takes what is waiting).
            _requeue(row)
    found += _orphans(limits, now)
    return found


def _database_queue() -> bool:
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def _task_failed(task_id: str, now) -> None:
    """The queue's own record of a task whose worker died: failed, not running for ever."""
    from django_tasks_db.models import DBTaskResult

    if task_id and _database_queue():
        DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
            status="FAILED", finished_at=now
        )


def _orphans(limits: dict, now) -> int:
    """With the database queue: jobs waiting for a task the queue will never run again (a
    worker took the task and died before taking the job), and the queue's own record of
    tasks whose worker died, which would otherwise say "running" for ever."""
    from django_tasks_db.models import DBTaskResult

    if not _database_queue():
        return 0
    found = 0
    before = now - leases.lease()
    for model in limits:
        waiting = model._default_manager.filter(
            status=JobStatus.QUEUED, created_at__lt=before
        ).exclude(task_id="")
        ids = dict(waiting.values_list("task_id", "pk"))
        if not ids:
            continue
        ready = {
            str(pk)
            for pk in DBTaskResult.objects.filter(id__in=ids, status="READY").values_list(
                "id", flat=True
            )
        }
        for task_id, pk in ids.items():
            if task_id in ready:
                continue
            row = model._default_manager.filter(pk=pk, status=JobStatus.QUEUED).first()
            if row is not None:
                found += 1
                logger.warning("job without a task: job=%s", model.__name__)
                _requeue(row)
    return found


def _requeue(row: Job) -> None:
    if isinstance(row, OutgoingEmail):
        mail._enqueue(row)
    elif isinstance(row, Export):
        exports.enqueue(row)
