"""Cohorts: a facilitator compares organisations; organisations see themselves against
the cohort.

The dashboard, the organisations page and the exports are for the cohort's facilitator
(``cohort_for_user``). An organisation's view of a cohort is for its members, and what it
decides there (leaving, showing its name) for its leads (``cohort_member_for_user``).
"""

from collections import OrderedDict
from urllib.parse import urlencode as query_string

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from assessments.accounts.models import Organisation, Role
from assessments.accounts.selectors import email_verified
from assessments.accounts.two_step import PROMPT_DISMISSED, has_two_step
from assessments.cohorts import selectors, services
from assessments.cohorts.benchmark import (
    MIN_CHANGED,
    MIN_ORGANISATIONS,
    closed_organisations,
    cohort_benchmark,
)
from assessments.documents import exports
from assessments.documents.cohort import cohort_dashboard, sort_keys
from assessments.errors import MailNotSent, ServiceError, tell
from assessments.jobs import exports as jobs_exports
from assessments.jobs.models import ExportKind
from assessments.web.access import (
    cohort_for_user,
    cohort_invitation_for_user,
    cohort_invitation_in,
    cohort_member_for_user,
    organisation_for_user,
)
from assessments.web.cohorts.forms import (
    AcceptForm,
    CohortForm,
    CohortInviteForm,
    DashboardFilterForm,
    ReminderForm,
    ShowNameForm,
)
from coprod.http import attachment
from principles.reading import is_easy_read

# Facilitators ----------------------------------------------------------------------------


@login_required
def cohort_list(request):
    return render(
        request,
        "assessments/cohorts/list.html",
        {"cohorts": selectors.cohorts_for_facilitator(request.user)},
    )


@login_required
def cohort_create(request):
    form = CohortForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(facilitator=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"{cohort.name} is set up and you are its facilitator. "
                "Now invite the organisations taking part.",
            )
            return redirect("assessments:cohort-organisations", pk=cohort.pk)
    return render(
        request,
        "assessments/cohorts/form.html",
        {"form": form, "cohort": None},
        status=400 if form.errors else 200,
    )


