"""The Django side of the benchmarks: ``python -m bench.worker <task> <json>`` prints JSON.

Each task runs in its own process against the database in DATABASE_URL, with the settings
in DJANGO_SETTINGS_MODULE (bench.settings: production settings, DEBUG off).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from contextlib import nullcontext
from datetime import timedelta
from typing import Any

import django


def median_seconds(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def interleaved_medians(steps: dict, repeats: int) -> dict[str, float]:
    """Each step's median time, the steps taken in turn within every repeat, so that a
    slow spell of the machine falls on the baseline and the measured step alike."""
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(repeats):
        for name, fn in steps.items():
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def peak_rss_kib() -> int:
    """The process's peak resident set size (VmHWM), in KiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("No VmHWM in /proc/self/status")


def cohorts_available() -> bool:
    from django.apps import apps

    try:
        apps.get_model("assessments", "Cohort")
    except LookupError:
        return False
    return True


COHORT_NAME = "Load test cohort {}"
FACILITATOR = "load-facilitator@load-test.invalid"
WORKSHOP_SLUG = "load-test-workshop"
WORKSHOP_PEOPLE = 60


# Tasks ---------------------------------------------------------------------------------


def task_prepare(args: dict) -> dict:
    """What the page and autosave benchmarks need on top of generate_load: a workshop
    round open for 60 invite links (and the first organisation's lead answering it), the
    cohorts of 10, 100 and 1,000 organisations, and signed-in sessions."""
    from django.test import Client
    from django.utils import timezone

    from assessments.accounts.models import Membership, Organisation, Role, User, new_token
    from assessments.figures.publishing import publication_update
    from assessments.loadgen import LEAD_EMAIL, SLUG
    from assessments.rounds.models import (
        Answer,
        Invite,
        Perspective,
        Respondent,
        Round,
        RoundStatus,
        token_hash,
    )
    from principles.models import PracticeStatement

    first = Organisation.objects.get(slug=SLUG.format(1))
    lead = User.objects.get(email=LEAD_EMAIL.format(1))
    closed = Round.objects.get(organisation=first, status=RoundStatus.CLOSED)
    framework = closed.framework
    statements = list(
        PracticeStatement.objects.filter(principle__framework=framework)
        .order_by("principle__order", "order")
        .values_list("pk", "principle__order")
    )

    # The workshop is its own organisation, so the cohorts hold closed rounds only.
    workshop_org = Organisation.objects.create(name="Load test workshop", slug=WORKSHOP_SLUG)
    Membership.objects.create(user=lead, organisation=workshop_org, role=Role.LEAD)
    # A closed round there too, answered as the first organisation's was: the results page
    # of an organisation in no cohort.
    solo = Round.objects.create(
        organisation=workshop_org,
        framework=framework,
        title="Load test round",
        status=RoundStatus.CLOSED,
        opened_at=closed.opened_at,
        closed_at=closed.closed_at,
        created_by=lead,
    )
    copied = list(closed.respondents.order_by("pk"))
    copies = Invite.objects.bulk_create(
        [
            Invite(
                round=solo,
                perspective=r.perspective,
                label="Load",
                token_hash=token_hash(new_token()),
            )
            for r in copied
        ]
    )
    new_people = Respondent.objects.bulk_create(
        [
            Respondent(round=solo, perspective=r.perspective, invite=i, finished_at=r.finished_at)
            for r, i in zip(copied, copies, strict=True)
        ]
    )
    by_old = {old.pk: new.pk for old, new in zip(copied, new_people, strict=True)}
    Answer.objects.bulk_create(
        [
            Answer(
                respondent_id=by_old[a.respondent_id],
                statement_id=a.statement_id,
                level=a.level,
                note=a.note,
                updated_at=a.updated_at,
            )
            for a in Answer.objects.filter(respondent__round=closed)
        ]
    )
    # Published as closing it would: its results page shows figures, not "not enough".
    publication_update(round=solo, closing=True)
    workshop = Round.objects.create(
        organisation=workshop_org,
        framework=framework,
        title="Load test workshop",
        status=RoundStatus.OPEN,
        opened_at=timezone.now(),
        created_by=lead,
    )
    me = Respondent.objects.create(round=workshop, user=lead, perspective=Perspective.STAFF)
    first_page = [pk for pk, order in statements if order == statements[0][1]]
    Answer.objects.bulk_create(
        [Answer(respondent=me, statement_id=pk, level=2) for pk in first_page[:2]]
    )
    perspectives = list(Perspective.values)
    tokens = [new_token() for _ in range(WORKSHOP_PEOPLE)]
    invites = Invite.objects.bulk_create(
        [
            Invite(
                round=workshop,
                perspective=perspectives[i % len(perspectives)],
                label="Load",
                token_hash=token_hash(token),
            )
            for i, token in enumerate(tokens)
        ]
    )
    Respondent.objects.bulk_create(
        [Respondent(round=workshop, perspective=i.perspective, invite=i) for i in invites]
    )

    # A workshop in a room of its own: started, the first principle shown, nobody in yet.
    from assessments.workshops.services import workshop_show, workshop_start

    room_round = Round.objects.create(
        organisation=workshop_org,
        framework=framework,
        title="Load test room",
        status=RoundStatus.OPEN,
        opened_at=timezone.now(),
        created_by=lead,
    )
    room = workshop_start(round=room_round, by=lead, capacity=WORKSHOP_PEOPLE + 10)
    workshop_show(workshop=room, by=lead, principle=framework.principles.order_by("order").first())

    client = Client()
    client.force_login(lead)
    out: dict[str, Any] = {
        "room": {
            "round": room_round.pk,
            "code": room.code,
            # The projector view's address: its key opens it, no session.
            "projector": f"/projector/{room.pk}/{room.projector_key}/",
        },
        "results_round": solo.pk,
        "cohort_results_round": closed.pk,
        "workshop_round": workshop.pk,
        "statements": [pk for pk, _ in statements],
        "tokens": tokens,
        "lead_session": client.cookies["sessionid"].value,
        "cohorts": {},
        "perspectives": list(Perspective.values),
    }

    if cohorts_available():
        from assessments.cohorts.models import Cohort, CohortMember
        from assessments.cohorts.services import cohort_figures_refresh

        facilitator, _ = User.objects.get_or_create(
            email=FACILITATOR, defaults={"full_name": "Load test facilitator"}
        )
        today = timezone.localdate()
        orgs = list(
            Organisation.objects.filter(slug__startswith="load-test-org-")
            .order_by("slug")
            .values_list("pk", flat=True)
        )
        # generate_load made the cohort of them all; the smaller ones hold the first few.
        for size in [n for n in (10, 100) if n < len(orgs)] + [len(orgs)]:
            cohort = Cohort.objects.filter(name=COHORT_NAME.format(size)).first()
            if cohort is None:
                cohort = Cohort.objects.create(
                    name=COHORT_NAME.format(size),
                    framework=framework,
                    facilitator=facilitator,
                    starts_on=today - timedelta(days=90),
                    ends_on=today + timedelta(days=30),
                )
                CohortMember.objects.bulk_create(
                    [CohortMember(cohort=cohort, organisation_id=pk) for pk in orgs[:size]],
                    batch_size=5000,
                )
                cohort_figures_refresh(cohort=cohort)
            out["cohorts"][str(size)] = cohort.pk
        client = Client()
        client.force_login(facilitator)
        out["facilitator_session"] = client.cookies["sessionid"].value
    return out


