"""``manage.py worker``: django-tasks-db's ``db_worker``, plus what keeps jobs from being
lost: every few seconds it renews the leases of the jobs it holds, and every half minute it
puts back in the queue what dead workers held and deletes downloads past their time
(``assessments.jobs.worker``, ``assessments.jobs.exports``); once an hour it deletes the
answers of rounds past their organisation's keeping period (``datarights.retention``).
Run one or more per machine; any number of machines may run them against the same
database."""

import logging
import os
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from assessments.datarights import retention
from assessments.jobs import exports, worker
from assessments.queue import leases

logger = logging.getLogger("assessments.jobs.worker")

# How often each worker looks for rounds past their keeping period: the period is counted
# in months, so an hour late is nothing, and the query is one small one.
RETENTION_EVERY = 3600.0


def every() -> tuple[float, float]:
    """How often to renew leases and look for dead workers' jobs, in seconds: well within
    settings.WORKER_TIMEOUT, so that a live worker never looks dead."""
    timeout = settings.WORKER_TIMEOUT
    return max(0.5, min(5.0, timeout / 4)), max(1.0, min(30.0, timeout / 2))


def housekeeping(worker_id: str, stop: threading.Event) -> None:
    renew_every, recover_every = every()
    last_recover = last_retention = 0.0
    while not stop.is_set():
        try:
            close_old_connections()
            worker.renew(worker_id)
            if time.monotonic() - last_recover >= recover_every:
                last_recover = time.monotonic()
                worker.recover()
                exports.prune()
            if time.monotonic() - last_retention >= RETENTION_EVERY:
                last_retention = time.monotonic()
                retention.expired_answers_delete()
        except Exception:  # a database blip must not stop the heartbeat for good
            logger.exception("worker housekeeping failed")
        finally:
            connections.close_all()
        stop.wait(renew_every)


class Command(DBWorkerCommand):
    help = "Run background tasks (e-mails, exports, reminders) from the database queue"

    def handle(self, *args, **options):
        reloading = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not reloading:  # the process that runs tasks, not the reloader watching it
            leases.current = options["worker_id"]
            stop = threading.Event()
            threading.Thread(target=housekeeping, args=(leases.current, stop), daemon=True).start()
        return super().handle(*args, **options)
