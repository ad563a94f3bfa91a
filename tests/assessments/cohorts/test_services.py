"""The cohort services called directly: each rule the cohort pages check holds for any
caller, and each change an organisation makes is written with its activity-log row in one
transaction. ``world`` here is the cohort world (tests/assessments/cohorts/conftest.py)."""

import datetime

import pytest
from django.core import mail

from assessments.accounts.models import AuditEvent, AuditKind
from assessments.cohorts import services
from assessments.cohorts.models import Cohort, CohortInvitation, CohortMember
from assessments.errors import ServiceError
from tests import factories
from tests.support import AuditFailure, break_audit, cohort, new_log

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("log_baseline")]

TODAY = datetime.date(2026, 3, 1)
LATER = datetime.date(2026, 9, 30)


def cohort_invite(**kwargs) -> CohortInvitation:
    return services.cohort_invite(**kwargs)


def member(world) -> CohortMember:
    return CohortMember.objects.select_related("cohort").get(
        cohort=world.cohort, organisation=world.org
    )


def audit_kinds(org) -> list[str]:
    """The activity log of ``org``, less what the world's set-up wrote."""
    return list(new_log().filter(organisation=org).values_list("kind", flat=True))


# Starting and changing a cohort -------------------------------------------------------


def test_cohort_create_makes_its_creator_the_facilitator(world):
    made = services.cohort_create(
        name="  Coast  ",
        framework=world.cohort.framework,
        starts_on=TODAY,
        ends_on=TODAY,
        facilitator=world.outside_lead,
    )
    assert (made.name, made.facilitator) == ("Coast", world.outside_lead)


@pytest.mark.parametrize(
    "name,ends_on,message",
    [
        (" ", LATER, "Enter a name for the cohort."),
        ("Coast", TODAY - datetime.timedelta(days=1), "The end of the period must be on or after"),
    ],
)
def test_cohort_create_checks_name_and_period(world, name, ends_on, message):
    with pytest.raises(ServiceError, match=message):
        services.cohort_create(
            name=name,
            framework=world.cohort.framework,
            starts_on=TODAY,
            ends_on=ends_on,
            facilitator=world.outside_lead,
        )
    assert not Cohort.objects.filter(facilitator=world.outside_lead).exists()


def test_cohort_create_takes_the_current_version_of_the_principles(world):
    current = world.cohort.framework
    type(current).objects.create(
        slug=current.slug,
        version=current.version + 1,
        name=current.name,
        source=current.source,
        summary=current.summary,
        content_hash="newer",
    )
    with pytest.raises(ServiceError, match="There is a newer version of"):
        services.cohort_create(
            name="Coast",
            framework=current,
            starts_on=TODAY,
            ends_on=LATER,
            facilitator=world.outside_lead,
        )


def test_cohort_update_renames_and_moves_the_period_of_a_cohort_nobody_joined(world):
    empty = cohort(world.facilitator, name="Not yet joined")
    services.cohort_update(
        cohort=empty, name=" Renamed ", starts_on=TODAY, ends_on=LATER, by=world.facilitator
    )
    empty.refresh_from_db()
    assert (empty.name, empty.starts_on, empty.ends_on) == ("Renamed", TODAY, LATER)


def test_once_organisations_joined_the_period_only_shrinks_and_they_are_told(world):
    """Moving the dates once let a facilitator pull in rounds an organisation never agreed
    to share (a spring round opened before it joined appeared on the heat map)."""
    starts, ends = world.cohort.starts_on, world.cohort.ends_on
    day = datetime.timedelta(days=1)
    for new_start, new_end in [(starts - day, ends), (starts, ends + day), (TODAY, LATER)]:
        with pytest.raises(ServiceError, match="can be made shorter, but not longer"):
            services.cohort_update(
                cohort=world.cohort,
                name="North Vale network",
                starts_on=new_start,
                ends_on=new_end,
                by=world.facilitator,
            )
    world.cohort.refresh_from_db()
    assert (world.cohort.starts_on, world.cohort.ends_on) == (starts, ends)
    assert not AuditEvent.objects.filter(kind=AuditKind.COHORT_PERIOD).exists()
    services.cohort_update(
        cohort=world.cohort,
        name="North Vale network",
        starts_on=starts + day,
        ends_on=ends - day,
        by=world.facilitator,
    )
    world.cohort.refresh_from_db()
    assert (world.cohort.starts_on, world.cohort.ends_on) == (starts + day, ends - day)
    told = AuditEvent.objects.get(organisation=world.org, kind=AuditKind.COHORT_PERIOD)
    assert "“North Vale network” now counts rounds from" in told.text
    assert f"{(starts + day).day} {starts + day:%B %Y}" in told.text
    # A rename alone says nothing to the organisations.
    services.cohort_update(
        cohort=world.cohort,
        name="Renamed",
        starts_on=starts + day,
        ends_on=ends - day,
        by=world.facilitator,
    )
    assert AuditEvent.objects.filter(kind=AuditKind.COHORT_PERIOD).count() == 1


