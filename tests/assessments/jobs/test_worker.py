"""The real queue: django-tasks' database backend and ``manage.py worker`` in processes of
their own, on a database file of their own (so they see what another process committed).
An e-mail put in the outbox is sent by the worker; an export whose worker died is taken up
again by the next worker, not lost."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
# Each test migrates a database of its own and starts Django several times.
pytestmark = [pytest.mark.slow, pytest.mark.own_database]


@pytest.fixture
def run(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "TASKS_BACKEND", "CACHE_URL"}
    }
    env.update(
        DEBUG="true",  # e-mails are printed: the worker's output shows what it sent
        DATABASE_URL=f"sqlite:///{tmp_path / 'queue.sqlite3'}",
        TASKS_BACKEND="database",
        DJANGO_SETTINGS_MODULE="coprod.settings",
        LOG_LEVEL="INFO",
    )

    def run(*args: str, timeout: int = 120) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout + result.stderr

    run("migrate", "--noinput")
    return run


def shell(run, code: str) -> str:
    return run("shell", "--no-imports", "-c", code).strip()


WORKER = ("worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")


def test_the_worker_sends_what_the_outbox_holds(run):
    shell(
        run,
        "from assessments import mail; "
        "row = mail.send(mail.Message.ANSWER_LINK, to='sam@example.org', "
        "context={'url': 'https://coprod.example/reset/x/', 'email': 'sam@example.org'}); "
        "assert row.status == 'queued', row.status",
    )
    output = run(*WORKER)
    assert "To: sam@example.org" in output and "e-mail sent: message=answer_link" in output
    state = shell(
        run,
        "from assessments.mail.models import OutgoingEmail; e = OutgoingEmail.objects.get(); "
        "print(e.status, e.attempts, len(e.body))",
    )
    assert state == "done 1 0"


def test_a_job_whose_worker_died_is_taken_up_by_the_next(run):
    shell(
        run,
        "from assessments.accounts.models import Organisation, Membership, User; "
        "from assessments.jobs import exports; from assessments.jobs.models import Export; "
        "from django.utils import timezone; from datetime import timedelta; "
        "u = User.objects.create_user(email='lead@riverside.example', password='x'); "
        "o = Organisation.objects.create(name='Riverside', slug='riverside'); "
        "Membership.objects.create(user=u, organisation=o, role='lead'); "
        "e = exports.request(kind='organisation_zip', by=u, organisation=o); "
        # As a worker killed mid-task leaves it: running, held by a worker nobody renews.
        "Export.objects.filter(pk=e.pk).update(status='running', attempts=1, worker='gone', "
        "lease_until=timezone.now() - timedelta(seconds=1))",
    )
    # The queue's own record of that task was taken by the dead worker: only recovery
    # puts the job back. Any worker does it every half minute; the command does it now.
    assert "1 lost jobs recovered" in run("prune_exports")
    run(*WORKER)
    state = shell(
        run,
        "from assessments.jobs.models import Export; e = Export.objects.get(); "
        "print(e.status, e.attempts, e.size > 0, e.filename.endswith('.zip'))",
    )
    assert state == "done 2 True True"
