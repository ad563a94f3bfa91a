"""``manage.py worker``: django-tasks-db's ``db_worker``, plus what keeps jobs from being
lost: every few seconds it renews the leases of the jobs it holds, and every half minute it
puts back in the queue what dead workers held and deletes downloads past their time
(``assessments.jobs.worker``, ``assessments.jobs.exports``). Run one or more per machine;
any number of machines may run them against the same database."""

import logging
import os
import threading
import time

from django.db import close_old_connections, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from assessments.jobs import exports, worker

logger = logging.getLogger("assessments.jobs.worker")

RENEW_EVERY = 5  # seconds
RECOVER_EVERY = 30


def housekeeping(worker_id: str, stop: threading.Event) -> None:
    last_recover = 0.0
    while not stop.is_set():
        try:
            close_old_connections()
            worker.renew(worker_id)
            if time.monotonic() - last_recover >= RECOVER_EVERY:
                last_recover = time.monotonic()
                worker.recover()
                exports.prune()
        except Exception:  # a database blip must not stop the heartbeat for good
            logger.exception("worker housekeeping failed")
        finally:
            connections.close_all()
        stop.wait(RENEW_EVERY)


class Command(DBWorkerCommand):
    help = "Run background tasks (e-mails, exports, reminders) from the database queue"

    def handle(self, *args, **options):
        reloading = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not reloading:  # the process that runs tasks, not the reloader watching it
            worker.current = options["worker_id"]
            stop = threading.Event()
            threading.Thread(target=housekeeping, args=(worker.current, stop), daemon=True).start()
        return super().handle(*args, **options)
