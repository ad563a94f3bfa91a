"""The next round's results show the last round's actions: which statement or principle
each was aimed at, where it stands, and how that statement's or principle's published
score moved; "not shown" where either round held it back."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.documents.stamp import stamp_renew
from assessments.rounds import services
from assessments.rounds.models import Action, Level
from tests import factories
from tests.support import earlier_round, sign_in, with_answers

pytestmark = pytest.mark.django_db

HEADING = "The last round’s actions and what moved"


def results_url(world):
    return reverse("assessments:results", kwargs={"pk": world.round.pk})


def statements(world):
    principles = list(world.round.framework.principles.order_by("order"))
    return principles, [list(p.statements.order_by("order")) for p in principles]


def earlier_with_actions(world, *, extra=0):
    """A closed round before the world's, where everyone answered 2 except "not sure" to
    the second statement of the first principle (so its score was held back); with
    actions aimed at a statement, at that held statement and at a whole principle."""
    principles, _ = statements(world)
    held = principles[0].statements.order_by("order")[1]
    earlier = earlier_round(world, level=lambda s: Level.NOT_SURE if s.pk == held.pk else 2)
    earlier_principles = list(earlier.framework.principles.order_by("order"))
    first, second = earlier_principles[0].statements.order_by("order")[:2]

    def action(change_to, principle, statement=None, **extra_fields):
        return Action.objects.create(
            round=earlier,
            principle=principle,
            statement=statement,
            change_from="Before",
            change_to=change_to,
            owner="Rita",
            **extra_fields,
        )

    action("Ask carers before writing the plan", earlier_principles[0], first, status="done")
    action("Pay people for their time", earlier_principles[0], second, status="in_progress")
    action("Peer support group", earlier_principles[1], status="dropped")
    carried = action("Co-chair the board", earlier_principles[2])
    for n in range(extra):
        action(f"Extra action {n}", earlier_principles[3], status="done")
    return earlier, carried


@pytest.mark.exact_figures
def test_results_list_the_last_rounds_actions_and_what_moved(client, world):
    earlier, carried = earlier_with_actions(world)
    copy = services.action_carry_forward(action=carried, into=world.round, by=world.lead)
    services.action_progress_add(action=copy, status="in_progress", by=world.lead)
    with_answers(world, lived=3, staff=3, lived_level=3, staff_level=3)
    sign_in(client, world.member)
    page = client.get(results_url(world)).content.decode()
    assert HEADING in page
    section = page[page.index(HEADING) : page.index('aria-labelledby="gap-heading"')]
    rows = {
        re.sub(r"<[^>]+>", " ", row).split()[0]: " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in section.split("<tr>")[2:]
    }
    principles, by_principle = statements(world)
    first, second = by_principle[0][:2]
    asked = rows["Ask"]
    assert f"Statement {first.code}" in asked and "Done" in asked
    assert "Up 1.0 (2.0 then, 3.0 now)" in asked
    # The statement everyone was not sure about last time: no score then, no move now.
    paid = rows["Pay"]
    assert f"Statement {second.code}" in paid and "In progress" in paid and "Not shown" in paid
    peer = rows["Peer"]
    assert f"Principle: {principles[1].name}" in peer and "Dropped" in peer and "Up 1.0" in peer
    board = rows["Co-chair"]
    assert "Carried into this round" in board and "In progress" in board
    assert f'href="#statement-{first.pk}"' in section


def test_no_section_without_an_earlier_round(client, world):
    with_answers(world)
    sign_in(client, world.member)
    assert HEADING not in client.get(results_url(world)).content.decode()


def test_a_new_note_on_a_carried_action_shows_on_the_results(client, world):
    _, carried = earlier_with_actions(world)
    copy = services.action_carry_forward(action=carried, into=world.round, by=world.lead)
    with_answers(world)
    sign_in(client, world.member)
    page = client.get(results_url(world)).content.decode()
    assert "Co-chair the board" in page
    services.action_progress_add(action=copy, status="done", by=world.lead)
    page = client.get(results_url(world)).content.decode()
    board = page[page.index("Co-chair the board") :].split("</tr>")[0]
    assert "Done" in board


@pytest.mark.parametrize("who", ["lead", "member", "anonymous", "other_lead"])
def test_the_section_is_for_the_organisation_only(client, world, who):
    earlier_with_actions(world)
    with_answers(world)
    if who != "anonymous":
        sign_in(client, getattr(world, who))
    response = client.get(results_url(world))
    if who in ("lead", "member"):
        assert HEADING in response.content.decode()
    elif who == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 404


def test_results_query_count_stays_flat_with_more_actions(
    client, world, django_assert_max_num_queries
):
    """Counted with few actions and few answers, then with many of both: the same."""
    earlier, _ = earlier_with_actions(world)
    with_answers(world)
    sign_in(client, world.member)
    client.get(results_url(world) + "?overlays=1")  # reads the framework versions once
    stamp_renew()
    with CaptureQueriesContext(connection) as first:
        assert "Extra" not in client.get(results_url(world)).content.decode()
    drawn = len(first.captured_queries)
    for n in range(12):
        Action.objects.create(
            round=earlier,
            principle=earlier.framework.principles.order_by("order")[n % 4],
            change_from="a",
            change_to=f"More {n}",
            owner="Sam",
        )
    for _ in range(4):
        factories.answer_all(factories.respondent(earlier, "carer"), level=3)
    with_answers(world, lived=5, staff=5)
    stamp_renew()
    with django_assert_max_num_queries(drawn):
        page = client.get(results_url(world)).content.decode()
    assert "More 11" in page
