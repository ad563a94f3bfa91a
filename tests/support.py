"""Worlds the tests share (no tests here): the people, organisations, rounds and cohorts
most tests start from, made with the factories, and small helpers for signing in and
counting queries. ``tests/conftest.py`` offers them as fixtures."""

import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.accounts.models import AuditEvent
from assessments.cohorts.models import Cohort, CohortMember
from assessments.cohorts.services import cohort_figures_refresh
from assessments.rounds import services as rounds_services
from assessments.rounds.models import RoundStatus
from principles.models import Framework
from tests import factories


def date_boxes(name: str, day: datetime.date | str) -> dict[str, str]:
    """A date as a person types it in a date field's three boxes (Day, Month, Year)."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def ensure_framework() -> Framework:
    """The shipped Cahn framework, loaded from principles/frameworks/ as `make run` does."""
    return factories.framework("cahn")


def migrate_to(migration: tuple[str, str]) -> Apps:
    """Migrate the test database to ``migration`` (back or on) and give the models as they
    were then, to write rows as an older version of the site did."""
    executor = MigrationExecutor(connection)
    executor.migrate([migration])
    executor.loader.build_graph()
    return executor.loader.project_state([migration]).apps


@contextmanager
def database_at(migration: tuple[str, str]) -> Iterator[Apps]:
    """The database as it was at ``migration``, for a test of what a later migration does
    to data written then (``migrate_to`` the later one inside); put back to the latest
    migrations afterwards, whatever happened."""
    try:
        yield migrate_to(migration)
    finally:
        migrate_to_latest()


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def sign_in(client, user):
    assert client.login(username=user.email, password=factories.PASSWORD)


class AuditFailure(Exception):
    """Raised by the activity log while ``break_audit`` is in force."""


def break_audit(monkeypatch) -> None:
    """Make every write to the activity log fail, to show that a change and its audit row
    are written in one transaction: when the row cannot be written, neither is the change."""

    def refuse(self, *args, **kwargs):
        raise AuditFailure("the activity log cannot be written")

    monkeypatch.setattr(AuditEvent, "save", refuse)


def site_queries(captured: list[dict]) -> list[dict]:
    """The queries of the site's own data: not those of the shared cache (a database table
    by default), which a page uses to keep a chart it drew for every other worker."""
    return [
        q
        for q in captured
        if "coprod_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"].upper()
    ]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(site_queries(ctx.captured_queries))


class World:
    """One organisation with a lead, a member and an open round with a link; and another
    organisation with its own lead and member, who must see none of it."""

    def __init__(self):
        ensure_framework()
        self.lead = factories.user("lead@riverside.example", full_name="Rita Patel")
        self.org = factories.organisation("Riverside adult care", lead=self.lead)
        self.member = factories.member(self.org, email="member@riverside.example")
        # Figures while open, so results can be read before the round closes.
        self.round = factories.round(self.org, title="Spring reflection", figures_while_open=True)
        self.invite = factories.invite(self.round, label="Workshop table")
        self.other_lead = factories.user("lead@hillside.example")
        self.other_org = factories.organisation("Hillside", lead=self.other_lead)
        self.other_member = factories.member(self.other_org, email="member@hillside.example")


# Cohorts -------------------------------------------------------------------------------


def answered_round(
    org,
    *,
    status=RoundStatus.CLOSED,
    lived=3,
    staff=3,
    lived_level=2,
    staff_level=3,
    opened_days_ago=10,
    slug="cahn",
    note="",
):
    """A round of ``org`` opened some days ago, answered by people with lived experience and
    staff at the given levels."""
    closing = status == RoundStatus.CLOSED
    # A closed round is answered while open, then closed: it publishes once, at close.
    round_ = factories.round(org, status=RoundStatus.OPEN if closing else status, slug=slug)
    round_.opened_at = timezone.now() - datetime.timedelta(days=opened_days_ago)
    round_.save(update_fields=["opened_at"])
    cohort_figures_refresh(organisation_id=org.pk)  # the opening moved: in a period or not
    for _ in range(lived):
        factories.answer_all(
            factories.respondent(round_, "lived_experience"), level=lived_level, note=note
        )
    for _ in range(staff):
        factories.answer_all(factories.respondent(round_, "staff"), level=staff_level, note=note)
    if closing:
        rounds_services.round_close(round=round_, by=None)
    return round_


def cohort(facilitator, *, name="North Vale network", slug="cahn", days_back=60, days_ahead=60):
    today = timezone.localdate()
    return Cohort.objects.create(
        name=name,
        framework=factories.framework(slug),
        facilitator=facilitator,
        starts_on=today - datetime.timedelta(days=days_back),
        ends_on=today + datetime.timedelta(days=days_ahead),
    )


def member_org(the_cohort, name=None, *, show_name=False, **round_kwargs):
    """An organisation with a lead and a member, in the cohort, with an answered round
    (``round_kwargs`` passed on; ``with_round=False`` for none)."""
    lead = factories.user()
    org = factories.organisation(name, lead=lead)
    factories.member(org)
    CohortMember.objects.create(cohort=the_cohort, organisation=org, show_name=show_name)
    cohort_figures_refresh(cohort=the_cohort)  # as joining through an invitation does
    if round_kwargs.pop("with_round", True):
        answered_round(org, **round_kwargs)
    return org


class CohortWorld:
    """A facilitator's cohort with one organisation (lead, member, a closed round answered
    by 3 people with lived experience at 2 and 3 staff at 3); another facilitator with a
    cohort of their own; and an organisation outside both."""

    def __init__(self):
        ensure_framework()
        self.facilitator = factories.user("fran@network.example", full_name="Fran Okafor")
        self.cohort = cohort(self.facilitator)
        self.lead = factories.user("rita@riverside.example", full_name="Rita Patel")
        self.org = factories.organisation("Riverside adult care", lead=self.lead)
        self.member = factories.member(self.org, email="marcus@riverside.example")
        CohortMember.objects.create(cohort=self.cohort, organisation=self.org)
        cohort_figures_refresh(cohort=self.cohort)
        self.round = answered_round(self.org, note="Our secret example")
        self.other_facilitator = factories.user("other@network.example")
        self.other_cohort = cohort(self.other_facilitator, name="Elsewhere network")
        self.outside_lead = factories.user("lead@hillside.example")
        self.outside_org = factories.organisation("Hillside", lead=self.outside_lead)

    def role(self, name):
        return {
            "facilitator": self.facilitator,
            "other_facilitator": self.other_facilitator,
            "lead": self.lead,
            "member": self.member,
            "outside_lead": self.outside_lead,
        }[name]


# Answers -------------------------------------------------------------------------------


def with_answers(world, *, lived=3, staff=3, partners=0, lived_level=1, staff_level=4):
    """Respondents who disagree: lived experience low, staff high."""
    for _ in range(lived):
        factories.answer_all(
            factories.respondent(world.round, "lived_experience"),
            level=lived_level,
            note="Nobody asked us first",
        )
    for _ in range(staff):
        factories.answer_all(factories.respondent(world.round, "staff"), level=staff_level)
    for _ in range(partners):
        factories.answer_all(factories.respondent(world.round, "partner"), level=2)
    return world


def first_statement(world):
    return world.round.framework.principles.order_by("order")[0].statements.order_by("order")[0]


def earlier_round(world, *, slug="cahn", level=2, people=3):
    """A closed round of the same organisation, a month before the world's round."""
    earlier = factories.round(world.org, status=RoundStatus.CLOSED, slug=slug, title="Autumn 2025")
    earlier_created = world.round.created_at - datetime.timedelta(days=30)
    type(earlier).objects.filter(pk=earlier.pk).update(created_at=earlier_created)
    for _ in range(people):
        factories.answer_all(factories.respondent(earlier, "staff"), level=level)
    return earlier


