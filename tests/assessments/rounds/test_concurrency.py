"""Many people answering at once, on PostgreSQL: no answer lost, none duplicated, and a clear
message to whoever was too late when the round closed.

Each thread is a separate browser: its own test client and its own database connection,
through the real autosave endpoint. SQLite serialises every writer, so these races only
mean something on PostgreSQL; `make test` runs them there.
"""

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from assessments.rounds import services
from assessments.rounds.models import Answer, Respondent, RoundStatus
from coprod import codes
from tests import factories
from tests.support import ensure_framework

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency needs a database with real concurrent writers: runs on PostgreSQL",
    ),
]

WORKERS = 8


def in_threads(jobs):
    """Run the jobs on a pool of threads, each closing its connection when done."""

    def run(job):
        try:
            return job()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(run, jobs))


def autosave(client: Client, url: str, statement, level: int, note: str = ""):
    response = client.post(
        url,
        {"statement": statement.pk, f"level-{statement.pk}": level, f"note-{statement.pk}": note},
    )
    return response.status_code, response.json()


@pytest.fixture
def round_with_links():
    ensure_framework()
    lead = factories.user()
    round_ = factories.round(factories.organisation(lead=lead))
    statements = [s for p in round_.framework.principles.all() for s in p.statements.all()]
    return lead, round_, statements


def start(client: Client, invite) -> str:
    """Open the link's first page, as a person would, so the respondent exists."""
    client.post(reverse("assessments:invite-start", kwargs={"token": invite.raw_token}))
    return reverse("assessments:invite-autosave", kwargs={"token": invite.raw_token})


def test_a_workshop_answering_at_once_loses_nothing(round_with_links):
    _, round_, statements = round_with_links
    people = 24
    invites = [
        factories.invite(round_, perspective=random.choice(["staff", "lived_experience", "carer"]))
        for _ in range(people)
    ]
    clients = [Client() for _ in invites]
    urls = in_threads([lambda c=c, i=i: start(c, i) for c, i in zip(clients, invites, strict=True)])
    expected = {}
    jobs = []
    for person, (client, url) in enumerate(zip(clients, urls, strict=True)):
        for statement in statements:
            level = (person + statement.pk) % 4 + 1
            expected[(invites[person].pk, statement.pk)] = level
            jobs.append(lambda c=client, u=url, s=statement, v=level: autosave(c, u, s, v))
    random.Random(7).shuffle(jobs)
    results = in_threads(jobs)

    assert all(status == 200 and body["saved"] for status, body in results)
    stored = {
        (invite_id, statement_id): level
        for invite_id, statement_id, level in Answer.objects.filter(
            respondent__round=round_
        ).values_list("respondent__invite_id", "statement_id", "level")
    }
    assert stored == expected  # every answer there, once, with the level given
    assert Respondent.objects.filter(round=round_).count() == people


def test_one_person_in_two_tabs_keeps_one_answer_per_statement(round_with_links):
    _, round_, statements = round_with_links
    invite = factories.invite(round_)
    tabs = [Client(), Client()]
    url = start(tabs[0], invite)
    tabs[1].cookies.update(tabs[0].cookies)  # tabs of one browser share its cookies
    start(tabs[1], invite)  # the second tab finds the same respondent
    statement = statements[0]
    jobs = [
        lambda t=tabs[n % 2], v=n % 4 + 1, note=f"tab {n % 2}": autosave(t, url, statement, v, note)
        for n in range(40)
    ]
    results = in_threads(jobs)
    assert all(status == 200 for status, _ in results)
    assert Respondent.objects.filter(invite=invite).count() == 1
    answers = Answer.objects.filter(respondent__invite=invite, statement=statement)
    assert answers.count() == 1
    assert answers.get().level in {1, 2, 3, 4}


