"""Accounts, organisations and the people in them."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments.access import (
    colleague_invite_for_token,
    colleague_invite_in,
    membership_in,
    organisation_for_user,
)
from assessments.accounts import selectors, services
from assessments.accounts.forms import ColleagueInviteForm, OrganisationForm, RoleForm, SignupForm
from assessments.accounts.models import ColleagueInvite, Role
from assessments.cohorts.selectors import cohort_invitations_for_lead, organisation_cohorts
from assessments.errors import MailNotSent, ServiceError, tell
from assessments.mail import with_mail_status
from assessments.rounds.selectors import organisation_rounds
from coprod.http import safe_next


def signup(request):
    if request.user.is_authenticated:
        return redirect("assessments:organisations")
    initial = {"email": request.GET.get("email", "")}
    form = SignupForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Your account is ready.")
        return redirect(safe_next(request, reverse("assessments:organisation-create")))
    return render(
        request,
        "assessments/accounts/organisations/signup.html",
        {"form": form, "next": safe_next(request, "")},
    )


@login_required
def organisation_list(request):
    memberships = list(selectors.memberships_for_user(request.user))
    if len(memberships) == 1 and not request.GET.get("all"):
        return redirect(memberships[0].organisation)
    return render(
        request, "assessments/accounts/organisations/list.html", {"memberships": memberships}
    )


@login_required
def organisation_create(request):
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                name=form.cleaned_data["name"], lead=request.user
            )
        except ServiceError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(
                request,
                f"{organisation.name} is set up and you are its lead.",
            )
            return redirect(organisation)
    return render(request, "assessments/accounts/organisations/create.html", {"form": form})


@login_required
def organisation_detail(request, org: str):
    organisation, access = organisation_for_user(request.user, org)
    request.session["organisation"] = organisation.slug
    return render(
        request,
        "assessments/accounts/organisations/detail.html",
        {
            "organisation": organisation,
            "access": access,
            "rounds": organisation_rounds(organisation),
            "other_memberships": selectors.memberships_for_user(request.user).exclude(
                organisation=organisation
            ),
            # Cohort invitations are addressed to a lead's e-mail; any organisation they
            # lead can accept, so each of them shows the invitation.
            "cohort_invitations": (
                cohort_invitations_for_lead(request.user) if access.is_lead else []
            ),
            "cohorts": organisation_cohorts(organisation),
        },
    )


@login_required
def people(request, org: str):
    organisation, access = organisation_for_user(request.user, org)
    form = ColleagueInviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        access.require_lead()
        if form.is_valid():
            try:
                services.colleague_invite(
                    organisation=organisation,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    invited_by=request.user,
                )
            except MailNotSent as exc:
                # Saved, but not e-mailed: the list below offers to send it again.
                messages.warning(request, str(exc))
                return redirect("assessments:people", org=organisation.slug)
            except ServiceError as exc:
                form.add_error("email", str(exc))
            else:
                messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
                return redirect("assessments:people", org=organisation.slug)
    return render(
        request,
        "assessments/accounts/organisations/people.html",
        {
            "organisation": organisation,
            "access": access,
            "members": selectors.organisation_members(organisation),
            "pending": with_mail_status(
                ColleagueInvite.objects.filter(
                    organisation=organisation, accepted_at__isnull=True, cancelled_at__isnull=True
                )
            ),
            "form": form,
            "role_choices": Role.choices,
        },
    )


@login_required
@require_POST
def membership_edit(request, org: str, membership: int):
    organisation, access = organisation_for_user(request.user, org)
    target = membership_in(organisation, membership)
    leaving = target.user_id == request.user.pk and request.POST.get("action") == "remove"
    if not leaving:
        access.require_lead()
    try:
        if request.POST.get("action") == "remove":
            services.membership_remove(membership=target, by=request.user)
            if leaving:
                messages.success(request, f"You have left {organisation.name}.")
                return redirect(reverse("assessments:organisations") + "?all=1")
            messages.success(request, f"{target.user.email} no longer belongs to {organisation}.")
        else:
            form = RoleForm(request.POST)
            if not form.is_valid():
                raise ServiceError("Choose lead or member.")
            services.membership_change_role(
                membership=target, role=form.cleaned_data["role"], by=request.user
            )
            messages.success(
                request, f"{target.user.email} is now a {target.get_role_display().lower()}."
            )
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect("assessments:people", org=organisation.slug)


@login_required
@require_POST
def colleague_invite_resend(request, org: str, invite: int):
    organisation, _ = organisation_for_user(request.user, org, lead=True)
    target = colleague_invite_in(organisation, invite)
    tell(
        request,
        lambda: services.colleague_invite_resend(invite=target, by=request.user),
        done=f"Invitation sent again to {target.email}.",
    )
    return redirect("assessments:people", org=organisation.slug)


@login_required
@require_POST
def colleague_invite_cancel(request, org: str, invite: int):
    organisation, _ = organisation_for_user(request.user, org, lead=True)
    target = colleague_invite_in(organisation, invite)
    tell(
        request,
        lambda: services.colleague_invite_cancel(invite=target, by=request.user),
        done=f"The invitation to {target.email} is cancelled.",
    )
    return redirect("assessments:people", org=organisation.slug)


def join(request, token: str):
    invite = colleague_invite_for_token(token)
    if not invite.is_pending:
        return render(
            request, "assessments/accounts/organisations/join_used.html", {"invite": invite}
        )
    if request.method == "POST" and request.user.is_authenticated:
        try:
            services.colleague_invite_accept(invite=invite, user=request.user)
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Welcome to {invite.organisation.name}.")
            return redirect(invite.organisation)
    return render(request, "assessments/accounts/organisations/join.html", {"invite": invite})
