"""Logs: one key=value line per event, and never a link token (a token lets its holder in)."""

import io
import logging
import sys

import pytest

from coprod.logs import KeyValueFormatter, RedactTokens, redact

TOKEN = "Zq3vYt0dXh8kP2mN5sR7uW9aB1cE4fG6hJ8lK0oQ2s"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"Not Found: /r/{TOKEN}/", "Not Found: /r/[redacted]/"),
        (f"/r/{TOKEN}/3/", "/r/[redacted]/3/"),
        (f'"GET /r/{TOKEN}/save/ HTTP/1.1" 200', '"GET /r/[redacted]/save/ HTTP/1.1" 200'),
        (f"/join/{TOKEN}/", "/join/[redacted]/"),
        (f"/accounts/reset/MQ/{TOKEN}/", "/accounts/reset/[redacted]/[redacted]/"),
        (
            f"Not Found: /projector/7/{TOKEN}/room.json",
            "Not Found: /projector/7/[redacted]/room.json",
        ),
        ("/rounds/12/results/", "/rounds/12/results/"),
        ("/orgs/r/", "/orgs/r/"),
    ],
)
def test_tokens_in_paths_are_masked(text, expected):
    assert redact(text) == expected


@pytest.fixture
def log_output():
    """What the site's console handler writes, as it would reach standard error."""
    handler = next(h for h in logging.getLogger("django").handlers if h.name == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous or sys.stderr)


@pytest.mark.django_db
def test_a_not_found_invite_link_is_logged_without_its_token(client, log_output):
    response = client.get(f"/r/{TOKEN}/")
    assert response.status_code == 404
    lines = log_output.getvalue().splitlines()
    assert TOKEN not in log_output.getvalue()
    assert any(
        "level=WARNING logger=django.request status=404" in line
        and 'msg="Not Found: /r/[redacted]/"' in line
        for line in lines
    ), lines


def record(msg, *args, exc_info=None, **extra):
    rec = logging.LogRecord("coprod.test", logging.ERROR, __file__, 1, msg, args, exc_info)
    rec.__dict__.update(extra)
    return rec


def test_each_event_is_one_key_value_line_even_with_a_traceback():
    try:
        raise ValueError(f"bad link /r/{TOKEN}/")
    except ValueError:
        rec = record("Could not answer %s", f"/r/{TOKEN}/2/", exc_info=sys.exc_info())
    assert RedactTokens().filter(rec)
    line = KeyValueFormatter().format(rec)
    assert "\n" not in line
    assert TOKEN not in line
    assert line.startswith("time=")
    assert " level=ERROR logger=coprod.test " in line
    assert ' msg="Could not answer /r/[redacted]/2/" exc="Traceback' in line
    assert "ValueError: bad link /r/[redacted]/" in line


def test_account_and_cohort_invitation_links_are_masked():
    from coprod.logs import redact

    line = (
        "Not Found: /accounts/password/reset/key/1-abc-def/ /accounts/confirm-email/Mzp8abc/ "
        "/cohort-invitations/3/s3cr3t-token/"
    )
    masked = redact(line)
    for secret in ("1-abc-def", "Mzp8abc", "s3cr3t-token"):
        assert secret not in masked


@pytest.mark.django_db
def test_a_failed_sign_in_is_logged_with_the_address_and_e_mail_masked(client, caplog):
    from django.urls import reverse

    caplog.set_level("WARNING", logger="assessments.accounts.adapters")
    client.post(
        reverse("account_login"),
        {"login": "jo@council.example", "password": "wrong-password"},
        REMOTE_ADDR="203.0.113.7",
    )
    lines = [r.getMessage() for r in caplog.records if "sign-in failed" in r.getMessage()]
    assert lines == ["sign-in failed: email=j***@council.example address=203.0.113.x"]