def task_pdf(args: dict) -> dict:
    """The round report: the whole job against WeasyPrint alone on the same final HTML,
    and a one-page PDF as the floor; the radar drawn against served from its cache."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from weasyprint import HTML

    from assessments.documents import pdf, radar, summary
    from assessments.rounds.models import Round

    repeats = args.get("repeats", 5)
    round_ = Round.objects.select_related("organisation", "framework").get(pk=args["results_round"])
    trivial_html = (
        '<!doctype html><html lang="en"><head><title>Floor</title>'
        f'<link rel="stylesheet" href="{pdf.static_file_uri("css/report.css")}"></head>'
        "<body><h1>One page</h1><p>The least a PDF costs.</p></body></html>"
    )
    html = pdf.report_html(round_)
    pdf.html_to_pdf(trivial_html)  # warm fonts and stylesheet parsing
    pdf.html_to_pdf(html)

    def report_chart_drawn():
        radar.cache_clear()
        pdf.round_report_pdf(round_)

    out = interleaved_medians(
        {
            "trivial_s": lambda: pdf.html_to_pdf(trivial_html),
            "weasyprint_only_s": lambda: pdf.html_to_pdf(html),
            "report_s": report_chart_drawn,
            "report_chart_cached_s": lambda: pdf.round_report_pdf(round_),
            "html_s": lambda: pdf.report_html(round_),
        },
        repeats,
    )
    out |= {
        "pages": len(HTML(string=html, url_fetcher=pdf.StaticFilesOnly()).render().pages),
        "bytes": len(pdf.round_report_pdf(round_)),
    }
    with CaptureQueriesContext(connection) as queries:
        pdf.report_html(round_)
    out["html_queries"] = len(queries.captured_queries)

    # The radar: what the report asks for, drawn afresh (warm process) and from the cache.
    captured = {}
    original = summary.radar_svg

    def capture(**kwargs):
        captured.update(kwargs)
        return original(**kwargs)

    summary.radar_svg = capture
    try:
        summary.round_results(round_).radar()
    finally:
        summary.radar_svg = original
    draw_args = (captured["axes"], captured["series"], captured["title"], captured["description"])
    radar._draw(*draw_args, "warmup00")
    out["radar_draw_s"] = median_seconds(lambda: radar._draw(*draw_args, "bench000"), repeats)
    radar.radar_svg(**captured)
    out["radar_cached_s"] = median_seconds(lambda: radar.radar_svg(**captured), 200)

    if args.get("cohort_round"):
        in_cohort = Round.objects.select_related("organisation", "framework").get(
            pk=args["cohort_round"]
        )
        out["report_in_cohort_s"] = median_seconds(
            lambda: pdf.round_report_pdf(in_cohort), max(1, repeats // 2)
        )
    if args.get("cohort"):
        from assessments.cohorts.models import Cohort
        from assessments.documents.cohort import cohort_dashboard

        cohort = Cohort.objects.get(pk=args["cohort"])
        started = time.perf_counter()
        document = pdf.cohort_summary_pdf(cohort_dashboard(cohort, page=None))
        out["cohort_summary_s"] = time.perf_counter() - started
        out["cohort_summary_bytes"] = len(document)
    return out


def task_publishing(args: dict) -> dict:
    """Publishing a closed round's figures (``publication_update`` at close, the work the
    close request does) against rendering its results page once, in the same process: the
    page through Django's test client, signed in as its lead, with nothing cached, so it
    is the whole page's work (queries, scores, chart, template). Each publication is made
    in a transaction rolled back afterwards, so every one is the round's first."""
    from django.core.cache import caches
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from assessments.accounts.models import User
    from assessments.documents import radar
    from assessments.figures.models import Publication
    from assessments.figures.publishing import publication_update
    from assessments.loadgen import LEAD_EMAIL
    from assessments.rounds.models import Round

    repeats = args.get("repeats", 9)
    round_ = Round.objects.get(pk=args["round"])
    client = Client()
    client.force_login(User.objects.get(email=LEAD_EMAIL.format(1)))
    url = f"/rounds/{round_.pk}/results/"

    def render_page():
        for cache in caches.all():
            cache.clear()
        radar.cache_clear()
        response = client.get(url)
        assert response.status_code == 200 and b"Who took part" in response.content

    def publish(counted: CaptureQueriesContext | None = None) -> float:
        with transaction.atomic():
            Publication.objects.filter(round=round_).delete()
            with counted if counted is not None else nullcontext():
                started = time.perf_counter()
                assert publication_update(round=round_, closing=True) is not None
                elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        return elapsed

    render_page()
    queries = CaptureQueriesContext(connection)  # publication_update's own, not the delete's
    publish(queries)
    return {
        "respondents": round_.respondents.count(),
        "publish_s": statistics.median(publish() for _ in range(repeats)),
        "publish_queries": len(queries.captured_queries),
        "results_page_s": median_seconds(render_page, repeats),
    }


