"""Serving the benchmark database with gunicorn, and loading it: wrk for page throughput,
threads of simulated respondents for autosave. No Django in this process."""

from __future__ import annotations

import http.client
import json
import random
import re
import socket
import statistics
import subprocess
import threading
import time
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server(int):
    """The port gunicorn listens on, knowing its master process (to wait for the workers)."""

    master: int

    def __new__(cls, port: int, master: int):
        server = super().__new__(cls, port)
        server.master = master
        return server


def _workers_cpu_ticks(master: int) -> int:
    """CPU time used so far by the master's child processes (the workers), in clock ticks."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:  # ppid
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def wait_idle(server, timeout: float = 60.0) -> None:
    """Wait until the workers have used no CPU for half a second: requests still queued
    when wrk stops keep them busy, and would count against the next page."""
    master = getattr(server, "master", None)
    if master is None:
        time.sleep(2)
        return
    deadline = time.monotonic() + timeout
    before, quiet = _workers_cpu_ticks(master), 0
    while quiet < 2 and time.monotonic() < deadline:
        time.sleep(0.25)
        now = _workers_cpu_ticks(master)
        quiet = quiet + 1 if now == before else 0
        before = now


@contextmanager
def gunicorn(env: dict, workers: int = 2):
    """gunicorn serving the site with ``workers`` processes, each one thread, keeping
    connections alive (gthread worker) as a proxy in front of it would."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "coprod.wsgi",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            "1",
            "--keep-alive",
            "30",
            "--bind",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, _ = get(port, "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        yield Server(port, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


def get(
    port: int, path: str, cookie: str = "", headers: dict | None = None
) -> tuple[int, dict, str]:
    conn = http.client.HTTPConnection(HOST, int(port), timeout=60)
    try:
        conn.request(
            "GET", path, headers={**({"Cookie": cookie} if cookie else {}), **(headers or {})}
        )
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


WRK_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_PERCENTILE = re.compile(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
WRK_BAD = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
WRK_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
WRK_TOTAL = re.compile(r"(\d+) requests in")
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def wrk(
    port: int,
    path: str,
    *,
    cookie: str,
    seconds: int,
    connections: int = 8,
    headers: dict | None = None,
) -> dict:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    command += ["--timeout", "60s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{HOST}:{port}{path}")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    percentiles = {p: float(v) * UNITS[u] for p, v, u in WRK_PERCENTILE.findall(output)}
    bad = WRK_BAD.search(output)
    errors = WRK_ERRORS.search(output)
    wait_idle(port)
    rate, total = WRK_RATE.search(output), WRK_TOTAL.search(output)
    assert rate and total, output
    return {
        "rps": float(rate.group(1)),
        "requests": int(total.group(1)),
        "p50_ms": percentiles.get("50"),
        "p99_ms": percentiles.get("99"),
        "bad_responses": int(bad.group(1)) if bad else 0,
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def throughput(port: int, pages: dict, *, seconds: int, rounds: int) -> dict:
    """Each page's requests per second under wrk, the pages taken in turn ``rounds`` times
    so that drift on the machine hits them all alike. The best round is kept, as timeit
    advises: other work on a shared machine only ever slows a run down, so a page's best
    run is the nearest to its own cost (the median is kept too, to show beside it).
    A page is (path, cookie, text it must contain), with optionally the request headers
    and the status it answers (a 304 to a poll that sends the ETag it has)."""
    for name, (path, cookie, must_contain, *more) in pages.items():
        headers, expected = (more + [{}, 200])[:2] if more else ({}, 200)
        status, _, body = get(port, path, cookie, headers)
        if status != expected or must_contain not in body:
            raise RuntimeError(f"{name}: {path} answered {status}, not the page expected")
        wrk(port, path, cookie=cookie, seconds=2, headers=headers)  # warm both workers
    runs: dict[str, list[dict]] = {name: [] for name in pages}
    for _ in range(rounds):
        for name, (path, cookie, _, *more) in pages.items():
            headers = more[0] if more else {}
            runs[name].append(wrk(port, path, cookie=cookie, seconds=seconds, headers=headers))
    out = {}
    for name, results in runs.items():
        out[name] = {
            "rps": max(r["rps"] for r in results),
            "rps_median": statistics.median(r["rps"] for r in results),
            "rps_runs": [r["rps"] for r in results],
            "p50_ms": statistics.median(r["p50_ms"] for r in results),
            "p99_ms": statistics.median(r["p99_ms"] for r in results),
            "bad_responses": sum(r["bad_responses"] for r in results),
            "socket_errors": sum(r["socket_errors"] for r in results),
            "path": pages[name][0],
        }
    return out


# Autosave ------------------------------------------------------------------------------


class Answering(threading.Thread):
    """Someone answering on their own link until ``stop_at``, as autosave.js does: one
    answer after another, ``pause`` seconds apart (a range: a person reading the next
    statement), each acknowledged or counted as a failure."""

    pause: tuple[float, float] | None = None

    def __init__(self, port: int, token: str, statements: list[int], stop_at: float, seed: int):
        super().__init__(daemon=True)
        self.port, self.token, self.statements, self.stop_at = int(port), token, statements, stop_at
        self.rng = random.Random(seed)
        self.latencies: list[float] = []
        self.acknowledged: dict[str, int] = {}
        self.failures = 0

    def save_answers(self, conn: http.client.HTTPConnection, csrf: str, answer_key: str) -> None:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}; answer_key={answer_key}",
            "X-CSRFToken": csrf,
            "X-Requested-With": "fetch",
        }
        i = 0
        while time.monotonic() < self.stop_at:
            statement = self.statements[i % len(self.statements)]
            level = self.rng.randint(0, 4)
            body = urlencode(
                {"statement": statement, f"level-{statement}": level, f"note-{statement}": ""}
            )
            started = time.perf_counter()
            try:
                conn.request("POST", f"/r/{self.token}/save/", body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException):
                self.failures += 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
                continue
            self.latencies.append(time.perf_counter() - started)
            if response.status == 200 and json.loads(payload).get("saved"):
                self.acknowledged[str(statement)] = level
            else:
                self.failures += 1
            i += 1
            if self.pause:
                time.sleep(self.rng.uniform(*self.pause))
        conn.close()


class Respondent(Answering):
    """One person answering through their invite link: opens the welcome page (for the CSRF
    cookie), presses Start or Carry on (which binds this "browser" to the link's answers with
    a cookie), then saves answers one after another until the end."""

    def run(self):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        cookie = SimpleCookie()

        def keep_cookies(response):
            response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie.load(value)

        conn.request("GET", f"/r/{self.token}/")
        keep_cookies(conn.getresponse())
        csrf = cookie["csrftoken"].value
        conn.request(
            "POST",
            f"/r/{self.token}/",
            body=urlencode({"csrfmiddlewaretoken": csrf}),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf}",
            },
        )
        keep_cookies(conn.getresponse())
        self.save_answers(conn, csrf, cookie["answer_key"].value)


