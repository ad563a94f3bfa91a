"""Run every benchmark in one go and write BENCHMARKS.md and bench/results.json.

    python -m bench            # what `make bench` runs (inside .ci/with-postgres)

With DATABASE_URL pointing at a PostgreSQL server, the data is generated there too and the
cohort figures (and the pages) are measured on both databases. Environment knobs, for a
quicker look: BENCH_ORGS (1000), BENCH_RESPONDENTS (20), BENCH_SECONDS (3 per wrk run),
BENCH_ROUNDS (5 wrk runs per page). BENCH_ONLY=workshop runs the workshop only (60 phones
joining by code and answering while a projector polls, then the projector page and its
poll against the sign-in page) and prints its results instead of writing the reports.
BENCH_ONLY=queue runs only what issue 15 measures (the cohort summary PDF asked for
against the results page, the worker's memory building it, and autosave through HAProxy
with one of two app servers killed) and prints its results. BENCH_ONLY=insider runs only
the insider's simulation (bench/insider.py) and writes it into the last run's report.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from . import http, report

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv/bin/python")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(env: dict, *command: str) -> str:
    return subprocess.run(
        [PY, *command], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def worker(env: dict, task: str, **args) -> dict:
    output = run(env, "-m", "bench.worker", task, json.dumps(args))
    return json.loads(output.strip().splitlines()[-1])


def cohort_pdf(env: dict, port, info: dict) -> dict:
    """The largest cohort's summary PDF: the request that asks for it against the results
    page of an organisation in it, then a worker's memory while it builds one."""
    size = str(max(map(int, info["cohorts"])))
    cohort = info["cohorts"][size]
    facilitator = f"sessionid={info['facilitator_session']}"
    params = [
        f"sort={sort}&dir={order}&perspective={group}"
        for group in ["", *info["perspectives"]]
        for sort in ("name", "progress", "p1", "p2")
        for order in ("asc", "desc")
    ]
    request = http.cohort_pdf_request(
        port,
        cohort=cohort,
        facilitator=facilitator,
        results=f"/rounds/{info['cohort_results_round']}/results/",
        lead=f"sessionid={info['lead_session']}",
        params=params[:31],
    )
    cleared = worker(env, "exports_clear")
    memory = http.worker_peak_memory(port, env, cohort=cohort, facilitator=facilitator)
    return {"organisations": int(size), "request": request, "cleared": cleared, "worker": memory}


def failover(server_url: str, tmp: Path) -> dict:
    """Autosave through HAProxy with one of two app servers killed and restarted: the
    multi-node test's own setup and run (tests/multinode/cluster.py)."""
    from tests.multinode.cluster import autosave_with_a_server_killed, running_cluster

    folder = tmp / "failover"
    folder.mkdir()
    with running_cluster(folder, server_url, name="coprod_bench_failover") as cluster:
        run = autosave_with_a_server_killed(cluster)
    return {
        **dataclasses.asdict(run),
        "lost": sum(len(diff) for diff in run.lost.values()),
        "served_before": sorted(run.served_before),
        "served_after": sorted(run.served_after),
    }


def postgres_url(server_url: str) -> str:
    """A fresh database on the server DATABASE_URL names (its own name is not assumed to
    exist yet)."""
    import psycopg

    base, _, _ = server_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS coprod_bench")
        conn.execute("CREATE DATABASE coprod_bench")
    return f"{base}/coprod_bench"


