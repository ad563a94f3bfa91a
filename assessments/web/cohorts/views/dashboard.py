"""A facilitator's dashboard of a cohort: its figures and a page of its heat map, filtered
by perspective and sorted; and its downloads (the heat map as CSV, the summary as PDF).
All of it is for the cohort's facilitator (``cohort_for_user``)."""

from urllib.parse import urlencode as query_string

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from assessments.accounts.two_step import PROMPT_DISMISSED, has_two_step
from assessments.documents import exports
from assessments.documents.cohort import cohort_dashboard, sort_keys
from assessments.jobs import exports as jobs_exports
from assessments.jobs.models import ExportKind
from assessments.web.access import cohort_for_user
from assessments.web.cohorts.forms import DashboardFilterForm
from coprod.cache import kept
from coprod.http import attachment
from principles.reading import is_easy_read


def _dashboard_params(request, cohort):
    """The perspective filter and the sort order, from the query string; anything unknown
    falls back to everyone, sorted by name."""
    form = DashboardFilterForm(request.GET or None)
    perspective = form.cleaned_data["perspective"] if form.is_valid() else ""
    sort = request.GET.get("sort", "name")
    descending = request.GET.get("dir") == "desc"
    return form, perspective, sort, descending


def _query(dashboard, **changes) -> str:
    """The dashboard's address with its perspective, sort and page, changed as given (no
    perspective and the first page are left out)."""
    query = {
        "perspective": dashboard.perspective,
        "sort": dashboard.sort,
        "dir": "desc" if dashboard.descending else "asc",
        "page": dashboard.page.number if dashboard.page is not None else 1,
        **changes,
    }
    defaults = {"perspective": "", "page": 1}
    return "?" + query_string([(k, v) for k, v in query.items() if defaults.get(k) != v])


def _sort_links(dashboard) -> dict[str, dict]:
    """For each sortable column: the link that sorts by it (lowest first, or flips the
    order when it is already sorted by it; back to the first page) and its aria-sort
    value."""
    links = {}
    for key in sort_keys(p.principle for p in dashboard.principles):
        current = dashboard.sort == key
        descending = current and not dashboard.descending
        links[key] = {
            "url": _query(dashboard, sort=key, dir="desc" if descending else "asc", page=1),
            "aria": ("descending" if dashboard.descending else "ascending") if current else "",
            "next": "highest first" if descending else "lowest first",
            "next_words": gettext("sort highest first")
            if descending
            else gettext("sort lowest first"),
        }
    return links


def _page_links(dashboard) -> list[dict]:
    """Links to the heat map's other pages, keeping the group and the order: every page
    near this one, the first and the last, with gaps marked."""
    page = dashboard.page
    if page is None or page.paginator.num_pages < 2:
        return []
    links: list[dict] = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            links.append({"gap": True})
        else:
            links.append(
                {
                    "number": number,
                    "url": _query(dashboard, page=number),
                    "current": number == page.number,
                }
            )
    return links


@login_required
def cohort_detail(request, pk: int):
    """The facilitator's dashboard: the cohort's figures and a page of its heat map."""
    cohort = cohort_for_user(request.user, pk)
    _, perspective, sort, descending = _dashboard_params(request, cohort)
    dashboard = cohort_dashboard(
        cohort,
        perspective=perspective,
        sort=sort,
        descending=descending,
        page=request.GET.get("page", 1),
    )
    query = f"?{urlencode({'perspective': perspective})}" if perspective else ""
    # Offer the groups some organisation's figures show on their own (and the one asked
    # for, so the choice stays visible even where no organisation shows it).
    offered = [*dashboard.offered, dashboard.perspective]
    page = dashboard.page
    return render(
        request,
        "assessments/cohorts/dashboard.html",
        {
            "cohort": cohort,
            "dashboard": dashboard,
            "filter_form": DashboardFilterForm(offered=offered),
            "sort_links": _sort_links(dashboard),
            "page_links": _page_links(dashboard),
            "previous_url": _query(dashboard, page=page.number - 1)
            if page is not None and page.has_previous()
            else "",
            "next_url": _query(dashboard, page=page.number + 1)
            if page is not None and page.has_next()
            else "",
            "figures_html": _figures_html(request, dashboard),
            "export_query": query,
            # Facilitators see many organisations' figures: they are asked (not made) to
            # turn on two-step sign-in, until they do or say "not now".
            "two_step_prompt": not request.session.get(PROMPT_DISMISSED)
            and not has_two_step(request.user),
        },
    )


def _figures_html(request, dashboard) -> str:
    """The dashboard's cohort-level sections (radar, spread, gaps, hardest statements): the
    same for every page and order of the heat map, so rendered once for each version of the
    cohort's figures, group, reading mode and language, and kept."""
    easy_read = is_easy_read(request)
    cohort, version, perspective = dashboard.cohort.pk, dashboard.version, dashboard.perspective
    return kept(
        ("cohort-figures-html", cohort, version, perspective, easy_read, get_language()),
        lambda: render_to_string(
            "assessments/cohorts/_dashboard_figures.html",
            {"dashboard": dashboard, "radar": dashboard.radar(), "easy_read": easy_read},
        ),
    )


@login_required
def cohort_export_csv(request, pk: int):
    """The heat map's figures as a CSV file, for the perspective filtered on."""
    cohort = cohort_for_user(request.user, pk)
    _, perspective, _, _ = _dashboard_params(request, cohort)
    dashboard = cohort_dashboard(cohort, perspective=perspective, page=None)
    suffix = f"-{perspective}" if perspective else ""
    return attachment(
        exports.cohort_heatmap_csv(dashboard),
        f"cohort-{cohort.pk}-heat-map{suffix}.csv",
        "text/csv; charset=utf-8",
    )


@login_required
@require_POST
def cohort_report_pdf(request, pk: int):
    """The cohort's summary for a report to commissioners, as a PDF: for a large cohort
    that takes seconds, so a worker makes it and the export's page offers it when ready.
    The facilitator waits for this request: it checks, writes the export and its task,
    and answers with the export's page's address."""
    cohort = cohort_for_user(request.user, pk, own_row=True)
    _, perspective, sort, descending = _dashboard_params(request, cohort)
    export = jobs_exports.request(
        kind=ExportKind.COHORT_PDF,
        by=request.user,
        cohort=cohort,
        params={"perspective": perspective, "sort": sort, "descending": descending},
    )
    return redirect("assessments:export", pk=export.pk)
