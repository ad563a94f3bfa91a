"""A round that asks each statement at each level (nef's individual, service and
organisation): each statement at each level is published as a cell of its own, with its
own disclosure check; a level's figures come from its own published cells, and the
round's principle scores from all the published cells; the results page, the report and
the CSV files show each level."""

import csv
import io

import pytest
from django.core.cache import caches
from django.urls import reverse
from pypdf import PdfReader

from assessments.documents.held import EVERYONE_HELD_WORDS, HELD_WORDS
from assessments.documents.summary import round_results
from assessments.figures.models import PublicationScore
from assessments.figures.publishing import RawAnswer, build, latest
from assessments.rounds.services import round_close
from tests import factories
from tests.assessments.reporting.test_pdf_accessibility import assert_accessible
from tests.support import count_queries, sign_in

pytestmark = pytest.mark.django_db


def test_each_statement_at_each_level_is_a_cell_with_its_own_ledger():
    """Three rate statement 10 at the individual level; at the service level one of them
    is not sure, so two rated it and that cell is held back, while the other shows."""
    answers = [RawAnswer(n, "staff", 10, 3, "", "individual") for n in (1, 2, 3)]
    answers += [RawAnswer(n, "staff", 10, 0 if n == 1 else 2, "", "service") for n in (1, 2, 3)]
    built = build(answers, [])
    assert built is not None
    figures, ledger = built
    assert set(figures["statements"]) == {"10@individual", "10@service"}
    assert set(figures["statements"]["10@individual"]) == {"all"}
    assert figures["statements"]["10@service"] == {}
    assert ledger["cells"]["10@individual"] == {"all": [1, 2, 3]}
    assert ledger["cells"]["10@service"] == {}


def levels_round(world):
    """A nef round at levels, closed: three staff and three people with lived experience
    answer every statement, 4 at the individual level, 3 at the service's and 2 at the
    organisation's; but on statement 1.1 at the organisation's level only two staff rate
    it (1), the rest are not sure, so nothing of that cell is shown."""
    round_ = factories.round(world.org, slug="nef-nesta", at_levels=True, title="Levels")
    first = round_.framework.principles.get(order=1).statements.get(order=1)
    for n in range(6):
        perspective = "staff" if n < 3 else "lived_experience"

        def organisation(statement, n=n):
            if statement == first:
                return 1 if n < 2 else 0
            return 2

        factories.answer_all(
            factories.respondent(round_, perspective),
            level={"individual": 4, "service": 3, "organisation": organisation},
            note="",
        )
    round_close(round=round_, by=world.lead)
    world.round = round_
    return first


@pytest.mark.exact_figures
def test_scores_across_levels_come_from_the_published_cells_only(world):
    first = levels_round(world)
    publication = latest(world.round)
    assert all("@" in key for key in publication.figures["statements"])
    assert publication.figures["statements"][f"{first.pk}@organisation"] == {}
    # Statement 1.1 from its published cells: (6 × 4 + 6 × 3) / 12 = 3.5 (its answers,
    # the two 1s at the organisation's level among them, would give 3.14); the other three
    # statements of the principle (4 + 3 + 2) / 3 = 3; the principle (3.5 + 3 × 3) / 4.
    assert publication.scores["groups"]["all"]["principles"]["1"] == pytest.approx(3.125)
    row = PublicationScore.objects.get(publication=publication, group="all", principle=1)
    assert row.score == pytest.approx(3.125)
    results = round_results(world.round)
    assert results.principles[0].summary.mean == pytest.approx(3.125)
    assert results.principles[0].statements[0].summary.mean == pytest.approx(3.5)
    at = {a.scope.slug: a for a in results.levels.principles[results.principles[0].principle.pk]}
    assert at["individual"].summary.mean == 4
    assert at["organisation"].summary.mean == 2  # statements 1.2 to 1.4 only
    first_at = {a.scope.slug: a for a in results.levels.statements[first.pk]}
    assert first_at["organisation"].everyone_held and not first_at["service"].held


