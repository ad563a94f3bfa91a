"""Every figure held back says which group and why, where the figure would be: on the
results page, in the PDF report, in the scores CSV and on the agreed-position pages. The
why is the same words for every figure held back: which of the rules held it (fewer than
three rated it, or it could be worked out from other figures) is never said, as it would
tell a member of a small group whether another member rated the statement."""

import csv
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.figures.publishing import RawAnswer, build
from assessments.rounds.services import round_close
from assessments.workshops.services import workshop_start
from tests import factories
from tests.assessments.reporting.test_pdf_accessibility import assert_accessible
from tests.support import first_statement, sign_in

pytestmark = pytest.mark.django_db

HELD_WORDS = (
    "Not shown, so that nobody’s answers can be picked out: a group’s figure is shown only "
    "where at least 3 people in the group rated the statement and it cannot be worked out "
    "from the other figures."
)
GAP_WORDS = "Not shown: a group on one side is not shown for this statement."


def held_back_world(world):
    """Three people with lived experience and three staff; on statement 1.1 one of the
    three with lived experience is not sure. Their group's figure is held back (two rated
    it), and staff's with it (everyone's less staff's would be theirs)."""
    first = first_statement(world)

    def not_sure_on_first(statement):
        return 0 if statement == first else 1

    for n in range(3):
        factories.answer_all(
            factories.respondent(world.round, "lived_experience"),
            level=not_sure_on_first if n == 0 else 1,
        )
    for _ in range(3):
        factories.answer_all(factories.respondent(world.round, "staff"), level=4)
    return first


def test_the_publication_keeps_no_reason_beside_its_figures():
    """One of three with lived experience is not sure on statement 10: their group's figure
    is held back because two rated it, staff's because it could be worked out. The record
    says only which figures are shown, as the pages do."""
    answers = [
        RawAnswer(n, "lived_experience", 10, 0 if n == 1 else 2, "") for n in range(1, 4)
    ] + [RawAnswer(n, "staff", 10, 3, "") for n in range(4, 7)]
    answers += [RawAnswer(n, "lived_experience", 11, 2, "") for n in range(1, 4)]
    answers += [RawAnswer(n, "staff", 11, 3, "") for n in range(4, 7)]
    built = build(answers, [])
    assert built is not None
    figures, _ = built
    assert set(figures["statements"]["10"]) == {"all"}
    assert set(figures["statements"]["11"]) == {"all", "lived_experience", "staff"}
    assert "held" not in figures and "few" not in str(figures)


def test_the_results_page_says_which_group_is_not_shown_and_why(client, world):
    first = held_back_world(world)
    sign_in(client, world.member)
    page = client.get(reverse("assessments:results", kwargs={"pk": world.round.pk}))
    article = page.content.decode().split(f'id="statement-{first.pk}"', 1)[1]
    article = article.split("</article>", 1)[0]
    details = article.split("<details", 1)[1]
    assert (
        f'<div class="held"><dt>Person with lived experience</dt><dd>{HELD_WORDS}</dd></div>'
        in details
    )
    assert f'<div class="held"><dt>Staff</dt><dd>{HELD_WORDS}</dd></div>' in details
    assert "fewer than 3 people in this group" not in article.lower()
    assert f"<dt>Perception gap</dt><dd>{GAP_WORDS}</dd>" in details
    # At a glance, before the details are opened: the gap is not shown, and that says so.
    glance = article.split("<details", 1)[0]
    assert "Perception gap not shown: a group’s figure is held back (see the details)" in glance
    assert "Gap –" not in article and "<dd>–</dd>" not in article


def test_the_pdf_report_says_which_group_is_not_shown_and_why(client, world, tmp_path):
    held_back_world(world)
    sign_in(client, world.member)
    response = client.get(reverse("assessments:report-pdf", kwargs={"pk": world.round.pk}))
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    statement = text.split("Statement 1.1", 1)[1].split("Statement 1.2", 1)[0]
    assert f"Person with lived experience – {HELD_WORDS}" in statement
    assert f"Staff – {HELD_WORDS}" in statement
    assert f"Gap – {GAP_WORDS}" in statement
    assert_accessible(response.content, tmp_path)


def test_the_agreed_position_page_says_why_as_the_results_do(client, world):
    first = held_back_world(world)
    sign_in(client, world.lead)
    url = reverse(
        "assessments:agreed-position", kwargs={"pk": world.round.pk, "statement": first.pk}
    )
    page = client.get(url).content.decode()
    assert f"<li>Person with lived experience – {HELD_WORDS}</li>" in page
    assert f"<li>Staff – {HELD_WORDS}</li>" in page
    assert "Fewer than 3 people have answered" not in page


def test_before_figures_are_published_the_agreed_position_page_says_so(client, world):
    """In a workshop the room sees its own figures while the round's wait for it to close:
    the page must not say that fewer than 3 people answered when five did."""
    world.round.figures_while_open = False
    world.round.save(update_fields=["figures_while_open"])
    workshop_start(round=world.round, by=world.lead, capacity=40)
    for _ in range(5):
        factories.answer_all(factories.respondent(world.round, "staff"), level=3)
    sign_in(client, world.lead)
    statement = first_statement(world)
    url = reverse(
        "assessments:agreed-position", kwargs={"pk": world.round.pk, "statement": statement.pk}
    )
    page = client.get(url).content.decode()
    assert "Fewer than 3 people have answered" not in page
    assert (
        "The round’s figures are not published yet. They are published when the round closes"
        in page
    )
    assert "The figures on the projector are the room’s own." in page
    principle = reverse("assessments:agreed-positions", kwargs={"pk": world.round.pk, "number": 1})
    page = client.get(principle).content.decode()
    assert "Fewer than 3 people have answered" not in page
    assert "The round’s figures are not published yet." in page


def test_the_scores_csv_says_why_in_a_column(client, world):
    first = held_back_world(world)
    round_close(round=world.round, by=world.lead)
    sign_in(client, world.member)
    response = client.get(
        reverse("assessments:export-csv", kwargs={"pk": world.round.pk, "kind": "scores"})
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by = {(r["statement"], r["group"]): r for r in rows}
    why = "why a figure is not shown"
    assert by[(first.code, "Person with lived experience")][why] == HELD_WORDS
    assert by[(first.code, "Staff")][why] == HELD_WORDS
    assert by[(first.code, "Staff")]["mean"] == ""
    assert by[(first.code, "Everyone")][why] == f"Perception gap: {GAP_WORDS}"
