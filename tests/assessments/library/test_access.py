"""Who may see a framework made on the site, and who may change it, role by role; and
which frameworks each may choose for a round or a cohort."""

import pytest
from django.urls import reverse

from assessments.library import selectors, services
from assessments.library.models import OwnFramework
from assessments.rounds.models import Round
from principles.models import Framework
from tests import factories
from tests.framework_texts import PLAIN
from tests.support import count_queries, sign_in

pytestmark = pytest.mark.django_db


def own_framework(by, *, organisation=None, cohort=None, text=PLAIN, publish=True):
    own = services.own_framework_start(by=by, organisation=organisation, cohort=cohort)
    services.own_framework_write(own=own, by=by, text=text)
    if publish:
        services.own_framework_publish(own=own, by=by)
    return own


def as_role(world, role):
    if role == "site_admin":
        return factories.user("admin@coprod.example", is_staff=True, is_superuser=True)
    return None if role == "anonymous" else world.role(role)


def status_of(client, user, url):
    if user is not None:
        sign_in(client, user)
    response = client.get(url)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]
        return "sign in"
    return response.status_code


# An organisation's framework: its members read it, its leads change it.
ORGANISATION_READ = {
    "anonymous": "sign in",
    "member": 200,
    "lead": 200,
    "facilitator": 404,  # runs the organisation's cohort, but it is not the cohort's
    "outside_lead": 404,  # the wrong organisation
    "other_facilitator": 404,
    "site_admin": 200,  # reads it to decide on the shared library
}
ORGANISATION_CHANGE = {**ORGANISATION_READ, "member": 403, "site_admin": 403}


@pytest.mark.parametrize("role", ORGANISATION_READ)
def test_an_organisations_framework_by_role(client, world, role):
    own = own_framework(world.lead, organisation=world.org)
    user = as_role(world, role)

    read = status_of(client, user, reverse("assessments:own-framework", args=[own.pk]))
    file = status_of(client, user, reverse("assessments:own-framework-file", args=[own.pk, 1]))
    change = status_of(client, user, reverse("assessments:own-framework-preview", args=[own.pk]))

    assert (read, file, change) == (
        ORGANISATION_READ[role],
        ORGANISATION_READ[role],
        ORGANISATION_CHANGE[role],
    )


# A cohort's framework: its facilitator changes it, its organisations read it once published.
COHORT_READ = {
    "anonymous": "sign in",
    "member": 200,
    "lead": 200,
    "facilitator": 200,
    "outside_lead": 404,
    "other_facilitator": 404,
    "site_admin": 200,
}
COHORT_CHANGE = {**COHORT_READ, "member": 403, "lead": 403, "site_admin": 403}


@pytest.mark.parametrize("role", COHORT_READ)
def test_a_cohorts_framework_by_role(client, world, role):
    own = own_framework(world.facilitator, cohort=world.cohort)
    user = as_role(world, role)

    read = status_of(client, user, reverse("assessments:own-framework", args=[own.pk]))
    change = status_of(client, user, reverse("assessments:own-framework-preview", args=[own.pk]))

    assert (read, change) == (COHORT_READ[role], COHORT_CHANGE[role])


def test_a_cohorts_draft_is_its_facilitators_alone(client, world):
    own = own_framework(world.facilitator, cohort=world.cohort, publish=False)
    url = reverse("assessments:own-framework", args=[own.pk])

    assert status_of(client, world.lead, url) == 404
    assert status_of(client, world.facilitator, url) == 200


def test_only_leads_and_facilitators_may_add_one(client, world):
    for user, url, expected in [
        (world.lead, reverse("assessments:own-framework-add-org", args=[world.org.slug]), 200),
        (world.member, reverse("assessments:own-framework-add-org", args=[world.org.slug]), 403),
        (
            world.outside_lead,
            reverse("assessments:own-framework-add-org", args=[world.org.slug]),
            404,
        ),
        (
            world.facilitator,
            reverse("assessments:own-framework-add-cohort", args=[world.cohort.pk]),
            200,
        ),
        (world.lead, reverse("assessments:own-framework-add-cohort", args=[world.cohort.pk]), 403),
        (
            world.other_facilitator,
            reverse("assessments:own-framework-add-cohort", args=[world.cohort.pk]),
            404,
        ),
    ]:
        assert status_of(client, user, url) == expected, (user, url)


