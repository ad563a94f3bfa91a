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
