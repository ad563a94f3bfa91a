"""CSV exports: anonymised answers and scores, readable by spreadsheets and safe in them."""

import csv
import io

import pytest
from django.urls import reverse

from assessments.documents import held
from assessments.documents.exports import safe_cell
from assessments.figures.scoring import GAP_MEANING
from tests import factories
from tests.support import first_statement, sign_in, with_answers

pytestmark = pytest.mark.django_db


def export(client, world, kind):
    return client.get(
        reverse("assessments:export-csv", kwargs={"pk": world.round.pk, "kind": kind})
    )


def rows_of(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:])))


def total_statements(world):
    return sum(p.statements.count() for p in world.round.framework.principles.all())


@pytest.mark.exact_figures
def test_answers_csv_has_one_row_per_answer_and_no_names(client, world):
    with_answers(world)
    sign_in(client, world.member)
    response = export(client, world, "answers")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of(response)
    # Every row is an answer, so a spreadsheet's filters and counts work on the file.
    assert len(rows) == 6 * total_statements(world)
    assert list(rows[0]) == [
        "perspective",
        "principle",
        "statement",
        "from",
        "to",
        "level",
        "level in words",
    ]
    assert {r["perspective"] for r in rows} == {"Person with lived experience", "Staff"}
    assert {r["level"] for r in rows} == {"1", "4"}
    text = response.content.decode()
    assert "Nobody asked us first" not in text
    assert world.lead.email not in text and world.member.email not in text


def test_notes_csv_has_one_row_per_note_under_its_statement(client, world):
    with_answers(world)
    sign_in(client, world.member)
    response = export(client, world, "notes")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = rows_of(response)
    assert list(rows[0]) == ["principle", "statement", "from", "to", "note"]
    statement = first_statement(world)
    # The three people with lived experience each wrote it, on every statement.
    assert [r["note"] for r in rows if r["statement"] == statement.code] == [
        "Nobody asked us first"
    ] * 3
    assert len(rows) == 3 * total_statements(world)


def test_answers_csv_folds_small_groups(client, world):
    with_answers(world, partners=2)
    sign_in(client, world.member)
    perspectives = {r["perspective"] for r in rows_of(export(client, world, "answers"))}
    assert "Partner organisation" not in perspectives


@pytest.mark.exact_figures
def test_scores_csv_per_principle_and_group(client, world):
    with_answers(world)
    sign_in(client, world.lead)
    rows = [r for r in rows_of(export(client, world, "scores")) if not r["statement"]]
    principles = world.round.framework.principles.count()
    assert len(rows) == principles * 3  # everyone, lived experience, staff
    everyone = [r for r in rows if r["group"] == "Everyone"][0]
    assert everyone["mean"] == "2.50" and everyone["respondents"] == "6"
    assert everyone[f"perception gap ({GAP_MEANING})"] == "-3.00"


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "-1e3"])
def test_cells_that_look_like_formulas_are_defused(value):
    assert safe_cell(value) == "'" + value


def test_a_hostile_note_arrives_as_text(client, world):
    respondent = factories.respondent(world.round, "staff")
    factories.answer_all(respondent, level=2, note='=HYPERLINK("http://evil.example","x")')
    with_answers(world)
    sign_in(client, world.member)
    notes = {r["note"] for r in rows_of(export(client, world, "notes"))}
    assert '\'=HYPERLINK("http://evil.example","x")' in notes


def test_exports_wait_for_three_people(client, world):
    with_answers(world, lived=1, staff=1)
    sign_in(client, world.member)
    response = export(client, world, "answers")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Exports are available once at least 3 people have answered" in page


@pytest.mark.parametrize("who", ["anonymous", "other_lead", "other_member"])
def test_exports_are_for_the_organisation_only(client, world, who):
    with_answers(world)
    if who != "anonymous":
        sign_in(client, getattr(world, who))
    for kind in ("answers", "notes", "scores"):
        response = export(client, world, kind)
        assert response.status_code in (302, 404)
        assert b"Nobody asked us first" not in response.content
        if who == "anonymous":
            assert "/accounts/login/" in response["Location"]


def test_an_unknown_export_is_not_found(client, world):
    sign_in(client, world.member)
    assert export(client, world, "everything").status_code == 404


def test_results_page_links_the_csv_files(client, world):
    with_answers(world)
    sign_in(client, world.member)
    page = client.get(reverse("assessments:results", kwargs={"pk": world.round.pk})).content
    assert b"Scores (CSV spreadsheet)" in page and b"Anonymised answers (CSV spreadsheet)" in page
    assert b"Notes (CSV spreadsheet)" in page


def test_plain_numbers_stay_numbers():
    assert safe_cell("-3.00") == "-3.00"
    assert safe_cell(4) == "4"


@pytest.mark.exact_figures
def test_scores_csv_has_each_statement_as_the_results_page_shows_it(client, world):
    """Statement 1.1 was rated by only two of the three people with lived experience (the
    third was not sure): the page holds back the groups' figures for it, and so does the
    CSV; statement 1.2 shows them."""
    first = first_statement(world)

    def lived_level(statement):
        return 0 if statement == first else 1

    for n in range(3):
        factories.answer_all(
            factories.respondent(world.round, "lived_experience"),
            level=lived_level if n == 0 else 1,
        )
    for _ in range(3):
        factories.answer_all(factories.respondent(world.round, "staff"), level=4)
    sign_in(client, world.lead)
    rows = rows_of(export(client, world, "scores"))
    by = {(r["statement"], r["group"]): r for r in rows if r["statement"]}
    second = first.principle.statements.order_by("order")[1]
    everyone = by[(second.code, "Everyone")]
    assert everyone["mean"] == "2.50" and everyone["respondents"] == "6"
    assert (everyone["lowest answer"], everyone["highest answer"]) == ("1", "4")
    assert everyone["not sure answers"] == "0"
    assert everyone[f"perception gap ({GAP_MEANING})"] == "-3.00"
    assert by[(second.code, "Person with lived experience")]["mean"] == "1.00"
    assert by[(second.code, "Staff")]["mean"] == "4.00"
    # 1.1: everyone's figure, but no group's (two people with lived experience rated it).
    assert by[(first.code, "Everyone")]["not sure answers"] == "1"
    held_back = [by.get((first.code, g)) for g in ("Person with lived experience", "Staff")]
    assert all(row is None or row["mean"] == "" for row in held_back)
    # Each says why, in the same words (never which rule held it back).
    why = "why a figure is not shown"
    for group in ("Person with lived experience", "Staff"):
        assert by[(first.code, group)][why] == held.HELD_WORDS
    assert by[(first.code, "Everyone")][why] == (
        "Perception gap: Not shown: a group on one side is not shown for this statement."
    )
    assert everyone[why] == ""
