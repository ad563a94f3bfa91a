"""Autosave is the busiest write in a workshop (60 people saving each answer as they give
it), so its queries are counted: the round is read once with the link and once more under
its lock, never reloaded through the respondent."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.support import sign_in

pytestmark = pytest.mark.django_db


def first_statement(round_):
    return round_.framework.principles.order_by("order")[0].statements.order_by("order")[0]


def save(client, url, statement, level):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"statement": statement.pk, f"level-{statement.pk}": level})
    assert response.status_code == 200 and response.json()["saved"]
    return [q["sql"] for q in queries.captured_queries]


def rounds_read(queries):
    return [sql for sql in queries if 'FROM "assessments_round"' in sql]


def test_autosave_by_link_reads_the_round_once_and_once_locked(client, world):
    client.post(reverse("assessments:invite-start", kwargs={"token": world.invite.raw_token}))
    url = reverse("assessments:invite-autosave", kwargs={"token": world.invite.raw_token})
    statement = first_statement(world.round)
    queries = save(client, url, statement, "2")
    assert len(rounds_read(queries)) == 1  # the lock; the link brought the round along
    assert len(queries) <= 10
    assert len(save(client, url, statement, "3")) == len(queries)


def test_member_autosave_reads_the_round_once_and_once_locked(client, world):
    sign_in(client, world.member)
    client.post(
        reverse("assessments:member-start", kwargs={"pk": world.round.pk}),
        {"perspective": "staff"},
    )
    url = reverse("assessments:member-autosave", kwargs={"pk": world.round.pk})
    queries = save(client, url, first_statement(world.round), "1")
    assert len(rounds_read(queries)) == 2  # the access check, and the lock


def test_autosave_in_a_workshop_touches_the_workshop_only_when_a_principle_is_finished(world):
    """60 phones in a room save at once: a save writes the workshop's row (what the room's
    screen polls) only when its person has just answered a principle's last statement,
    and it is the third (sixth, ninth…) to have done so: the room's counts are in steps of
    three."""
    from django.test import Client

    from assessments.rounds.services import AnswerInput, answers_save
    from assessments.workshops import services

    workshop = services.workshop_start(round=world.round, by=world.lead)
    for n in range(2):  # two people have answered the whole principle already
        earlier = services.workshop_join(
            workshop=workshop, perspective="staff", address=f"10.2.{n}.1"
        ).respondent
        earlier.round = world.round
        answers_save(
            respondent=earlier,
            answers=[
                AnswerInput(statement_id=s.pk, level=2)
                for s in world.round.framework.principles.order_by("order")[0].statements.all()
            ],
        )
    phone = Client()
    phone.post(reverse("assessments:workshop-join"), {"code": workshop.code})
    joined = phone.post(
        reverse("assessments:workshop-join"), {"code": workshop.code, "perspective": "staff"}
    )
    token = joined["Location"].split("/")[2]
    url = reverse("assessments:invite-autosave", kwargs={"token": token})
    statements = list(
        world.round.framework.principles.order_by("order")[0].statements.order_by("order")
    )

    def workshop_writes(queries):
        return [sql for sql in queries if sql.startswith('UPDATE "assessments_workshop"')]

    first = save(phone, url, statements[0], "2")
    assert not workshop_writes(first)
    changed = save(phone, url, statements[0], "3")
    assert not workshop_writes(changed)
    assert len(changed) <= 11  # a link's save, and which of its statements are new
    for statement in statements[1:-1]:
        assert not workshop_writes(save(phone, url, statement, "2"))
    assert len(workshop_writes(save(phone, url, statements[-1], "2"))) == 1
    assert not workshop_writes(save(phone, url, statements[-1], "4"))
