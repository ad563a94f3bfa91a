"""A round with the four Co's grid beside its framework: set up by a lead, asked after the
principles on its own scale, published cell by cell with the round's figures under the
same rules, and shown as a grid on the results page, in the report and in a CSV, while the
round's own scores stay the framework's only."""

import csv
import io

import pytest
from django.urls import reverse

from assessments.errors import ServiceError
from assessments.figures import cohort_scoring, publishing
from assessments.rounds import services
from assessments.rounds.models import Answer, RoundStatus
from tests import factories
from tests.assessments.reporting.test_gap_definition import pdf_text
from tests.support import count_queries, sign_in

pytestmark = pytest.mark.django_db


class GridWorld:
    def __init__(self, *, status=RoundStatus.OPEN):
        self.lead = factories.user("lead@riverside.example")
        self.org = factories.organisation("Riverside adult care", lead=self.lead)
        self.member = factories.member(self.org, email="member@riverside.example")
        self.round = factories.round(
            self.org,
            status=status,
            title="Spring reflection",
            figures_while_open=True,
            instrument="four-cos",
        )
        self.grid = self.round.instrument


def grid_statements(round_):
    return [s for p in round_.instrument.principles.all() for s in p.statements.all()]


# Setting it up ---------------------------------------------------------------------------


def test_a_lead_adds_the_grid_when_setting_up_a_round(client):
    lead = factories.user("lead@riverside.example")
    org = factories.organisation("Riverside adult care", lead=lead)
    sign_in(client, lead)
    url = reverse("assessments:round-create", kwargs={"org": org.slug})
    page = client.get(url).content.decode()
    grid = factories.framework("four-cos")
    cahn = factories.framework("cahn")
    # Offered as the second instrument, never as the principles to reflect on.
    assert "Add a grid of questions after the principles?" in page
    assert page.count(f'value="{grid.pk}"') == 1 and "No, only the principles" in page
    response = client.post(
        url, {"title": "Spring", "framework": cahn.pk, "instrument": grid.pk}, follow=True
    )
    assert response.status_code == 200
    made = org.rounds.get()
    assert made.framework == cahn and made.instrument == grid
    assert "Asked after the principles" in response.content.decode()
    client.post(url, {"title": "Autumn", "framework": cahn.pk, "instrument": ""})
    assert org.rounds.get(title="Autumn").instrument is None


def test_the_grid_is_never_a_rounds_framework_nor_a_framework_an_instrument():
    lead = factories.user()
    org = factories.organisation(lead=lead)
    grid, cahn = factories.framework("four-cos"), factories.framework("cahn")
    with pytest.raises(ServiceError, match="asked beside a round's principles"):
        services.round_create(
            organisation=org, framework=grid, title="x", closes_on=None, created_by=lead
        )
    with pytest.raises(ServiceError, match="it is a set of principles"):
        services.round_create(
            organisation=org,
            framework=cahn,
            instrument=factories.framework("nef-nesta"),
            title="x",
            closes_on=None,
            created_by=lead,
        )


def test_the_grid_is_added_or_taken_away_only_while_the_round_is_a_draft(client):
    world = GridWorld(status=RoundStatus.DRAFT)
    sign_in(client, world.lead)
    url = reverse("assessments:round-edit", kwargs={"pk": world.round.pk})
    page = client.get(url).content.decode()
    assert f'value="{world.grid.pk}"' in page and "No, only the principles" in page
    data = {"title": "Spring reflection", "instrument": ""}
    client.post(url, data)
    world.round.refresh_from_db()
    assert world.round.instrument is None
    client.post(url, {**data, "instrument": world.grid.pk})
    world.round.refresh_from_db()
    assert world.round.instrument == world.grid

    services.round_open(round=world.round, by=world.lead)
    assert "No, only the principles" not in client.get(url).content.decode()
    with pytest.raises(ServiceError, match="only before it opens"):
        services.round_instrument_set(round=world.round, instrument=None, by=world.lead)


def test_opening_the_round_freezes_the_grid_too():
    world = GridWorld()
    world.grid.refresh_from_db()
    assert world.grid.is_frozen


# Answering -------------------------------------------------------------------------------


