"""Two app servers behind HAProxy, sharing PostgreSQL and Redis, with two task workers: the
setup the README's "Many servers" section describes, on this machine, with the same
deploy/haproxy.cfg. Everything is checked through the load balancer:

- a session made on one server works on the other;
- the sign-in lock-out and the password reset limit (django-allauth's, counted in the
  shared cache) hold across servers;
- a chart drawn by one server is served by the other from the shared cache;
- 60 people autosave while one app server is killed and started again: no acknowledged
  answer is lost, and those who retry get through;
- a worker is killed while it sends an e-mail: another worker sends it, and the queue's
  record of the dead worker's task says it failed.

`make test-multinode` runs it (`make test` does too), inside .ci/with-postgres; with no
COPROD_MULTINODE=1 it is skipped, so the ordinary suite passes it by.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
PASSWORD = "coprod-demo-2026"  # assessments.demo.PASSWORD
WORKER_TIMEOUT = 4  # seconds without a word from a worker before its jobs are taken back
MAIL_SECONDS = 3  # how long the test's mail server takes over each e-mail

pytestmark = pytest.mark.skipif(
    os.environ.get("COPROD_MULTINODE") != "1" or not os.environ.get("DATABASE_URL"),
    reason="the multi-node test runs with `make test-multinode` (PostgreSQL, Redis, HAProxy)",
)


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


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    for program in ("redis-server", "haproxy"):
        assert shutil.which(program), f"{program} is missing: `make test` installs it"
    tmp = tmp_path_factory.mktemp("multinode")
    redis_port, lb = free_port(), free_port()
    apps = {"app1": free_port(), "app2": free_port()}
    url = database(os.environ["DATABASE_URL"], "coprod_multinode")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "COPROD_")) and key != "TASKS_BACKEND"
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
        for name in apps:
            c.start_app(name)
        c.start("haproxy", ["haproxy", "-db", "-f", str(ROOT / "deploy/haproxy.cfg")])
        wait_for(lambda: served_by_both(c), timeout=30, what="HAProxy to see both servers")
        for name in ("worker1", "worker2"):
            c.start_worker(name)
        yield c
    finally:
        for name in list(c.processes):
            c.kill(name, signal.SIGTERM if name == "haproxy" else signal.SIGKILL)


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


# Shared state --------------------------------------------------------------------------


def test_a_session_made_on_one_server_works_on_the_other(cluster):
    browser = Browser(cluster.lb)
    signed_in = browser.sign_in("lead@riverside.example")
    assert signed_in.status == 302, signed_in.body[:500]
    made_on = signed_in.headers["x-served-by"]
    home = signed_in.headers["location"]
    other = ({"app1", "app2"} - {made_on}).pop()
    browser.served.clear()
    # Every page is signed in, whichever server the balancer picks; go on until the other
    # server has served at least one (the balancer may send several in a row to one).
    for _ in range(20):
        page = browser.follow(home)
        assert page.status == 200 and "Signed in as lead@riverside.example" in page.body
        if other in browser.served:
            break
    seen = set(browser.served)
    assert other in seen, f"session made on {made_on}, then served only by {seen}"


PAUSED = "Signing in with this address is paused"


def test_the_sign_in_lock_out_holds_across_servers(cluster):
    """django-allauth counts wrong passwords (ACCOUNT_RATE_LIMITS["login_failed"]: 5 for one
    address from one network address) in the shared cache, Redis here: five wrong tries
    spread over both servers pause the address on both."""
    browser = Browser(cluster.lb)
    seen = set()
    for _ in range(5):
        wrong = browser.sign_in("member@riverside.example", "not-the-password")
        assert wrong.status == 200 and "Signed in as" not in wrong.body, wrong.status
        assert "do not match an account" in wrong.body and PAUSED not in wrong.body
        seen.add(wrong.headers["x-served-by"])
    assert seen == {"app1", "app2"}  # the wrong tries were counted on both servers
    seen = set()
    for _ in range(4):  # whichever server answers, even the right password is refused now
        paused = browser.sign_in("member@riverside.example")
        assert paused.status == 200 and PAUSED in paused.body, paused.status
        assert "Signed in as" not in paused.body
        seen.add(paused.headers["x-served-by"])
    assert seen == {"app1", "app2"}


def test_the_password_reset_limit_holds_across_servers(cluster):
    browser = Browser(cluster.lb)
    seen = set()
    # No account: its owner is told so by e-mail, and the page says what it would say for
    # an account (ACCOUNT_RATE_LIMITS["reset_password"]: 3 an hour for one address).
    address = "nobody-here@example.org"
    for _ in range(3):
        response = browser.post("/accounts/password/reset/", {"email": address})
        assert response.status == 302, response.status
        assert response.headers["location"] == "/accounts/password/reset/done/"
        seen.add(response.headers["x-served-by"])
    assert seen == {"app1", "app2"}
    seen = set()
    for _ in range(4):  # whichever server answers, a fourth is refused
        refused = browser.post("/accounts/password/reset/", {"email": address})
        assert refused.status == 429 and "Too many tries" in refused.body, refused.status
        seen.add(refused.headers["x-served-by"])
    assert seen == {"app1", "app2"}


def test_a_chart_drawn_by_one_server_is_served_by_the_other_from_the_cache(cluster):
    round_id = cluster.shell(
        "from assessments.rounds.models import Round; "
        "print(Round.objects.filter(organisation__slug='riverside', status='closed')"
        ".order_by('-pk').first().pk)"
    )
    browser = Browser(cluster.lb)
    browser.sign_in("lead@riverside.example")
    url = f"/rounds/{round_id}/results/"
    first = browser.get(url)
    assert first.status == 200 and "<svg" in first.body
    drew = first.headers["x-served-by"]
    drawn = re.findall(r"chart drawn: chart=(\w+)", cluster.log(drew).read_text())
    assert drawn, f"{drew} drew no chart"
    other = "app2" if drew == "app1" else "app1"
    before = cluster.log(other).read_text()
    second = wait_for(
        lambda: (r := browser.get(url)).headers["x-served-by"] == other and r,
        timeout=10,
        what=f"{other} to serve the results",
    )
    assert first.body.count("<svg") == second.body.count("<svg")
    new_lines = cluster.log(other).read_text()[len(before) :]
    assert not set(re.findall(r"chart drawn: chart=(\w+)", new_lines)) & set(drawn)
    import redis

    keys = redis.Redis(host=HOST, port=cluster.redis_port).keys("*radar:*")
    assert len(keys) >= len(set(drawn))


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


def test_no_acknowledged_answer_is_lost_when_a_server_dies_mid_run(cluster):
    made = json.loads(
        cluster.shell(
            "import json; from assessments.rounds.models import Round; "
            "from assessments.rounds import services; "
            "from assessments.accounts.models import Membership; "
            "r = Round.objects.filter(status='open').order_by('pk').first(); "
            "lead = Membership.objects.filter(organisation=r.organisation, role='lead')"
            ".first().user; "
            "links = services.invites_create(round=r, perspective='staff', count=60, by=lead); "
            "statements = list(r.framework.principles.values_list('statements__pk', flat=True)); "
            "print(json.dumps({'tokens': [i.raw_token for i in links], "
            "'statements': statements}))"
        )
    )
    tokens, statements = made["tokens"], made["statements"]
    began = time.monotonic()
    stop_at = began + 25
    people = [
        Respondent(cluster.lb, token, statements, stop_at, seed)
        for seed, token in enumerate(tokens, start=1)
    ]
    for person in people:
        person.start()
    time.sleep(6)
    killed_at = time.monotonic()
    cluster.kill("app1")  # no warning: the machine is gone
    time.sleep(5)
    cluster.start_app("app1")
    restarted_at = time.monotonic()
    for person in people:
        person.join(timeout=60)
    assert not any(person.is_alive() for person in people)

    # What the database holds for each link is what its person was last told was saved.
    held = json.loads(
        cluster.shell(
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
        for person in people
    }
    lost = {token: diff for token, diff in lost.items() if diff}
    assert not lost, f"acknowledged answers not in the database: {lost}"
    assert all(person.acknowledged for person in people)
    # Both servers answered before the kill; app1 again after its restart.
    after = {name for person in people for t, name in person.served_by if t > restarted_at}
    before = {name for person in people for t, name in person.served_by if t < killed_at}
    assert before == {"app1", "app2"} and "app1" in after
    retried = sum(person.acknowledged_after_failure for person in people)
    failures = sum(person.failures for person in people)
    print(
        f"\nautosave: {len(people)} people, {sum(len(p.served_by) for p in people)} saves "
        f"acknowledged, {failures} failed tries, {retried} saves through after a retry, "
        f"0 lost; app1 killed at {killed_at - began:.0f}s, back at {restarted_at - began:.0f}s"
    )


# A worker dies mid-task ----------------------------------------------------------------


def test_a_worker_killed_mid_task_leaves_a_task_another_finishes(cluster):
    address = "lead@hillside.example"
    browser = Browser(cluster.lb)
    asked = browser.post("/accounts/password/reset/", {"email": address})
    assert asked.status == 302
    # A worker takes the e-mail and is inside the (slow) mail server: kill it there.
    pk, worker, task_id = wait_for(
        lambda: next(
            iter(
                cluster.sql(
                    "SELECT id, worker, task_id FROM assessments_outgoingemail "
                    "WHERE status = 'running' "
                    'AND %s = ANY(SELECT jsonb_array_elements_text("to"))',
                    address,
                )
            ),
            None,
        ),
        timeout=20,
        what="a worker to take the e-mail",
    )
    cluster.kill(worker)
    # The other worker notices, and sends it.
    status, attempts, error = wait_for(
        lambda: (
            (
                row := cluster.sql(
                    "SELECT status, attempts, error FROM assessments_outgoingemail WHERE id = %s",
                    pk,
                )[0]
            )[0]
            == "done"
            and row
        ),
        timeout=6 * WORKER_TIMEOUT + 2 * MAIL_SECONDS,
        what="the e-mail to be sent by the other worker",
    )
    assert attempts == 2
    sent = (cluster.tmp / "mail.txt").read_text().splitlines()
    assert sum(line.startswith(address + "\t") for line in sent) == 1
    # The queue's record of the dead worker's task says it failed, not "running" for ever.
    [(task_status,)] = cluster.sql(
        "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s", task_id
    )
    assert task_status == "FAILED"
    cluster.start_worker(worker)


def test_the_readme_gives_this_load_balancer_config():
    """The README's deployment section points at the file this test runs HAProxy with,
    and names every variable it reads."""
    readme = (ROOT / "README.md").read_text()
    config = (ROOT / "deploy/haproxy.cfg").read_text()
    assert "deploy/haproxy.cfg" in readme
    for variable in set(re.findall(r"\$\{(COPROD_\w+)", config)):
        assert variable in readme, variable