def test_the_results_page_shows_each_level_and_what_is_held(client, world):
    first = levels_round(world)
    sign_in(client, world.member)
    page = client.get(reverse("assessments:results", kwargs={"pk": world.round.pk}))
    text = page.content.decode()
    assert "Principle scores out of 4 at each level, for everyone." in text
    for name in ("The individual", "The service", "The organisation"):
        assert f'<th scope="col" class="num">{name}</th>' in text
    article = text.split(f'id="statement-{first.pk}"', 1)[1].split("</article>", 1)[0]
    assert "Statement 1.1 at each level: scores out of 4." in article
    row = article.split('<th scope="row">The organisation</th>', 1)[1].split("</tr>", 1)[0]
    assert "Not shown" in row and "." not in row.replace("Not shown", "")
    assert str(HELD_WORDS) in article
    service = article.split('<th scope="row">The service</th>', 1)[1].split("</tr>", 1)[0]
    assert "Not shown" not in service


def test_the_results_page_costs_no_more_queries_at_levels(client, world):
    """Against the same round asked once, in another organisation (neither has a round
    before it to compare with)."""
    ordinary = factories.round(world.other_org, slug="nef-nesta", title="Once")
    for n in range(6):
        factories.answer_all(factories.respondent(ordinary, "staff" if n < 3 else "carer"))
    round_close(round=ordinary, by=world.other_lead)
    sign_in(client, world.other_member)
    for cache in caches.all():
        cache.clear()
    once = count_queries(client, reverse("assessments:results", kwargs={"pk": ordinary.pk}))
    levels_round(world)
    sign_in(client, world.member)
    for cache in caches.all():  # as the first reader of each finds it
        cache.clear()
    at_levels = count_queries(client, reverse("assessments:results", kwargs={"pk": world.round.pk}))
    assert at_levels == once


def csv_rows(client, world, kind):
    url = reverse("assessments:export-csv", kwargs={"pk": world.round.pk, "kind": kind})
    return list(csv.DictReader(io.StringIO(client.get(url).content.decode("utf-8")[1:])))


def test_the_csv_files_have_a_level_column(client, world):
    first = levels_round(world)
    sign_in(client, world.member)
    answers = csv_rows(client, world, "answers")
    assert {r["asked at level"] for r in answers} == {
        "The individual",
        "The service",
        "The organisation",
    }
    assert not [
        r for r in answers if r["statement"] == "1.1" and r["asked at level"] == "The organisation"
    ]
    scores = csv_rows(client, world, "scores")
    assert {r["asked at level"] for r in scores} == {
        "All levels",
        "The individual",
        "The service",
        "The organisation",
    }
    held = [
        r
        for r in scores
        if r["statement"] == first.code
        and r["asked at level"] == "The organisation"
        and r["group"] == "Everyone"
    ]
    assert held[0]["mean"] == "" and held[0]["why a figure is not shown"] == str(
        EVERYONE_HELD_WORDS
    )
    notes = csv_rows(client, world, "notes")
    assert notes == [] or "asked at level" in notes[0]


@pytest.mark.exact_figures
def test_the_report_shows_each_level(client, world, tmp_path):
    levels_round(world)
    sign_in(client, world.member)
    response = client.get(reverse("assessments:report-pdf", kwargs={"pk": world.round.pk}))
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "At each level" in text
    statement = text.split("Statement 1.1", 1)[1].split("Statement 1.2", 1)[0]
    assert "The individual Score 4.0" in statement
    assert "The organisation Score – Not shown" in statement
    assert f"Everyone – {EVERYONE_HELD_WORDS}" in statement
    assert_accessible(response.content, tmp_path)


@pytest.mark.exact_figures
def test_a_round_after_one_at_levels_compares_with_its_scores_across_levels(world):
    levels_round(world)
    later = factories.round(world.org, slug="nef-nesta", title="Later")
    for _ in range(3):
        factories.answer_all(factories.respondent(later, "staff"), level=4)
    round_close(round=later, by=world.lead)
    results = round_results(later)
    assert results.previous is not None and results.previous.title == "Levels"
    assert results.principles[0].move.before == pytest.approx(3.125)
    assert results.principles[0].move.after == 4
