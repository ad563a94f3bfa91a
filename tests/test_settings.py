"""Settings come from the environment; production refuses to start without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_check(**env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_secret_key_with_debug_off_stops_with_one_line():
    result = run_check(DEBUG="false")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "coprod: SECRET_KEY is not set. Set SECRET_KEY to a long random string "
        "(or DEBUG=true for local development)."
    )


def test_debug_on_runs_without_a_secret_key():
    result = run_check(DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_production_settings_start_with_a_key():
    result = run_check(DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


def test_bad_boolean_is_named():
    result = run_check(DEBUG="maybe")
    assert result.returncode == 1
    assert "DEBUG='maybe' is not a yes/no value" in result.stderr


def test_database_url_selects_postgresql():
    code = (
        "import os; os.environ['DATABASE_URL']='postgres://u:p@db.example:5433/coprod';"
        "os.environ['DEBUG']='true';"
        "from coprod import settings; d=settings.DATABASES['default'];"
        "print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'], d['USER'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.example",
        "5433",
        "coprod",
        "u",
    ]
