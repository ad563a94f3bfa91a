"""A round that asks each statement at each level of its framework (nef's individual,
service and organisation): set up by its lead, answered once a level, with a fieldset and
legend for each level, autosave and progress counting each level's answer."""

import pytest
from django.urls import reverse

from assessments.errors import ServiceError
from assessments.rounds import services
from assessments.rounds.models import Answer, RoundStatus
from tests import factories
from tests.support import count_queries, sign_in

pytestmark = pytest.mark.django_db

LEVELS = ["individual", "service", "organisation"]


@pytest.fixture
def at_levels(world):
    world.round = factories.round(world.org, slug="nef-nesta", at_levels=True, by=world.lead)
    return world


def url(world, name, **kwargs):
    return reverse(f"assessments:member-{name}", kwargs={"pk": world.round.pk, **kwargs})


def first_statements(round_):
    return list(round_.framework.principles.order_by("order")[0].statements.order_by("order"))


def test_the_lead_chooses_levels_only_for_a_framework_with_them(client, world):
    sign_in(client, world.lead)
    new = reverse("assessments:round-create", kwargs={"org": world.org.slug})
    page = client.get(new).content.decode()
    assert "Ask each statement at each level" in page
    assert (
        "Each statement can be asked at these levels: The individual, The service, "
        "The organisation." in page
    )
    cahn = factories.framework("cahn")
    response = client.post(new, {"title": "Spring", "framework": cahn.pk, "at_levels": "on"})
    assert response.status_code == 200
    assert "does not define levels" in response.content.decode()

    nef = factories.framework("nef-nesta")
    response = client.post(new, {"title": "Spring", "framework": nef.pk, "at_levels": "on"})
    round_ = world.org.rounds.get(title="Spring")
    assert round_.at_levels
    page = client.get(response["Location"]).content.decode()
    assert "Each statement is asked at each level: The individual, The service" in page

    # While a draft, the lead can change it; once open, not.
    edit = reverse("assessments:round-edit", kwargs={"pk": round_.pk})
    assert "Ask each statement at each level" in client.get(edit).content.decode()
    client.post(edit, {"title": "Spring"})
    round_.refresh_from_db()
    assert not round_.at_levels
    services.round_open(round=round_, by=world.lead)
    assert "Ask each statement at each level" not in client.get(edit).content.decode()
    with pytest.raises(ServiceError, match="only before it opens"):
        services.round_update(
            round=round_, title="Spring", closes_on=None, by=world.lead, at_levels=True
        )
    with pytest.raises(ServiceError, match="does not define levels"):
        services.round_create(
            organisation=world.org,
            framework=cahn,
            title="x",
            closes_on=None,
            created_by=world.lead,
            at_levels=True,
        )


def test_each_statement_is_asked_at_each_level_in_a_fieldset_of_its_own(client, at_levels):
    world = at_levels
    sign_in(client, world.member)
    start = client.get(url(world, "start")).content.decode()
    assert (
        "You answer each statement once at each level: The individual, The service, "
        "The organisation." in start
    )
    client.post(url(world, "start"), {"perspective": "staff"})
    page = client.get(url(world, "page", page=1)).content.decode()
    statements = first_statements(world.round)
    # A fieldset for the statement and one inside it for each level, each with its legend.
    assert page.count("<fieldset") == len(statements) * 4
    assert page.count("<legend") == len(statements) * 4
    assert page.count("Level: The individual</legend>") == len(statements)
    assert page.count("Level: The organisation</legend>") == len(statements)
    first = statements[0]
    assert f'name="level-{first.pk}@service"' in page
    assert f'data-statement="{first.pk}" data-scope="service"' in page
    assert "0 of 72 answered" in page  # 24 statements at 3 levels

    data = {"go": "next"}
    for statement in statements:
        data[f"level-{statement.pk}@individual"] = "4"
        data[f"level-{statement.pk}@organisation"] = "1"
    data[f"note-{first.pk}@organisation"] = "Policy lags behind."
    response = client.post(url(world, "page", page=1), data)
    assert response.status_code == 302
    answers = Answer.objects.filter(respondent__user=world.member)
    assert sorted(answers.values_list("scope", flat=True).distinct()) == [
        "individual",
        "organisation",
    ]
    assert answers.get(statement=first, scope="individual").level == 4
    assert answers.get(statement=first, scope="organisation").note == "Policy lags behind."
    page = client.get(url(world, "page", page=1)).content.decode()
    assert f"{2 * len(statements)} of 72 answered" in page

    done = client.get(url(world, "done")).content.decode()
    assert "The individual: Firmly the to" in done
    assert 'The service: <span class="check-answers-missing">Not answered' in done


def test_autosave_saves_one_level_and_counts_every_level(client, at_levels):
    world = at_levels
    sign_in(client, world.member)
    client.post(url(world, "start"), {"perspective": "staff"})
    first = first_statements(world.round)[0]
    save = url(world, "autosave")
    response = client.post(
        save, {"statement": first.pk, "scope": "service", f"level-{first.pk}@service": "3"}
    )
    assert response.json() == {"saved": True, "answered": 1, "total": 72}
    assert Answer.objects.get(statement=first).scope == "service"
    wrong = client.post(
        save, {"statement": first.pk, "scope": "team", f"level-{first.pk}@team": "3"}
    )
    assert wrong.status_code == 400
    none = client.post(save, {"statement": first.pk, f"level-{first.pk}": "3"})
    assert none.status_code == 400
    assert Answer.objects.count() == 1


def test_an_ordinary_round_takes_no_levels(client, world):
    respondent = factories.respondent(world.round)
    statement = first_statements(world.round)[0]
    with pytest.raises(ServiceError, match="levels that are not in this round"):
        services.answers_save(
            respondent=respondent,
            answers=[services.AnswerInput(statement_id=statement.pk, level=2, scope="service")],
        )


def test_easy_read_names_each_level_in_its_own_words(client, at_levels):
    world = at_levels
    sign_in(client, world.member)
    client.post(url(world, "start"), {"perspective": "staff"})
    client.post(reverse("reading-mode"), {"easy_read": "on", "next": "/"})
    page = client.get(url(world, "page", page=1)).content.decode()
    assert "What my service does</legend>" in page


def test_no_workshop_on_a_round_at_levels(at_levels):
    from assessments.workshops.services import workshop_start

    with pytest.raises(ServiceError, match="several levels"):
        workshop_start(round=at_levels.round, by=at_levels.lead)
    assert at_levels.round.status == RoundStatus.OPEN


def test_the_answering_page_costs_no_more_queries_at_levels(client, at_levels):
    """Against the same framework asked once, with an answer on the page in each."""
    world = at_levels
    once = factories.round(world.org, slug="nef-nesta", title="Once", by=world.lead)
    sign_in(client, world.member)
    counts = []
    for round_ in (once, world.round):
        pages = {"pk": round_.pk}
        client.post(reverse("assessments:member-start", kwargs=pages), {"perspective": "staff"})
        first = first_statements(round_)[0]
        key = f"{first.pk}@service" if round_.at_levels else str(first.pk)
        client.post(
            reverse("assessments:member-page", kwargs={**pages, "page": 1}),
            {f"level-{key}": "2", "go": "stay"},
        )
        counts.append(
            count_queries(client, reverse("assessments:member-page", kwargs={**pages, "page": 1}))
        )
    assert Answer.objects.filter(respondent__user=world.member).count() == 2
    assert counts[1] == counts[0]
