"""Cohorts: a facilitator sets one up, invites organisations and reads the dashboard; leads
answer invitations, choose whether to show their name, and leave."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from assessments.cohorts.models import Cohort, CohortInvitation, CohortMember
from assessments.cohorts.services import (
    cohort_figures_store,
    cohort_invitation_accept,
    cohort_member_leave,
    cohort_update,
)
from assessments.documents.cohort import PAGE_SIZE
from assessments.errors import ServiceError
from assessments.rounds import services as rounds_services
from assessments.rounds.models import RoundStatus
from principles.models import Crosswalk
from tests import factories
from tests.support import (
    answered_round,
    date_boxes,
    member_org,
    prepared,
    sign_in,
)

pytestmark = pytest.mark.django_db


def dashboard_url(world, query=""):
    return reverse("assessments:cohort", kwargs={"pk": world.cohort.pk}) + query


# Starting a cohort -----------------------------------------------------------------------


def test_anyone_signed_in_starts_a_cohort_and_becomes_its_facilitator(client, world):
    sign_in(client, world.outside_lead)
    assert "You do not run any cohorts yet" in client.get("/cohorts/").content.decode()
    response = client.post(
        "/cohorts/new/",
        {
            "name": "  Coast partnership  ",
            "framework": world.cohort.framework.pk,
            **date_boxes("starts_on", "2026-01-01"),
            **date_boxes("ends_on", "2026-12-31"),
        },
    )
    cohort = Cohort.objects.get(name="Coast partnership")
    assert cohort.facilitator == world.outside_lead
    assert response["Location"] == f"/cohorts/{cohort.pk}/organisations/"
    listing = client.get("/cohorts/").content.decode()
    assert "Coast partnership" in listing and "North Vale network" not in listing


def test_cohort_form_explains_what_is_missing_or_wrong(client, world):
    sign_in(client, world.facilitator)
    response = client.post(
        "/cohorts/new/",
        {"name": " ", "starts_on_day": "1", "starts_on_month": "13", "starts_on_year": "2026"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a name for the cohort." in page
    assert "Choose the principles the cohort will reflect on." in page
    assert "Start of the period must be a real date" in page
    assert "Enter the day the period ends." in page
    response = client.post(
        "/cohorts/new/",
        {
            "name": "Backwards",
            "framework": world.cohort.framework.pk,
            **date_boxes("starts_on", "2026-06-01"),
            **date_boxes("ends_on", "2026-05-01"),
        },
    )
    assert response.status_code == 400
    assert "The end of the period must be on or after its start." in response.content.decode()
    assert not Cohort.objects.filter(name="Backwards").exists()


def test_facilitator_changes_the_name_and_period(client, world):
    sign_in(client, world.facilitator)
    url = reverse("assessments:cohort-edit", kwargs={"pk": world.cohort.pk})
    assert "cannot change" in client.get(url).content.decode()
    page = client.get(url).content.decode()
    assert "it can be made shorter but not longer" in page
    shorter = world.cohort.ends_on - datetime.timedelta(days=7)
    client.post(
        url,
        {
            "name": "Renamed",
            **date_boxes("starts_on", world.cohort.starts_on),
            **date_boxes("ends_on", shorter),
        },
    )
    world.cohort.refresh_from_db()
    assert world.cohort.name == "Renamed"
    assert world.cohort.ends_on == shorter
    # Earlier rounds cannot be pulled in: the form says why and keeps what was typed.
    response = client.post(
        url,
        {
            "name": "Renamed",
            **date_boxes("starts_on", "2026-01-01"),
            **date_boxes("ends_on", shorter),
        },
    )
    assert response.status_code == 400
    assert "can be made shorter, but not longer" in response.content.decode()
    world.cohort.refresh_from_db()
    assert world.cohort.starts_on != datetime.date(2026, 1, 1)


# Invitations -----------------------------------------------------------------------------


def invite(client, world, email):
    return client.post(
        reverse("assessments:cohort-organisations", kwargs={"pk": world.cohort.pk}),
        {"email": email},
    )


def test_invited_lead_gets_an_email_and_accepts_on_the_organisation_page(client, world):
    sign_in(client, world.facilitator)
    response = invite(client, world, "Lead@Hillside.example")
    assert response.status_code == 302
    invitation = CohortInvitation.objects.get(cohort=world.cohort)
    assert invitation.email == "lead@hillside.example" and invitation.is_pending
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == ["lead@hillside.example"]
    assert f"/cohort-invitations/{invitation.pk}/" in body
    assert "never anyone's answers or notes" in body

    client.logout()
    sign_in(client, world.outside_lead)
    page = client.get(world.outside_org.get_absolute_url()).content.decode()
    assert "Invitation to join the cohort North Vale network" in page
    # The organisation page shows it, but accepting takes the e-mailed link's token.
    assert "open the link in the invitation e-mail" in page
    url = re.search(r"https://coprod\.example(/cohort-invitations/\S+/)", body).group(1)
    response = client.post(
        url, {"action": "accept", "organisation": world.outside_org.pk}, follow=True
    )
    assert "Hillside has joined North Vale network" in response.content.decode()
    assert CohortMember.objects.filter(cohort=world.cohort, organisation=world.outside_org).get()
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.organisation == world.outside_org
    assert world.outside_org.audit_events.filter(
        kind="cohort_joined", actor=world.outside_lead
    ).exists()
    # Answered: it no longer shows, and the cohort is listed instead.
    page = client.get(world.outside_org.get_absolute_url()).content.decode()
    assert "Invitation to join" not in page and "North Vale network" in page
    # A second answer is refused calmly.
    response = client.post(url, {"action": "decline"}, follow=True)
    assert "has been accepted" in response.content.decode()


def test_invitation_errors_are_explained(client, world):
    sign_in(client, world.facilitator)
    response = invite(client, world, "not an address")
    assert response.status_code == 400
    assert "Enter an e-mail address like name@example.org." in response.content.decode()
    invite(client, world, "new@council.example")
    response = invite(client, world, "NEW@council.example")
    assert "already been invited and has not answered yet" in response.content.decode()
    response = invite(client, world, world.lead.email)
    assert "The organisation rita@riverside.example leads is already in" in (
        response.content.decode()
    )
    assert CohortInvitation.objects.filter(cohort=world.cohort).count() == 1


def test_lead_without_an_account_is_told_how_to_join(client, world):
    sign_in(client, world.facilitator)
    invite(client, world, "new@council.example")
    assert "/signup/?email=new@council.example" in mail.outbox[0].body


def test_lead_of_two_organisations_chooses_which_joins_by_the_emailed_link(client, world):
    second = factories.organisation("Riverside children", lead=world.lead)
    invitation = factories.cohort_invitation(cohort=world.other_cohort, email=world.lead.email)
    sign_in(client, world.lead)
    url = reverse(
        "assessments:cohort-invitation-link",
        kwargs={"pk": invitation.pk, "token": invitation.raw_token},
    )
    page = client.get(url).content.decode()
    assert "Which organisation will join?" in page and "Riverside children" in page
    response = client.post(url, {"action": "accept"})
    assert response.status_code == 400
    assert "Choose the organisation that will join." in response.content.decode()
    client.post(url, {"action": "accept", "organisation": second.pk})
    assert CohortMember.objects.filter(cohort=world.other_cohort, organisation=second).exists()


def test_someone_who_leads_nothing_is_asked_to_set_up_an_organisation(client, world):
    person = factories.user("new@council.example")
    invitation = factories.cohort_invitation(cohort=world.cohort, email=person.email)
    sign_in(client, person)
    page = client.get(reverse("assessments:cohort-invitation", kwargs={"pk": invitation.pk}))
    assert "Set up your organisation" in page.content.decode()


def test_lead_declines_and_the_facilitator_sees_it(client, world):
    invitation = factories.cohort_invitation(cohort=world.cohort, email=world.outside_lead.email)
    sign_in(client, world.outside_lead)
    client.post(
        reverse("assessments:cohort-invitation", kwargs={"pk": invitation.pk}),
        {"action": "decline"},
    )
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    assert not CohortMember.objects.filter(organisation=world.outside_org).exists()
    client.logout()
    sign_in(client, world.facilitator)
    page = client.get(
        reverse("assessments:cohort-organisations", kwargs={"pk": world.cohort.pk})
    ).content.decode()
    assert "Declined" in page


def test_facilitator_withdraws_an_invitation(client, world):
    invitation = factories.cohort_invitation(cohort=world.cohort, email=world.outside_lead.email)
    sign_in(client, world.facilitator)
    client.post(
        reverse(
            "assessments:cohort-invitation-cancel",
            kwargs={"pk": world.cohort.pk, "invitation": invitation.pk},
        )
    )
    invitation.refresh_from_db()
    assert invitation.status == "cancelled"
    with pytest.raises(ServiceError, match="withdrawn"):
        cohort_invitation_accept(
            invitation=invitation,
            token=invitation.raw_token,
            organisation=world.outside_org,
            user=world.outside_lead,
        )


def test_only_a_lead_accepts_and_only_the_addressee(client, world):
    invitation = factories.cohort_invitation(cohort=world.other_cohort, email=world.member.email)
    with pytest.raises(ServiceError, match="Only a lead"):
        cohort_invitation_accept(
            invitation=invitation,
            token=invitation.raw_token,
            organisation=world.org,
            user=world.member,
        )
    with pytest.raises(ServiceError, match="someone else"):
        cohort_invitation_accept(
            invitation=invitation,
            token=invitation.raw_token,
            organisation=world.org,
            user=world.lead,
        )
    sign_in(client, world.lead)  # not the addressee: the invitation does not exist for them
    assert client.get(f"/cohort-invitations/{invitation.pk}/").status_code == 404


# The dashboard ---------------------------------------------------------------------------


@pytest.mark.exact_figures
def test_dashboard_shows_progress_and_figures_but_no_answers_or_notes(client, world):
    member_org(world.cohort, "Brookfield", lived_level=4, staff_level=4)
    member_org(world.cohort, "Eastgate", status=RoundStatus.OPEN, lived=1, staff=1)
    member_org(world.cohort, "Lakeside", with_round=False)
    draft_org = member_org(world.cohort, "Millbrook", with_round=False)
    factories.round(draft_org, status=RoundStatus.DRAFT)
    sign_in(client, world.facilitator)
    page = client.get(dashboard_url(world)).content.decode()
    assert "Riverside adult care" in page and "Brookfield" in page
    assert "Not started" in page and "Draft, not open yet" in page
    # Eastgate's round is open and publishes its figures only when it closes.
    assert "Open" in page and "Figures appear when the round closes." in page
    # Riverside: lived experience at 2 and staff at 3 → 2.5 on every principle, its shade.
    assert '<td class="heat heat-s25">2.5</td>' in page
    assert '<td class="heat heat-s40">4.0</td>' in page
    assert "Our secret example" not in page  # notes never reach the facilitator
    assert "<svg" in page and "Principle scores across North Vale network" in page
    # The cohort mean of 2.5 and 4.0; and the gap of −1.0 in Riverside and 0 in Brookfield.
    assert "3.2" in page  # (2.5 + 4.0) / 2 = 3.25
    assert "−0.5" in page
    assert "The statements the cohort finds hardest" in page


def test_rounds_outside_the_period_or_on_another_framework_do_not_count(client, world):
    Crosswalk.objects.filter(first="cahn", second="nef-nesta").delete()  # none links them
    old = member_org(world.cohort, "Old timers", opened_days_ago=200)
    nef = member_org(world.cohort, "Other framework", slug="nef-nesta")
    sign_in(client, world.facilitator)
    page = client.get(dashboard_url(world)).content.decode()
    assert page.count("No round on this framework in the period yet.") == 2
    assert old.name in page and nef.name in page


@pytest.mark.exact_figures
def test_perspective_filter_hides_groups_of_fewer_than_three(client, world):
    member_org(world.cohort, "Brookfield", lived=2, staff=5)
    sign_in(client, world.facilitator)
    page = client.get(dashboard_url(world, "?perspective=lived_experience")).content.decode()
    assert "Showing only the answers of the group" in page
    # Brookfield's two people with lived experience are folded in with its staff, so its
    # figures show no group at all: not even how many are in it.
    assert (
        "The group “Person with lived experience” is not shown on its own in this round’s "
        "figures: fewer than 3 of them answered, or their figures could be worked out from "
        "the other groups’."
    ) in page
    assert '<td class="heat heat-s20">2.0</td>' in page  # Riverside's three at 2
    assert "– of 7" in page and "2 of" not in page
    # The filter offers only the groups some organisation's figures show on their own.
    offered = page[page.index('<select name="perspective"') : page.index("</select>")]
    assert 'value="lived_experience"' in offered and 'value="staff"' in offered
    assert 'value="carer"' not in offered and 'value="others"' not in offered
    # An unknown perspective is simply everyone.
    page = client.get(dashboard_url(world, "?perspective=nonsense")).content.decode()
    assert "Showing only the answers" not in page


def test_heat_map_sorts_by_a_column_with_plain_links(client, world):
    member_org(world.cohort, "Aardvark", lived_level=1, staff_level=1)
    member_org(world.cohort, "Zebra", lived_level=4, staff_level=4)
    member_org(world.cohort, "Empty", with_round=False)
    sign_in(client, world.facilitator)
    page = client.get(dashboard_url(world)).content.decode()
    assert page.index("Aardvark") < page.index("Riverside adult care") < page.index("Zebra")
    assert '?sort=p1&amp;dir=asc"' in page
    page = client.get(dashboard_url(world, "?sort=p1&dir=desc")).content.decode()
    body = page[page.index("<tbody>") :]
    order = [body.index(n) for n in ("Zebra", "Riverside adult care", "Aardvark", "Empty")]
    assert order == sorted(order)  # highest first, no figures last
    assert 'aria-sort="descending"' in page
    assert client.get(dashboard_url(world, "?sort=bogus")).status_code == 200


def test_heat_map_is_paged_in_its_order_with_the_cohort_figures_of_every_organisation(
    client, world, monkeypatch
):
    monkeypatch.setattr("assessments.documents.cohort.PAGE_SIZE", 2)
    for name, level in [("Aardvark", 1), ("Bittern", 2), ("Zebra", 4)]:
        member_org(world.cohort, name, lived_level=level, staff_level=level)
    member_org(world.cohort, "Empty", with_round=False)
    sign_in(client, world.facilitator)
    page = client.get(dashboard_url(world)).content.decode()
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    assert "Aardvark" in body and "Bittern" in body and "Empty" not in body
    assert "(organisations 1 to 2 of 5)" in page
    nav = page[page.index('<nav aria-label="Pages of the heat map">') :]
    nav = nav[: nav.index("</nav>")]
    assert (
        'aria-current="page"><span class="page-link"><span class="visually-hidden">Page </span>1'
        in nav
    )
    assert 'href="?sort=name&amp;dir=asc&amp;page=3"' in nav and 'rel="next"' in nav
    # The foot of the table, the radar and the tables below cover every organisation.
    assert "4 organisations with figures" in page
    # Paging keeps the group and the order; sorting goes back to the first page.
    page = client.get(
        dashboard_url(world, "?perspective=staff&sort=p1&dir=desc&page=2")
    ).content.decode()
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    assert "Bittern" in body and "Aardvark" in body  # Zebra, Riverside; then these two
    assert 'href="?perspective=staff&amp;sort=p1&amp;dir=desc&amp;page=3"' in page
    assert 'href="?perspective=staff&amp;sort=p1&amp;dir=asc"' in page
    last = client.get(dashboard_url(world, "?sort=p1&dir=desc&page=3")).content.decode()
    assert "Empty" in last[last.index("<tbody>") : last.index("</tbody>")]  # no figures: last
    # A page out of range, or not a number, is the nearest page there is.
    assert client.get(dashboard_url(world, "?page=99")).status_code == 200
    assert client.get(dashboard_url(world, "?page=x")).status_code == 200
    # The downloads hold every organisation.
    csv_text = client.get(
        reverse("assessments:cohort-csv", kwargs={"pk": world.cohort.pk})
    ).content.decode()
    for name in ("Aardvark", "Bittern", "Empty", "Riverside adult care", "Zebra"):
        assert name in csv_text


def test_a_kept_page_of_the_heat_map_follows_every_change(client, world):
    """A worker keeps the pages it has shown until something on them changes: a new round,
    a round renamed, an organisation joining or leaving."""
    still_open = member_org(world.cohort, "Opener", status=RoundStatus.OPEN)
    sign_in(client, world.facilitator)
    assert "Spring thoughts" not in client.get(dashboard_url(world)).content.decode()
    rounds_services.round_update(
        round=still_open.rounds.get(), title="Spring thoughts", closes_on=None
    )
    assert "Spring thoughts" in client.get(dashboard_url(world)).content.decode()
    late = member_org(world.cohort, "Latecomer")
    assert "Latecomer" in client.get(dashboard_url(world)).content.decode()
    member = late.cohort_memberships.get()
    cohort_member_leave(member=member, by=None)
    assert "Latecomer" not in client.get(dashboard_url(world)).content.decode()


def test_the_dashboards_chart_follows_a_renamed_cohort(client, world):
    """The chart's title, kept with the cohort-level sections, follows the cohort's name."""
    member_org(world.cohort, "Brookfield", lived_level=4, staff_level=4)
    sign_in(client, world.facilitator)
    assert (
        "Principle scores across North Vale network"
        in client.get(dashboard_url(world)).content.decode()
    )
    cohort = world.cohort
    cohort_update(
        cohort=cohort,
        name="North Vale partners",
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        by=world.facilitator,
    )
    page = client.get(dashboard_url(world)).content.decode()
    assert "Principle scores across North Vale partners" in page
    assert "North Vale network" not in page


def test_looking_at_the_dashboard_writes_nothing(client, world):
    for n in range(5):
        member_org(world.cohort, f"Peer {n}")
    sign_in(client, world.facilitator)
    client.get(dashboard_url(world))  # the session's own writes, if any, happen here
    for query in ("", "?perspective=staff&sort=p2&dir=desc", "?sort=progress&page=2"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(dashboard_url(world, query)).status_code == 200
        written = [
            q["sql"]
            for q in ctx.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
            # The shared cache (charts drawn once for every server) is not the site's data.
            and "coprod_cache" not in q["sql"]
        ]
        assert written == []


def test_dashboard_of_an_empty_cohort_says_what_to_do(client, world):
    sign_in(client, world.other_facilitator)
    page = client.get(f"/cohorts/{world.other_cohort.pk}/").content.decode()
    assert "No organisations yet" in page and "Invite organisations" in page


def count(client, url) -> int:
    """Queries of the site's data (the shared cache's, for charts drawn once, are not)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(
        [
            q
            for q in ctx.captured_queries
            if "coprod_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"].upper()
        ]
    )


