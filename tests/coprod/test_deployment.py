"""The one-machine deployment the README gives: the systemd units and the settings file in
deploy/systemd/, which the README quotes whole, run here as systemd runs them.

systemd does not run in the test, so the test does its part: it reads each unit's
[Service] section, starts its ExecStart= command in its WorkingDirectory= with the
variables of its EnvironmentFile= (the example settings file, with what differs on a test
machine put over it: a throwaway database, this machine's address, a mail server that
writes to a file) and little else, as systemd does. Where the units say /srv/coprod (the
checkout on a server) the test uses this checkout, and the app server binds a free port
instead of 8000. User= and Group= are left to systemd: the test runs as whoever runs it.
"""

from __future__ import annotations

import configparser
import os
import shlex
import signal
import subprocess
import sys

import pytest

from tests.multinode.cluster import HOST, ROOT, free_port, wait_for

UNITS = ROOT / "deploy" / "systemd"
INSTALLED = "/srv/coprod"  # where the units expect the checkout
SETTINGS_FILE = "/etc/coprod.env"  # where they expect the settings
FILES = ("coprod-web.service", "coprod-worker.service", "coprod.env.example")


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, comment_prefixes=("#", ";"))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    parser.read_string((UNITS / name).read_text())
    return parser


def environment_file(text: str) -> dict[str, str]:
    """Variables as systemd's EnvironmentFile= reads them: KEY=VALUE a line, # comments,
    a value in double quotes taken without them."""
    found = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        found[key.strip()] = value
    return found


def test_the_readme_quotes_the_files_the_test_runs():
    readme = (ROOT / "README.md").read_text()
    for name in FILES:
        assert (UNITS / name).read_text() in readme, f"README does not quote {name} whole"
        assert f"deploy/systemd/{name}" in readme


@pytest.mark.parametrize("name", FILES[:2])
def test_each_unit_starts_at_boot_restarts_and_reads_the_settings_file(name):
    service = unit(name)
    assert service["Install"]["WantedBy"] == "multi-user.target"
    assert service["Service"]["Restart"] == "always"
    assert service["Service"]["EnvironmentFile"] == SETTINGS_FILE
    assert service["Service"]["WorkingDirectory"] == INSTALLED
    assert shlex.split(service["Service"]["ExecStart"])[0].startswith(f"{INSTALLED}/.venv/bin/")


@pytest.mark.slow  # migrates a database, collects static files, starts gunicorn
@pytest.mark.own_database
def test_the_units_serve_the_site_and_their_worker_sends_its_e_mail(tmp_path):
    port = free_port()
    mail = tmp_path / "mail.txt"
    settings = environment_file((UNITS / "coprod.env.example").read_text()) | {
        "SECRET_KEY": "deployment-test-" + "x" * 40,
        "SITE_URL": f"https://{HOST}:{port}",
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "EMAIL_BACKEND": "tests.mail_backends.SlowFileBackend",
        "MULTINODE_MAIL_FILE": str(mail),
        "MULTINODE_MAIL_SECONDS": "0",
    }
    assert settings["BEHIND_PROXY"] == "true"  # HTTPS is ended in front: as the proxy says
    # What systemd gives a service besides its settings: a PATH, a home, a language.
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": "C.UTF-8"} | settings
    # The README's steps before starting the services after an install or upgrade.
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(
            [sys.executable, "manage.py", *step], cwd=ROOT, env=env, check=True, timeout=300
        )

    started = {}
    try:
        for name in FILES[:2]:
            started[name] = start(unit(name)["Service"], env, port, tmp_path / f"{name}.log")
        wait_for(lambda: request(port, "GET", "/healthz")[0] == 200, timeout=60, what="gunicorn")
        status, _, page = request(port, "GET", "/")
        assert status == 200 and "<title>" in page

        # Asking for a password reset puts an e-mail in the outbox; the worker sends it.
        status, cookie, _ = request(port, "GET", "/accounts/password/reset/")
        assert status == 200 and cookie
        status, _, _ = request(
            port,
            "POST",
            "/accounts/password/reset/",
            {"email": "nobody@example.org", "csrfmiddlewaretoken": cookie},
            cookie=cookie,
        )
        assert status == 302
        wait_for(
            lambda: mail.exists() and "nobody@example.org\t" in mail.read_text(),
            timeout=60,
            what="the worker to send the e-mail",
        )

        # Stopped as systemd stops it (KillSignal=), it is gone within TimeoutStopSec=.
        worker = unit("coprod-worker.service")["Service"]
        process = started.pop("coprod-worker.service")
        process.send_signal(getattr(signal, worker["KillSignal"]))
        assert process.wait(timeout=int(worker["TimeoutStopSec"])) is not None
    finally:
        for process in started.values():
            process.kill()
            process.wait(timeout=30)


def start(service, env: dict, port: int, log) -> subprocess.Popen:
    """The unit's ExecStart= command, as systemd runs it: no shell, in its directory."""
    assert service["EnvironmentFile"] == SETTINGS_FILE
    command = [
        part.replace(INSTALLED, str(ROOT)).replace("127.0.0.1:8000", f"{HOST}:{port}")
        for part in shlex.split(service["ExecStart"])
    ]
    with open(log, "w") as output:
        return subprocess.Popen(
            command,
            cwd=service["WorkingDirectory"].replace(INSTALLED, str(ROOT)),
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def request(port: int, method: str, path: str, form: dict | None = None, cookie: str = ""):
    """Through the proxy that ends HTTPS in front of the app server, as it would send it:
    the status, the CSRF cookie given if any, and the page."""
    import http.client
    from http.cookies import SimpleCookie
    from urllib.parse import urlencode

    headers = {"Host": f"{HOST}:{port}", "X-Forwarded-Proto": "https"}
    body = None
    if cookie:
        headers["Cookie"] = f"csrftoken={cookie}"
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"https://{HOST}:{port}{path}"
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        jar: SimpleCookie = SimpleCookie()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                jar.load(value)
        csrf = jar["csrftoken"].value if "csrftoken" in jar else ""
        return response.status, csrf, text
    finally:
        conn.close()
