"""The public pages: home, what co-production is, and the principles library."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_home_says_what_the_tool_is_for(client, frameworks):
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "co-produce" in text
    for audience in ("Council teams", "Facilitators", "Managers"):
        assert audience in text
    for framework in frameworks.values():
        assert framework.name in text


@pytest.mark.usefixtures("no_frameworks")
def test_home_without_frameworks_says_how_to_load_them(client):
    response = client.get("/")
    assert "No frameworks are loaded yet" in response.content.decode()


def test_what_is_coproduction_covers_the_ideas(client):
    text = client.get(reverse("what-is")).content.decode().lower()
    for idea in (
        "consultation",
        "ladder",
        "co-commissioning",
        "co-design",
        "co-delivery",
        "co-assessment",
        "listening",
    ):
        assert idea in text


def test_library_lists_frameworks(client, frameworks):
    response = client.get(reverse("principles:list"))
    assert response.status_code == 200
    for framework in frameworks.values():
        assert framework.name in response.content.decode()
        assert framework.get_absolute_url() in response.content.decode()


def test_framework_page_lists_its_principles(client, frameworks):
    framework = frameworks["cahn"]
    response = client.get(framework.get_absolute_url())
    text = response.content.decode()
    for principle in framework.principles.all():
        assert principle.name in text
        assert principle.get_absolute_url() in text


def test_principle_page_shows_each_statement_from_to(client, frameworks):
    principle = frameworks["nef-nesta"].principles.get(order=2)
    response = client.get(principle.get_absolute_url())
    text = response.content.decode()
    assert f"<h1>{principle.name}</h1>" in text
    for statement in principle.statements.all():
        assert statement.from_text in text or statement.from_text.replace("'", "&#x27;") in text
        assert f"Statement {statement.code}" in text
    assert "Previous:" in text and "Next:" in text


def test_easy_read_switch_works_without_javascript(client, frameworks):
    principle = frameworks["cahn"].principles.get(order=1)
    statement = principle.statements.first()
    url = principle.get_absolute_url()

    response = client.post(reverse("reading-mode"), {"easy_read": "on", "next": url})
    assert response.status_code == 302
    assert response["Location"] == url

    text = client.get(url).content.decode()
    assert "Easy read is on" in text
    assert principle.easy_read_summary.split(".")[0] in text
    assert statement.to_easy.split(".")[0] in text

    client.post(reverse("reading-mode"), {"easy_read": "off", "next": url})
    assert "Switch to easy read" in client.get(url).content.decode()


def test_easy_read_switch_refuses_to_redirect_off_site(client):
    response = client.post(
        reverse("reading-mode"), {"easy_read": "on", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "url",
    [
        "/principles/no-such-framework/",
        "/principles/cahn/no-such-principle/",
        "/principles/cahn/?version=99",
        "/principles/cahn/?version=abc",
    ],
)
def test_unknown_pages_are_404(client, frameworks, url):
    assert client.get(url).status_code == 404


def test_old_versions_stay_readable(client, frameworks):
    from principles.services import framework_freeze

    framework = frameworks["cahn"]
    framework_freeze(framework=framework)
    framework.pk = None
    framework.version = 2
    framework.content_hash = "changed"
    framework.save()
    assert client.get("/principles/cahn/").context["framework"].version == 2
    response = client.get("/principles/cahn/?version=1")
    assert response.context["framework"].version == 1
    assert response.context["framework"].principles.count() == 4


@pytest.mark.parametrize("name", ["principles:list", "cahn", "principle"])
def test_library_query_counts_do_not_grow_with_content(client, frameworks, name):
    if name == "principles:list":
        url = reverse(name)
    elif name == "cahn":
        url = frameworks["cahn"].get_absolute_url()
    else:
        url = frameworks["nef-nesta"].principles.get(order=1).get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    # Session + framework + principles + statements (+ version list, + crosswalk links and
    # the other frameworks' principles): fixed, whatever the content.
    assert len(queries) <= 7, [q["sql"] for q in queries]


def test_healthz_answers_when_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_database_failure(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("database gone")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_not_found_page_is_in_the_site_look(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "<h1>Page not found</h1>" in text and "Skip to main content" in text


def test_expired_form_gets_a_plain_explanation(frameworks):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("reading-mode"), {"easy_read": "on", "next": "/"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_the_glossary_explains_the_words_the_pages_use(client, frameworks):
    from assessments.figures.scoring import GAP_MEANING
    from assessments.rounds.models import STEP_MEANINGS

    page = client.get(reverse("glossary")).content.decode()
    assert "<h1>What the words mean</h1>" in page
    for anchor in ("from-and-to", "range", "perception-gap", "core-economy", "steps"):
        assert f'id="{anchor}"' in page
    assert f"The perception gap is {GAP_MEANING}." in page
    for step, meaning in STEP_MEANINGS.items():
        assert f"<strong>{step.label}</strong>: {meaning}" in page


def test_core_economy_links_to_the_glossary_where_it_appears(client, frameworks):
    cahn = frameworks["cahn"]
    principle = next(p for p in cahn.principles.all() if "core economy" in p.summary)
    link = f'href="{reverse("glossary")}#core-economy"'
    assert link in client.get(principle.get_absolute_url()).content.decode()
    assert link in client.get(cahn.get_absolute_url()).content.decode()
    other = cahn.principles.exclude(pk=principle.pk).first()
    assert link not in client.get(other.get_absolute_url()).content.decode()


def test_admin_shows_framework_content_and_changes_none_of_it(client, frameworks):
    """Wording is loaded from files and versioned; a superuser can read it in the admin but
    not edit, add or delete a statement or a framework there."""
    client.force_login(factories.user("admin@coprod.example", is_staff=True, is_superuser=True))
    framework = next(iter(frameworks.values()))
    statement = framework.principles.first().statements.first()
    change = reverse("admin:principles_practicestatement_change", args=[statement.pk])

    page = client.get(change)
    assert page.status_code == 200
    assert statement.to_text in page.content.decode()
    assert 'name="to_text"' not in page.content.decode()  # shown, not an input

    before = statement.to_text
    posted = client.post(change, {"to_text": "Changed in the admin", "from_text": "x"})
    assert posted.status_code == 403
    statement.refresh_from_db()
    assert statement.to_text == before

    for name in ("principles_practicestatement_add", "principles_framework_add"):
        assert client.get(reverse(f"admin:{name}")).status_code == 403
    delete = reverse("admin:principles_framework_delete", args=[framework.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert type(framework).objects.filter(pk=framework.pk).exists()
