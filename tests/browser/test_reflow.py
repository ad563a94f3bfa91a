"""Reflow (WCAG 1.4.10): at 320 CSS pixels wide (a 1280 px window at 400% zoom) no page
scrolls sideways; a table wider than the screen scrolls inside its own box. Every page the
journeys visit, in a world built as `make run` builds the demo, signed in as each person
who sees it, and signed out."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.accounts.models import Organisation
from assessments.cohorts.models import Cohort
from assessments.demo import PASSWORD
from assessments.jobs import exports
from assessments.jobs.models import ExportKind
from assessments.rounds.models import Action, Round, RoundStatus
from assessments.workshops.models import Workshop
from tests import factories
from tests.browser.conftest import NARROW, sideways
from tests.browser.support import make_links, sign_in
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def narrow(browser, live_server):
    """A window 320 px wide; ``narrow()`` opens another, signed out."""
    contexts = []

    def open_one():
        context = browser.new_context(base_url=live_server.url, viewport=NARROW)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    yield open_one
    for context in contexts:
        context.close()


def visit(page, paths, failures):
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status < 500, (path, response)
        if problem := sideways(page):
            failures.append(problem)


def test_no_page_scrolls_sideways_at_320_px(narrow, axe):
    ensure_framework()
    call_command("load_demo", force=True)
    riverside = Round.objects.get(title="Adult social care: autumn reflection")
    oakfield = Round.objects.get(organisation__slug="oakfield", status=RoundStatus.OPEN)
    hillside = Organisation.objects.get(slug="hillside")
    north_vale = Cohort.objects.get(name="North Vale co-production network")
    statement = riverside.framework.principles.order_by("order")[0].statements.first()
    action = Action.objects.filter(round=riverside).first()
    draft = factories.round(riverside.organisation, title="Next year", status=RoundStatus.DRAFT)
    facilitator_invitation = factories.cohort_invitation(
        cohort=north_vale,
        email="lead@hillside.example",
        invited_by=north_vale.facilitator,
        sent_at=timezone.now(),
    )
    factories.colleague_invite(
        organisation=riverside.organisation,
        email="new.colleague.with.a.long.address@riverside-adult-social-care.example",
        invited_by=riverside.created_by,
    )
    failures: list[str] = []

    # Signed out: the site's own pages, the principles, signing in, a link and a room.
    page = narrow()
    link = factories.invite(oakfield, "lived_experience", label="Day centre")
    visit(
        page,
        [
            "/",
            "/what-is-co-production/",
            "/sources/",
            "/what-the-words-mean/",
            "/principles/",
            "/principles/cahn/",
            "/principles/nef-nesta/",
            f"/principles/cahn/{riverside.framework.principles.order_by('order')[0].slug}/",
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password/reset/",
            "/go/",
            "/join/",
            "/no-such-page/",
            f"/r/{link.raw_token}/",
        ],
        failures,
    )
    page.get_by_role("button", name="Start").click()
    visit(page, [f"/r/{link.raw_token}/1/", f"/r/{link.raw_token}/done/"], failures)
    visit(page, [f"/r/{link.raw_token}/move/"], failures)
    elsewhere = narrow()  # the same link opened on another phone
    visit(elsewhere, [f"/r/{link.raw_token}/1/"], failures)
    page.goto(f"/r/{link.raw_token}/1/")
    page.get_by_role("button", name="Switch to easy read").click()
    visit(page, [page.url, f"/principles/cahn/{statement.principle.slug}/"], failures)
    workshop = Workshop.objects.get(round=oakfield)
    joining = narrow()
    visit(joining, [f"/join/?code={workshop.code}"], failures)

    # A lead: their organisation, its rounds, links, results, plan and workshop.
    page = narrow()
    sign_in(page, "lead@riverside.example", PASSWORD)
    org = riverside.organisation.slug
    visit(
        page,
        [
            "/orgs/?all=1",
            "/orgs/new/",
            f"/orgs/{org}/",
            f"/orgs/{org}/people/",
            f"/orgs/{org}/activity/",
            f"/orgs/{org}/data/",
            f"/orgs/{org}/cohorts/{north_vale.pk}/",
            f"/orgs/{org}/rounds/new/",
            f"/rounds/{draft.pk}/",
            f"/rounds/{draft.pk}/edit/",
            f"/rounds/{riverside.pk}/",
            f"/rounds/{riverside.pk}/results/",
            f"/rounds/{riverside.pk}/actions/",
            f"/rounds/{riverside.pk}/actions/new/",
            f"/actions/{action.pk}/edit/",
            f"/rounds/{riverside.pk}/positions/{statement.pk}/",
            f"/rounds/{riverside.pk}/positions/principle-1/",
            f"/rounds/{riverside.pk}/links/",
            "/account/",
            "/accounts/2fa/",
            "/accounts/email/",
            "/accounts/password/change/",
        ],
        failures,
    )
    export = exports.request(
        kind=ExportKind.ORGANISATION_ZIP,
        by=riverside.created_by,
        organisation=riverside.organisation,
    )
    visit(page, [f"/downloads/{export.pk}/"], failures)
    make_links(page, draft, 3, label="Carers group at the day centre")
    visit(page, [page.url, page.url + "print/"], failures)
    axe(page, "reflow-print-320")
    page.goto(f"/rounds/{riverside.pk}/results/")
    axe(page, "reflow-results-320")
    # The scores table is wider than the screen: it scrolls in its own box, which the
    # keyboard reaches (Tab) and scrolls (arrow keys), named by the table's caption.
    box = page.get_by_role("region", name="Principle scores out of 4, for everyone")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("e => e.scrollLeft > 0", arg=box.element_handle())

    # The lead of a round with a workshop going on, with a principle shown, and a member.
    page = narrow()
    sign_in(page, "lead@oakfield.example", PASSWORD)
    visit(page, [f"/rounds/{oakfield.pk}/", f"/rounds/{oakfield.pk}/workshop/"], failures)
    projector = page.get_by_role("link", name="Open the projector view (new tab)")
    visit(page, [projector.get_attribute("href")], failures)
    page = narrow()
    sign_in(page, "member@oakfield.example", PASSWORD)
    visit(
        page,
        [f"/rounds/{oakfield.pk}/", f"/rounds/{oakfield.pk}/answer/1/"],
        failures,
    )

    # A lead invited to a cohort, and the facilitator running it.
    page = narrow()
    sign_in(page, "lead@hillside.example", PASSWORD)
    visit(
        page,
        [f"/orgs/{hillside.slug}/", f"/cohort-invitations/{facilitator_invitation.pk}/"],
        failures,
    )
    page = narrow()
    sign_in(page, "facilitator@example.org", PASSWORD)
    visit(
        page,
        [
            "/cohorts/",
            "/cohorts/new/",
            f"/cohorts/{north_vale.pk}/",
            f"/cohorts/{north_vale.pk}/edit/",
            f"/cohorts/{north_vale.pk}/organisations/",
            f"/cohorts/{north_vale.pk}/remind/",
        ],
        failures,
    )
    page.goto("/cohorts/new/")
    page.get_by_role("button", name="Start the cohort").click()  # nothing filled in: errors
    visit(page, [page.url], failures)
    page.goto(f"/cohorts/{north_vale.pk}/organisations/")
    axe(page, "reflow-organisations-320")

    assert not failures, "pages that scroll sideways at 320 px:\n" + "\n".join(failures)