def autosave(port: int, tokens: list[str], statements: list[int], *, seconds: int) -> dict:
    stop_at = time.monotonic() + seconds
    people = [
        Respondent(port, token, statements, stop_at, seed)
        for seed, token in enumerate(tokens, start=1)
    ]
    started = time.perf_counter()
    for person in people:
        person.start()
    for person in people:
        person.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(lat for person in people for lat in person.latencies)
    saved = len(latencies) - sum(person.failures for person in people)
    return {
        "respondents": len(people),
        "seconds": elapsed,
        "saves": saved,
        "failures": sum(person.failures for person in people),
        "answers_per_s": saved / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p95_ms": 1000 * latencies[int(len(latencies) * 0.95)],
        "sent": {person.token: person.acknowledged for person in people},
    }


# A workshop ----------------------------------------------------------------------------


class Phone(Answering):
    """One person in the room: opens the join page from the QR code (the code filled in),
    chooses a group and joins (the response binds this "browser" to its own answer link
    with a cookie), then saves answers one after another, reading each statement first."""

    pause = (0.2, 0.6)

    def __init__(self, port, code, perspective, statements, stop_at, seed):
        super().__init__(port, "", statements, stop_at, seed)
        self.code, self.perspective = code, perspective
        self.joined_s = 0.0

    def run(self):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        cookie = SimpleCookie()

        def keep(response):
            body = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie.load(value)
            return body

        started = time.perf_counter()
        conn.request("GET", f"/join/?code={self.code}")
        keep(conn.getresponse())
        csrf = cookie["csrftoken"].value
        conn.request(
            "POST",
            "/join/",
            body=urlencode(
                {"csrfmiddlewaretoken": csrf, "code": self.code, "perspective": self.perspective}
            ),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf}",
            },
        )
        response = conn.getresponse()
        keep(response)
        location = response.getheader("Location") or ""
        if response.status != 302 or not location.startswith("/r/"):
            self.failures += 1
            conn.close()
            return
        self.joined_s = time.perf_counter() - started
        self.token = location.split("/")[2]
        self.save_answers(conn, csrf, cookie["answer_key"].value)


