"""A facilitator runs a cohort: starts it, invites an organisation, whose lead accepts on
the organisation's page; the dashboard shows the organisation's progress and figures; the
organisation sees the cohort mean only once 5 organisations have closed rounds. axe checks
every page on the way."""

import datetime
import re

import pytest
from django.core import mail

from assessments.cohorts.models import Cohort, CohortInvitation, CohortMember
from tests import factories
from tests.browser.support import fill_date, sign_in
from tests.support import answered_round, ensure_framework, member_org

pytestmark = pytest.mark.django_db(transaction=True)


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


@pytest.mark.exact_figures
def test_facilitator_runs_a_cohort_and_an_organisation_sees_the_benchmark(page, axe):
    framework = ensure_framework()
    facilitator = factories.user("fran@network.example", full_name="Fran Okafor")
    lead = factories.user("rita@riverside.example", full_name="Rita Patel")
    org = factories.organisation("Riverside adult care", lead=lead)
    round_ = answered_round(org, lived=3, staff=6)

    # The facilitator starts a cohort.
    sign_in(page, facilitator.email)
    page.get_by_role("link", name="Cohorts").click()
    assert "You do not run any cohorts yet" in page.locator("main").inner_text()
    axe(page, "cohorts-empty")
    page.get_by_role("link", name="Start a cohort").click()
    page.get_by_role("button", name="Start the cohort").click()  # nothing filled in
    assert "Enter a name for the cohort." in page.locator("main").inner_text()
    axe(page, "cohort-create-errors")
    page.get_by_label("Name of the cohort").fill("North Vale network")
    page.get_by_label(framework.name).check()
    fill_date(page, "Start of the period", datetime.date(2020, 1, 1))
    fill_date(page, "End of the period", datetime.date(2099, 12, 31))
    page.get_by_role("button", name="Start the cohort").click()
    assert "North Vale network is set up and you are its facilitator" in (
        page.locator(".messages").inner_text()
    )

    # ...and invites Riverside's lead.
    page.get_by_label("E-mail address of the organisation's lead").fill(lead.email)
    page.get_by_role("button", name="Send invitation").click()
    assert (
        f"Invitation made: the e-mail to {lead.email} will be sent in a moment"
        in page.locator(".messages").inner_text()
    )
    assert "Waiting for an answer" in page.locator("main").inner_text()
    axe(page, "cohort-organisations")
    sign_out(page)

    # The lead sees the invitation on the organisation's page, and accepts by the e-mailed
    # link (its one-use token shows the invitation reached them).
    sign_in(page, lead.email)
    page.goto(org.get_absolute_url())
    assert "Invitation to join the cohort North Vale network" in page.locator("main").inner_text()
    axe(page, "organisation-cohort-invitation")
    link = re.search(r"https://coprod\.example(/cohort-invitations/\S+/)", mail.outbox[-1].body)
    assert link
    page.goto(link.group(1))
    axe(page, "cohort-invitation-by-link")
    page.get_by_role("button", name="Accept for Riverside adult care").click()
    assert "Riverside adult care has joined North Vale network" in (
        page.locator(".messages").inner_text()
    )
    page.get_by_role("link", name="North Vale network").click()
    assert "So far: 1." in page.locator("main").inner_text()
    axe(page, "organisation-cohort")
    # Below the threshold, the results show no cohort mean.
    page.goto(f"/rounds/{round_.pk}/results/")
    assert "Cohort mean" not in page.locator("main").inner_text()
    sign_out(page)

    # The facilitator's dashboard shows Riverside's progress and figures.
    cohort = Cohort.objects.get(name="North Vale network")
    assert CohortMember.objects.filter(cohort=cohort, organisation=org).exists()
    assert CohortInvitation.objects.get(cohort=cohort).status == "accepted"
    sign_in(page, facilitator.email)
    page.goto(cohort.get_absolute_url())
    row = page.get_by_role("row", name="Riverside adult care")
    assert "Closed" in row.inner_text() and "9" in row.inner_text()
    assert row.locator("td.heat").first.inner_text() == "2.7"  # lived 2 ×3, staff 3 ×6
    axe(page, "cohort-dashboard")
    # Filter by perspective with the plain form: 3 people with lived experience is enough.
    page.get_by_label("Whose answers?").select_option(label="Person with lived experience")
    page.get_by_role("button", name="Show these answers").click()
    row = page.get_by_role("row", name="Riverside adult care")
    assert row.locator("td.heat").first.inner_text() == "2.0"
    # Nobody's figures show carers on their own, so the filter does not offer them.
    options = page.get_by_label("Whose answers?").locator("option").all_inner_texts()
    assert "Staff" in " ".join(options) and "Carer or family member" not in options
    axe(page, "cohort-dashboard-filtered")
    sign_out(page)

    # Four more organisations close their rounds: now Riverside sees the cohort mean.
    for n in range(4):
        member_org(cohort, f"Peer {n}", lived_level=4, staff_level=4)
    sign_in(page, lead.email)
    page.goto(f"/rounds/{round_.pk}/results/")
    main = page.locator("main").inner_text()
    assert "This round is part of the cohort North Vale network" in main
    assert "Peer 0" not in main
    assert page.get_by_role("checkbox", name="Cohort mean").is_checked()
    axe(page, "results-with-benchmark")