def main() -> None:
    started = time.perf_counter()
    orgs = int(os.environ.get("BENCH_ORGS", "1000"))
    respondents = int(os.environ.get("BENCH_RESPONDENTS", "20"))
    seconds = int(os.environ.get("BENCH_SECONDS", "3"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    tmp = Path(tempfile.mkdtemp(prefix="coprod-bench-"))
    base_env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DATABASE_URL", "DEBUG", "HTTPS", "ALLOWED_HOSTS", "BEHIND_PROXY", "SITE_URL"}
    } | {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_STATIC_ROOT": str(tmp / "static"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": "http://127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "PYTHONHASHSEED": "0",
    }
    databases = {"sqlite": f"sqlite:///{tmp / 'bench.sqlite3'}"}
    server = os.environ.get("DATABASE_URL", "")
    if server.startswith(("postgres://", "postgresql://")):
        databases["postgresql"] = postgres_url(server)
    else:
        log("No PostgreSQL in DATABASE_URL: measuring SQLite only (make bench starts one).")

    if os.environ.get("BENCH_ONLY") == "insider":
        # The simulation alone, written into the last full run's report.
        log("the insider against the noise on published counts")
        last = json.loads((ROOT / "bench" / "results.json").read_text())
        last["insider"] = worker(base_env | {"DATABASE_URL": databases["sqlite"]}, "insider")
        report.write(last)
        shutil.rmtree(tmp, ignore_errors=True)
        log("BENCHMARKS.md and bench/results.json written")
        return
    results: dict = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "load": {"orgs": orgs, "respondents": respondents, "framework": "cahn"},
        "settings": {"wrk_seconds": seconds, "wrk_runs": rounds, "connections": 8},
        "databases": {},
    }
    try:
        log("collectstatic")
        run(
            base_env | {"DATABASE_URL": databases["sqlite"]},
            "manage.py",
            "collectstatic",
            "--noinput",
            "-v0",
        )
        for vendor, url in databases.items():
            env = base_env | {"DATABASE_URL": url}
            db: dict = {}
            results["databases"][vendor] = db
            log(f"{vendor}: migrate, load frameworks, generate {orgs} x {respondents}")
            run(env, "manage.py", "migrate", "--noinput", "-v0")
            run(env, "manage.py", "load_frameworks")
            t0 = time.perf_counter()
            output = run(
                env,
                "manage.py",
                "generate_load",
                "--orgs",
                str(orgs),
                "--respondents",
                str(respondents),
                "--cohort",
                f"Load test cohort {orgs}",
                "--facilitator",
                "load-facilitator@load-test.invalid",
                "--force",
            )
            db["generate_s"] = time.perf_counter() - t0
            db["generate_output"] = output.strip()
            log(f"{vendor}: {output.strip()}")
            info = worker(env, "prepare")
            db["settle"] = worker(env, "settle")
            db["cohorts_available"] = bool(info["cohorts"])

            pages = {
                "login": ("/accounts/login/", "", "Sign in"),
                "answering": (
                    f"/rounds/{info['workshop_round']}/answer/1/",
                    f"sessionid={info['lead_session']}",
                    "Load test workshop",
                ),
                "results": (
                    f"/rounds/{info['results_round']}/results/",
                    f"sessionid={info['lead_session']}",
                    "Load test round",
                ),
            }
            if info["cohorts"]:
                pages["results_in_cohort"] = (
                    f"/rounds/{info['cohort_results_round']}/results/",
                    f"sessionid={info['lead_session']}",
                    "Load test round",
                )
            for size, pk in info["cohorts"].items():
                pages[f"cohort_{size}"] = (
                    f"/cohorts/{pk}/",
                    f"sessionid={info['facilitator_session']}",
                    f"Load test cohort {size}",
                )
            workshop_only = os.environ.get("BENCH_ONLY") == "workshop"
            queue_only = os.environ.get("BENCH_ONLY") == "queue"
            with http.gunicorn(env) as port:
                if queue_only:
                    if info["cohorts"]:
                        log(f"{vendor}: cohort summary PDF, asked for and built by a worker")
                        db["cohort_pdf"] = cohort_pdf(env, port, info)
                    continue
                if not workshop_only:
                    log(f"{vendor}: page throughput ({', '.join(pages)})")
                    db["throughput"] = http.throughput(port, pages, seconds=seconds, rounds=rounds)
                    log(f"{vendor}: autosave with {len(info['tokens'])} respondents")
                    saved = http.autosave(port, info["tokens"], info["statements"], seconds=15)
                log(f"{vendor}: workshop, {len(info['tokens'])} phones and a projector")
                lead = f"sessionid={info['lead_session']}"
                room = http.workshop(
                    port,
                    info["room"],
                    info["statements"],
                    lead,
                    phones=len(info["tokens"]),
                    seconds=int(os.environ.get("BENCH_WORKSHOP_SECONDS", "20")),
                )
                # The projector view and its poll, as the projector's browser asks for
                # them: by the key in the address, with no session.
                projector = info["room"]["projector"]
                poll = projector + "room.json"
                _, headers, _ = http.get(port, poll)
                room_pages = {
                    "login": ("/accounts/login/", "", "Sign in"),
                    "workshop_projector": (projector, "", "Join on your phone"),
                    "workshop_poll": (poll, "", "counts_html"),
                    "workshop_poll_unchanged": (
                        poll,
                        "",
                        "",
                        {"If-None-Match": headers.get("ETag", "")},
                        304,
                    ),
                }
                log(f"{vendor}: projector and poll throughput, {room['joined']} in the room")
                room["throughput"] = http.throughput(
                    port, room_pages, seconds=seconds, rounds=rounds
                )
                if not workshop_only and info["cohorts"]:
                    log(f"{vendor}: cohort summary PDF, asked for and built by a worker")
                    db["cohort_pdf"] = cohort_pdf(env, port, info)
            sent_file = tmp / f"sent-room-{vendor}.json"
            sent_file.write_text(json.dumps(room.pop("sent")))
            room["check"] = worker(env, "autosave_check", sent=str(sent_file))
            db["workshop"] = room
            if workshop_only:
                continue
            sent_file = tmp / f"sent-{vendor}.json"
            sent_file.write_text(json.dumps(saved.pop("sent")))
            saved["check"] = worker(env, "autosave_check", sent=str(sent_file))
            db["autosave"] = saved

            log(f"{vendor}: publishing a round against rendering its results page")
            db["publishing"] = worker(env, "publishing", round=info["results_round"])

            if info["cohorts"]:
                log(f"{vendor}: cohort figures")
                db["aggregates"] = worker(env, "aggregates", cohorts=info["cohorts"])

            if vendor == "sqlite":
                log("sqlite: the insider against the noise on published counts")
                results["insider"] = worker(env, "insider")
                biggest = info["cohorts"].get(str(max(map(int, info["cohorts"]), default=0)))
                log("sqlite: PDF and radar")
                results["pdf"] = worker(
                    env,
                    "pdf",
                    results_round=info["results_round"],
                    cohort_round=info["cohort_results_round"] if biggest else None,
                    cohort=biggest,
                )
                log("sqlite: memory")
                memory = {
                    "report": worker(env, "memory", what="report", round=info["results_round"])
                }
                if biggest:
                    memory["dashboard"] = worker(env, "memory", what="dashboard", cohort=biggest)
                    memory["cohort_summary"] = worker(
                        env, "memory", what="cohort_summary", cohort=biggest
                    )
                results["memory"] = memory
                results["cohort_sizes"] = sorted(map(int, info["cohorts"]))
        if "postgresql" in databases and os.environ.get("BENCH_ONLY") in (None, "", "queue"):
            log("autosave through HAProxy, two app servers, one killed and restarted")
            results["failover"] = failover(server, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results["total_s"] = time.perf_counter() - started
    if os.environ.get("BENCH_ONLY") == "queue":
        print(json.dumps(report.queue_rows(results), indent=2))
        made = {vendor: db.get("cohort_pdf") for vendor, db in results["databases"].items()}
        print(json.dumps({"cohort_pdf": made, "failover": results.get("failover")}))
        return
    if os.environ.get("BENCH_ONLY") == "workshop":
        print(json.dumps(report.workshop_rows(results), indent=2))
        print(json.dumps({v: db.get("workshop") for v, db in results["databases"].items()}))
        return
    report.write(results)
    log(f"done in {results['total_s']:.0f} s: BENCHMARKS.md and bench/results.json written")


if __name__ == "__main__":
    try:
        main()
    except subprocess.CalledProcessError as exc:
        sys.stderr.write(exc.stderr or "")
        raise