LOOKS = ["", "?perspective=staff&sort=p2", "?sort=progress&dir=desc", "?page=2&sort=p1"]


def looks(client, world) -> list[tuple[int, int]]:
    """For each kind of look: the queries of the first look after the cohort's figures were
    worked out again (the worker reads them, and renders the cohort-level sections, once)
    and of the next look."""
    counts = []
    for query in LOOKS:
        cohort_figures_store(cohort=world.cohort)  # a new version of the figures
        first = count(client, dashboard_url(world, query))
        counts.append((first, count(client, dashboard_url(world, query))))
    return counts


def test_dashboard_query_count_does_not_grow_with_organisations(client, world):
    for n in range(2):
        member_org(world.cohort, f"Early {n}")
    sign_in(client, world.facilitator)
    client.get(dashboard_url(world))  # the worker reads the framework's principles once
    few = looks(client, world)
    assert all(again < first for first, again in few)
    for n in range(5):
        member_org(world.cohort, f"Later {n}", status=RoundStatus.OPEN if n % 2 else "closed")
    for n in range(PAGE_SIZE):  # more than a page: a page still costs the same
        member_org(world.cohort, f"Many {n}", with_round=n % 3 == 0)
    assert looks(client, world) == few


# Exports ----------------------------------------------------------------------------------


