"""An organisation's trend over its closed rounds: the page, what it shows and who sees it."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.documents import pdf
from assessments.documents.summary import round_results
from assessments.documents.trend_chart import spread_labels
from assessments.documents.trends import organisation_trend, shared_start
from assessments.templatetags.results import score
from tests import factories
from tests.assessments.reporting.test_pdf_accessibility import assert_accessible
from tests.support import CohortWorld, answered_round

pytestmark = pytest.mark.django_db


def org_with_rounds(levels, **extra):
    """An organisation with a lead, a member and one closed round per (lived, staff) level
    pair, oldest first."""
    lead = factories.user()
    org = factories.organisation("Trendham", lead=lead)
    member = factories.member(org)
    rounds = [
        answered_round(org, lived_level=lived, staff_level=staff, **extra)
        for lived, staff in levels
    ]
    return org, lead, member, rounds


def framework_version(framework):
    """A second version of a framework, with the same principles and statements."""
    principles = list(framework.principles.prefetch_related("statements"))
    framework.pk, framework.version = None, framework.version + 1
    framework.save()
    for principle in principles:
        statements = list(principle.statements.all())
        principle.pk, principle.framework = None, framework
        principle.save()
        for statement in statements:
            statement.pk, statement.principle = None, principle
            statement.save()
    return framework


def trend_url(org):
    return reverse("assessments:trends", kwargs={"org": org.slug})


def cells(page: str) -> dict[tuple[int, str], list[str]]:
    """(round id, group) → what each trend table cell says, in page order."""
    found: dict[tuple[int, str], list[str]] = {}
    pattern = r'<td class="num" data-round="(\d+)" data-group="([a-z_]+)">([^<]*)</td>'
    for round_id, group, text in re.findall(pattern, page):
        found.setdefault((int(round_id), group), []).append(text.strip())
    return found


def shown_by_results(round_) -> dict[str, list[str]]:
    """What the round's own results show as each principle's score, by group, in order."""
    results = round_results(round_, compare=False, benchmark=False)
    shown = {"all": [score(p.summary.mean) for p in results.principles]}
    for key, _, _ in results.groups:
        shown[key] = [
            score(p.by_perspective[key].mean) if key in p.by_perspective else "Not shown"
            for p in results.principles
        ]
    return shown


def test_the_trend_shows_each_rounds_published_figures_unchanged(client):
    org, lead, _, rounds = org_with_rounds([(1, 2), (2, 3), (3, 4)])
    client.force_login(lead)
    page = client.get(trend_url(org)).content.decode()
    found = cells(page)
    for round_ in rounds:
        expected = shown_by_results(round_)
        for group in ("all", "lived_experience", "staff"):
            assert found[(round_.pk, group)] == expected[group]
    # Every figure anywhere on the page is one the results page of some round shows.
    results_numbers = set()
    for round_ in rounds:
        results_page = client.get(reverse("assessments:results", kwargs={"pk": round_.pk}))
        results_numbers |= set(re.findall(r"\b\d\.\d\b", results_page.content.decode()))
    text = re.sub(r"<svg.*?</svg>", "", page, flags=re.S)
    assert set(re.findall(r"\b\d\.\d\b", text)) <= results_numbers
    assert "A trend needs three or more rounds" in page
    assert page.count('class="trend-chart"') == 4  # a chart for each of Cahn's principles
    assert "The table shows the same figures" in page


def test_a_chart_says_what_it_shows_and_has_no_figure_of_its_own(client):
    org, lead, _, rounds = org_with_rounds([(1, 2), (2, 3), (3, 4)])
    trend = organisation_trend(org.pk)
    chart = trend.frameworks[0].principles[0].chart
    assert "<title" in chart and "The table with it shows the same figures" in chart
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", chart)
    assert "Everyone" in chart and "Staff" in chart  # each line named at its end
    assert not [t for t in texts if re.fullmatch(r"\d\.\d+", t.strip())]


def test_with_two_rounds_the_page_says_what_is_missing(client):
    org, _, member, _ = org_with_rounds([(1, 2), (2, 3)])
    client.force_login(member)
    page = client.get(trend_url(org)).content.decode()
    assert "A trend needs three or more rounds to say much" in page
    assert "So far 2 closed rounds on the same framework have published figures" in page


def test_a_figure_held_back_shows_as_held_back_and_a_round_without_figures_as_none(client):
    org, lead, _, rounds = org_with_rounds([(1, 2), (2, 3)])
    # Staff answered "not sure" to every statement of the first principle: their group is
    # shown, but not their score on it.
    held = answered_round(
        org, lived_level=3, staff_level=lambda s: 0 if s.principle.order == 1 else 3
    )
    none = answered_round(org, lived=1, staff=1)
    client.force_login(lead)
    page = client.get(trend_url(org)).content.decode()
    found = cells(page)
    assert found[(held.pk, "staff")][0] == "Held back"
    assert found[(held.pk, "staff")][1] == shown_by_results(held)["staff"][1]
    assert shown_by_results(held)["staff"][0] == "Not shown"  # as its results say
    assert set(found[(none.pk, "all")]) == {"No figures"}
    assert "None published: fewer than 3 people answered" in page


def test_a_group_not_shown_that_round_is_said_so(client):
    org, lead, _, rounds = org_with_rounds([(1, 2), (2, 3)])
    alone = answered_round(org, lived=0, staff=3)  # only staff: no groups shown
    client.force_login(lead)
    found = cells(client.get(trend_url(org)).content.decode())
    assert set(found[(alone.pk, "lived_experience")]) == {"Not a group that round"}


def test_rounds_on_another_framework_are_a_trend_of_their_own(client):
    org, lead, _, _ = org_with_rounds([(1, 2), (2, 3), (3, 4)])
    answered_round(org, slug="nef-nesta")
    client.force_login(lead)
    page = client.get(trend_url(org)).content.decode()
    assert "Rounds on different frameworks are shown separately" in page
    trend = organisation_trend(org.pk)
    assert [len(f.rounds) for f in trend.frameworks] == [3, 1]


def test_rounds_on_different_versions_are_not_joined():
    org, _, _, rounds = org_with_rounds([(1, 2), (2, 3), (3, 4)])
    newer = framework_version(rounds[0].framework)
    rounds[2].framework = newer
    rounds[2].save(update_fields=["framework"])
    framework = organisation_trend(org.pk).frameworks[0]
    assert framework.versions == [1, 2]
    assert framework.breaks == frozenset({2})


def test_the_page_is_for_the_organisations_people_only(client):
    world = CohortWorld()  # Riverside is in the facilitator's cohort
    answered_round(world.org)
    url = trend_url(world.org)
    assert client.get(url).status_code == 302  # anonymous: to sign in
    assert "/accounts/login/" in client.get(url)["Location"]
    for who, status in [
        ("lead", 200),
        ("member", 200),
        ("facilitator", 404),
        ("outside_lead", 404),
    ]:
        client.force_login(world.role(who))
        response = client.get(url)
        assert response.status_code == status, who
        if status != 200:
            assert b"Riverside" not in response.content


@pytest.mark.parametrize("count", [3, 6])
def test_the_number_of_queries_does_not_grow_with_the_rounds(
    client, count, django_assert_max_num_queries
):
    org, lead, _, _ = org_with_rounds([(1 + i % 3, 2 + i % 2) for i in range(count)])
    client.force_login(lead)
    client.get(trend_url(org))  # the charts drawn once, as any reader after the first
    # Sign-in and access (4), the rounds, groups, scores and principles (4), and one read
    # of the shared cache for each principle's chart (4): the same for 3 rounds or 6.
    with django_assert_max_num_queries(12):
        assert client.get(trend_url(org)).status_code == 200


def test_the_organisation_page_links_to_the_trend_from_two_rounds_with_figures(client):
    org, lead, _, _ = org_with_rounds([(1, 2)])
    client.force_login(lead)
    organisation_url = reverse("assessments:organisation", kwargs={"org": org.slug})
    assert "Trends over rounds" not in client.get(organisation_url).content.decode()
    answered_round(org, lived=1, staff=1)  # closed, but nothing published
    assert "Trends over rounds" not in client.get(organisation_url).content.decode()
    answered_round(org)
    page = client.get(organisation_url).content.decode()
    assert "Trends over rounds" in page and trend_url(org) in page


def test_labels_are_spread_apart_in_their_order_and_stay_on_the_scale():
    placed = spread_labels([2.0, 2.05, 2.1, 4.0, 3.95], 1.0, 4.0, 0.2)
    assert placed[0] < placed[1] < placed[2]
    assert max(placed) <= 4.0 and placed[4] < placed[3]
    ordered = sorted(placed)
    assert all(b - a >= 0.2 - 1e-9 for a, b in zip(ordered, ordered[1:], strict=False))


def report_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_report_shows_the_trend_from_three_closed_rounds_and_stays_accessible(tmp_path):
    org, _, _, rounds = org_with_rounds([(1, 2), (2, 3), (3, 4)])
    data = pdf.round_report_pdf(rounds[2])
    text = report_text(data)
    assert "Trend over rounds" in text
    assert "Published scores of" in text
    assert_accessible(data, tmp_path)
    # Up to and including the round: the second round's report has two, so no trend.
    assert "Trend over rounds" not in report_text(pdf.round_report_pdf(rounds[1]))


def test_the_chart_leaves_out_the_words_every_round_title_starts_with():
    titles = [
        "Adult social care: autumn reflection two years ago",
        "Adult social care: spring reflection",
        "Adult social care: autumn reflection",
    ]
    assert shared_start(titles) == "Adult social care: "
    assert shared_start(["Spring", "Spring review"]) == ""  # a title would be left empty
    assert shared_start(["Only one round"]) == ""
    assert shared_start(["Autumn 2024", "Autumn 2025"]) == "Autumn "
