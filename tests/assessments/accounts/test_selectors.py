"""The accounts selectors called directly: what the pages get, in a fixed number of queries."""

import pytest

from assessments.accounts import selectors
from assessments.accounts.models import Role
from assessments.datarights import selectors as datarights_selectors
from assessments.rounds import selectors as rounds_selectors
from assessments.rounds.models import Action, RoundStatus
from tests import factories
from tests.support import with_answers

pytestmark = pytest.mark.django_db


def test_memberships_for_user_by_name_with_open_rounds(world, django_assert_num_queries):
    annex = factories.organisation("Annex", lead=world.lead)
    factories.round(annex, status=RoundStatus.DRAFT)
    factories.round(world.org, status=RoundStatus.CLOSED)
    with django_assert_num_queries(1):
        found = [
            (m.organisation.name, m.role, m.open_rounds)
            for m in rounds_selectors.memberships_for_user(world.lead)
        ]
    assert found == [("Annex", Role.LEAD, 0), ("Riverside adult care", Role.LEAD, 1)]
    for _ in range(3):
        factories.round(world.org)
    with django_assert_num_queries(1):
        assert [m.open_rounds for m in rounds_selectors.memberships_for_user(world.lead)] == [0, 4]


def test_organisation_members_by_role_then_address(world, django_assert_num_queries):
    factories.member(world.org, email="aaron@riverside.example")
    factories.member(world.org, role=Role.LEAD, email="zoe@riverside.example")
    with django_assert_num_queries(1):
        found = [(m.role, m.user.email) for m in selectors.organisation_members(world.org)]
    assert found == [
        ("member", "aaron@riverside.example"),
        ("member", "member@riverside.example"),
        ("lead", "lead@riverside.example"),
        ("lead", "zoe@riverside.example"),
    ]


def test_organisation_holdings_counts_what_a_deletion_removes(world, django_assert_num_queries):
    with_answers(world, lived=1, staff=1)
    statement = world.round.framework.principles.first()
    Action.objects.create(
        round=world.round, principle=statement, change_from="a", change_to="b", owner="c"
    )
    factories.round(world.other_org)
    statements = sum(p.statements.count() for p in world.round.framework.principles.all())
    with django_assert_num_queries(5):
        holdings = datarights_selectors.organisation_holdings(world.org)
    assert holdings == {
        "people": 2,
        "rounds": 1,
        "answers": 2 * statements,
        "links": 3,  # the world's link and the two the respondents answered by
        "actions": 1,
    }


def test_rounds_answered_by_counts_signed_in_answers_only(world):
    assert datarights_selectors.rounds_answered_by(world.member) == 0
    factories.respondent(world.round, "staff", user=world.member)
    factories.respondent(factories.round(world.org), "staff", user=world.member)
    factories.respondent(world.round, "staff")
    assert datarights_selectors.rounds_answered_by(world.member) == 2