def test_two_browsers_starting_one_link_at_once_bind_only_the_first(round_with_links):
    _, round_, _ = round_with_links
    invite = factories.invite(round_)
    browsers = [Client() for _ in range(WORKERS)]
    barrier = threading.Barrier(WORKERS)
    url = reverse("assessments:invite-start", kwargs={"token": invite.raw_token})

    def press_start(client):
        barrier.wait()
        return client.post(url).status_code

    statuses = in_threads([lambda c=c: press_start(c) for c in browsers])
    assert sorted(statuses) == [302] + [403] * (WORKERS - 1)
    assert Respondent.objects.filter(invite=invite).count() == 1


def test_two_tabs_choosing_a_perspective_at_once_make_one_respondent(round_with_links):
    _, round_, _ = round_with_links
    member = factories.member(round_.organisation)
    barrier = threading.Barrier(WORKERS)

    def choose(perspective):
        barrier.wait()
        return services.respondent_for_member(round=round_, user=member, perspective=perspective)

    chosen = in_threads([lambda p=p: choose(p) for p in ["staff", "manager"] * (WORKERS // 2)])
    assert len({r.pk for r in chosen}) == 1
    assert Respondent.objects.filter(round=round_, user=member).count() == 1


def test_closing_the_round_while_people_answer_tells_the_late_ones(round_with_links):
    lead, round_, statements = round_with_links
    invites = [factories.invite(round_) for _ in range(6)]
    clients = [Client() for _ in invites]
    urls = [start(c, i) for c, i in zip(clients, invites, strict=True)]
    closed = threading.Event()

    def answer_all(client, url):
        outcomes = []
        for statement in statements:
            outcomes.append(autosave(client, url, statement, 3))
        return outcomes

    def close():
        services.round_close(round=round_, by=lead)
        closed.set()
        return [(200, {"closed": True})]

    jobs = [lambda c=c, u=u: answer_all(c, u) for c, u in zip(clients, urls, strict=True)]
    jobs.insert(3, close)
    outcomes = [item for batch in in_threads(jobs) for item in batch]

    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    late = [body for status, body in outcomes if status == 409]
    saved = [body for status, body in outcomes if status == 200 and body.get("saved")]
    assert len(late) + len(saved) == len(invites) * len(statements)
    for body in late:
        assert body["error"] in {
            "This round is not taking answers.",
            "This round has closed, so answers can no longer be changed. "
            "Thank you for taking part.",
        }
    # Nothing was written after the round closed, and every reported save is stored.
    assert not Answer.objects.filter(respondent__round=round_, updated_at__gt=round_.closed_at)
    assert Answer.objects.filter(respondent__round=round_).count() == len(saved)


def test_wrong_move_codes_typed_at_once_are_each_counted(round_with_links):
    """Guesses at a link's move code fired all at once from one address are checked no more
    than the limit allows: each is counted under the link's lock before the next is read."""
    _, round_, _ = round_with_links
    invite = factories.invite(round_)
    phone = Client()
    start(phone, invite)
    move = reverse("assessments:invite-move", kwargs={"token": invite.raw_token})
    assert phone.post(move).status_code == 200  # a live code on the phone
    here = reverse("assessments:invite-move-here", kwargs={"token": invite.raw_token})
    guesses = 4 * WORKERS
    barrier = threading.Barrier(WORKERS)

    def guess(n):
        if n < WORKERS:
            barrier.wait()
        wrong = "AAAA" + "".join(codes.ALPHABET[int(d)] for d in f"{n:04d}")
        response = Client(REMOTE_ADDR="203.0.113.99").post(here, {"code": wrong})
        return response.status_code, response.content.decode()

    outcomes = in_threads([lambda n=n: guess(n) for n in range(guesses)])
    assert all(status == 403 for status, _ in outcomes)
    checked = [page for _, page in outcomes if "That code is not right" in page]
    paused = [page for _, page in outcomes if "Too many codes that did not work" in page]
    assert len(checked) == services.MOVE_WRONG_CODES.count
    assert len(paused) == guesses - services.MOVE_WRONG_CODES.count