def task_aggregates(args: dict) -> dict:
    """The cohort's figures at each cohort size: what a look at the dashboard costs (its
    first page, with the stored cohort-level figures), the first time after they changed
    and again, against what keeping those figures costs when one organisation publishes,
    and when every member is worked out again (the cohort's period moved)."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.cohorts.models import Cohort, CohortMember
    from assessments.cohorts.services import cohort_figures_refresh
    from assessments.documents import cohort as kept
    from assessments.documents.cohort import cohort_dashboard
    from assessments.rounds.models import Answer

    repeats = args.get("repeats", 5)
    out: dict[str, Any] = {"vendor": connection.vendor, "sizes": {}}
    for size, pk in sorted(args["cohorts"].items(), key=lambda item: int(item[0])):
        cohort = Cohort.objects.select_related("framework").get(pk=pk)
        one = CohortMember.objects.filter(cohort=cohort).order_by("pk")[0].organisation_id

        def first_look(cohort):
            """As the first look after the figures changed: nothing kept but the
            framework's principles, which never change."""
            caches["derived"].clear()
            kept._principles(cohort.framework)
            return cohort_dashboard(cohort)

        dashboard = first_look(cohort)
        with CaptureQueriesContext(connection) as queries:
            first_look(cohort)
        with CaptureQueriesContext(connection) as again:
            cohort_dashboard(cohort)
        out["sizes"][size] = {
            "organisations": dashboard.organisations,
            "with_figures": dashboard.with_figures,
            "answers": Answer.objects.filter(
                respondent__round__organisation__cohort_memberships__cohort=cohort,
                respondent__round__status="closed",
            ).count(),
            "queries": len(queries.captured_queries),
            "queries_again": len(again.captured_queries),
            "dashboard_s": median_seconds(lambda c=cohort: cohort_dashboard(c), repeats),
            "dashboard_first_s": median_seconds(lambda c=cohort: first_look(c), repeats),
            "refresh_one_s": median_seconds(
                lambda c=cohort, o=one: cohort_figures_refresh(cohort=c, organisation_id=o),
                repeats,
            ),
            "refresh_all_s": median_seconds(
                lambda c=cohort: cohort_figures_refresh(cohort=c), max(1, repeats // 2)
            ),
        }
    return out


def task_memory(args: dict) -> dict:
    """Peak RSS of a process that loads the site as a gunicorn worker does, then does one
    heavy thing."""
    from django.test import Client

    from assessments.accounts.models import User
    from assessments.documents import pdf
    from assessments.rounds.models import Round
    from coprod.wsgi import application  # noqa: F401 - loaded as a worker loads it

    # What a worker has touched after serving a first page.
    Client().get("/accounts/login/")
    idle = peak_rss_kib()
    what = args["what"]
    if what == "report":
        pdf.round_report_pdf(
            Round.objects.select_related("organisation", "framework").get(pk=args["round"])
        )
    elif what == "cohort_summary":
        from assessments.cohorts.models import Cohort
        from assessments.documents.cohort import cohort_dashboard

        cohort = Cohort.objects.get(pk=args["cohort"])
        pdf.cohort_summary_pdf(cohort_dashboard(cohort, page=None))
    elif what == "dashboard":
        client = Client()
        client.force_login(User.objects.get(email=FACILITATOR))
        response = client.get(f"/cohorts/{args['cohort']}/")
        assert response.status_code == 200, response.status_code
    else:
        raise ValueError(what)
    return {"idle_kib": idle, "peak_kib": peak_rss_kib()}


def task_autosave_check(args: dict) -> dict:
    """Compare the last answer each simulated respondent had acknowledged, per statement,
    with what the database holds."""
    from assessments.rounds.models import Answer, token_hash

    with open(args["sent"]) as f:
        sent = json.load(f)
    by_hash = {token_hash(token): token for token in sent}
    stored = {
        (by_hash[hashed], str(statement)): level
        for hashed, statement, level in Answer.objects.filter(
            respondent__invite__token_hash__in=list(by_hash)
        ).values_list("respondent__invite__token_hash", "statement_id", "level")
    }
    expected = {
        (token, statement): level
        for token, levels in sent.items()
        for statement, level in levels.items()
    }
    lost = [key for key, level in expected.items() if stored.get(key) != level]
    return {"expected": len(expected), "stored": len(stored), "lost": len(lost)}


def task_exports_clear(args: dict) -> dict:
    """Forget the exports asked for while no worker ran (the cohort PDF request timings),
    and their tasks, so that a worker started next has nothing but what it is asked then."""
    from django_tasks_db.models import DBTaskResult

    from assessments.jobs.models import Export

    exports, _ = Export.objects.all().delete()
    tasks, _ = DBTaskResult.objects.filter(
        status="READY", task_path__endswith=".build_export"
    ).delete()
    return {"exports": exports, "tasks": tasks}


def task_settle(args: dict) -> dict:
    """After the bulk load: the statistics a database in use has (PostgreSQL's VACUUM
    ANALYZE), so the planner has them and autovacuum does not start on 320,000 new rows in
    the middle of a measurement. SQLite's ANALYZE likewise."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"vendor": connection.vendor, "seconds": time.perf_counter() - started}


def task_insider(args: dict) -> dict:
    from bench import insider

    return insider.run(int(args.get("trials", 2000)))


TASKS = {
    "insider": task_insider,
    "prepare": task_prepare,
    "settle": task_settle,
    "pdf": task_pdf,
    "publishing": task_publishing,
    "aggregates": task_aggregates,
    "memory": task_memory,
    "autosave_check": task_autosave_check,
    "exports_clear": task_exports_clear,
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    task, raw = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "{}"
    result = TASKS[task](json.loads(raw))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
