"""A lead runs a round: sets it up, edits it, opens, closes and reopens it, and reminds
the people it e-mailed a link. Its answer links are in ``links``.

Members see a simpler round page: what it is, whether it is open, and where to answer.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.dateformat import format as date_format
from django.utils.dateformat import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessments.errors import ServiceError, tell
from assessments.library import selectors as library
from assessments.rounds import reminders, selectors, services
from assessments.rounds.models import Round
from assessments.web.access import organisation_for_user, round_for_user
from assessments.web.rounds.forms import (
    ReminderScheduleForm,
    RoundCreateForm,
    RoundEditForm,
    RoundReopenForm,
)

STATUS_MESSAGES = {
    "open": gettext_lazy("Round opened. People can now answer."),
    "close": gettext_lazy("Round closed. Answers are now frozen."),
    "reopen": gettext_lazy("Round reopened."),
}


# Setting a round up --------------------------------------------------------------------


@login_required
def round_create(request, org: str):
    organisation, access = organisation_for_user(request.user, org, lead=True)
    form = RoundCreateForm(
        request.POST if request.method == "POST" else None,
        frameworks=library.frameworks_for_organisation(organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_create(
                organisation=organisation,
                framework=form.cleaned_data["framework"],
                title=form.cleaned_data["title"],
                closes_on=form.cleaned_data["closes_on"],
                figures_while_open=form.cleaned_data["figures_while_open"],
                contact=form.cleaned_data["contact"],
                instrument=form.cleaned_data.get("instrument"),
                created_by=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"{round_.title} is ready as a draft. Make links now, and open the round "
                "when you want people to start answering.",
            )
            return redirect(round_)
    return render(
        request,
        "assessments/rounds/create.html",
        {"organisation": organisation, "access": access, "form": form},
    )


@login_required
def round_edit(request, pk: int):
    round_, access = round_for_user(request.user, pk, lead=True)
    if round_.is_closed:
        messages.error(
            request, _("This round is closed, so it cannot be changed. Reopen it first.")
        )
        return redirect(round_)
    form = RoundEditForm(request.POST if request.method == "POST" else None, round=round_)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(
                round=round_,
                title=form.cleaned_data["title"],
                closes_on=form.cleaned_data["closes_on"],
                figures_while_open=form.cleaned_data["figures_while_open"],
                contact=form.cleaned_data["contact"],
                by=request.user,
            )
            instrument = form.cleaned_data.get("instrument")
            if "instrument" in form.fields and instrument != round_.instrument:
                services.round_instrument_set(round=round_, instrument=instrument, by=request.user)
        except ServiceError as exc:  # closed meanwhile
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Round details saved."))
        return redirect(round_)
    return render(
        request,
        "assessments/rounds/edit.html",
        {"round": round_, "organisation": round_.organisation, "access": access, "form": form},
    )


# The round page ------------------------------------------------------------------------


def _reminder_text(round_: Round) -> str:
    return render_to_string("assessments/rounds/reminder.txt", {"round": round_}).strip()


@login_required
def round_detail(request, pk: int):
    round_, access = round_for_user(request.user, pk)
    if not access.is_lead:
        context = {
            "round": round_,
            "organisation": round_.organisation,
            "access": access,
            "own_respondent": selectors.member_respondent(round_, request.user),
        }
        return render(request, "assessments/rounds/detail_member.html", context)
    return _lead_page(request, round_, access)


def _lead_page(request, round_, access, *, reopen_form=None, reminder_form=None):
    """The lead's round page; with a form that was sent back with errors, that form as
    sent, and the status that says so."""
    previous, to_review = selectors.actions_to_review(round_)
    context = {
        "round": round_,
        "organisation": round_.organisation,
        "access": access,
        "own_respondent": selectors.member_respondent(round_, request.user),
        "events": selectors.round_history(round_),
        "progress": selectors.round_progress(round_),
        "previous_round": previous,
        "actions_to_review": list(to_review),
        "reminder_text": _reminder_text(round_),
        "reopen_form": reopen_form or RoundReopenForm(),
        "reminder_form": reminder_form or ReminderScheduleForm(),
        "reminders": list(round_.reminders.filter(sent_at__isnull=True, cancelled_at=None)),
        "reminder_count": len(reminders.recipients(round_)),
        "nobody_to_remind": reminders.NOBODY,
    }
    status = 400 if reopen_form or reminder_form else 200
    return render(request, "assessments/rounds/detail.html", context, status=status)


@login_required
@require_POST
def round_reminders(request, pk: int):
    """Send a reminder now, schedule one, or cancel one that is waiting."""
    round_, access = round_for_user(request.user, pk, lead=True)
    action = request.POST.get("action", "")
    if action == "now":
        tell(
            request,
            lambda: reminders.reminder_schedule(round=round_, by=request.user),
            done=_("Reminder queued: it will be sent in a moment to everyone e-mailed a link."),
        )
    elif action == "schedule":
        form = ReminderScheduleForm(request.POST)
        if not form.is_valid():
            return _lead_page(request, round_, access, reminder_form=form)
        else:
            send_at = form.send_at()
            tell(
                request,
                lambda: reminders.reminder_schedule(round=round_, by=request.user, send_at=send_at),
                done=_("Reminder scheduled for %(date)s at %(time)s.")
                % {"date": date_format(send_at, "j F Y"), "time": time_format(send_at, "H:i")},
            )
    elif action == "cancel":
        target = round_.reminders.filter(pk=request.POST.get("reminder") or 0).first()
        if target is not None:
            tell(
                request,
                lambda: reminders.reminder_cancel(reminder=target, by=request.user),
                done=_("Reminder cancelled."),
            )
    return redirect(f"{round_.get_absolute_url()}#reminders")


@login_required
@require_POST
def round_status(request, pk: int):
    round_, access = round_for_user(request.user, pk, lead=True)
    action = request.POST.get("action", "")
    if action == "reopen" and round_.is_closed:  # the page offers reopening only then
        form = RoundReopenForm(request.POST)
        if not form.is_valid():
            return _lead_page(request, round_, access, reopen_form=form)
    try:
        if action == "open":
            services.round_open(round=round_, by=request.user)
        elif action == "close":
            services.round_close(round=round_, by=request.user)
        elif action == "reopen":
            services.round_reopen(
                round=round_, by=request.user, reason=request.POST.get("reason", "")
            )
        else:
            raise ServiceError(_("Choose whether to open, close or reopen the round."))
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, STATUS_MESSAGES[action])
    return redirect(round_)