@pytest.mark.exact_figures
def test_heat_map_csv_opens_cleanly_and_defuses_formulas(client, world):
    member_org(world.cohort, "=HYPERLINK(1)", lived_level=4, staff_level=4)
    sign_in(client, world.facilitator)
    response = client.get(reverse("assessments:cohort-csv", kwargs={"pk": world.cohort.pk}))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "heat-map.csv" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("\ufefforganisation,progress,")
    assert "\r\n" in text
    assert "'=HYPERLINK(1)" in text
    assert "Riverside adult care,Closed," in text and ",2.50,2.50,2.50,2.50," in text
    assert "Cohort mean" in text
    filtered = client.get(
        reverse("assessments:cohort-csv", kwargs={"pk": world.cohort.pk}) + "?perspective=carer"
    )
    assert "is not shown on its own in this round’s figures" in filtered.content.decode()


def test_cohort_pdf_holds_radar_heat_map_hardest_statements_and_progress(client, world):
    member_org(world.cohort, "Brookfield", lived_level=4, staff_level=3)
    sign_in(client, world.facilitator)
    response = prepared(
        client, client.post(reverse("assessments:cohort-pdf", kwargs={"pk": world.cohort.pk}))
    )
    assert response["Content-Type"] == "application/pdf"
    assert "north-vale-network-summary.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert reader.metadata.title == "North Vale network – cohort summary"
    for expected in (
        "Progress of the organisations’ rounds",
        "The cohort at a glance",
        "Organisations by principle",
        "Brookfield",
        "The statements the cohort finds hardest",
        "Page 2 of",
    ):
        assert expected in text
    assert "Our secret example" not in text


