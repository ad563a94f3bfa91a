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

import os
import re
from collections.abc import Iterator

import pytest

from tests.multinode.cluster import (
    HOST,
    MAIL_SECONDS,
    ROOT,
    WORKER_TIMEOUT,
    Browser,
    Cluster,
    autosave_with_a_server_killed,
    running_cluster,
    wait_for,
)

pytestmark = pytest.mark.skipif(
    os.environ.get("COPROD_MULTINODE") != "1" or not os.environ.get("DATABASE_URL"),
    reason="the multi-node test runs with `make test-multinode` (PostgreSQL, Redis, HAProxy)",
)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    with running_cluster(tmp_path_factory.mktemp("multinode"), os.environ["DATABASE_URL"]) as c:
        yield c


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


def test_no_acknowledged_answer_is_lost_when_a_server_dies_mid_run(cluster):
    run = autosave_with_a_server_killed(cluster)
    assert not run.lost, f"acknowledged answers not in the database: {run.lost}"
    assert run.everyone_saved
    # Both servers answered before the kill; app1 again after its restart.
    assert run.served_before == {"app1", "app2"} and "app1" in run.served_after
    print(
        f"\nautosave: {run.people} people, {run.acknowledged} saves acknowledged, "
        f"{run.failures} failed tries, {run.retried} saves through after a retry, 0 lost; "
        f"app1 killed at {run.killed_at:.0f}s, back at {run.restarted_at:.0f}s"
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
