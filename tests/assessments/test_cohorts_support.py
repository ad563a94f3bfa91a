"""Shared set-up for the cohort tests (no tests here): a facilitator's cohort of
organisations with answered rounds, another facilitator's cohort, and people in every role."""

import datetime

from django.utils import timezone

from assessments.models import Cohort, CohortMember, RoundStatus
from tests import factories
from tests.assessments.test_rounds_support import ensure_framework


def answered_round(
    org,
    *,
    status=RoundStatus.CLOSED,
    lived=3,
    staff=3,
    lived_level=2,
    staff_level=3,
    opened_days_ago=10,
    slug="cahn",
    note="",
):
    """A round of ``org`` opened some days ago, answered by people with lived experience and
    staff at the given levels."""
    round_ = factories.round(org, status=status, slug=slug)
    opened = timezone.now() - datetime.timedelta(days=opened_days_ago)
    round_.opened_at = opened
    round_.closed_at = timezone.now() if status == RoundStatus.CLOSED else None
    round_.save(update_fields=["opened_at", "closed_at"])
    for _ in range(lived):
        factories.answer_all(
            factories.respondent(round_, "lived_experience"), level=lived_level, note=note
        )
    for _ in range(staff):
        factories.answer_all(factories.respondent(round_, "staff"), level=staff_level, note=note)
    return round_


def cohort(facilitator, *, name="North Vale network", slug="cahn", days_back=60, days_ahead=60):
    today = timezone.localdate()
    return Cohort.objects.create(
        name=name,
        framework=factories.framework(slug),
        facilitator=facilitator,
        starts_on=today - datetime.timedelta(days=days_back),
        ends_on=today + datetime.timedelta(days=days_ahead),
    )


def member_org(the_cohort, name=None, *, show_name=False, **round_kwargs):
    """An organisation with a lead and a member, in the cohort, with an answered round
    (``round_kwargs`` passed on; ``with_round=False`` for none)."""
    lead = factories.user()
    org = factories.organisation(name, lead=lead)
    factories.member(org)
    CohortMember.objects.create(cohort=the_cohort, organisation=org, show_name=show_name)
    if round_kwargs.pop("with_round", True):
        answered_round(org, **round_kwargs)
    return org


class CohortWorld:
    """A facilitator's cohort with one organisation (lead, member, a closed round answered
    by 3 people with lived experience at 2 and 3 staff at 3); another facilitator with a
    cohort of their own; and an organisation outside both."""

    def __init__(self):
        ensure_framework()
        self.facilitator = factories.user("fran@network.example", full_name="Fran Okafor")
        self.cohort = cohort(self.facilitator)
        self.lead = factories.user("rita@riverside.example", full_name="Rita Patel")
        self.org = factories.organisation("Riverside adult care", lead=self.lead)
        self.member = factories.member(self.org, email="marcus@riverside.example")
        CohortMember.objects.create(cohort=self.cohort, organisation=self.org)
        self.round = answered_round(self.org, note="Our secret example")
        self.other_facilitator = factories.user("other@network.example")
        self.other_cohort = cohort(self.other_facilitator, name="Elsewhere network")
        self.outside_lead = factories.user("lead@hillside.example")
        self.outside_org = factories.organisation("Hillside", lead=self.outside_lead)

    def role(self, name):
        return {
            "facilitator": self.facilitator,
            "other_facilitator": self.other_facilitator,
            "lead": self.lead,
            "member": self.member,
            "outside_lead": self.outside_lead,
        }[name]
