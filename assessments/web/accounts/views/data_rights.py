"""An organisation's activity log, its data to take away, deleting it; deleting an account.

The activity log, the export and deletion are for the organisation's leads; deleting an
account is for the person signed in, after they give their password again.
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from assessments.accounts import services
from assessments.accounts.models import AuditEvent, AuditKind, Membership
from assessments.accounts.two_step import has_two_step
from assessments.datarights import selectors as holdings
from assessments.datarights import services as datarights
from assessments.errors import ServiceError
from assessments.jobs import exports
from assessments.jobs.models import ExportKind
from assessments.web.access import organisation_for_user
from assessments.web.accounts.forms import AccountDeleteForm, OrganisationDeleteForm

ACTIVITY_PER_PAGE = 50


@login_required
def organisation_activity(request, org: str):
    organisation, access = organisation_for_user(request.user, org, lead=True)
    events = AuditEvent.objects.filter(organisation=organisation).select_related("actor", "round")
    page = Paginator(events, ACTIVITY_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/accounts/organisations/activity.html",
        {"organisation": organisation, "access": access, "page": page},
    )


@login_required
def organisation_data(request, org: str):
    """What the organisation holds, to download as one zip; and the way to delete it all."""
    organisation, access = organisation_for_user(request.user, org, lead=True)
    return render(
        request,
        "assessments/accounts/organisations/data.html",
        {
            "organisation": organisation,
            "access": access,
            "holdings": holdings.organisation_holdings(organisation),
        },
    )


@login_required
@require_POST
def organisation_export(request, org: str):
    """Ask for the zip of everything: a worker makes it, its page offers it when ready."""
    organisation, _ = organisation_for_user(request.user, org, lead=True)
    services.audit_record(
        organisation=organisation,
        kind=AuditKind.EXPORTED,
        what="exported_zip",
        actor=request.user,
    )
    export = exports.request(
        kind=ExportKind.ORGANISATION_ZIP, by=request.user, organisation=organisation
    )
    return redirect("assessments:export", pk=export.pk)


@login_required
def organisation_delete(request, org: str):
    organisation, access = organisation_for_user(request.user, org, lead=True)
    form = OrganisationDeleteForm(
        request.POST if request.method == "POST" else None, organisation=organisation
    )
    if request.method == "POST" and form.is_valid():
        name = organisation.name
        try:
            datarights.organisation_delete(organisation=organisation, by=request.user)
        except ServiceError as exc:  # no longer a lead: someone changed roles meanwhile
            messages.error(request, str(exc))
            return redirect("assessments:organisation-data", org=organisation.slug)
        request.session.pop("organisation", None)
        messages.success(
            request, gettext("%(name)s and everything it held have been deleted.") % {"name": name}
        )
        return redirect("assessments:organisations")
    return render(
        request,
        "assessments/accounts/organisations/delete.html",
        {
            "organisation": organisation,
            "access": access,
            "form": form,
            "holdings": holdings.organisation_holdings(organisation),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def account(request):
    memberships = Membership.objects.filter(user=request.user).select_related("organisation")
    return render(
        request,
        "assessments/accounts/account/account.html",
        {"memberships": memberships, "two_step": has_two_step(request.user)},
    )


@login_required
def account_delete(request):
    user = request.user
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, user=user)
    blockers = datarights.account_blockers(user)
    if request.method == "POST" and not blockers and form.is_valid():
        try:
            datarights.account_delete(user=user)
        except ServiceError as exc:  # someone changed roles meanwhile
            messages.error(request, str(exc))
            return redirect("assessments:account-delete")
        logout(request)
        messages.success(
            request, gettext("Your account has been deleted. Thank you for taking part.")
        )
        return redirect("home")
    return render(
        request,
        "assessments/accounts/account/delete.html",
        {
            "form": form,
            "blockers": blockers,
            "sole": datarights.account_sole_organisations(user),
            "answered": holdings.rounds_answered_by(user),
            "cohorts_run": list(user.cohorts_run.all()),
        },
        status=400 if form.is_bound else 200,
    )