def test_a_private_framework_is_not_in_the_public_library_until_shared(client, world):
    own = own_framework(world.lead, organisation=world.org)
    framework_url = reverse("principles:framework", args=["our-charter"])
    principle_url = reverse("principles:principle", args=["our-charter", "listening"])
    file_url = reverse("principles:framework-file", args=["our-charter"])

    assert (
        "Our co-production charter" not in client.get(reverse("principles:list")).content.decode()
    )
    assert [client.get(url).status_code for url in (framework_url, principle_url, file_url)] == [
        404,
        404,
        404,
    ]

    admin = as_role(world, "site_admin")
    services.own_framework_share(own=own, by=admin)

    assert "Our co-production charter" in client.get(reverse("principles:list")).content.decode()
    assert client.get(framework_url).status_code == 200
    assert world.org.audit_events.filter(kind="framework_shared").exists()


def test_only_a_site_administrator_shares_a_framework(world):
    own = own_framework(world.lead, organisation=world.org)
    with pytest.raises(services.ServiceError):
        services.own_framework_share(own=own, by=world.lead)
    assert not Framework.objects.get(slug="our-charter").shared


def test_the_admin_action_adds_it_to_the_shared_library(client, world):
    own = own_framework(world.lead, organisation=world.org)
    admin = as_role(world, "site_admin")
    client.force_login(admin)

    response = client.post(
        reverse("admin:assessments_ownframework_changelist"),
        {"action": "share", "_selected_action": [own.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "is now in the shared library" in response.content.decode()
    assert Framework.objects.get(slug="our-charter").shared


def test_rounds_and_cohorts_offer_the_frameworks_their_people_may_use(client, world):
    org_own = own_framework(world.lead, organisation=world.org)
    cohort_text = PLAIN.replace('"our-charter"', '"network-charter"').replace(
        "Our co-production charter", "The network's charter"
    )
    own_framework(world.facilitator, cohort=world.cohort, text=cohort_text)
    shipped = set(Framework.objects.filter(shared=True).values_list("slug", flat=True))

    def slugs(frameworks):
        return {f.slug for f in frameworks}

    assert slugs(selectors.frameworks_for_organisation(world.org)) == shipped | {
        "our-charter",
        "network-charter",
    }
    assert slugs(selectors.frameworks_for_organisation(world.outside_org)) == shipped
    assert slugs(selectors.frameworks_for_facilitator(world.facilitator)) == shipped | {
        "network-charter"
    }
    assert slugs(selectors.frameworks_for_facilitator(world.other_facilitator)) == shipped
    assert slugs(selectors.frameworks_for_facilitator(world.lead)) == shipped | {"our-charter"}

    # The pages: the lead's round form offers it; another organisation's refuses it.
    sign_in(client, world.lead)
    page = client.get(reverse("assessments:round-create", args=[world.org.slug]))
    assert "Our co-production charter" in page.content.decode()
    assert "One of your own frameworks, not in the shared library." in page.content.decode()
    sign_in(client, world.outside_lead)
    framework = Framework.objects.get(slug=org_own.slug)
    response = client.post(
        reverse("assessments:round-create", args=[world.outside_org.slug]),
        {"title": "Borrowed", "framework": framework.pk},
    )
    assert "Choose the principles you will reflect on" in response.content.decode() or (
        "valid choice" in response.content.decode()
    )
    assert not Round.objects.filter(organisation=world.outside_org).exists()
    sign_in(client, world.other_facilitator)
    page = client.get(reverse("assessments:cohort-create"))
    assert "The network" not in page.content.decode()
    assert OwnFramework.objects.count() == 2


def test_your_frameworks_reads_in_the_same_queries_however_many(client, world):
    url = reverse("assessments:own-frameworks")
    own_framework(world.lead, organisation=world.org)
    own_framework(world.facilitator, cohort=world.cohort, text=PLAIN.replace("our-charter", "b"))
    sign_in(client, world.lead)
    few = count_queries(client, url)
    for _n in range(3):
        own_framework(world.lead, organisation=world.org, publish=False)
    assert count_queries(client, url) == few
