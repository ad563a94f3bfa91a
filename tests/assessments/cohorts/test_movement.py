"""A facilitator's cohorts on one framework, period by period: the movement page."""

import re

import pytest
from django.urls import reverse

from assessments.cohorts.models import CohortFigures
from assessments.documents.cohort import cohort_dashboard
from assessments.templatetags.results import score
from tests.support import CohortWorld, cohort, member_org

pytestmark = pytest.mark.django_db


def movement_url(the_cohort):
    return reverse("assessments:cohort-movement", kwargs={"pk": the_cohort.pk})


def later_cohort(world, name, step, **levels):
    """Another cohort of the same facilitator, starting ``step`` weeks after the world's
    (which starts 60 days back), with one organisation whose round opened 10 days ago."""
    the_cohort = cohort(world.facilitator, name=name, days_back=60 - 7 * step)
    member_org(the_cohort, **levels)
    return the_cohort


def means_on_dashboard(the_cohort) -> list[str]:
    dashboard = cohort_dashboard(the_cohort, page=None)
    return [score(column.summary.mean) for column in dashboard.principles]


def test_each_period_shows_its_dashboards_cohort_means(client):
    world = CohortWorld()
    member_org(world.cohort, "Brookfield", lived_level=4, staff_level=3)
    second = later_cohort(world, "North Vale network, next year", 1, lived_level=3)
    third = later_cohort(world, "North Vale network, third year", 2, staff_level=4)
    CohortFigures.objects.filter(cohort=second).delete()  # nothing kept: nothing shown
    client.force_login(world.facilitator)
    page = client.get(movement_url(world.cohort)).content.decode()
    for each in (world.cohort, third):
        shown = re.findall(rf'<td class="num" data-cohort="{each.pk}">([^<]*)</td>', page)
        assert shown == means_on_dashboard(each)
    shown = re.findall(rf'<td class="num" data-cohort="{second.pk}">([^<]*)</td>', page)
    assert set(shown) == {"No figures"}
    assert page.count('class="trend-chart"') == 1
    assert "The table shows the same figures" in page
    assert "A movement needs three or more periods to say much" in page


def test_another_facilitators_cohorts_are_not_in_the_series(client):
    world = CohortWorld()
    cohort(world.other_facilitator, name="Elsewhere, next year")
    client.force_login(world.facilitator)
    page = client.get(movement_url(world.cohort)).content.decode()
    assert "Elsewhere" not in page


def test_the_page_is_for_the_facilitator_only(client):
    world = CohortWorld()
    url = movement_url(world.cohort)
    assert client.get(url).status_code == 302  # anonymous: to sign in
    for who, status in [
        ("facilitator", 200),
        ("other_facilitator", 404),
        ("lead", 403),
        ("member", 403),
        ("outside_lead", 404),
    ]:
        client.force_login(world.role(who))
        assert client.get(url).status_code == status, who


@pytest.mark.parametrize("periods", [1, 4])
def test_the_number_of_queries_does_not_grow_with_the_periods(
    client, periods, django_assert_max_num_queries
):
    world = CohortWorld()
    for year in range(1, periods):
        later_cohort(world, f"North Vale network, year {year + 1}", year)
    client.force_login(world.facilitator)
    client.get(movement_url(world.cohort))  # the chart drawn once
    with django_assert_max_num_queries(8):
        assert client.get(movement_url(world.cohort)).status_code == 200