@login_required
def cohort_edit(request, pk: int):
    cohort = cohort_for_user(request.user, pk)
    initial = {"name": cohort.name, "starts_on": cohort.starts_on, "ends_on": cohort.ends_on}
    form = CohortForm(
        request.POST if request.method == "POST" else None, initial=initial, with_framework=False
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_update(cohort=cohort, by=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Cohort saved.")
            return redirect(cohort)
    return render(
        request,
        "assessments/cohorts/form.html",
        {"form": form, "cohort": cohort},
        status=400 if form.errors else 200,
    )


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


_FIGURES_HTML: OrderedDict[tuple, str] = OrderedDict()
FIGURES_HTML_KEPT = 64


def _figures_html(request, dashboard) -> str:
    """The dashboard's cohort-level sections (radar, spread, gaps, hardest statements): the
    same for every page and order of the heat map, so rendered once for each version of the
    cohort's figures, group and reading mode, and kept by this worker for the next look."""
    key = (dashboard.cohort.pk, dashboard.version, dashboard.perspective, is_easy_read(request))
    html = _FIGURES_HTML.get(key)
    if html is None:
        html = render_to_string(
            "assessments/cohorts/_dashboard_figures.html",
            {"dashboard": dashboard, "radar": dashboard.radar(), "easy_read": key[-1]},
        )
        _FIGURES_HTML[key] = html
        while len(_FIGURES_HTML) > FIGURES_HTML_KEPT:
            _FIGURES_HTML.popitem(last=False)
    return html


@login_required
def cohort_organisations(request, pk: int):
    """Who is in the cohort, the invitations, and the form to invite another organisation."""
    cohort = cohort_for_user(request.user, pk)
    form = CohortInviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            services.cohort_invite(cohort=cohort, email=email, invited_by=request.user)
        except MailNotSent as exc:
            # Saved, but not e-mailed: the list of invitations offers to send it again.
            messages.warning(request, str(exc))
            return redirect("assessments:cohort-organisations", pk=cohort.pk)
        except ServiceError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(
                request,
                f"Invitation made: the e-mail to {email} will be sent in a moment (the list "
                "below says when it has gone, or if it failed). Their organisation joins "
                "when they accept.",
            )
            return redirect("assessments:cohort-organisations", pk=cohort.pk)
    return render(
        request,
        "assessments/cohorts/organisations.html",
        {
            "cohort": cohort,
            "members": selectors.cohort_members(cohort),
            "invitations": selectors.cohort_invitations(cohort),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def cohort_invitation_resend(request, pk: int, invitation: int):
    cohort = cohort_for_user(request.user, pk)
    target = cohort_invitation_in(cohort, invitation)
    tell(
        request,
        lambda: services.cohort_invitation_resend(invitation=target, by=request.user),
        done=f"The invitation will be sent again to {target.email} in a moment.",
        refused=messages.INFO,
    )
    return redirect("assessments:cohort-organisations", pk=cohort.pk)


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@login_required
def cohort_remind(request, pk: int):
    """Remind the leads of the organisations that have not started a round for the cohort:
    one e-mail each, at most once a week, noted in each organisation's activity log."""
    cohort = cohort_for_user(request.user, pk)
    form = ReminderForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.cohort_remind_not_started(
                cohort=cohort, by=request.user, note=form.cleaned_data["note"]
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            if outcome.sent:
                count = len(outcome.sent)
                messages.success(
                    request,
                    f"Reminder to the leads of {count} organisation{pluralize(count)} "
                    f"({_names(outcome.sent)}) queued: it will be sent in a moment.",
                )
            if outcome.recently:
                messages.info(
                    request,
                    f"Not sent again to {_names(outcome.recently)}: reminded in the last week.",
                )
            if outcome.failed:
                messages.error(
                    request,
                    f"We could not send the e-mail to {_names(outcome.failed)} just now. "
                    "Try again in a few minutes.",
                )
            if outcome.no_lead:
                messages.info(request, f"{_names(outcome.no_lead)} has no lead to write to.")
            if not (outcome.sent or outcome.recently or outcome.failed or outcome.no_lead):
                messages.info(request, "Every organisation in the cohort has started a round.")
            return redirect("assessments:cohort", pk=cohort.pk)
    return render(
        request,
        "assessments/cohorts/remind.html",
        {
            "cohort": cohort,
            "organisations": selectors.cohort_not_started(cohort),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def cohort_invitation_cancel(request, pk: int, invitation: int):
    cohort = cohort_for_user(request.user, pk)
    target = cohort_invitation_in(cohort, invitation)
    tell(
        request,
        lambda: services.cohort_invitation_cancel(invitation=target, by=request.user),
        done=f"Invitation to {target.email} withdrawn.",
        refused=messages.INFO,
    )
    return redirect("assessments:cohort-organisations", pk=cohort.pk)


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


# Organisations ---------------------------------------------------------------------------


def _lead_organisations(user) -> list[Organisation]:
    return list(
        Organisation.objects.filter(memberships__user=user, memberships__role=Role.LEAD).order_by(
            "name"
        )
    )


def _answer(request, invitation, organisation=None, token: str = "") -> bool:
    """Accept (for ``organisation``) or decline, as the POST says; True when done."""
    try:
        if request.POST.get("action") == "decline":
            services.cohort_invitation_decline(invitation=invitation, user=request.user)
            messages.success(
                request,
                f"You declined the invitation to {invitation.cohort.name}. "
                "The facilitator will see that.",
            )
        elif request.POST.get("action") == "accept" and organisation is not None:
            services.cohort_invitation_accept(
                invitation=invitation, organisation=organisation, user=request.user, token=token
            )
            messages.success(
                request,
                f"{organisation.name} has joined {invitation.cohort.name}. The facilitator "
                "will see your rounds on "
                f"{invitation.cohort.framework.name} opened in the cohort's period.",
            )
        else:
            return False
    except ServiceError as exc:
        messages.error(request, str(exc))
    return True


@login_required
def cohort_invitation(request, pk: int, token: str = ""):
    """The page the invitation e-mail links to (with its one-use token): accept for one of
    the organisations the person leads, or decline. Without the token (the organisation
    page's link) it can only be declined."""
    invitation = cohort_invitation_for_user(request.user, pk)
    if request.method == "POST" and request.POST.get("action") == "accept":
        if not email_verified(request.user):
            return redirect(reverse("verify-email-first") + "?" + urlencode({"next": request.path}))
    organisations = _lead_organisations(request.user)
    form = AcceptForm(
        request.POST if request.POST.get("action") == "accept" else None,
        organisations=organisations,
    )
    if request.method == "POST" and invitation.is_pending:
        if request.POST.get("action") == "decline":
            _answer(request, invitation)
            return redirect(reverse("assessments:organisations") + "?all=1")
        if form.is_valid():
            organisation = form.cleaned_data["organisation"]
            _answer(request, invitation, organisation, token=token)
            return redirect(organisation)
    return render(
        request,
        "assessments/cohorts/invitation.html",
        {
            "invitation": invitation,
            "organisations": organisations,
            "form": form,
            "has_token": bool(token),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def organisation_invitation_answer(request, org: str, pk: int):
    """Accept or decline from the organisation's page: the organisation is this one."""
    organisation, _ = organisation_for_user(request.user, org, lead=True)
    invitation = cohort_invitation_for_user(request.user, pk)
    if not _answer(request, invitation, organisation):
        messages.error(request, "Choose to accept or decline the invitation.")
    return redirect(organisation)


@login_required
def organisation_cohort(request, org: str, pk: int):
    """An organisation's view of a cohort it is in: what is shared, with whom, and (for
    leads) the choice to show its name or to leave."""
    member, access = cohort_member_for_user(request.user, org, pk)
    cohort = member.cohort
    named, hidden = selectors.cohort_named_peers(cohort, exclude_organisation=member.organisation)
    benchmark = cohort_benchmark(cohort)
    return render(
        request,
        "assessments/cohorts/organisation_cohort.html",
        {
            "organisation": member.organisation,
            "access": access,
            "member": member,
            "cohort": cohort,
            "named": named,
            "hidden": hidden,
            "benchmark": benchmark,
            "benchmark_covers_own": bool(benchmark and benchmark.covers(member.organisation_id)),
            "closed_organisations": closed_organisations(cohort) if benchmark is None else 0,
            "min_organisations": MIN_ORGANISATIONS,
            "min_changed": MIN_CHANGED,
            "form": ShowNameForm(initial={"show_name": "yes" if member.show_name else "no"}),
        },
    )


@login_required
@require_POST
def organisation_cohort_name(request, org: str, pk: int):
    member, _ = cohort_member_for_user(request.user, org, pk, lead=True)
    form = ShowNameForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose yes or no.")
        return redirect("assessments:organisation-cohort", org=org, pk=pk)
    try:
        services.cohort_member_show_name(
            member=member, show=form.cleaned_data["show_name"], by=request.user
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"The other organisations in {member.cohort.name} can now see your name."
            if member.show_name
            else f"Your name is now hidden from the other organisations in {member.cohort.name}.",
        )
    return redirect("assessments:organisation-cohort", org=org, pk=pk)


@login_required
@require_POST
def organisation_cohort_leave(request, org: str, pk: int):
    member, _ = cohort_member_for_user(request.user, org, pk, lead=True)
    try:
        services.cohort_member_leave(member=member, by=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect(member.organisation)
    messages.success(
        request,
        f"{member.organisation.name} has left {member.cohort.name}. The facilitator no longer "
        "sees your figures, and they leave the cohort mean the next time it is worked out.",
    )
    return redirect(member.organisation)