def test_asking_for_the_cohort_pdf_costs_the_same_whatever_the_cohort(client, world, settings):
    """The facilitator waits for the request that asks: the sign-in, the cohort's own row
    for the check, the task queued and the export written with its id, then the export's
    page's address. Nothing read grows with the cohort; the worker does the rest."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    sign_in(client, world.facilitator)
    url = reverse("assessments:cohort-pdf", kwargs={"pk": world.cohort.pk})

    def ask(sort: str) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(f"{url}?sort={sort}")
        assert response.status_code == 302
        assert response["Location"].startswith("/downloads/")
        return [q["sql"].split()[0] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]

    few = ask("name")
    assert few == ["SELECT", "SELECT", "SELECT", "INSERT", "INSERT"]
    for n in range(PAGE_SIZE + 5):
        member_org(world.cohort, f"Many {n}", with_round=n % 3 == 0)
    assert ask("progress") == few


def test_cohort_pdf_filtered_to_one_group_counts_the_group_of_everyone(client, world):
    """Riverside: 3 people with lived experience and 3 staff; Brookfield: 4 and 10."""
    member_org(world.cohort, "Brookfield", lived=4, staff=10)
    sign_in(client, world.facilitator)
    url = reverse("assessments:cohort-pdf", kwargs={"pk": world.cohort.pk})
    response = prepared(client, client.post(url + "?perspective=lived_experience"))
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Answers shown Person with lived experience only" in text
    assert (
        "People behind the figures 7 in the group “Person with lived experience”, of 20 who"
        " answered" in text
    )
    assert "People in the group" in text
    assert "Brookfield Closed 4 of 14" in text
    assert "Riverside adult care Closed 3 of 6" in text
    assert "Brookfield Closed 14 " not in text
    everyone = " ".join(
        " ".join(p.extract_text().split())
        for p in PdfReader(io.BytesIO(prepared(client, client.post(url)).content)).pages
    )
    assert "People behind the figures 20" in everyone
    assert "Brookfield Closed 14 " in everyone and " of 14" not in everyone


# Organisations' side -----------------------------------------------------------------------


def org_cohort_url(world, org=None, name=""):
    org = org or world.org
    return reverse(
        f"assessments:organisation-cohort{'-' + name if name else ''}",
        kwargs={"org": org.slug, "pk": world.cohort.pk},
    )


def test_members_see_their_cohort_and_named_peers_only(client, world):
    member_org(world.cohort, "Brookfield", show_name=True)
    member_org(world.cohort, "Secretive")
    sign_in(client, world.member)
    page = client.get(org_cohort_url(world)).content.decode()
    assert "Brookfield" in page and "Secretive" not in page
    assert "1 other organisation that keeps its name private" in page
    assert "Fran Okafor" in page
    assert "Your name in the cohort" not in page  # a lead's choice
    assert client.post(org_cohort_url(world, name="name"), {"show_name": "yes"}).status_code == 403
    assert client.post(org_cohort_url(world, name="leave")).status_code == 403


def test_lead_shows_the_name_and_leaves(client, world):
    sign_in(client, world.lead)
    client.post(org_cohort_url(world, name="name"), {"show_name": "yes"})
    assert CohortMember.objects.get(organisation=world.org).show_name
    response = client.post(org_cohort_url(world, name="name"), {"show_name": "maybe"}, follow=True)
    assert "Choose yes or no." in response.content.decode()
    response = client.post(org_cohort_url(world, name="leave"), follow=True)
    assert "has left North Vale network" in response.content.decode()
    assert not CohortMember.objects.filter(organisation=world.org).exists()
    assert world.round.pk and world.round.respondents.count() == 6  # answers untouched
    # Both are in the organisation's activity log, with who did it.
    activity = client.get(
        reverse("assessments:organisation-activity", kwargs={"org": world.org.slug})
    ).content.decode()
    assert "The organisation’s name is now shown to others in “North Vale network”." in activity
    assert "Left the cohort “North Vale network”." in activity
    client.logout()
    sign_in(client, world.facilitator)
    assert "Riverside adult care" not in client.get(dashboard_url(world)).content.decode()


# Who may see what ------------------------------------------------------------------------

FACILITATOR_PAGES = ["cohort", "cohort-edit", "cohort-organisations", "cohort-csv"]
EXPECTED = {
    "anonymous": 302,
    "facilitator": 200,
    "other_facilitator": 404,
    "lead": 403,
    "member": 403,
    "outside_lead": 404,
}


@pytest.mark.parametrize("name", FACILITATOR_PAGES)
@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_role_against_each_cohort_page_and_export(client, world, name, who):
    if who != "anonymous":
        sign_in(client, world.role(who))
    response = client.get(reverse(f"assessments:{name}", kwargs={"pk": world.cohort.pk}))
    assert response.status_code == EXPECTED[who]
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"]
    if response.status_code != 200:
        assert "Riverside adult care" not in response.content.decode()


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_role_asking_for_the_cohort_pdf(client, world, who):
    """Asking for the PDF is a button (a worker makes it); only the facilitator may, and
    only they can open what they asked for."""
    if who != "anonymous":
        sign_in(client, world.role(who))
    url = reverse("assessments:cohort-pdf", kwargs={"pk": world.cohort.pk})
    assert client.get(url).status_code == (302 if who == "anonymous" else 405)
    response = client.post(url)
    assert response.status_code == (EXPECTED[who] if who != "facilitator" else 302)
    if who == "facilitator":
        export = response["Location"]
        assert client.get(export + "file")["Content-Type"] == "application/pdf"
        sign_in(client, world.other_facilitator)
        assert client.get(export).status_code == 404
        assert client.get(export + "file").status_code == 404


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_role_against_inviting_and_withdrawing(client, world, who):
    invitation = factories.cohort_invitation(cohort=world.cohort, email="x@council.example")
    if who != "anonymous":
        sign_in(client, world.role(who))
    invite(client, world, "y@council.example")
    client.post(
        reverse(
            "assessments:cohort-invitation-cancel",
            kwargs={"pk": world.cohort.pk, "invitation": invitation.pk},
        )
    )
    invitation.refresh_from_db()
    allowed = who == "facilitator"
    assert CohortInvitation.objects.filter(email="y@council.example").exists() == allowed
    assert (invitation.status == "cancelled") == allowed


@pytest.mark.parametrize(
    "who, status",
    [
        ("anonymous", 302),
        ("facilitator", 404),  # the facilitator has the dashboard, not the organisation's page
        ("other_facilitator", 404),
        ("lead", 200),
        ("member", 200),
        ("outside_lead", 404),
    ],
)
def test_each_role_against_the_organisations_cohort_page(client, world, who, status):
    if who != "anonymous":
        sign_in(client, world.role(who))
    assert client.get(org_cohort_url(world)).status_code == status


def test_the_cohort_check_loads_its_framework_and_facilitator_or_its_own_row_alone(world):
    """For its facilitator, the cohort comes with its framework version and facilitator in
    one query, or alone (``own_row``); anyone else is refused as on the pages."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from assessments.web.access import cohort_for_user

    with CaptureQueriesContext(connection) as queries:
        cohort = cohort_for_user(world.facilitator, world.cohort.pk)
        assert (cohort.framework, cohort.facilitator) == (
            world.cohort.framework,
            world.facilitator,
        )
    assert len(queries) == 1
    alone = cohort_for_user(world.facilitator, world.cohort.pk, own_row=True)
    assert alone == world.cohort and alone.name == "North Vale network"
    assert not alone._state.fields_cache  # neither framework nor facilitator loaded
    for own_row in (False, True):
        with pytest.raises(PermissionDenied):
            cohort_for_user(world.lead, world.cohort.pk, own_row=own_row)
        for who, pk in [
            (world.other_facilitator, world.cohort.pk),
            (world.outside_lead, world.cohort.pk),
            (world.facilitator, world.cohort.pk + 1000),
            (world.facilitator, 2**63),
            (world.facilitator, 10**30),
            (world.facilitator, -(2**63) - 1),
        ]:
            with pytest.raises(Http404):
                cohort_for_user(who, pk, own_row=own_row)


