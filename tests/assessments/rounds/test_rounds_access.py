"""Who may see and do what on the rounds pages: the access matrix for every view."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.web.access import round_for_user
from tests.support import sign_in

pytestmark = pytest.mark.django_db


# (url name, method, lead only, status a lead gets)
VIEWS = [
    ("round-create", "get", True, 200),
    ("round", "get", False, 200),
    ("round-edit", "get", True, 200),
    ("round-status", "post", True, 302),
    ("invites", "get", True, 200),
    ("invites-new", "get", True, 200),
    ("invites-new-hide", "post", True, 302),
    ("invites-print", "get", True, 200),
    ("invite-send", "post", True, 302),
    ("invite-fresh", "post", True, 302),
    ("invite-revoke", "post", True, 302),
]

INVITE_ACTIONS = ("invite-send", "invite-fresh", "invite-revoke")
BATCH_PAGES = ("invites-new", "invites-new-hide", "invites-print")


def url_for(name, w):
    if name == "round-create":
        return reverse("assessments:round-create", kwargs={"org": w.org.slug})
    if name in INVITE_ACTIONS:
        return reverse(f"assessments:{name}", kwargs={"pk": w.round.pk, "invite": w.invite.pk})
    if name in BATCH_PAGES:
        return reverse(f"assessments:{name}", kwargs={"pk": w.round.pk, "batch": "0a1b2c3d"})
    return reverse(f"assessments:{name}", kwargs={"pk": w.round.pk})


POST_DATA = {
    "round-status": {"action": "close"},
    "invite-send": {"email": "someone@example.org"},
    "invite-revoke": {},
}


def call(client, name, method, w):
    url = url_for(name, w)
    if method == "post":
        return client.post(url, POST_DATA.get(name, {}))
    return client.get(url)


@pytest.mark.parametrize("name,method,lead_only,lead_status", VIEWS)
def test_anonymous_is_sent_to_sign_in(client, world, name, method, lead_only, lead_status):
    response = call(client, name, method, world)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("who", ["other_lead", "other_member"])
@pytest.mark.parametrize("name,method,lead_only,lead_status", VIEWS)
def test_people_of_another_organisation_get_not_found(
    client, world, who, name, method, lead_only, lead_status
):
    sign_in(client, getattr(world, who))
    assert call(client, name, method, world).status_code == 404


@pytest.mark.parametrize("name,method,lead_only,lead_status", VIEWS)
def test_member_is_refused_where_a_lead_is_needed(
    client, world, name, method, lead_only, lead_status
):
    sign_in(client, world.member)
    expected = 403 if lead_only else 200
    assert call(client, name, method, world).status_code == expected


@pytest.mark.parametrize("name,method,lead_only,lead_status", VIEWS)
def test_lead_may(client, world, name, method, lead_only, lead_status):
    sign_in(client, world.lead)
    assert call(client, name, method, world).status_code == lead_status


@pytest.mark.parametrize(
    "name", ["round-status", "invite-send", "invite-fresh", "invite-revoke", "invites-new-hide"]
)
def test_actions_are_post_only(client, world, name):
    sign_in(client, world.lead)
    assert client.get(url_for(name, world)).status_code == 405


@pytest.mark.parametrize("name", INVITE_ACTIONS)
def test_a_link_of_another_round_is_not_found(client, world, name):
    from tests import factories

    other_round = factories.round(world.org)
    sign_in(client, world.lead)
    url = reverse(f"assessments:{name}", kwargs={"pk": other_round.pk, "invite": world.invite.pk})
    assert client.post(url, {"email": "a@example.org"}).status_code == 404
    world.invite.refresh_from_db()
    assert world.invite.revoked_at is None and world.invite.sent_at is None


def test_a_round_and_the_readers_membership_are_found_in_one_query(world):
    """Every page of a round asks this first; the answer for an outsider is the same 404
    as for a round that does not exist."""
    with CaptureQueriesContext(connection) as queries:
        round_, access = round_for_user(world.lead, world.round.pk, lead=True)
    assert len(queries) == 1
    assert round_ == world.round and access.is_lead
    assert access.membership.organisation == world.org and access.membership.pk
    _, access = round_for_user(world.member, world.round.pk)
    assert not access.is_lead
    for reader, pk in [
        (world.other_member, world.round.pk),
        (world.member, world.round.pk + 1000),
        (AnonymousUser(), world.round.pk),
    ]:
        with pytest.raises(Http404):
            round_for_user(reader, pk)
    with pytest.raises(PermissionDenied):
        round_for_user(world.member, world.round.pk, lead=True)


def test_a_reader_of_two_organisations_gets_their_membership_of_the_rounds_own(world):
    """The round comes with its organisation, its framework version and the reader's
    membership of that organisation (not of another they belong to), as saved."""
    from assessments.accounts.models import Membership, Role
    from assessments.rounds.models import Round

    Membership.objects.create(user=world.lead, organisation=world.other_org, role=Role.MEMBER)
    with CaptureQueriesContext(connection) as queries:
        round_, access = round_for_user(world.lead, world.round.pk)
        assert (round_.organisation.name, round_.framework.slug) == ("Riverside adult care", "cahn")
        assert access.membership.organisation is round_.organisation and access.is_lead
    assert len(queries) == 1
    orm = Round.objects.select_related("organisation", "framework").get(pk=world.round.pk)
    assert (round_.organisation, round_.framework) == (orm.organisation, orm.framework)
    assert access.membership == Membership.objects.get(user=world.lead, organisation=world.org)


@pytest.mark.parametrize("huge", [2**63, 10**30, -(2**63) - 1])
def test_a_round_number_no_column_can_hold_is_not_found(world, huge):
    """An address with a number past 64 bits is a page that does not exist (404), not an
    error in the database's driver."""
    with pytest.raises(Http404):
        round_for_user(world.lead, huge)
