"""The results stamp: every change to what results show besides a publication's figures
renews it, so no worker keeps a look-up past such a change; answering does not."""

import pytest
from django.urls import reverse

from assessments.cohorts.models import CohortMember
from assessments.documents.basis import results_basis
from assessments.documents.stamp import stamp
from assessments.figures.models import Publication
from assessments.rounds.models import Action, AgreedPosition, Round
from tests import factories
from tests.support import cohort, count_queries, first_statement, member_org, sign_in, with_answers

pytestmark = pytest.mark.django_db


def results_url(world):
    return reverse("assessments:results", kwargs={"pk": world.round.pk})


def test_a_stamp_stands_until_something_results_show_changes(world):
    first = stamp()
    assert stamp() == first
    factories.answer_all(factories.respondent(world.round, "staff"), level=2)
    assert stamp() == first  # answers alone show nowhere until published

    changes = [
        lambda: Round.objects.filter(pk=world.round.pk).first().save(),
        lambda: AgreedPosition.objects.create(
            round=world.round, statement=first_statement(world), level=2, reason="R"
        ),
        lambda: AgreedPosition.objects.filter(round=world.round).delete(),
        lambda: Action.objects.create(
            round=world.round,
            principle=first_statement(world).principle,
            change_from="a",
            change_to="b",
            owner="c",
        ),
        lambda: with_answers(world),  # published while open: a new publication
        lambda: Publication.objects.filter(round=world.round).delete(),
        lambda: cohort(world.lead),
        lambda: member_org(cohort(world.lead, name="Second"), "Peer"),
        lambda: CohortMember.objects.all().delete(),
    ]
    seen = {first}
    for change in changes:
        change()
        assert stamp() not in seen
        seen.add(stamp())


def test_the_look_ups_are_kept_until_the_stamp_changes(world, django_assert_num_queries):
    with_answers(world)
    round_ = Round.objects.select_related("organisation", "framework").get(pk=world.round.pk)
    made = results_basis(round_)
    with django_assert_num_queries(1):  # the stamp, from the shared cache
        kept = results_basis(round_)
    assert kept.publication.pk == made.publication.pk and kept.agreed == {}

    AgreedPosition.objects.create(
        round=world.round, statement=first_statement(world), level=3, reason="Agreed at last"
    )
    assert results_basis(round_).agreed[first_statement(world).pk].reason == "Agreed at last"


def test_the_results_page_shows_each_change_at_once(client, world):
    with_answers(world)
    sign_in(client, world.lead)
    url = results_url(world)
    assert "Action plan (0)" in client.get(url).content.decode()
    kept = count_queries(client, url)

    statement = first_statement(world)
    client.post(
        reverse(
            "assessments:agreed-position", kwargs={"pk": world.round.pk, "statement": statement.pk}
        ),
        {"level": "3", "reason": "We agreed in the March meeting"},
    )
    page = client.get(url).content.decode()
    assert "We agreed in the March meeting" in page
    world.round.title = "Spring reflection, renamed"
    world.round.save()
    page = client.get(url).content.decode()
    assert "Principle scores for Spring reflection, renamed" in page
    Action.objects.create(
        round=world.round, principle=statement.principle, change_from="a", change_to="b", owner="c"
    )
    assert "Action plan (1)" in client.get(url).content.decode()
    assert count_queries(client, url) == kept