# Answer links ---------------------------------------------------------------------------

LINK = re.compile(r"/r/([A-Za-z0-9_-]{43})/")


def link_tokens(text: str) -> list[str]:
    """The answer-link tokens in a page or an e-mail, each once, in order."""
    return list(dict.fromkeys(LINK.findall(text)))


def statements_of(round_, page: int = 1):
    """The statements on one page of a round (a page per principle), in order."""
    principle = round_.framework.principles.order_by("order")[page - 1]
    return list(principle.statements.order_by("order"))


# The activity log, less what a test's set-up wrote -----------------------------------

_LOG_BEFORE: set[int] = set()


def remember_log() -> None:
    """Note what the activity log holds now (``log_baseline`` calls it once the world is
    built), so that ``new_log`` holds only what the test's own calls wrote."""
    _LOG_BEFORE.clear()
    _LOG_BEFORE.update(AuditEvent.objects.values_list("pk", flat=True))


def new_log():
    return AuditEvent.objects.exclude(pk__in=_LOG_BEFORE)


def prepared(client, response):
    """The file a request for a download leads to: its page (ready at once, as tasks run at
    once in tests), then the file the page offers."""
    assert response.status_code == 302, response.status_code
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Your download is ready" in page.content.decode()
    return client.get(response["Location"] + "file")


# Translations ------------------------------------------------------------------------------

WELSH_PLURAL_FORMS = (
    "nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 :(n==6) ? 4 : 5;"
)


def write_catalogue(locale: Path, language: str, messages: dict) -> None:
    """A compiled catalogue of ``messages`` for ``language`` under ``locale``, for a test
    to show words come out translated whatever the project's own catalogue holds that day:
    ``{english: translation}``, or ``{(singular, plural): (form, form, …)}`` with Welsh's
    plural rule."""
    import polib  # type: ignore[import-untyped]

    catalogue = polib.POFile()
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": WELSH_PLURAL_FORMS,
    }
    for english, translated in messages.items():
        if isinstance(english, tuple):
            forms = dict(enumerate(translated))
            entry = polib.POEntry(msgid=english[0], msgid_plural=english[1], msgstr_plural=forms)
        else:
            entry = polib.POEntry(msgid=english, msgstr=translated)
        catalogue.append(entry)
    folder = locale / language / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    catalogue.save_as_mofile(str(folder / "django.mo"))