class Projector(threading.Thread):
    """The projector view: polls the room's JSON with the ETag it has, as room.js does
    (every ``every`` seconds, faster than the page's four to load the server more)."""

    def __init__(self, port, path, cookie, stop_at, every=0.5):
        super().__init__(daemon=True)
        self.port, self.path, self.cookie, self.stop_at, self.every = (
            int(port),
            path,
            cookie,
            stop_at,
            every,
        )
        self.statuses: dict[int, int] = {}
        self.latencies: list[float] = []
        self.last: dict = {}

    def run(self):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        etag = ""
        while time.monotonic() < self.stop_at:
            headers = {
                "Accept": "application/json",
                **({"Cookie": self.cookie} if self.cookie else {}),
            }
            if etag:
                headers["If-None-Match"] = etag
            started = time.perf_counter()
            conn.request("GET", self.path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            self.latencies.append(time.perf_counter() - started)
            self.statuses[response.status] = self.statuses.get(response.status, 0) + 1
            if response.status == 200:
                etag = response.getheader("ETag") or etag
                self.last = json.loads(body)
            time.sleep(self.every)
        conn.close()


def workshop(
    port, room: dict, statements: list[int], cookie: str, *, phones: int, seconds: int
) -> dict:
    """``phones`` people join by code and answer for ``seconds`` while the projector polls."""
    perspectives = ["staff", "lived_experience", "manager", "carer", "staff", "partner"]
    stop_at = time.monotonic() + seconds
    people = [
        Phone(port, room["code"], perspectives[n % len(perspectives)], statements, stop_at, n)
        for n in range(phones)
    ]
    # The projector view's poll: its key opens it, with no session.
    projector = Projector(port, room["projector"] + "room.json", "", stop_at)
    started = time.perf_counter()
    projector.start()
    for person in people:
        person.start()
    for thread in [*people, projector]:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(lat for person in people for lat in person.latencies)
    polls = sorted(projector.latencies)
    saved = len(latencies) - sum(person.failures for person in people)
    return {
        "phones": phones,
        "joined": sum(1 for person in people if person.token),
        "seconds": elapsed,
        "saves": saved,
        "failures": sum(person.failures for person in people),
        "answers_per_s": saved / elapsed,
        "save_p50_ms": 1000 * latencies[len(latencies) // 2] if latencies else None,
        "save_p95_ms": 1000 * latencies[int(len(latencies) * 0.95)] if latencies else None,
        "join_p95_ms": 1000 * sorted(p.joined_s for p in people)[int(len(people) * 0.95) - 1]
        if people
        else None,
        "polls": projector.statuses,
        "poll_p95_ms": 1000 * polls[int(len(polls) * 0.95)] if polls else None,
        "projector_joined": projector.last.get("joined"),
        "sent": {person.token: person.acknowledged for person in people if person.token},
    }


# The cohort summary PDF: asking for it, and the worker that builds it --------------------


def _timed(conn: http.client.HTTPConnection, method: str, path: str, headers, body=None):
    started = time.perf_counter()
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    return time.perf_counter() - started, response, text


def cohort_pdf_request(
    port: int,
    *,
    cohort: int,
    facilitator: str,
    results: str,
    lead: str,
    params: list[str],
) -> dict:
    """How long a facilitator waits for the answer to "Download PDF" (the request that asks
    a worker for the summary, answered with the address of its "being prepared" page; and
    with that page fetched too), against the results page of an organisation in the
    cohort, taken in turn on one keep-alive connection each. Every request asks with other
    settings (``params``: sort, order, group), so each is a new export queued, not one
    already waiting (no worker runs)."""
    asking = http.client.HTTPConnection(HOST, int(port), timeout=60)
    reading = http.client.HTTPConnection(HOST, int(port), timeout=60)
    csrf = _csrf_cookie(port, f"/cohorts/{cohort}/", facilitator)
    cookie = f"{facilitator}; csrftoken={csrf}"
    form = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    body = urlencode({"csrfmiddlewaretoken": csrf})

    def ask(query: str) -> tuple[float, float]:
        took, response, _ = _timed(
            asking, "POST", f"/cohorts/{cohort}/summary.pdf?{query}", form, body
        )
        location = response.getheader("Location") or ""
        if response.status != 302 or not location.startswith("/downloads/"):
            raise RuntimeError(f"asking for the cohort PDF answered {response.status}")
        more, page, text = _timed(asking, "GET", location, {"Cookie": cookie})
        if page.status != 200 or "is being prepared" not in text:
            raise RuntimeError(f"the download's page answered {page.status}, not 'preparing'")
        return took, took + more

    def read() -> float:
        took, response, text = _timed(reading, "GET", results, {"Cookie": lead})
        if response.status != 200 or "Who took part" not in text:
            raise RuntimeError(f"{results} answered {response.status}, not the results")
        return took

    for _ in range(3):  # both workers warm: the results kept, the code paths run once
        read()
    ask(params[-1])
    posted, asked, read_s = [], [], []
    for query in params[:-1]:
        read_s.append(read())
        post, whole = ask(query)
        posted.append(post)
        asked.append(whole)
    asking.close()
    reading.close()
    return {
        "requests": len(asked),
        "pdf_request_s": statistics.median(asked),
        "pdf_request_p90_s": sorted(asked)[int(len(asked) * 0.9)],
        "pdf_post_s": statistics.median(posted),  # the request, answered (a redirect)
        "pdf_post_p90_s": sorted(posted)[int(len(posted) * 0.9)],
        "results_s": statistics.median(read_s),
        "results_p90_s": sorted(read_s)[int(len(read_s) * 0.9)],
    }


def _csrf_cookie(port: int, path: str, session: str) -> str:
    """The CSRF cookie a page gives (it holds a form), for the forms posted after it."""
    conn = http.client.HTTPConnection(HOST, int(port), timeout=60)
    _, response, _ = _timed(conn, "GET", path, {"Cookie": session})
    conn.close()
    cookie: SimpleCookie = SimpleCookie()
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            cookie.load(value)
    if response.status != 200 or "csrftoken" not in cookie:
        raise RuntimeError(f"{path} answered {response.status} without a CSRF cookie")
    return cookie["csrftoken"].value


def _status(pid: int) -> dict[str, int]:
    """The process's resident memory now (VmRSS) and at its highest (VmHWM), in KiB."""
    with open(f"/proc/{pid}/status") as status:
        return {
            line.split(":")[0]: int(line.split()[1])
            for line in status
            if line.startswith(("VmRSS:", "VmHWM:"))
        }


@contextmanager
def task_worker(env: dict):
    """``manage.py worker`` as run in production (one process: it runs each task itself),
    taking tasks every 0.2 s; yields its process id."""
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "manage.py", "worker", "--no-reload"]
        + ["--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
    )
    try:
        yield process.pid
    finally:
        process.terminate()
        process.wait(timeout=60)


def wait_ready(pid: int, *, settle: float = 3.0, timeout: float = 120.0) -> int:
    """Wait until a worker that has just started is idle and ready: started (Django set up
    and its checks run, which import the site's code: WeasyPrint, matplotlib), taking
    tasks, its resident memory unchanged for ``settle`` seconds. Returns that memory (KiB):
    the worker's baseline."""
    deadline = time.monotonic() + timeout
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        now = _status(pid)["VmRSS"]
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= settle:
            return now
        time.sleep(0.25)
    raise RuntimeError("the worker did not settle")


def worker_peak_memory(port: int, env: dict, *, cohort: int, facilitator: str) -> dict:
    """A worker's resident memory when idle and ready (the baseline), and at its highest
    while it builds the cohort summary asked for through the site, as a facilitator asks."""
    csrf = _csrf_cookie(port, f"/cohorts/{cohort}/", facilitator)
    cookie = f"{facilitator}; csrftoken={csrf}"
    with task_worker(env) as pid:
        baseline = wait_ready(pid)
        # Peak from here on: the highest memory of the work, not of starting up.
        with open(f"/proc/{pid}/clear_refs", "w") as clear:
            clear.write("5")
        conn = http.client.HTTPConnection(HOST, int(port), timeout=60)
        started = time.perf_counter()
        _, response, _ = _timed(
            conn,
            "POST",
            f"/cohorts/{cohort}/summary.pdf",
            {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
            urlencode({"csrfmiddlewaretoken": csrf}),
        )
        page = response.getheader("Location") or ""
        deadline = time.monotonic() + 600
        while True:
            _, response, text = _timed(conn, "GET", page, {"Cookie": cookie})
            if "Your download is ready" in text:
                break
            if "could not be prepared" in text or time.monotonic() > deadline:
                raise RuntimeError("the worker did not prepare the cohort PDF")
            time.sleep(0.25)
        built = time.perf_counter() - started
        memory = _status(pid)
        _, response, content = _timed(conn, "GET", page + "file", {"Cookie": cookie})
        conn.close()
    return {
        "baseline_kib": baseline,
        "peak_kib": memory["VmHWM"],
        "after_kib": memory["VmRSS"],
        "build_s": built,
        "pdf_ok": response.status == 200 and content.startswith("%PDF"),
    }
