"""The multi-node setup of the README's "Many servers" section, on one machine: a throwaway
PostgreSQL database, Redis, two gunicorn servers behind HAProxy (with the same
deploy/haproxy.cfg) and two task workers; a browser that goes through the load balancer;
and people autosaving while one app server is killed and started again.

Used by the multi-node test (tests/multinode/test_multinode.py) and by the benchmarks
(``BENCH_ONLY=failover``, bench/__main__.py), which report the same run's answers lost.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
PASSWORD = "coprod-demo-2026"  # assessments.demo.PASSWORD
WORKER_TIMEOUT = 4  # seconds without a word from a worker before its jobs are taken back
MAIL_SECONDS = 3  # how long the test's mail server takes over each e-mail


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_for(check, *, timeout: float, what: str, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
        except OSError:
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(every)


# The cluster ---------------------------------------------------------------------------


@dataclass
class Cluster:
    tmp: Path
    env: dict
    lb: int
    apps: dict[str, int]
    redis_port: int
    database_url: str
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def log(self, name: str) -> Path:
        return self.tmp / f"{name}.log"

    def start(self, name: str, command: list[str], env: dict | None = None) -> None:
        # Each in a session of its own, so that it and its children stop together.
        with self.log(name).open("a") as log:
            self.processes[name] = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env or self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)

    def start_app(self, name: str) -> None:
        self.start(
            name,
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "coprod.wsgi",
                "--workers",
                "2",
                "--worker-class",
                "gthread",
                "--threads",
                "2",
                "--bind",
                f"{HOST}:{self.apps[name]}",
            ],
        )
        wait_for(
            lambda: direct(self.apps[name], "/healthz")[0] == 200,
            timeout=60,
            what=f"{name} to start",
        )

    def start_worker(self, name: str) -> None:
        self.start(
            name,
            [
                sys.executable,
                "manage.py",
                "worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
                "--worker-id",
                name,
            ],
        )

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "--no-imports", "-c", code).strip().splitlines()[-1]

    def sql(self, query: str, *params) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            return conn.execute(query, params).fetchall()


def direct(port: int, path: str) -> tuple[int, dict, str]:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": HOST})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def database(url: str, name: str) -> str:
    """A fresh database ``name`` on the server of ``url``; its address."""
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def running_cluster(tmp: Path, server_url: str, *, name: str = "coprod_multinode"):
    """The whole setup, on a fresh database ``name`` of the PostgreSQL server of
    ``server_url``, loaded with the demo data; everything it started is stopped after."""
    for program in ("redis-server", "haproxy"):
        assert shutil.which(program), f"{program} is missing: `make test` installs it"
    redis_port, lb = free_port(), free_port()
    apps = {"app1": free_port(), "app2": free_port()}
    url = database(server_url, name)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "COPROD_", "BENCH_")) and key != "TASKS_BACKEND"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="coprod.settings",
        SECRET_KEY="multinode-test-" + "x" * 40,
        DEBUG="false",
        HTTPS="false",
        BEHIND_PROXY="true",
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"http://{HOST}:{lb}",
        DATABASE_URL=url,
        CACHE_URL=f"redis://{HOST}:{redis_port}/0",
        TASKS_BACKEND="database",
        WORKER_TIMEOUT=str(WORKER_TIMEOUT),
        EMAIL_BACKEND="tests.mail_backends.SlowFileBackend",
        MULTINODE_MAIL_FILE=str(tmp / "mail.txt"),
        MULTINODE_MAIL_SECONDS=str(MAIL_SECONDS),
        LOG_LEVEL="INFO",
        COPROD_BIND=f"{HOST}:{lb}",
        COPROD_HOST=HOST,
        COPROD_APP1=f"{HOST}:{apps['app1']}",
        COPROD_APP2=f"{HOST}:{apps['app2']}",
    )
    c = Cluster(tmp=tmp, env=env, lb=lb, apps=apps, redis_port=redis_port, database_url=url)
    try:
        c.start(
            "redis",
            ["redis-server", "--port", str(redis_port), "--bind", HOST, "--save", ""]
            + ["--appendonly", "no"],
        )
        c.manage("migrate", "--noinput")
        c.manage("collectstatic", "--noinput", "--verbosity", "0")
        c.manage("load_frameworks")
        c.manage("load_demo", "--force")
        for app in apps:
            c.start_app(app)
        c.start("haproxy", ["haproxy", "-db", "-f", str(ROOT / "deploy/haproxy.cfg")])
        wait_for(lambda: served_by_both(c), timeout=30, what="HAProxy to see both servers")
        for worker in ("worker1", "worker2"):
            c.start_worker(worker)
        yield c
    finally:
        for process in list(c.processes):
            c.kill(process, signal.SIGTERM if process == "haproxy" else signal.SIGKILL)


def served_by_both(c: Cluster) -> bool:
    seen = {Browser(c.lb).get("/healthz").headers.get("x-served-by") for _ in range(4)}
    return seen == {"app1", "app2"}


# A browser: cookies kept, a new connection per request (so HAProxy spreads them) ----------


@dataclass
class Response:
    status: int
    headers: dict
    body: str


class Browser:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.served: list[str] = []  # which server answered each request, in order

    def request(self, method: str, path: str, data: dict | None = None, **headers) -> Response:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            headers = {"Host": f"{HOST}:{self.port}", **headers}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            body = None
            if data is not None:
                body = urlencode(data)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                headers["Referer"] = f"http://{HOST}:{self.port}{path}"
                if "csrftoken" in self.cookies:
                    headers["X-CSRFToken"] = self.cookies["csrftoken"]
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    jar = SimpleCookie()
                    jar.load(value)
                    for key, morsel in jar.items():
                        self.cookies[key] = morsel.value
            received = {k.lower(): v for k, v in response.getheaders()}
            self.served.append(received.get("x-served-by", ""))
            return Response(response.status, received, text)
        finally:
            conn.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def follow(self, path: str) -> Response:
        """GET ``path``, following redirects on this site."""
        for _ in range(5):
            response = self.get(path)
            if response.status not in (301, 302, 303):
                return response
            path = response.headers["location"]
        raise AssertionError(f"too many redirects from {path}")

    def post(self, path: str, data: dict) -> Response:
        if "csrftoken" not in self.cookies:
            page = self.get(path)
            assert "csrftoken" in self.cookies, (page.status, page.headers, page.body[:300])
        return self.request(
            "POST", path, {**data, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        )

    def sign_in(self, email: str, password: str = PASSWORD) -> Response:
        return self.post("/accounts/login/", {"login": email, "password": password})


# Autosave while a server dies ----------------------------------------------------------


class Respondent(threading.Thread):
    """One person answering through their link, as autosave.js does: each answer is sent
    until the server acknowledges it (a failure is retried with the same answer)."""

    def __init__(self, port: int, token: str, statements: list[int], stop_at: float, seed: int):
        super().__init__(daemon=True)
        self.browser = Browser(port)
        self.token, self.statements, self.stop_at = token, statements, stop_at
        self.rng = random.Random(seed)
        self.acknowledged: dict[int, int] = {}
        self.failures = 0
        self.acknowledged_after_failure = 0
        self.served_by: list[tuple[float, str]] = []

    def run(self):
        start = f"/r/{self.token}/"
        while True:  # the start itself is retried too
            try:
                if self.browser.post(start, {}).status in (200, 302):
                    break
            except OSError:
                pass
            self.failures += 1
            time.sleep(0.2)
        i, level, failed = 0, None, False
        while time.monotonic() < self.stop_at:
            statement = self.statements[i % len(self.statements)]
            if level is None:
                level = self.rng.randint(0, 4)
            try:
                response = self.browser.post(
                    f"/r/{self.token}/save/",
                    {"statement": statement, f"level-{statement}": level, f"note-{statement}": ""},
                )
                ok = response.status == 200 and json.loads(response.body).get("saved")
            except (OSError, http.client.HTTPException, ValueError):
                ok = False
            if not ok:
                self.failures += 1
                failed = True
                time.sleep(0.2)
                continue
            self.served_by.append((time.monotonic(), response.headers.get("x-served-by", "")))
            self.acknowledged[statement] = level
            if failed:
                self.acknowledged_after_failure += 1
                failed = False
            i, level = i + 1, None
            time.sleep(0.05)


@dataclass
class Failover:
    """What became of the answers of people autosaving while a server was killed."""

    people: int
    acknowledged: int  # saves the server said were done
    failures: int  # tries that failed (and were tried again)
    retried: int  # saves that went through after a failed try
    lost: dict  # per link: statement → (level acknowledged, level stored), where they differ
    everyone_saved: bool  # every person had at least one answer acknowledged
    served_before: set[str]  # the servers that answered before the kill
    served_after: set[str]  # … and after the killed one was started again
    killed_at: float  # seconds into the run
    restarted_at: float
    seconds: float


def autosave_with_a_server_killed(
    c: Cluster, *, people: int = 60, seconds: float = 25, kill_after: float = 6, down: float = 5
) -> Failover:
    """``people`` people answer through their own links, autosaving through the load
    balancer, for ``seconds``; ``kill_after`` seconds in, app1 is killed without warning
    and started again ``down`` seconds later. Then every answer acknowledged is looked for
    in the database."""
    made = json.loads(
        c.shell(
            "import json; from assessments.rounds.models import Round; "
            "from assessments.rounds import services; "
            "from assessments.accounts.models import Membership; "
            "r = Round.objects.filter(status='open').order_by('pk').first(); "
            "lead = Membership.objects.filter(organisation=r.organisation, role='lead')"
            ".first().user; "
            f"links = services.invites_create(round=r, perspective='staff', count={people}, "
            "by=lead); "
            "statements = list(r.framework.principles.values_list('statements__pk', flat=True)); "
            "print(json.dumps({'tokens': [i.raw_token for i in links], "
            "'statements': statements}))"
        )
    )
    tokens, statements = made["tokens"], made["statements"]
    began = time.monotonic()
    stop_at = began + seconds
    answering = [
        Respondent(c.lb, token, statements, stop_at, seed)
        for seed, token in enumerate(tokens, start=1)
    ]
    for person in answering:
        person.start()
    time.sleep(kill_after)
    killed_at = time.monotonic()
    c.kill("app1")  # no warning: the machine is gone
    time.sleep(down)
    c.start_app("app1")
    restarted_at = time.monotonic()
    for person in answering:
        person.join(timeout=60)
    assert not any(person.is_alive() for person in answering)

    # What the database holds for each link, against what its person was last told.
    held = json.loads(
        c.shell(
            "import json, sys; from assessments.rounds.models import Answer, token_hash; "
            f"tokens = {json.dumps(tokens)}; "
            "by_hash = {token_hash(t): t for t in tokens}; "
            "out = {}; "
            "rows = Answer.objects.filter(respondent__invite__token_hash__in=by_hash)"
            ".values_list('respondent__invite__token_hash', 'statement_id', 'level'); "
            "[out.setdefault(by_hash[h], {}).__setitem__(str(s), l) for h, s, l in rows]; "
            "print(json.dumps(out))"
        )
    )
    lost = {
        person.token[:6]: {
            s: (level, held.get(person.token, {}).get(str(s)))
            for s, level in person.acknowledged.items()
            if held.get(person.token, {}).get(str(s)) != level
        }
        for person in answering
    }
    return Failover(
        people=len(answering),
        acknowledged=sum(len(person.served_by) for person in answering),
        failures=sum(person.failures for person in answering),
        retried=sum(person.acknowledged_after_failure for person in answering),
        lost={token: diff for token, diff in lost.items() if diff},
        everyone_saved=all(person.acknowledged for person in answering),
        served_before={n for p in answering for t, n in p.served_by if t < killed_at},
        served_after={n for p in answering for t, n in p.served_by if t > restarted_at},
        killed_at=killed_at - began,
        restarted_at=restarted_at - began,
        seconds=time.monotonic() - began,
    )
