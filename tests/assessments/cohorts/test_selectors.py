"""The cohort selectors called directly: what the cohort pages get, in a number of queries
that stays the same however many organisations take part. ``world`` here is the cohort
world (tests/assessments/cohorts/conftest.py)."""

import pytest

from assessments.cohorts import selectors
from assessments.cohorts.models import CohortInvitation, CohortMember
from assessments.rounds.models import RoundStatus
from principles.models import Crosswalk
from tests import factories
from tests.support import answered_round, cohort, member_org

pytestmark = pytest.mark.django_db


def test_cohorts_for_facilitator_with_their_counts(world, django_assert_num_queries):
    factories.cohort_invitation(cohort=world.cohort, email="a@example.org")
    factories.cohort_invitation(
        cohort=world.cohort, email="b@example.org", status=CohortInvitation.Status.DECLINED
    )
    cohort(world.facilitator, name="Second", days_back=200, days_ahead=-100)
    with django_assert_num_queries(1):
        found = [
            (c.name, c.framework.slug, c.organisation_count, c.pending_count)
            for c in selectors.cohorts_for_facilitator(world.facilitator)
        ]
    assert found == [("North Vale network", "cahn", 1, 1), ("Second", "cahn", 0, 0)]
    for _ in range(3):
        member_org(world.cohort, with_round=False)
    with django_assert_num_queries(1):
        counts = [
            c.organisation_count for c in selectors.cohorts_for_facilitator(world.facilitator)
        ]
    assert counts == [4, 0]


def test_cohort_members_and_invitations(world, django_assert_num_queries):
    member_org(world.cohort, "Annex", with_round=False)
    pending = factories.cohort_invitation(cohort=world.cohort, email="a@example.org")
    accepted = factories.cohort_invitation(
        cohort=world.cohort,
        email="b@example.org",
        status=CohortInvitation.Status.ACCEPTED,
        organisation=world.org,
    )
    with django_assert_num_queries(1):
        names = [m.organisation.name for m in selectors.cohort_members(world.cohort)]
    assert names == ["Annex", "Riverside adult care"]
    with django_assert_num_queries(1):
        found = [(i, i.organisation) for i in selectors.cohort_invitations(world.cohort)]
    assert found == [(accepted, world.org), (pending, None)]
    assert list(selectors.cohort_invitations(world.cohort, pending_only=True)) == [pending]


def test_cohort_rounds_in_the_period_on_the_framework(world):
    draft = factories.round(world.org, status=RoundStatus.DRAFT)
    open_now = answered_round(world.org, status=RoundStatus.OPEN, lived=0, staff=1)
    answered_round(world.org, opened_days_ago=90)  # before the period
    walked = answered_round(world.org, slug="nef-nesta")  # linked by a crosswalk
    answered_round(world.outside_org)  # not in the cohort
    assert set(selectors.cohort_rounds(world.cohort)) == {world.round, draft, open_now, walked}
    assert set(selectors.cohort_rounds(world.cohort, closed_only=True)) == {world.round, walked}
    # A framework no crosswalk links to the cohort's does not count.
    Crosswalk.objects.filter(first="cahn", second="nef-nesta").delete()
    assert set(selectors.cohort_rounds(world.cohort)) == {world.round, draft, open_now}
    assert list(selectors.cohort_rounds(world.cohort, closed_only=True)) == [world.round]


def test_cohort_standing_gives_each_members_round_and_latest_publication(
    world, django_assert_num_queries
):
    latest = world.round.publications.get()  # published once, at close
    with django_assert_num_queries(3):
        found = selectors.cohort_standing(world.cohort)
    assert found == {world.org.pk: (world.round.pk, latest.pk)}
    newer = answered_round(world.org, status=RoundStatus.OPEN, lived=1, staff=1)
    waiting = member_org(world.cohort, with_round=False)
    drafting = member_org(world.cohort, with_round=False)
    draft = factories.round(drafting, status=RoundStatus.DRAFT)
    for _ in range(4):
        member_org(world.cohort)
    with django_assert_num_queries(3):
        found = selectors.cohort_standing(world.cohort)
    assert len(found) == 7
    assert found[world.org.pk] == (newer.pk, None)  # the latest opened counts; unpublished
    assert found[waiting.pk] == (None, None) and found[drafting.pk] == (draft.pk, None)
    # What the services keep on each member is the same.
    kept = {
        m.organisation_id: (m.round_id, m.publication_id)
        for m in CohortMember.objects.filter(cohort=world.cohort)
    }
    assert kept == found


def test_cohort_closing_publications_pick_each_organisations_latest_closed_round(
    world, django_assert_num_queries
):
    closing = world.round.publications.order_by("number").last()
    peer = member_org(world.cohort, status=RoundStatus.OPEN)  # published nothing at close
    with django_assert_num_queries(1):
        assert selectors.cohort_closing_publications(world.cohort) == {world.org.pk: closing.pk}
    later = answered_round(world.org, opened_days_ago=2)
    answered_round(peer, opened_days_ago=200)  # before the period
    latest = later.publications.order_by("number").last()
    assert selectors.cohort_closing_publications(world.cohort) == {world.org.pk: latest.pk}
    CohortMember.objects.filter(organisation=world.org).delete()
    assert selectors.cohort_closing_publications(world.cohort) == {}


def test_cohort_statement_positions_cover_every_version(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        positions = selectors.cohort_statement_positions(world.cohort)
    first = world.round.framework.principles.get(order=1).statements.get(order=1)
    assert positions[first.pk] == (1, 1)
    statements = sum(p.statements.count() for p in world.round.framework.principles.all())
    assert len(positions) == statements


def test_round_cohort_is_the_cohort_the_round_was_opened_in(world):
    assert selectors.round_cohort(world.round) == world.cohort
    assert selectors.round_cohort(factories.round(world.org, status=RoundStatus.DRAFT)) is None
    early = answered_round(world.org, opened_days_ago=90)
    assert selectors.round_cohort(early) is None
    outside = answered_round(world.outside_org)
    assert selectors.round_cohort(outside) is None


def test_organisation_cohorts_and_invitations_for_a_lead(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = [
            (m.cohort.name, m.cohort.facilitator.email, m.cohort.framework.slug)
            for m in selectors.organisation_cohorts(world.org)
        ]
    assert found == [("North Vale network", "fran@network.example", "cahn")]
    waiting = factories.cohort_invitation(
        cohort=world.other_cohort, email=world.outside_lead.email.upper()
    )
    factories.cohort_invitation(
        cohort=world.cohort,
        email=world.outside_lead.email,
        status=CohortInvitation.Status.CANCELLED,
    )
    with django_assert_num_queries(1):
        invitations = [
            (i, i.cohort.facilitator.email)
            for i in selectors.cohort_invitations_for_lead(world.outside_lead)
        ]
    assert invitations == [(waiting, "other@network.example")]


def test_cohort_named_peers_names_only_those_who_agreed(world):
    member_org(world.cohort, "Annex", show_name=True, with_round=False)
    member_org(world.cohort, "Brook", show_name=False, with_round=False)
    member_org(world.cohort, "Castle", show_name=True, with_round=False)
    assert selectors.cohort_named_peers(world.cohort) == (["Annex", "Castle"], 2)
    assert selectors.cohort_named_peers(world.cohort, exclude_organisation=world.org) == (
        ["Annex", "Castle"],
        1,
    )
