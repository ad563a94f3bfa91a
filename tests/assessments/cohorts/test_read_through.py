"""A cohort whose organisations answered on different frameworks: a member whose round is on
a framework a crosswalk links to the cohort's is shown on the heat map read through the
crosswalk, labelled, and counts in no cohort-level figure and not in the cohort mean."""

import csv
import io
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from assessments.cohorts import selectors
from assessments.cohorts.benchmark import cohort_benchmark
from assessments.cohorts.models import CohortBenchmark, CohortFigures
from assessments.cohorts.services import cohort_figures_store
from assessments.documents.cohort import cohort_dashboard
from assessments.rounds.models import Round
from principles.models import CrosswalkLink
from tests import factories
from tests.support import cohort, member_org, prepared, sign_in

WALES = "The five principles of co-production in Wales"
LABEL = f"Read through from {WALES}"


def no_networks(level):
    """Every statement answered at ``level``, but none of the Welsh "networks" principle:
    the round publishes no score for it."""
    return lambda s: None if s.principle.slug == "networks" else level


pytestmark = [pytest.mark.django_db, pytest.mark.exact_figures]


@pytest.fixture
def walk(db):
    """A cohort on nef's six with one member answering on nef's six (everyone at 2.5) and
    one on the Welsh five (everyone at 4, "networks" not rated)."""
    facilitator = factories.user("fran@network.example")
    the_cohort = cohort(facilitator, slug="nef-nesta")
    direct = member_org(the_cohort, "Riverside", slug="nef-nesta")
    welsh = member_org(
        the_cohort,
        "Tŷ Cymunedol",
        slug="wales-five",
        lived_level=no_networks(4),
        staff_level=no_networks(4),
    )
    return SimpleNamespace(cohort=the_cohort, facilitator=facilitator, direct=direct, welsh=welsh)


def row_of(page: str, name: str) -> str:
    start = page.index(f'<th scope="row">{name}')
    return page[start : page.index("</tr>", start)]


def dashboard(client, walk, query="") -> str:
    sign_in(client, walk.facilitator)
    response = client.get(reverse("assessments:cohort", kwargs={"pk": walk.cohort.pk}) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_welsh_member_counts_for_a_cohort_on_nefs_six(walk):
    standing = selectors.cohort_standing(walk.cohort)
    assert all(round_id is not None for round_id, _ in standing.values())
    # …but not for the cohort mean, which is made only of figures answered on nef's six.
    assert list(selectors.cohort_closing_publications(walk.cohort)) == [walk.direct.pk]
    # …and its own results are never set beside the cohort mean of another framework.
    assert selectors.round_cohort(Round.objects.get(organisation=walk.welsh)) is None


def test_the_heat_map_reads_the_welsh_row_through_the_crosswalk(client, walk):
    page = dashboard(client, walk)
    welsh = row_of(page, "Tŷ Cymunedol")
    assert LABEL in welsh  # in words, for everyone and for screen readers
    # Each of nef's principles is the mean of the Welsh principles linked to it: 4.0 where
    # every one of them is shown; "peer support networks" reads only "networks", which the
    # round did not publish, so it is held back too.
    cells = welsh.split('class="heat ')[1:]
    shown = [cell.split(">", 1)[1].split("<", 1)[0] for cell in cells]
    assert shown == ["4.0", "4.0", "4.0", "held back", "4.0", "4.0"]
    direct = row_of(page, "Riverside")
    assert "Read through" not in direct and direct.count(">2.5<") == 6
    assert "1 organisation answered on another framework" not in page
    assert "One organisation answered on another framework: its row is read through" in page
    # The cohort-level figures are Riverside's alone.
    assert "1 organisation with figures" in page


def test_a_principle_the_crosswalk_does_not_reach_is_not_covered(client, walk):
    CrosswalkLink.objects.filter(
        crosswalk__first="nef-nesta", first_principle="assets", second_principle="strengths"
    ).delete()
    cohort_figures_store(cohort=walk.cohort)  # a new version of the pages
    cells = row_of(dashboard(client, walk), "Tŷ Cymunedol").split('class="heat ')[1:]
    assert cells[0].split(">", 1)[1].startswith("not covered<")


def test_sorting_by_a_principle_puts_rows_read_through_last(client, walk):
    page = dashboard(client, walk, "?sort=p1&dir=desc")
    assert page.index('<th scope="row">Riverside') < page.index('<th scope="row">Tŷ Cymunedol')


def test_the_cohort_mean_is_unchanged_by_a_member_read_through(client, walk):
    for n in range(4):
        member_org(walk.cohort, f"Peer {n}", slug="nef-nesta", lived_level=n % 4 + 1)
    made = CohortBenchmark.objects.filter(cohort=walk.cohort).count()
    mean = cohort_benchmark(walk.cohort)
    assert mean is not None and mean.organisations == 5
    before = CohortFigures.objects.get(cohort=walk.cohort).data["views"]
    for n in range(4):  # enough to make a new mean, were they counted
        member_org(walk.cohort, f"Cymru {n}", slug="wales-five", lived_level=4, staff_level=4)
    assert CohortBenchmark.objects.filter(cohort=walk.cohort).count() == made
    assert cohort_benchmark(walk.cohort).means == mean.means
    figures = CohortFigures.objects.get(cohort=walk.cohort).data
    assert figures["views"] == before
    assert figures["read_through"] == 5 and figures["organisations"] == 10


def test_the_downloads_label_the_row_read_through(client, walk):
    sign_in(client, walk.facilitator)
    response = client.get(reverse("assessments:cohort-csv", kwargs={"pk": walk.cohort.pk}))
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[0][-2:] == ["read through another framework", "why no figures"]
    welsh = next(row for row in rows if row[0] == "Tŷ Cymunedol")
    assert welsh[5:11] == ["4.00", "4.00", "4.00", "held back", "4.00", "4.00"]
    assert welsh[-2] == LABEL
    assert next(row for row in rows if row[0] == "Riverside")[-2] == ""
    url = reverse("assessments:cohort-pdf", kwargs={"pk": walk.cohort.pk})
    pdf = PdfReader(io.BytesIO(prepared(client, client.post(url)).content))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    # (the PDF breaks "co-production" over two lines)
    assert "Tŷ Cymunedol Read through from The five principles of co" in text
    assert "4.0 4.0 4.0 held back 4.0 4.0" in text
    assert "One organisation answered on another framework" in text


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(
        [
            q
            for q in ctx.captured_queries
            if "coprod_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"].upper()
        ]
    )


def test_rows_read_through_cost_the_same_whatever_their_number(client, walk):
    url = reverse("assessments:cohort", kwargs={"pk": walk.cohort.pk})
    sign_in(client, walk.facilitator)
    client.get(url)  # the worker reads the framework's principles once
    cohort_figures_store(cohort=walk.cohort)
    few = queries(client, url + "?sort=p2")
    for n in range(4):
        member_org(walk.cohort, f"Cymru {n}", slug="wales-five")
        member_org(walk.cohort, f"Peer {n}", slug="nef-nesta")
    cohort_figures_store(cohort=walk.cohort)
    assert queries(client, url + "?sort=p2") == few
    assert len(cohort_dashboard(walk.cohort, page=None).rows) == 10
