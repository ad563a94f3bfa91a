"""Settings come from the environment; production refuses to start without a secret key or
the site's address, and with HTTPS on it passes Django's deployment checklist."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from assessments.accounts.models import Organisation

ROOT = Path(__file__).resolve().parents[2]


# Each check starts from the environment the tests run in, less what they set themselves
# (tests/settings.py allows async-unsafe calls for the browser tests' live server).
OUR_VARIABLES = {
    "SECRET_KEY",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "HTTPS",
    "BEHIND_PROXY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SITE_URL",
    "CACHE_URL",
    "TASKS_BACKEND",
    "OIDC_SERVER_URL",
    "OIDC_NAME",
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
}
SITE = "https://coprod.example.org"


def run_check(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in OUR_VARIABLES}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    """``code`` run by Python in a process of its own, with ``env`` (and nothing else of
    ours) in its environment."""
    environment = {k: v for k, v in os.environ.items() if k not in OUR_VARIABLES}
    environment.pop("EMAIL_BACKEND", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_secret_key_with_debug_off_stops_with_one_line():
    result = run_check(DEBUG="false", SITE_URL=SITE)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "coprod: SECRET_KEY is not set. Set SECRET_KEY to a long random string "
        "(or DEBUG=true for local development)."
    )


@pytest.mark.slow  # starts Django whole and runs its system checks: seconds each
@pytest.mark.own_database
def test_debug_on_runs_without_a_secret_key():
    result = run_check(DEBUG="true")
    assert result.returncode == 0, result.stderr


@pytest.mark.slow  # starts Django whole and runs its system checks: seconds each
@pytest.mark.own_database
def test_production_settings_start_with_a_key():
    result = run_check(DEBUG="false", SECRET_KEY="x" * 50, SITE_URL=SITE)
    assert result.returncode == 0, result.stderr


def test_missing_site_url_with_debug_off_stops_with_one_line():
    result = run_check(DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "coprod: SITE_URL is not set. Set SITE_URL to the address people reach the site "
        "at, such as https://coprod.example.gov.uk (or DEBUG=true for local development)."
    )


def test_a_site_url_that_is_not_an_address_is_named():
    result = run_check(DEBUG="true", SITE_URL="coprod.example.org")
    assert result.returncode == 1
    assert "SITE_URL='coprod.example.org' is not an address" in result.stderr


def test_site_url_defaults_to_the_development_server_and_loses_its_slash():
    code = "from coprod import settings; print(settings.SITE_URL)"
    environment = {k: v for k, v in os.environ.items() if k not in OUR_VARIABLES}
    for env, expected in [
        ({"DEBUG": "true"}, "http://127.0.0.1:8000"),
        ({"DEBUG": "true", "SITE_URL": SITE + "/"}, SITE),
    ]:
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=environment | env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.stdout.strip() == expected, result.stderr


def test_bad_boolean_is_named():
    result = run_check(DEBUG="maybe")
    assert result.returncode == 1
    assert "DEBUG='maybe' is not a yes/no value" in result.stderr


@pytest.mark.parametrize(
    "options, said",
    [
        ("{bucket", "EVIDENCE_STORAGE_OPTIONS is not valid JSON"),
        ('["a"]', "EVIDENCE_STORAGE_OPTIONS must be a JSON object"),
    ],
)
def test_evidence_storage_options_that_cannot_be_read_are_named(options, said):
    result = run_check(DEBUG="true", EVIDENCE_STORAGE_OPTIONS=options)
    assert result.returncode == 1
    assert said in result.stderr
    assert "Traceback" not in result.stderr


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


def test_postgresql_binds_on_the_server_and_prepares_repeated_queries_unless_told_not_to():
    code = (
        "import os; os.environ['DEBUG']='true';"
        "from coprod import settings; o=settings.DATABASES['default'].get('OPTIONS', {});"
        "print(o.get('server_side_binding'), o.get('prepare_threshold'))"
    )
    postgres = "postgres://u:p@db.example:5433/coprod"
    assert run_python(code, DATABASE_URL=postgres).stdout.split() == ["True", "5"]
    off = run_python(code, DATABASE_URL=postgres, DATABASE_PREPARED_STATEMENTS="false")
    assert off.stdout.split() == ["None", "None"]
    sqlite = run_python(code, DATABASE_URL="sqlite:////tmp/x.sqlite3")
    assert sqlite.stdout.split() == ["None", "None"]


@pytest.mark.django_db
def test_a_query_a_postgresql_connection_runs_five_times_is_kept_prepared():
    """What the setting is for: the database does not parse and plan it again (and with
    DATABASE_PREPARED_STATEMENTS=false, for a pooler, nothing is kept)."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    marker = f"prepared-{secrets.token_hex(4)}"
    for _ in range(6):
        assert not Organisation.objects.filter(slug=marker).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    kept = any('"assessments_organisation"."slug" = $' in s for s in prepared)
    assert kept == (connection.settings_dict["OPTIONS"].get("prepare_threshold") == 5), prepared


