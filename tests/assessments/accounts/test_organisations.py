"""Accounts, organisations, colleagues and roles."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.accounts.models import ColleagueInvite, Membership, Organisation, Role
from tests import factories
from tests.support import cohort, ensure_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    lead = factories.user("lead@team.example")
    organisation = factories.organisation("Riverside adult care", lead=lead)
    factories.member(organisation, email="member@team.example")
    return organisation


def sign_in(client, email):
    assert client.login(username=email, password=factories.PASSWORD)


def test_a_verified_person_can_create_an_organisation(client):
    person = factories.user("sam@council.example")
    sign_in(client, person.email)
    response = client.post(reverse("assessments:organisation-create"), {"name": "Hillside team"})
    organisation = Organisation.objects.get(name="Hillside team")
    assert response["Location"] == organisation.get_absolute_url()
    membership = Membership.objects.get(organisation=organisation)
    assert membership.user.email == "sam@council.example"
    assert membership.role == Role.LEAD
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "No rounds yet" in page and "Start a new round" in page


def test_two_organisations_with_one_name_get_distinct_addresses(client):
    person = factories.user()
    sign_in(client, person.email)
    client.post(reverse("assessments:organisation-create"), {"name": "Care team"})
    client.post(reverse("assessments:organisation-create"), {"name": "Care team"})
    slugs = sorted(Organisation.objects.values_list("slug", flat=True))
    assert slugs == ["care-team", "care-team-2"]


def test_user_in_several_organisations_can_switch(client, org):
    other = factories.organisation("Hillside", lead=org.memberships.get(role=Role.LEAD).user)
    sign_in(client, "lead@team.example")
    page = client.get(reverse("assessments:organisations")).content.decode()
    assert org.get_absolute_url() in page and other.get_absolute_url() in page
    assert "Switch organisation" in client.get(org.get_absolute_url()).content.decode()


def test_one_organisation_goes_straight_there(client, org):
    sign_in(client, "member@team.example")
    response = client.get(reverse("assessments:organisations"))
    assert response["Location"] == org.get_absolute_url()


def test_a_facilitator_without_an_organisation_lands_on_their_cohorts(client):
    ensure_framework()
    facilitator = factories.user("fran@network.example")
    cohort(facilitator)
    response = client.post(
        reverse("account_login"), {"login": facilitator.email, "password": factories.PASSWORD}
    )
    assert response["Location"] == reverse("assessments:organisations")
    response = client.get(reverse("assessments:organisations"))
    assert response["Location"] == reverse("assessments:cohorts")
    page = client.get(reverse("assessments:organisations") + "?all=1").content.decode()
    assert "you run cohorts of other organisations" in page
    assert f'href="{reverse("assessments:cohorts")}"' in page


def test_someone_with_no_organisation_and_no_cohort_is_asked_to_set_one_up(client):
    person = factories.user()
    sign_in(client, person.email)
    page = client.get(reverse("assessments:organisations")).content.decode()
    assert "You do not belong to an organisation yet." in page
    assert "Your cohorts" not in page.split("<main", 1)[1]


def test_lead_invites_a_colleague_who_joins(client, org):
    sign_in(client, "lead@team.example")
    response = client.post(
        reverse("assessments:people", kwargs={"org": org.slug}),
        {"email": "New.Person@team.example", "role": "lead"},
    )
    assert response.status_code == 302
    assert mail.outbox[0].to == ["new.person@team.example"]
    link = re.search(r"https://coprod\.example(/join/\S+/)", mail.outbox[0].body).group(1)

    client.logout()
    page = client.get(link).content.decode()
    assert "Create an account" in page and "new.person@team.example" in page
    factories.user("new.person@team.example")
    sign_in(client, "new.person@team.example")
    response = client.post(link)
    assert response["Location"] == org.get_absolute_url()
    assert org.memberships.get(user__email="new.person@team.example").role == Role.LEAD
    assert "no longer open" in client.get(link).content.decode()


def test_invite_cannot_be_accepted_by_someone_else(client, org):
    invite = factories.colleague_invite(organisation=org, email="a@team.example")
    factories.user("b@team.example")
    sign_in(client, "b@team.example")
    response = client.post(reverse("assessments:join", kwargs={"token": invite.raw_token}))
    assert response.status_code == 200
    assert "This invitation is for a@team.example" in response.content.decode()
    assert not org.memberships.filter(user__email="b@team.example").exists()


def test_inviting_twice_or_a_member_says_why(client, org):
    sign_in(client, "lead@team.example")
    url = reverse("assessments:people", kwargs={"org": org.slug})
    client.post(url, {"email": "x@team.example", "role": "member"})
    again = client.post(url, {"email": "X@team.example", "role": "member"}).content.decode()
    assert "has already been invited" in again
    member = client.post(url, {"email": "member@team.example", "role": "member"}).content.decode()
    assert "is already a member" in member
    assert ColleagueInvite.objects.count() == 1


def test_lead_changes_roles_but_never_removes_the_last_lead(client, org):
    sign_in(client, "lead@team.example")
    lead_membership = org.memberships.get(role=Role.LEAD)
    member_membership = org.memberships.get(role=Role.MEMBER)
    edit = "assessments:membership-edit"

    response = client.post(
        reverse(edit, kwargs={"org": org.slug, "membership": lead_membership.pk}),
        {"action": "role", "role": "member"},
        follow=True,
    )
    assert "needs at least one lead" in response.content.decode()
    response = client.post(
        reverse(edit, kwargs={"org": org.slug, "membership": lead_membership.pk}),
        {"action": "remove"},
        follow=True,
    )
    assert "needs at least one lead" in response.content.decode()

    client.post(
        reverse(edit, kwargs={"org": org.slug, "membership": member_membership.pk}),
        {"action": "role", "role": "lead"},
    )
    member_membership.refresh_from_db()
    assert member_membership.role == Role.LEAD
    client.post(
        reverse(edit, kwargs={"org": org.slug, "membership": lead_membership.pk}),
        {"action": "remove"},
    )
    assert not Membership.objects.filter(pk=lead_membership.pk).exists()


def test_member_can_leave_but_not_change_others(client, org):
    sign_in(client, "member@team.example")
    lead_membership = org.memberships.get(role=Role.LEAD)
    own = org.memberships.get(role=Role.MEMBER)
    url = "assessments:membership-edit"
    denied = client.post(
        reverse(url, kwargs={"org": org.slug, "membership": lead_membership.pk}),
        {"action": "remove"},
    )
    assert denied.status_code == 403
    client.post(reverse(url, kwargs={"org": org.slug, "membership": own.pk}), {"action": "remove"})
    assert not Membership.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize(
    ("who", "detail", "people_get", "people_post"),
    [
        ("anonymous", 302, 302, 302),
        ("other-lead", 404, 404, 404),
        ("other-member", 404, 404, 404),
        ("member", 200, 200, 403),
        ("lead", 200, 200, 200),
    ],
)
def test_organisation_pages_check_who_is_asking(client, org, who, detail, people_get, people_post):
    other = factories.organisation("Elsewhere", lead=factories.user("other-lead@else.example"))
    factories.member(other, email="other-member@else.example")
    emails = {
        "other-lead": "other-lead@else.example",
        "other-member": "other-member@else.example",
        "member": "member@team.example",
        "lead": "lead@team.example",
    }
    if who != "anonymous":
        sign_in(client, emails[who])
    detail_response = client.get(org.get_absolute_url())
    assert detail_response.status_code == detail
    if detail == 302:
        assert detail_response["Location"].startswith("/accounts/login/")
    people_url = reverse("assessments:people", kwargs={"org": org.slug})
    assert client.get(people_url).status_code == people_get
    post = client.post(people_url, {"email": "bad"})  # invalid: re-shows the form for a lead
    assert post.status_code == people_post
    if who in ("anonymous", "other-lead", "other-member"):
        assert "Riverside adult care" not in detail_response.content.decode()


def test_organisation_page_query_count_does_not_grow_with_rounds(
    client, org, django_assert_max_num_queries
):
    sign_in(client, "lead@team.example")
    for _ in range(2):
        factories.round(org)
    with django_assert_max_num_queries(12) as few:
        client.get(org.get_absolute_url())
    for _ in range(8):
        r = factories.round(org)
        factories.answer_all(factories.respondent(r))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(org.get_absolute_url())


# When the mail server fails --------------------------------------------------------------

FAILING = "tests.mail_backends.FailingBackend"


def test_a_failing_mail_server_keeps_one_invitation_that_can_be_resent(client, org, settings):
    settings.EMAIL_DELIVERY_BACKEND = FAILING
    sign_in(client, "lead@team.example")
    url = reverse("assessments:people", kwargs={"org": org.slug})
    for _ in range(2):  # the lead tries the form again: never "already invited"
        response = client.post(url, {"email": "new@team.example", "role": "member"})
        assert response.status_code == 302 and response["Location"] == url
        page = client.get(url).content.decode()
        assert (
            "We saved the invitation to new@team.example but could not send the e-mail just now."
            in page
        )
        assert "already been invited" not in page
    invite = ColleagueInvite.objects.get()
    assert invite.sent_at is None and not mail.outbox
    assert org.audit_events.filter(kind="colleague_invited").count() == 1
    assert "<strong>not sent yet</strong>" in page
    resend = reverse(
        "assessments:colleague-invite-resend", kwargs={"org": org.slug, "invite": invite.pk}
    )
    assert f'action="{resend}"' in page

    # Still down: the resend says so, calmly.
    page = client.post(resend, follow=True).content.decode()
    assert "We could not send the e-mail to new@team.example just now." in page

    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(resend, follow=True)
    page = response.content.decode()
    assert "The invitation will be sent again to new@team.example in a moment." in page
    assert "not sent yet" not in page
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@team.example"]
    link = re.search(r"https://coprod\.example/join/[\w-]+/", mail.outbox[0].body).group(0)
    assert f'href="{link}"' in mail.outbox[0].alternatives[0][0]
    assert ColleagueInvite.objects.count() == 1


def test_only_a_lead_resends_and_only_a_pending_invitation(client, org):
    invite = factories.colleague_invite(organisation=org, email="new@team.example")
    resend = reverse(
        "assessments:colleague-invite-resend", kwargs={"org": org.slug, "invite": invite.pk}
    )
    sign_in(client, "member@team.example")
    assert client.post(resend).status_code == 403
    assert client.get(resend).status_code == 405
    client.logout()
    sign_in(client, "lead@team.example")
    ColleagueInvite.objects.filter(pk=invite.pk).update(cancelled_at=timezone.now())
    page = client.post(resend, follow=True).content.decode()
    assert "already been used or was cancelled" in page
    assert not mail.outbox
