"""Two-step sign-in: a lead can require it of everyone in their organisation (members
without it are sent to set it up before seeing the organisation's pages); facilitators
are asked, not made, to turn it on when they open a cohort."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from assessments.accounts import organisation_settings
from assessments.accounts.models import AuditEvent, AuditKind
from assessments.errors import ServiceError
from tests.support import sign_in

pytestmark = pytest.mark.django_db


def turn_on(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})


def test_a_lead_must_have_two_step_before_requiring_it(world):
    with pytest.raises(ServiceError, match="for yourself first"):
        organisation_settings.organisation_require_two_step(
            organisation=world.org, required=True, by=world.lead
        )
    turn_on(world.lead)
    organisation_settings.organisation_require_two_step(
        organisation=world.org, required=True, by=world.lead
    )
    world.org.refresh_from_db()
    assert world.org.require_two_step
    assert AuditEvent.objects.filter(organisation=world.org, kind=AuditKind.TWO_STEP).exists()


def test_only_a_lead_can_require_it(client, world):
    turn_on(world.member)
    sign_in(client, world.member)
    url = reverse("assessments:organisation-two-step", kwargs={"org": world.org.slug})
    assert client.post(url, {"required": "on"}).status_code == 403
    world.org.refresh_from_db()
    assert not world.org.require_two_step


def test_members_without_it_are_sent_to_set_it_up_and_then_get_in(client, world):
    turn_on(world.lead)
    sign_in(client, world.lead)
    url = reverse("assessments:organisation-two-step", kwargs={"org": world.org.slug})
    client.post(url, {"required": "on"})
    client.logout()

    sign_in(client, world.member)
    for page in (
        world.org.get_absolute_url(),
        reverse("assessments:results", kwargs={"pk": world.round.pk}),
    ):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == reverse("mfa_activate_totp")
    turn_on(world.member)
    assert client.get(world.org.get_absolute_url()).status_code == 200
    # Other organisations' people are not affected.
    client.logout()
    sign_in(client, world.other_lead)
    assert client.get(world.other_org.get_absolute_url()).status_code == 200


def test_the_people_page_offers_the_setting_to_leads(client, world):
    sign_in(client, world.lead)
    page = client.get(reverse("assessments:people", kwargs={"org": world.org.slug}))
    assert "Require two-step sign-in for everyone in" in page.content.decode()
    assert "Turn it on for yourself first" in page.content.decode()