def test_the_grid_is_asked_after_the_principles_on_its_own_scale(client):
    world = GridWorld()
    sign_in(client, world.member)
    client.post(
        reverse("assessments:member-start", kwargs={"pk": world.round.pk}),
        {"perspective": "staff"},
    )
    principles = world.round.framework.principles.count()  # Cahn's four
    page_url = reverse("assessments:member-page", kwargs={"pk": world.round.pk, "page": 1})
    first = client.get(page_url).content.decode()
    assert "Principle 1 of 8:" in first and "Still mostly the from" in first
    total = sum(p.statements.count() for p in world.round.framework.principles.all()) + 8
    assert f"0 of {total} answered" in first  # Cahn's statements and the grid's 8

    grid_page = reverse(
        "assessments:member-page", kwargs={"pk": world.round.pk, "page": principles + 1}
    )
    page = client.get(grid_page).content.decode()
    assert "The four Co’s grid" in page and "Part 5 of 8:" in page
    assert "Co-commissioning: deciding what is bought" in page
    for words in ("Told", "Asked", "Involved", "Sharing", "People are asked what they think"):
        assert words in page
    assert "Still mostly the from" not in page
    assert "how far people who use services are involved today" in page

    statement = grid_statements(world.round)[0]
    response = client.post(grid_page, {f"level-{statement.pk}": "4", "go": "next"})
    assert response.status_code == 302
    assert Answer.objects.get(statement=statement).level == 4
    autosave = reverse("assessments:member-autosave", kwargs={"pk": world.round.pk})
    second = grid_statements(world.round)[1]
    saved = client.post(autosave, {"statement": second.pk, f"level-{second.pk}": "2"}).json()
    assert saved == {"saved": True, "answered": 2, "total": total}

    done = client.get(reverse("assessments:member-done", kwargs={"pk": world.round.pk}))
    text = done.content.decode()
    assert "Sharing" in text and "Asked" in text


def test_answers_for_statements_outside_the_round_are_refused():
    world = GridWorld()
    respondent = factories.respondent(world.round)
    other = factories.framework("nef-nesta").principles.first().statements.first()
    with pytest.raises(ServiceError):
        services.answers_save(respondent=respondent, answers=[services.AnswerInput(other.pk, 3)])


# Publishing ------------------------------------------------------------------------------


def answered(world, people=3, level=3, grid_level=None):
    """People who answer everything but have not said they finished: the round publishes
    when it closes."""
    for _ in range(people):
        factories.answer_all(
            factories.respondent(world.round, "staff"),
            finished=False,
            level=lambda s: (
                grid_level
                if grid_level is not None and s.principle.framework_id == world.grid.pk
                else level
            ),
        )


@pytest.mark.exact_figures  # the counts as given: the noise would move them by one or two
def test_the_grid_is_published_cell_by_cell_and_a_thin_cell_is_held_back():
    world = GridWorld(status=RoundStatus.OPEN)
    answered(world, people=3, level=3, grid_level=2)
    # The last grid statement: two people rated it, one was not sure.
    last = grid_statements(world.round)[-1]
    unsure = Answer.objects.filter(statement=last).order_by("pk").first()
    Answer.objects.filter(pk=unsure.pk).update(level=0)
    services.round_close(round=world.round, by=world.lead)
    publication = publishing.latest(world.round)
    figures = publishing.Figures.of(publication)
    first = grid_statements(world.round)[0]
    assert sum(figures.statements[first.pk]["all"]["levels"]) == 3
    assert "all" not in figures.statements[last.pk]  # held back: fewer than 3 rated it
    # The round's own scores are the framework's: four principles, none of the grid's.
    assert sorted(publication.scores["groups"]["all"]["principles"]) == ["1", "2", "3", "4"]
    assert all(
        key.split(".")[0] in "1234" for key in publication.scores["groups"]["all"]["statements"]
    )


def test_the_grid_leaves_the_rounds_own_figures_as_they_were():
    """The same answers published with and without the grid's give the same figures for
    every statement of the framework, and the same principle scores."""
    world = GridWorld()
    for n in range(4):
        factories.answer_all(
            factories.respondent(world.round, "staff" if n % 2 else "lived_experience"),
            level=lambda s, n=n: (s.pk + n) % 5,
        )
    services.round_close(round=world.round, by=world.lead)
    publication = publishing.latest(world.round)
    people = set(publication.ledger["people"])
    grid_ids = {s.pk for s in grid_statements(world.round)}
    main_only = [a for a in publishing._answers(world.round, people) if a.statement not in grid_ids]
    figures, _ledger = publishing.build(main_only, [])
    with_grid = publication.figures["statements"]
    assert {s: c for s, c in with_grid.items() if int(s) not in grid_ids} == figures["statements"]
    assert any(int(s) in grid_ids for s in with_grid)
    positions = publishing._positions(world.round)
    assert cohort_scoring.publication_scores(figures, positions) == publication.scores


