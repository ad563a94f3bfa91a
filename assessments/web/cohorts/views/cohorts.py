"""A facilitator runs a cohort: sets it up, edits it, invites organisations (sending an
invitation again, or withdrawing it), and reminds the organisations that have not started.
All of it is for the cohort's facilitator (``cohort_for_user``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from assessments.cohorts import selectors, services
from assessments.errors import MailNotSent, ServiceError, tell
from assessments.library import selectors as library
from assessments.web.access import cohort_for_user, cohort_invitation_in
from assessments.web.cohorts.forms import CohortForm, CohortInviteForm, ReminderForm


@login_required
def cohort_list(request):
    return render(
        request,
        "assessments/cohorts/list.html",
        {"cohorts": selectors.cohorts_for_facilitator(request.user)},
    )


@login_required
def cohort_create(request):
    form = CohortForm(
        request.POST if request.method == "POST" else None,
        frameworks=library.frameworks_for_facilitator(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(facilitator=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                gettext(
                    "%(name)s is set up and you are its facilitator. Now invite the "
                    "organisations taking part."
                )
                % {"name": cohort.name},
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
            messages.success(request, gettext("Cohort saved."))
            return redirect(cohort)
    return render(
        request,
        "assessments/cohorts/form.html",
        {"form": form, "cohort": cohort},
        status=400 if form.errors else 200,
    )


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
                gettext(
                    "Invitation made: the e-mail to %(email)s will be sent in a moment (the "
                    "list below says when it has gone, or if it failed). Their organisation "
                    "joins when they accept."
                )
                % {"email": email},
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
        done=gettext("The invitation will be sent again to %(email)s in a moment.")
        % {"email": target.email},
        refused=messages.INFO,
    )
    return redirect("assessments:cohort-organisations", pk=cohort.pk)


def _names(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return gettext("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


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
                    ngettext(
                        "Reminder to the leads of %(count)s organisation (%(names)s) queued: "
                        "it will be sent in a moment.",
                        "Reminder to the leads of %(count)s organisations (%(names)s) queued: "
                        "it will be sent in a moment.",
                        count,
                    )
                    % {"count": count, "names": _names(outcome.sent)},
                )
            if outcome.recently:
                messages.info(
                    request,
                    gettext("Not sent again to %(names)s: reminded in the last week.")
                    % {"names": _names(outcome.recently)},
                )
            if outcome.failed:
                messages.error(
                    request,
                    gettext(
                        "We could not send the e-mail to %(names)s just now. Try again in a "
                        "few minutes."
                    )
                    % {"names": _names(outcome.failed)},
                )
            if outcome.no_lead:
                messages.info(
                    request,
                    ngettext(
                        "%(names)s has no lead to write to.",
                        "%(names)s have no lead to write to.",
                        len(outcome.no_lead),
                    )
                    % {"names": _names(outcome.no_lead)},
                )
            if not (outcome.sent or outcome.recently or outcome.failed or outcome.no_lead):
                messages.info(
                    request, gettext("Every organisation in the cohort has started a round.")
                )
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
        done=gettext("Invitation to %(email)s withdrawn.") % {"email": target.email},
        refused=messages.INFO,
    )
    return redirect("assessments:cohort-organisations", pk=cohort.pk)
