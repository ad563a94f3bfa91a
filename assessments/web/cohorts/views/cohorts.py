"""A facilitator runs a cohort: sets it up, edits it, invites organisations (sending an
invitation again, or withdrawing it), and reminds the organisations that have not started.
All of it is for the cohort's facilitator (``cohort_for_user``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_POST

from assessments.cohorts import selectors, services
from assessments.errors import MailNotSent, ServiceError, tell
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