@pytest.mark.parametrize(
    "who,name,ends_on,message",
    [
        ("other_facilitator", "Mine now", LATER, "Only the cohort's facilitator"),
        ("lead", "Mine now", LATER, "Only the cohort's facilitator"),
        ("facilitator", "", LATER, "Enter a name for the cohort."),
        ("facilitator", "Renamed", TODAY - datetime.timedelta(days=1), "The end of the period"),
    ],
)
def test_cohort_update_checks_who_and_what(world, who, name, ends_on, message):
    with pytest.raises(ServiceError, match=message):
        services.cohort_update(
            cohort=world.cohort,
            name=name,
            starts_on=TODAY,
            ends_on=ends_on,
            by=world.role(who),
        )
    world.cohort.refresh_from_db()
    assert world.cohort.name == "North Vale network"


# Inviting organisations ---------------------------------------------------------------


def test_cohort_invite_records_and_sends_the_invitation(world):
    invitation = cohort_invite(
        cohort=world.cohort, email=" Lead@Hillside.example ", invited_by=world.facilitator
    )
    assert (invitation.email, invitation.is_pending) == ("lead@hillside.example", True)
    assert mail.outbox[0].to == ["lead@hillside.example"]
    assert "https://coprod.example" + invitation.get_absolute_url() in mail.outbox[0].body


@pytest.mark.parametrize("who", ["other_facilitator", "lead"])
def test_cohort_invite_is_for_the_facilitator(world, who):
    with pytest.raises(ServiceError, match="Only the cohort's facilitator"):
        cohort_invite(cohort=world.cohort, email="a@example.org", invited_by=world.role(who))
    assert not CohortInvitation.objects.exists() and not mail.outbox


def test_cohort_invite_refuses_leads_already_in_and_people_already_invited(world):
    with pytest.raises(ServiceError, match="The organisation rita@riverside.example leads is"):
        cohort_invite(cohort=world.cohort, email=world.lead.email, invited_by=world.facilitator)
    cohort_invite(cohort=world.cohort, email="a@example.org", invited_by=world.facilitator)
    with pytest.raises(ServiceError, match="has already been invited"):
        cohort_invite(cohort=world.cohort, email="A@example.org", invited_by=world.facilitator)
    assert CohortInvitation.objects.count() == 1 and len(mail.outbox) == 1


# Withdrawing an invitation ------------------------------------------------------------


@pytest.fixture
def invitation(world):
    return factories.cohort_invitation(
        cohort=world.cohort, email=world.outside_lead.email, invited_by=world.facilitator
    )


def test_cohort_invitation_cancel_withdraws_it(world, invitation):
    services.cohort_invitation_cancel(invitation=invitation, by=world.facilitator)
    invitation.refresh_from_db()
    assert invitation.status == CohortInvitation.Status.CANCELLED and invitation.answered_at


def test_cohort_invitation_cancel_is_for_the_facilitator(world, invitation):
    with pytest.raises(ServiceError, match="Only the cohort's facilitator"):
        services.cohort_invitation_cancel(invitation=invitation, by=world.other_facilitator)
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_cohort_invitation_cancel_refuses_an_answered_invitation(world, invitation):
    services.cohort_invitation_decline(invitation=invitation, user=world.outside_lead)
    stale = CohortInvitation.objects.get(pk=invitation.pk)
    stale.status = CohortInvitation.Status.PENDING  # as a page loaded before the answer
    with pytest.raises(ServiceError, match="The invitation to lead@hillside.example was already"):
        services.cohort_invitation_cancel(invitation=stale, by=world.facilitator)
    assert CohortInvitation.objects.get().status == CohortInvitation.Status.DECLINED


# Answering an invitation --------------------------------------------------------------


def test_cohort_invitation_accept_brings_the_organisation_in(world, invitation):
    joined = services.cohort_invitation_accept(
        invitation=invitation,
        token=invitation.raw_token,
        organisation=world.outside_org,
        user=world.outside_lead,
    )
    assert (joined.cohort, joined.organisation) == (world.cohort, world.outside_org)
    invitation.refresh_from_db()
    assert invitation.status == CohortInvitation.Status.ACCEPTED
    assert invitation.organisation == world.outside_org
    assert audit_kinds(world.outside_org) == [AuditKind.COHORT_JOINED]


def test_cohort_invitation_accept_checks_who_and_which_organisation(world, invitation):
    with pytest.raises(ServiceError, match="This invitation was sent to someone else."):
        services.cohort_invitation_accept(
            invitation=invitation,
            token=invitation.raw_token,
            organisation=world.org,
            user=world.lead,
        )
    with pytest.raises(ServiceError, match="Only a lead of Riverside adult care"):
        services.cohort_invitation_accept(
            invitation=invitation,
            token=invitation.raw_token,
            organisation=world.org,
            user=world.outside_lead,
        )
    assert invitation.is_pending and not CohortMember.objects.filter(organisation=world.outside_org)