def test_outside_lead_cannot_leave_or_rename_for_another_organisation(client, world):
    sign_in(client, world.outside_lead)
    assert client.post(org_cohort_url(world, name="leave")).status_code == 404
    assert client.post(org_cohort_url(world, name="name"), {"show_name": "yes"}).status_code == 404
    assert CohortMember.objects.filter(organisation=world.org).exists()


def test_a_facilitator_sees_only_their_own_cohorts_in_the_list(client, world):
    sign_in(client, world.other_facilitator)
    page = client.get("/cohorts/").content.decode()
    assert "Elsewhere network" in page and "North Vale network" not in page


def test_a_round_of_a_cohort_member_stays_private_to_the_facilitator(client, world):
    sign_in(client, world.facilitator)
    assert client.get(f"/rounds/{world.round.pk}/results/").status_code == 404
    assert client.get(f"/rounds/{world.round.pk}/export/answers.csv").status_code == 404


def test_answers_of_a_second_round_later_in_the_period_replace_the_first(client, world):
    later = answered_round(world.org, lived_level=4, staff_level=4, opened_days_ago=2)
    sign_in(client, world.facilitator)
    page = client.get(dashboard_url(world)).content.decode()
    assert later.title in page and world.round.title not in page


# When the mail server fails --------------------------------------------------------------