def test_an_sqlite_database_keeps_a_write_ahead_log_flushed_on_every_save(tmp_path):
    """Pages are read while someone saves, and a save is on disk before it is acknowledged
    (synchronous=FULL is 2)."""
    code = (
        "import django; django.setup(); from django.db import connection;"
        "c = connection.cursor();"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0],"
        " c.execute('PRAGMA synchronous').fetchone()[0])"
    )
    result = run_python(
        code,
        DEBUG="true",
        DJANGO_SETTINGS_MODULE="coprod.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.stdout.split() == ["wal", "2"], result.stderr


@pytest.mark.slow  # starts Django whole and runs its system checks: seconds each
@pytest.mark.own_database
def test_production_passes_the_deployment_checklist():
    result = run_check(
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        SITE_URL=SITE,
        HTTPS="true",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


HTTPS_SETTINGS = [
    "HTTPS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
]


def settings_with(names: list[str], **env) -> dict:
    """These settings as the site would start with ``env`` (and nothing else of ours)."""
    code = (
        "import json; from coprod import settings as s;"
        f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}))"
    )
    result = run_python(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def https_settings(**env) -> dict:
    """The HTTPS-related settings as the site would start with `env`."""
    return settings_with(HTTPS_SETTINGS, **env)


def test_https_is_on_by_default_in_production():
    found = https_settings(DEBUG="false", SECRET_KEY="x" * 50, SITE_URL=SITE)
    assert found == {
        "HTTPS": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_https_is_off_by_default_in_development():
    found = https_settings(DEBUG="true")
    assert not found["HTTPS"] and not found["SECURE_SSL_REDIRECT"]
    assert not found["SESSION_COOKIE_SECURE"] and not found["CSRF_COOKIE_SECURE"]
    assert found["SECURE_HSTS_SECONDS"] == 0


def test_https_can_be_switched_off_in_production():
    found = https_settings(DEBUG="false", SECRET_KEY="x" * 50, SITE_URL=SITE, HTTPS="false")
    assert not found["SECURE_SSL_REDIRECT"] and not found["SESSION_COOKIE_SECURE"]
    assert found["SECURE_HSTS_SECONDS"] == 0


def test_behind_a_proxy_its_https_header_is_believed():
    found = https_settings(DEBUG="false", SECRET_KEY="x" * 50, SITE_URL=SITE, BEHIND_PROXY="true")
    assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def backend(**env) -> str:
    return settings_with(["EMAIL_DELIVERY_BACKEND"], **env)["EMAIL_DELIVERY_BACKEND"]


def test_production_sends_mail_and_never_prints_it():
    """E-mails hold reset and answer links: printed to the console they would end up in the
    logs, past the masking. Only development prints them."""
    production = backend(DEBUG="false", SECRET_KEY="x" * 50, SITE_URL=SITE)
    assert production == "django.core.mail.backends.smtp.EmailBackend"
    assert backend(DEBUG="true") == "django.core.mail.backends.console.EmailBackend"


def test_production_refuses_to_print_mail():
    result = run_check(
        DEBUG="false",
        SECRET_KEY="x" * 50,
        SITE_URL=SITE,
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )
    assert result.returncode == 1
    assert "EMAIL_BACKEND prints e-mails" in result.stderr
    assert "With DEBUG off, use SMTP" in result.stderr


def test_every_email_goes_through_the_queue():
    found = settings_with(["EMAIL_BACKEND"], DEBUG="true")
    assert found["EMAIL_BACKEND"] == "assessments.mail.QueuedEmailBackend"


def test_cache_url_names_the_shared_cache():
    def cache(url):
        return settings_with(["CACHES"], DEBUG="true", CACHE_URL=url)["CACHES"]["default"]

    assert cache("")["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert cache("")["LOCATION"] == "coprod_cache"
    redis = cache("redis://127.0.0.1:6379/1")
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/1"


def test_single_sign_on_needs_its_client():
    result = run_check(DEBUG="true", OIDC_SERVER_URL="https://login.example.gov.uk")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "coprod: OIDC_SERVER_URL is set, so OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be too."
    )


def test_single_sign_on_is_off_unless_configured_and_then_set_from_the_environment():
    names = ["SOCIALACCOUNT_PROVIDERS", "CONTENT_SECURITY_POLICY"]
    off = settings_with(names, DEBUG="true")
    assert off["SOCIALACCOUNT_PROVIDERS"] == {}
    on = settings_with(
        names,
        DEBUG="true",
        OIDC_SERVER_URL="https://login.example.gov.uk/tenant/v2.0",
        OIDC_NAME="Riverside Council",
        OIDC_CLIENT_ID="coprod",
        OIDC_CLIENT_SECRET="s3cret",
    )
    (app,) = on["SOCIALACCOUNT_PROVIDERS"]["openid_connect"]["APPS"]
    assert app["name"] == "Riverside Council" and app["client_id"] == "coprod"
    assert app["settings"]["server_url"] == "https://login.example.gov.uk/tenant/v2.0"
    form_action = on["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["form-action"]
    assert form_action == ["'self'", "https://login.example.gov.uk"]