# Showing it ------------------------------------------------------------------------------


@pytest.mark.exact_figures
def test_results_report_and_csv_show_the_grid_with_held_rows_saying_why(client):
    world = GridWorld()
    answered(world, people=3, level=3, grid_level=4)
    last = grid_statements(world.round)[-1]
    Answer.objects.filter(pk=Answer.objects.filter(statement=last).first().pk).update(level=0)
    first = grid_statements(world.round)[0]
    noted = Answer.objects.filter(statement=first).first()
    Answer.objects.filter(pk=noted.pk).update(note="We chose the new provider together")
    services.round_close(round=world.round, by=world.lead)
    sign_in(client, world.member)
    pk = world.round.pk

    page = client.get(reverse("assessments:results", kwargs={"pk": pk})).content.decode()
    assert "The four Co’s grid: how many ratings were at each step" in page
    grid = page[page.index('id="grid-heading"') :]
    assert '<th scope="col">Sharing</th>' in grid
    assert "Co-commissioning: deciding what is bought" in grid
    # Co-commissioning: two statements, three people each, all at "Sharing".
    assert "<td>0</td><td>0</td><td>0</td><td>6</td>" in grid
    assert "1 statement in this row is not counted." in grid
    assert "Not shown, so that nobody’s answers can be picked out" in grid
    assert "Notes on Co-commissioning: deciding what is bought, without names" in grid
    assert "We chose the new provider together" in grid
    answers = client.get(reverse("assessments:export-csv", kwargs={"pk": pk, "kind": "answers"}))
    assert "Co-commissioning: deciding what is bought" in answers.content.decode("utf-8-sig")
    assert ",4,Sharing\r\n" in answers.content.decode("utf-8-sig")
    notes = client.get(reverse("assessments:export-csv", kwargs={"pk": pk, "kind": "notes"}))
    assert "We chose the new provider together" in notes.content.decode("utf-8-sig")

    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("assessments:export-csv", kwargs={"pk": pk, "kind": "grid"})
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert rows[0] == ["Part", "Told", "Asked", "Involved", "Sharing", "Not sure", "Note"]
    assert rows[1][:6] == ["Co-commissioning: deciding what is bought", "0", "0", "0", "6", "0"]
    assert rows[4][-1].startswith("1 statement in this row is not counted.")

    text = pdf_text(client.get(reverse("assessments:report-pdf", kwargs={"pk": pk})))
    assert "The four Co’s grid" in text and "Co-assessment: checking how it went" in text
    assert "1 statement in this row is not counted." in text


def test_a_round_without_the_grid_has_no_grid_and_the_same_queries(client):
    world = GridWorld()
    plain = factories.round(world.org, title="Plain", figures_while_open=True)
    for round_ in (world.round, plain):
        for _ in range(3):
            factories.answer_all(factories.respondent(round_, "staff"), level=3)
    sign_in(client, world.member)
    page = client.get(reverse("assessments:results", kwargs={"pk": plain.pk})).content.decode()
    assert "grid-heading" not in page and "grid.csv" not in page
    counts = []
    for round_ in (plain, world.round):
        url = reverse("assessments:results", kwargs={"pk": round_.pk})
        client.get(url)  # the figures' HTML is kept after the first reading
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1]


def test_a_round_asks_at_levels_or_adds_the_grid_not_both():
    lead = factories.user("lead@riverside.example")
    org = factories.organisation("Riverside adult care", lead=lead)
    grid = factories.framework("four-cos")
    nef = factories.framework("nef-nesta")
    with pytest.raises(ServiceError, match="cannot add The four Co"):
        services.round_create(
            organisation=org,
            framework=nef,
            title="Both",
            closes_on=None,
            created_by=lead,
            instrument=grid,
            at_levels=True,
        )
    at_levels = factories.round(org, status=RoundStatus.DRAFT, slug="nef-nesta", at_levels=True)
    with pytest.raises(ServiceError, match="Choose one of the two"):
        services.round_instrument_set(round=at_levels, instrument=grid, by=lead)
    with_grid = factories.round(
        org, status=RoundStatus.DRAFT, slug="nef-nesta", instrument="four-cos"
    )
    with pytest.raises(ServiceError, match="Choose one of the two"):
        services.round_update(
            round=with_grid, title="Grid", closes_on=None, by=lead, at_levels=True
        )
    with_grid.refresh_from_db()
    assert not with_grid.at_levels and with_grid.instrument == grid