def test_a_failing_mail_server_keeps_one_cohort_invitation_that_can_be_resent(
    client, world, settings
):
    settings.EMAIL_DELIVERY_BACKEND = "tests.mail_backends.FailingBackend"
    sign_in(client, world.facilitator)
    url = reverse("assessments:cohort-organisations", kwargs={"pk": world.cohort.pk})
    for _ in range(2):  # the facilitator tries the form again: never "already invited"
        response = invite(client, world, "lead@hillside.example")
        assert response.status_code == 302 and response["Location"] == url
        page = client.get(url).content.decode()
        assert (
            "We saved the invitation to lead@hillside.example but could not send the e-mail "
            "just now." in page
        )
        assert "already been invited" not in page
    invitation = CohortInvitation.objects.get(cohort=world.cohort)
    assert invitation.is_pending and invitation.sent_at is None and not mail.outbox
    assert "<strong>Not sent yet</strong>" in page
    resend = reverse(
        "assessments:cohort-invitation-resend",
        kwargs={"pk": world.cohort.pk, "invitation": invitation.pk},
    )
    assert f'action="{resend}"' in page

    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = client.post(resend, follow=True).content.decode()
    assert "The invitation will be sent again to lead@hillside.example in a moment." in page
    assert "Not sent yet" not in page
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lead@hillside.example"]
    link = re.search(
        rf"https://coprod\.example/cohort-invitations/{invitation.pk}/[\w-]+/", mail.outbox[0].body
    ).group(0)
    assert link in mail.outbox[0].body and f'href="{link}"' in mail.outbox[0].alternatives[0][0]
    assert CohortInvitation.objects.filter(cohort=world.cohort).count() == 1


def test_only_the_facilitator_resends_and_only_a_pending_invitation(client, world):
    invitation = factories.cohort_invitation(cohort=world.cohort, email="x@council.example")
    resend = reverse(
        "assessments:cohort-invitation-resend",
        kwargs={"pk": world.cohort.pk, "invitation": invitation.pk},
    )
    sign_in(client, world.other_facilitator)
    assert client.post(resend).status_code == 404
    client.logout()
    sign_in(client, world.lead)
    assert client.post(resend).status_code == 403
    client.logout()
    sign_in(client, world.facilitator)
    other = factories.cohort_invitation(cohort=world.other_cohort, email="x@council.example")
    wrong_cohort = reverse(
        "assessments:cohort-invitation-resend",
        kwargs={"pk": world.cohort.pk, "invitation": other.pk},
    )
    assert client.post(wrong_cohort).status_code == 404
    CohortInvitation.objects.filter(pk=invitation.pk).update(status="declined")
    page = client.post(resend, follow=True).content.decode()
    assert "already answered or withdrawn" in page
    assert not mail.outbox
