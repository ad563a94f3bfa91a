"""An organisation's side of a cohort: accepting or declining an invitation, seeing the
cohort it is in and how it compares, showing its name to the others, and leaving.

The view of a cohort is for the organisation's members, and what it decides there
(leaving, showing its name) for its leads (``cohort_member_for_user``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from assessments.accounts.models import Organisation, Role
from assessments.accounts.selectors import email_verified
from assessments.cohorts import selectors, services
from assessments.cohorts.benchmark import (
    MIN_CHANGED,
    MIN_ORGANISATIONS,
    closed_organisations,
    cohort_benchmark,
)
from assessments.errors import ServiceError
from assessments.web.access import (
    cohort_invitation_for_user,
    cohort_member_for_user,
    organisation_for_user,
)
from assessments.web.cohorts.forms import AcceptForm, ShowNameForm


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
                gettext("You declined the invitation to %(cohort)s. The facilitator will see that.")
                % {"cohort": invitation.cohort.name},
            )
        elif request.POST.get("action") == "accept" and organisation is not None:
            services.cohort_invitation_accept(
                invitation=invitation, organisation=organisation, user=request.user, token=token
            )
            messages.success(
                request,
                gettext(
                    "%(name)s has joined %(cohort)s. The facilitator will see your rounds on "
                    "%(framework)s opened in the cohort's period."
                )
                % {
                    "name": organisation.name,
                    "cohort": invitation.cohort.name,
                    "framework": invitation.cohort.framework.name,
                },
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
        messages.error(request, gettext("Choose to accept or decline the invitation."))
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
            "min_others": MIN_ORGANISATIONS - 1,
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
        messages.error(request, gettext("Choose yes or no."))
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
            (
                gettext("The other organisations in %(cohort)s can now see your name.")
                if member.show_name
                else gettext("Your name is now hidden from the other organisations in %(cohort)s.")
            )
            % {"cohort": member.cohort.name},
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
        gettext(
            "%(name)s has left %(cohort)s. The facilitator no longer sees your figures, and "
            "they leave the cohort mean the next time it is worked out."
        )
        % {"name": member.organisation.name, "cohort": member.cohort.name},
    )
    return redirect(member.organisation)
