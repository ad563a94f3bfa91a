"""An organisation sees itself against its cohort: the cohort mean shows on its results,
radar and PDF report only when at least 5 organisations have closed rounds, and never
another organisation's figures."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.documents.summary import round_results
from assessments.rounds.models import RoundStatus
from principles.selectors import frozen_framework_content
from tests.support import count_queries, member_org, sign_in

pytestmark = pytest.mark.django_db


def results_url(world):
    return reverse("assessments:results", kwargs={"pk": world.round.pk})


def peers(world, n, **kwargs):
    """``n`` more organisations in the cohort, named so that a leak would show."""
    return [
        member_org(world.cohort, f"Peer {i} Zanzibar", lived_level=4, staff_level=4, **kwargs)
        for i in range(n)
    ]


def test_no_cohort_mean_below_five_organisations_with_closed_rounds(client, world):
    peers(world, 3)
    peers(world, 2, status=RoundStatus.OPEN)  # open rounds do not count
    sign_in(client, world.member)
    page = client.get(results_url(world)).content.decode()
    assert "Cohort mean" not in page
    assert round_results(world.round).benchmark is None
    cohort_page = client.get(
        reverse(
            "assessments:organisation-cohort", kwargs={"org": world.org.slug, "pk": world.cohort.pk}
        )
    ).content.decode()
    assert "once at least 5 organisations have closed rounds" in cohort_page
    assert "still has the mean of at least 4 others" in cohort_page
    assert "So far: 4." in cohort_page


@pytest.mark.exact_figures
def test_cohort_mean_shows_from_five_organisations(client, world):
    peers(world, 4)
    sign_in(client, world.member)
    page = client.get(results_url(world)).content.decode()
    assert "This round is part of the cohort <strong>North Vale network</strong>" in page
    assert (
        "the mean of 5 organisations’ figures published when their rounds closed, yours among them"
    ) in page
    # Riverside 2.5 on every principle, four peers at 4.0: the cohort mean is 3.7.
    assert '<th scope="col" class="num">Cohort mean</th>' in page
    assert '<td class="num">3.7</td>' in page
    assert "Zanzibar" not in page  # never another organisation by name
    # The radar has the overlay by default, and it can be switched off.
    assert "Cohort mean" in page[page.index("<svg") : page.index("</svg>")]
    assert 'name="show" value="cohort" id="show-cohort" checked' in page
    without = client.get(results_url(world) + "?overlays=1&show=staff").content.decode()
    assert without.count('<g id="overlay-') == page.count('<g id="overlay-') - 2
    # The organisation's cohort page says what the mean is made of and when it moves.
    cohort_page = client.get(
        reverse(
            "assessments:organisation-cohort", kwargs={"org": world.org.slug, "pk": world.cohort.pk}
        )
    ).content.decode()
    assert "the mean of 5 organisations’ figures published when their rounds closed" in cohort_page
    assert "only once at least 4 organisations’ figures have changed" in cohort_page
    assert "even taking its own figures out" in cohort_page


def test_benchmark_needs_the_round_to_be_in_the_cohorts_period(client, world):
    peers(world, 4)
    world.cohort.starts_on = world.cohort.ends_on
    world.cohort.save()
    assert round_results(world.round).benchmark is None


def test_leaving_the_cohort_takes_the_benchmark_away(client, world):
    peers(world, 5)
    # Made when the fifth organisation's round closed; the sixth alone does not move it.
    assert round_results(world.round).benchmark.organisations == 5
    world.org.cohort_memberships.all().delete()
    assert round_results(world.round).benchmark is None


def test_report_pdf_shows_the_cohort_mean(client, world):
    peers(world, 4)
    sign_in(client, world.member)
    response = client.get(reverse("assessments:report-pdf", kwargs={"pk": world.round.pk}))
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Cohort mean" in text and "North Vale network" in text
    assert "Zanzibar" not in text


def test_results_query_count_does_not_grow_with_the_cohort(client, world):
    peers(world, 4)
    sign_in(client, world.member)
    world.round.framework.refresh_from_db()
    frozen_framework_content(world.round.framework)  # kept from the first page on
    five = count_queries(client, results_url(world))
    peers(world, 5)
    peers(world, 2, status=RoundStatus.OPEN)
    assert count_queries(client, results_url(world)) == five
