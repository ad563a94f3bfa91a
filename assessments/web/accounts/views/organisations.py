"""Accounts, organisations and the people in them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from assessments.accounts import organisation_settings, selectors, services
from assessments.accounts.models import ColleagueInvite, Role
from assessments.accounts.two_step import has_two_step
from assessments.cohorts.selectors import (
    cohort_invitations_for_lead,
    facilitates_cohorts,
    organisation_cohorts,
)
from assessments.documents.trends import rounds_with_figures
from assessments.errors import MailNotSent, ServiceError, tell
from assessments.mail import with_mail_status
from assessments.rounds import selectors as rounds_selectors
from assessments.rounds.models import RoundStatus
from assessments.rounds.selectors import organisation_rounds
from assessments.web.access import (
    colleague_invite_for_token,
    colleague_invite_in,
    membership_in,
    organisation_for_user,
)
from assessments.web.accounts.forms import (
    ColleagueInviteForm,
    KeepingPeriodForm,
    OrganisationForm,
    RoleForm,
)


@login_required
def organisation_list(request):
    """Where signing in lands: the person's one organisation, their cohorts when they run
    cohorts and belong to no organisation (a facilitator), or the list to choose from."""
    memberships = list(rounds_selectors.memberships_for_user(request.user))
    runs_cohorts = facilitates_cohorts(request.user)
    if not request.GET.get("all"):
        if len(memberships) == 1:
            return redirect(memberships[0].organisation)
        if not memberships and runs_cohorts:
            return redirect("assessments:cohorts")
    return render(
        request,
        "assessments/accounts/organisations/list.html",
        {"memberships": memberships, "runs_cohorts": runs_cohorts},
    )


def verify_first(request):
    """Send someone whose e-mail address is not verified yet to the page that says so."""
    return redirect(
        reverse("verify-email-first") + "?" + urlencode({"next": request.get_full_path()})
    )


@login_required
def organisation_create(request):
    if not selectors.email_verified(request.user):
        return verify_first(request)
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                name=form.cleaned_data["name"],
                lead=request.user,
                bilingual_emails=form.cleaned_data["bilingual_emails"],
            )
        except ServiceError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(
                request,
                gettext("%(name)s is set up and you are its lead.") % {"name": organisation.name},
            )
            return redirect(organisation)
    return render(request, "assessments/accounts/organisations/create.html", {"form": form})


@login_required
def organisation_detail(request, org: str):
    organisation, access = organisation_for_user(request.user, org)
    request.session["organisation"] = organisation.slug
    rounds = organisation_rounds(organisation)
    return render(
        request,
        "assessments/accounts/organisations/detail.html",
        {
            "organisation": organisation,
            "access": access,
            "rounds": rounds,
            # A trend is offered from two closed rounds with figures (the page says that
            # three or more say much); the count is asked only when there could be two.
            "trend_rounds": (
                rounds_with_figures(organisation.pk)
                if sum(r.status == RoundStatus.CLOSED for r in rounds) >= 2
                else 0
            ),
            "other_memberships": rounds_selectors.memberships_for_user(request.user).exclude(
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
                messages.success(
                    request,
                    gettext(
                        "Invitation made: the e-mail to %(email)s will be sent in a moment "
                        "(the list below says when it has gone, or if it failed)."
                    )
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("assessments:people", org=organisation.slug)
    return _people_page(request, organisation, access, form=form)


def _people_page(request, organisation, access, *, form=None, keeping_form=None, status=200):
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
            "form": form or ColleagueInviteForm(),
            "keeping_form": keeping_form
            or KeepingPeriodForm(initial={"months": organisation.keep_answers_months}),
            "role_choices": Role.choices,
            "two_step": has_two_step(request.user),
        },
        status=status,
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
                messages.success(
                    request, gettext("You have left %(name)s.") % {"name": organisation.name}
                )
                return redirect(reverse("assessments:organisations") + "?all=1")
            messages.success(
                request,
                gettext("%(email)s no longer belongs to %(name)s.")
                % {"email": target.user.email, "name": organisation.name},
            )
        else:
            form = RoleForm(request.POST)
            if not form.is_valid():
                raise ServiceError(gettext("Choose lead or member."))
            services.membership_change_role(
                membership=target, role=form.cleaned_data["role"], by=request.user
            )
            messages.success(
                request,
                (
                    gettext("%(email)s is now a lead.")
                    if target.role == Role.LEAD
                    else gettext("%(email)s is now a member.")
                )
                % {"email": target.user.email},
            )
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect("assessments:people", org=organisation.slug)


@login_required
@require_POST
def organisation_email_languages(request, org: str):
    organisation, _ = organisation_for_user(request.user, org, lead=True)
    bilingual = request.POST.get("bilingual") == "on"
    tell(
        request,
        lambda: organisation_settings.organisation_bilingual_emails(
            organisation=organisation, bilingual=bilingual, by=request.user
        ),
        done=(
            gettext("E-mails for %(name)s are now sent in Welsh and English, Welsh first.")
            if bilingual
            else gettext("E-mails for %(name)s are now sent in their reader's language only.")
        )
        % {"name": organisation.name},
    )
    return redirect(reverse("assessments:people", kwargs={"org": organisation.slug}) + "#emails")


@login_required
@require_POST
def organisation_keeping_period(request, org: str):
    organisation, access = organisation_for_user(request.user, org, lead=True)
    form = KeepingPeriodForm(request.POST)
    if not form.is_valid():
        return _people_page(request, organisation, access, keeping_form=form, status=400)
    months = form.cleaned_data["months"]
    tell(
        request,
        lambda: organisation_settings.organisation_keeping_period(
            organisation=organisation, months=months, by=request.user
        ),
        done=ngettext(
            "Answers and notes in %(name)s's rounds are now kept for %(months)s month "
            "after each round closes.",
            "Answers and notes in %(name)s's rounds are now kept for %(months)s months "
            "after each round closes.",
            months,
        )
        % {"name": organisation.name, "months": months},
    )
    return redirect(reverse("assessments:people", kwargs={"org": organisation.slug}) + "#keeping")


@login_required
@require_POST
def organisation_two_step(request, org: str):
    organisation, _ = organisation_for_user(request.user, org, lead=True)
    required = request.POST.get("required") == "on"
    tell(
        request,
        lambda: organisation_settings.organisation_require_two_step(
            organisation=organisation, required=required, by=request.user
        ),
        done=(
            gettext("Everyone in %(name)s must now use two-step sign-in.")
            if required
            else gettext("Two-step sign-in is no longer required in %(name)s.")
        )
        % {"name": organisation.name},
    )
    return redirect(reverse("assessments:people", kwargs={"org": organisation.slug}) + "#two-step")


@login_required
@require_POST
def colleague_invite_resend(request, org: str, invite: int):
    organisation, _ = organisation_for_user(request.user, org, lead=True)
    target = colleague_invite_in(organisation, invite)
    tell(
        request,
        lambda: services.colleague_invite_resend(invite=target, by=request.user),
        done=gettext("The invitation will be sent again to %(email)s in a moment.")
        % {"email": target.email},
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
        done=gettext("The invitation to %(email)s is cancelled.") % {"email": target.email},
    )
    return redirect("assessments:people", org=organisation.slug)


def join(request, token: str):
    invite = colleague_invite_for_token(token)
    if not invite.is_pending:
        return render(
            request, "assessments/accounts/organisations/join_used.html", {"invite": invite}
        )
    if request.method == "POST" and request.user.is_authenticated:
        if not selectors.email_verified(request.user):
            return verify_first(request)
        try:
            services.colleague_invite_accept(invite=invite, user=request.user, token=token)
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, gettext("Welcome to %(name)s.") % {"name": invite.organisation.name}
            )
            return redirect(invite.organisation)
    return render(request, "assessments/accounts/organisations/join.html", {"invite": invite})
