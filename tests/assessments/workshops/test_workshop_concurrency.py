"""A room of phones at once, on PostgreSQL: joining never goes past the lead's cap, and
people finishing the shown principle together never make snapshots closer than three
people apart. Each thread is its own browser with its own database connection."""

import itertools
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.figures.models import RoomSnapshot
from assessments.rounds.models import Invite
from assessments.workshops import services
from tests import factories
from tests.assessments.rounds.test_concurrency import in_threads
from tests.support import ensure_framework

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency needs a database with real concurrent writers: runs on PostgreSQL",
    ),
]


def _room(capacity):
    ensure_framework()
    lead = factories.user()
    round_ = factories.round(factories.organisation(lead=lead))
    workshop = services.workshop_start(round=round_, by=lead, capacity=capacity)
    return lead, round_, workshop


def _join(code, n):
    def job():
        phone = Client(REMOTE_ADDR=f"10.9.{n}.1")
        url = reverse("assessments:workshop-join")
        response = phone.post(url, {"code": code, "perspective": "staff"})
        return phone, response

    return job


def test_a_crowd_joining_at_once_stops_at_the_cap():
    _, _, workshop = _room(capacity=5)
    results = in_threads([_join(workshop.code, n) for n in range(16)])
    joined = [r for _, r in results if r.status_code == 302]
    assert len(joined) == 5
    assert all(r.status_code == 409 for _, r in results if r.status_code != 302)
    assert Invite.objects.filter(workshop=workshop).count() == 5


def test_people_finishing_together_move_the_figures_only_in_steps_of_three():
    lead, round_, workshop = _room(capacity=40)
    principle = round_.framework.principles.order_by("order")[0]
    statements = list(principle.statements.order_by("order"))
    services.workshop_show(workshop=workshop, by=lead, principle=principle)
    phones = [r for r in in_threads([_join(workshop.code, n) for n in range(14)])]

    def answer(phone, response, level):
        token = response["Location"].split("/")[2]
        save = reverse("assessments:invite-autosave", kwargs={"token": token})

        def job():
            for statement in statements:
                done = phone.post(save, {"statement": statement.pk, f"level-{statement.pk}": level})
                assert done.status_code == 200, done.content
            return token

        return job

    in_threads([answer(p, r, 1 + n % 4) for n, (p, r) in enumerate(phones)])
    snapshots = list(RoomSnapshot.objects.filter(workshop=workshop).order_by("number"))
    assert snapshots and snapshots[-1].people >= 12
    for a, b in itertools.pairwise(snapshots):
        assert len(set(b.ledger["people"]) - set(a.ledger["people"])) >= 3
    for a, b in itertools.combinations(snapshots, 2):
        assert len(set(a.ledger["people"]) ^ set(b.ledger["people"])) >= 3


def test_people_joining_while_others_finish_principles_wait_in_turn_never_in_a_circle():
    """Saving an answer locks the round and, when it finishes a principle, moves the
    workshop's version; joining, the lead's choices and the room's figures lock both too.
    All take the round first: a deadlock would fail someone's save or join here."""
    lead, round_, workshop = _room(capacity=60)
    principles = list(round_.framework.principles.order_by("order"))
    services.workshop_show(workshop=workshop, by=lead, principle=principles[0])
    first = [r for r in in_threads([_join(workshop.code, n) for n in range(8)])]

    def answer(phone, response):
        token = response["Location"].split("/")[2]
        save = reverse("assessments:invite-autosave", kwargs={"token": token})

        def job():
            for principle in principles[:2]:
                for statement in principle.statements.order_by("order"):
                    done = phone.post(save, {"statement": statement.pk, f"level-{statement.pk}": 2})
                    assert done.status_code == 200, done.content
            return "answered"

        return job

    def lead_shows(principle):
        def job():
            services.workshop_show(workshop=workshop, by=lead, principle=principle)
            return "shown"

        return job

    jobs = [answer(p, r) for p, r in first]
    jobs += [_join(workshop.code, 100 + n) for n in range(8)]
    jobs += [lead_shows(principles[1]), lead_shows(principles[0])]
    results = in_threads(jobs)
    assert results.count("answered") == 8 and results.count("shown") == 2
    joined = [r for r in results if isinstance(r, tuple)]
    assert all(response.status_code == 302 for _, response in joined)
    assert Invite.objects.filter(workshop=workshop).count() == 16


def test_people_finishing_together_move_the_rooms_count_to_its_next_step():
    """Three people send a principle's last answer at the same moment. The room's count
    of them is in steps of three, and the screen's view moves only when it reaches one:
    each is counted after the others (every save holds the round's lock), so whichever
    order they commit in, the last one moves the count from "fewer than 3" to "3 or more"
    and the screen's kept view with it."""
    _, round_, workshop = _room(capacity=40)
    statements = list(round_.framework.principles.order_by("order")[0].statements.all())
    phones = in_threads([_join(workshop.code, n) for n in range(3)])

    def save(phone, response, these):
        token = response["Location"].split("/")[2]
        url = reverse("assessments:invite-autosave", kwargs={"token": token})

        def job():
            for statement in these:
                done = phone.post(url, {"statement": statement.pk, f"level-{statement.pk}": 2})
                assert done.status_code == 200, done.content
            return "saved"

        return job

    for phone, response in phones:
        save(phone, response, statements[:-1])()
    screen = Client()
    poll = reverse(
        "assessments:workshop-projector-state",
        kwargs={"workshop": workshop.pk, "key": workshop.projector_key},
    )
    first_row = re.compile(r"1\. [^<]*</th><td class=\"text-end\">([^<]*)</td>")
    assert first_row.search(screen.get(poll).json()["counts_html"])[1] == "fewer than 3"
    assert in_threads([save(p, r, statements[-1:]) for p, r in phones]) == ["saved"] * 3
    assert first_row.search(screen.get(poll).json()["counts_html"])[1] == "3 or more"
