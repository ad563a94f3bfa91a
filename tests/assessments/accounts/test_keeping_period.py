"""How long answers are kept after a round closes: set by a lead on the people page."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments.accounts.models import AuditEvent, AuditKind, Organisation
from assessments.accounts.organisation_settings import organisation_keeping_period
from assessments.errors import ServiceError
from tests.support import sign_in

pytestmark = pytest.mark.django_db


def keeping(world):
    return reverse("assessments:organisation-keeping-period", kwargs={"org": world.org.slug})


def people(world):
    return reverse("assessments:people", kwargs={"org": world.org.slug})


def test_twelve_months_unless_a_lead_chooses_otherwise(client, world):
    assert world.org.keep_answers_months == 12
    sign_in(client, world.lead)
    page = client.get(people(world)).content.decode()
    assert "keeps each person's answers and notes for 12 months after a round closes" in page
    assert 'name="months" value="12"' in page


def test_a_lead_sets_it_and_the_activity_log_says_so(client, world):
    sign_in(client, world.lead)
    response = client.post(keeping(world), {"months": "6"}, follow=True)
    assert response.redirect_chain[-1][0] == people(world) + "#keeping"
    page = response.content.decode()
    assert (
        "Answers and notes in Riverside adult care&#x27;s rounds are now kept for 6 months after "
        "each round closes." in page
    )
    assert "keeps each person's answers and notes for 6 months" in page
    world.org.refresh_from_db()
    assert world.org.keep_answers_months == 6
    line = AuditEvent.objects.get(organisation=world.org, kind=AuditKind.KEEPING_PERIOD)
    assert line.actor == world.lead
    assert line.summary == "Answers and notes are now kept for 6 months after a round closes."
    # The same again changes nothing and writes no second line.
    client.post(keeping(world), {"months": "6"})
    assert AuditEvent.objects.filter(kind=AuditKind.KEEPING_PERIOD).count() == 1
    client.post(keeping(world), {"months": "1"})
    assert AuditEvent.objects.filter(kind=AuditKind.KEEPING_PERIOD).latest("pk").summary == (
        "Answers and notes are now kept for 1 month after a round closes."
    )


@pytest.mark.parametrize(
    "months, message",
    [
        ("0", "Keep answers for at least 1 month."),
        ("121", "Keep answers for at most 120 months (10 years)."),
        ("", "Enter how many months to keep answers, from 1 to 120."),
        ("a year", "Enter a whole number of months, like 12."),
        ("1.5", "Enter a whole number of months, like 12."),
    ],
)
def test_out_of_bounds_is_refused_beside_the_field(client, world, months, message):
    sign_in(client, world.lead)
    response = client.post(keeping(world), {"months": months})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'aria-invalid="true"' in page
    world.org.refresh_from_db()
    assert world.org.keep_answers_months == 12
    assert not AuditEvent.objects.filter(kind=AuditKind.KEEPING_PERIOD).exists()


@pytest.mark.parametrize("months", [1, 120])
def test_the_bounds_themselves_are_allowed(client, world, months):
    sign_in(client, world.lead)
    client.post(keeping(world), {"months": str(months)})
    world.org.refresh_from_db()
    assert world.org.keep_answers_months == months


def test_the_service_and_the_database_refuse_what_the_form_refuses(world):
    with pytest.raises(ServiceError, match="between 1 and 120 months"):
        organisation_keeping_period(organisation=world.org, months=0, by=world.lead)
    with pytest.raises(ServiceError):
        organisation_keeping_period(organisation=world.org, months=12, by=world.member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=world.org.pk).update(keep_answers_months=121)


@pytest.mark.parametrize("who", ["member", "other_lead", "other_member", None])
def test_only_the_organisations_leads_set_it(client, world, who):
    if who:
        sign_in(client, getattr(world, who))
    response = client.post(keeping(world), {"months": "3"})
    assert response.status_code in (302, 403, 404)
    if who is None:
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code in (403, 404)
    world.org.refresh_from_db()
    assert world.org.keep_answers_months == 12


def test_members_see_no_form(client, world):
    sign_in(client, world.member)
    page = client.get(people(world)).content.decode()
    assert keeping(world) not in page
