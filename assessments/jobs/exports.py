"""Downloads that take more than a moment (the cohort summary PDF, an organisation's zip of
everything): the request only asks for one, a worker makes it, and the person who asked
fetches it from its page until it expires.

Only the person who asked may see an export, and only while they still pass the check the
download itself makes (the cohort's facilitator; a lead of the organisation): ``for_user``
applies both on every look. Files are kept settings.EXPORT_RETENTION_HOURS, then ``prune``
(run by every worker's housekeeping, or ``manage.py prune_exports``) deletes them.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from assessments.datarights import archive
from assessments.documents import pdf
from assessments.documents.cohort import cohort_dashboard
from assessments.jobs.models import Export, ExportKind
from assessments.mail.models import OutgoingEmail
from assessments.queue import leases
from assessments.queue.models import JobStatus
from coprod.queries import only_row

logger = logging.getLogger(__name__)

# Tries in all before an export is shown as failed (a worker lost midway counts as one).
ATTEMPTS = 3


def request(
    *,
    kind: str,
    by,
    cohort=None,
    organisation=None,
    params: dict | None = None,
    language: str = "",
) -> Export:
    """Ask for an export. One still being made with the same settings is reused, so a
    double click or a reload does not make two (the database refuses a second one being
    made: see ``Export.Meta``). It is made in ``language``: the active language (the
    asker's page's) when not said.

    The export and its task are written in one transaction, and nothing is read first:
    asking is a request a person waits for, and the work is the worker's."""
    params = params or {}
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    for _ in range(2):
        export = Export(
            kind=kind,
            requested_by=by,
            cohort=cohort,
            organisation=organisation,
            params=params,
            language=language,
            expires_at=timezone.now() + retention(),
        )
        try:
            with transaction.atomic():
                ran = _write(export)
        except IntegrityError:
            existing = _being_made(export)
            if existing is not None:
                return existing
            continue  # finished in between: ask once more
        if ran:  # the task ran in this process (TASKS_BACKEND=immediate): the row moved on
            export.refresh_from_db()
        return export
    raise IntegrityError(f"an export of {kind} could not be asked for")


def _write(export: Export) -> bool:
    """Write the export and queue its task; True when the task has already run. With the
    database queue no worker sees either row until the transaction commits, so the task is
    queued first and the export written once, with its task's id (one statement fewer for
    the person waiting). A queue that runs a task as it is queued (TASKS_BACKEND=immediate)
    needs the export written first."""
    if isinstance(build_export.get_backend(), ImmediateBackend):
        export.save(force_insert=True)
        return enqueue(export)
    export.task_id = str(build_export.enqueue(str(export.pk)).id)
    export.save(force_insert=True)
    return False


def _being_made(export: Export) -> Export | None:
    """The export with ``export``'s settings being made (at most one: ``Export.Meta``)."""
    return only_row(
        Export.objects.defer("content").filter(
            kind=export.kind,
            requested_by=export.requested_by,
            cohort=export.cohort,
            organisation=export.organisation,
            params=export.params,
            status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
        )
    )


def retention() -> timedelta:
    return timedelta(hours=settings.EXPORT_RETENTION_HOURS)


def enqueue(export: Export) -> bool:
    """Queue the export's task; True when it has already run (the immediate backend)."""
    result = build_export.enqueue(str(export.pk))
    if result.is_finished:
        return True
    leases.queued(export, result)
    export.task_id = str(result.id)
    return False


def build(pk) -> None:
    """Make the file (the task's body)."""
    export = leases.claim(Export, pk)
    if export is None:
        return
    started = timezone.now()
    try:
        content, filename, content_type = _make(export)
    except Exception as exc:
        error = type(exc).__name__
        logger.exception("export failed: kind=%s attempt=%d", export.kind, export.attempts)
        done = export.attempts >= ATTEMPTS
        Export.objects.filter(pk=export.pk).update(
            status=JobStatus.FAILED if done else JobStatus.QUEUED,
            error=error,
            worker="",
            lease_until=None,
            finished_at=timezone.now() if done else None,
        )
        if not done:
            enqueue(export)
        return
    Export.objects.filter(pk=export.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.DONE,
        content=content,
        size=len(content),
        filename=filename,
        content_type=content_type,
        finished_at=timezone.now(),
        worker="",
        lease_until=None,
        error="",
    )
    logger.info(
        "export ready: kind=%s bytes=%d seconds=%.1f",
        export.kind,
        len(content),
        (timezone.now() - started).total_seconds(),
    )


def _make(export: Export) -> tuple[bytes, str, str]:
    """The file, in the language of the page it was asked from."""
    with translation.override(export.language or settings.LANGUAGE_CODE):
        return _make_file(export)


def _make_file(export: Export) -> tuple[bytes, str, str]:
    if export.kind == ExportKind.COHORT_PDF:
        assert export.cohort is not None
        params = export.params
        dashboard = cohort_dashboard(
            export.cohort,
            perspective=params.get("perspective", ""),
            sort=params.get("sort", "name"),
            descending=bool(params.get("descending")),
            page=None,
        )
        return (
            pdf.cohort_summary_pdf(dashboard),
            pdf.cohort_filename(export.cohort),
            "application/pdf",
        )
    organisation = export.organisation
    assert organisation is not None
    return (
        archive.organisation_zip(organisation, by=export.requested_by),
        archive.filename(organisation),
        "application/zip",
    )


def prune(now=None) -> int:
    """Delete exports past their time, and the outbox's records of e-mails settled over a
    week ago. Returns how many exports went."""
    now = now or timezone.now()
    deleted, _ = Export.objects.filter(expires_at__lte=now).delete()
    OutgoingEmail.objects.filter(
        status__in=[JobStatus.DONE, JobStatus.FAILED], finished_at__lt=now - timedelta(days=7)
    ).delete()
    return deleted


@task()
def build_export(export_id: str) -> None:
    build(export_id)