def test_cohort_invitation_accept_refuses_an_organisation_already_in(world):
    second = factories.member(world.org, role="lead", email="second@riverside.example")
    invitation = factories.cohort_invitation(cohort=world.cohort, email=second.email)
    with pytest.raises(ServiceError, match="Riverside adult care is already in North Vale"):
        services.cohort_invitation_accept(
            invitation=invitation, token=invitation.raw_token, organisation=world.org, user=second
        )


def test_cohort_invitation_accept_refuses_an_invitation_answered_or_withdrawn(world, invitation):
    services.cohort_invitation_cancel(invitation=invitation, by=world.facilitator)
    with pytest.raises(ServiceError, match="The facilitator has withdrawn this invitation."):
        services.cohort_invitation_accept(
            invitation=invitation,
            token=invitation.raw_token,
            organisation=world.outside_org,
            user=world.outside_lead,
        )
    assert not CohortMember.objects.filter(organisation=world.outside_org).exists()


def test_cohort_invitation_accept_and_its_audit_row_are_one_write(world, invitation, monkeypatch):
    break_audit(monkeypatch)
    with pytest.raises(AuditFailure):
        services.cohort_invitation_accept(
            invitation=invitation,
            token=invitation.raw_token,
            organisation=world.outside_org,
            user=world.outside_lead,
        )
    assert not CohortMember.objects.filter(organisation=world.outside_org).exists()
    assert CohortInvitation.objects.get().is_pending


def test_cohort_invitation_decline(world, invitation):
    with pytest.raises(ServiceError, match="sent to someone else"):
        services.cohort_invitation_decline(invitation=invitation, user=world.lead)
    services.cohort_invitation_decline(invitation=invitation, user=world.outside_lead)
    assert CohortInvitation.objects.get().status == CohortInvitation.Status.DECLINED
    with pytest.raises(ServiceError, match="already been declined"):
        services.cohort_invitation_decline(invitation=invitation, user=world.outside_lead)


# Leaving, and showing the name --------------------------------------------------------


def test_cohort_member_leave(world):
    services.cohort_member_leave(member=member(world), by=world.lead)
    assert not CohortMember.objects.filter(cohort=world.cohort).exists()
    event = new_log().get(organisation=world.org)
    assert (event.kind, event.text) == (
        AuditKind.COHORT_LEFT,
        "Left the cohort “North Vale network”.",
    )


def test_cohort_member_leave_twice_leaves_once(world):
    first, second = member(world), member(world)  # two tabs
    services.cohort_member_leave(member=first, by=world.lead)
    with pytest.raises(ServiceError, match="no longer in this cohort"):
        services.cohort_member_leave(member=second, by=world.lead)
    assert audit_kinds(world.org) == [AuditKind.COHORT_LEFT]


@pytest.mark.parametrize("who", ["member", "outside_lead", "facilitator"])
def test_cohort_member_leave_is_for_the_organisations_leads(world, who):
    with pytest.raises(ServiceError, match="Only a lead"):
        services.cohort_member_leave(member=member(world), by=world.role(who))
    assert CohortMember.objects.filter(cohort=world.cohort).exists()


def test_cohort_member_leave_and_its_audit_row_are_one_write(world, monkeypatch):
    break_audit(monkeypatch)
    with pytest.raises(AuditFailure):
        services.cohort_member_leave(member=member(world), by=world.lead)
    assert CohortMember.objects.filter(cohort=world.cohort).exists()


def test_cohort_member_show_name_records_each_change_once(world):
    target = member(world)
    services.cohort_member_show_name(member=target, show=True, by=world.lead)
    assert target.show_name and member(world).show_name
    services.cohort_member_show_name(member=member(world), show=True, by=world.lead)
    services.cohort_member_show_name(member=target, show=False, by=world.lead)
    assert not member(world).show_name
    summaries = list(
        new_log().filter(organisation=world.org).order_by("pk").values_list("summary", flat=True)
    )
    assert summaries == [
        "The organisation’s name is now shown to others in “North Vale network”.",
        "The organisation’s name is now hidden from others in “North Vale network”.",
    ]


def test_cohort_member_show_name_compares_with_the_stored_choice(world):
    """A page loaded before another lead's change still records a real change, and only
    a real one."""
    stale = member(world)
    services.cohort_member_show_name(member=member(world), show=True, by=world.lead)
    services.cohort_member_show_name(member=stale, show=True, by=world.lead)
    assert audit_kinds(world.org) == [AuditKind.COHORT_NAME]


@pytest.mark.parametrize("who", ["member", "outside_lead", "facilitator"])
def test_cohort_member_show_name_is_for_the_organisations_leads(world, who):
    with pytest.raises(ServiceError, match="Only a lead"):
        services.cohort_member_show_name(member=member(world), show=True, by=world.role(who))
    assert not member(world).show_name


def test_cohort_member_show_name_and_its_audit_row_are_one_write(world, monkeypatch):
    break_audit(monkeypatch)
    with pytest.raises(AuditFailure):
        services.cohort_member_show_name(member=member(world), show=True, by=world.lead)
    assert not member(world).show_name
