"""The action plan: a round's actions, and the last round's open ones to carry forward or
close. Everyone in the organisation sees the plan; leads write it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.errors import ServiceError
from assessments.rounds import selectors, services
from assessments.rounds.models import OPEN_ACTION_STATUSES, Action
from assessments.web.access import action_for_user, round_for_user
from assessments.web.rounds.forms import ActionForm, ActionProgressForm, ActionReviewForm
from coprod.http import safe_next


@login_required
def action_list(request, pk: int):
    round_, access = round_for_user(request.user, pk)
    grouped = selectors.action_plan(round_)
    actions = [action for _, items in grouped for action in items]
    previous, to_review = selectors.actions_to_review(round_)
    return render(
        request,
        "assessments/rounds/results/actions.html",
        {
            "round": round_,
            "organisation": round_.organisation,
            "access": access,
            "grouped": grouped,
            "count": len(actions),
            "open_count": sum(1 for a in actions if a.status in OPEN_ACTION_STATUSES),
            "previous_round": previous,
            "actions_to_review": list(to_review) if access.is_lead else [],
        },
    )


def _action_form_page(request, round_, access, form, *, action):
    return render(
        request,
        "assessments/rounds/results/action_form.html",
        {
            "round": round_,
            "organisation": round_.organisation,
            "access": access,
            "form": form,
            "action": action,
            "next": safe_next(request, ""),
        },
        status=400 if form.errors else 200,
    )


def _save_action(request, form, action, round_):
    try:
        services.action_save(action=action, by=request.user)
    except ServiceError as exc:
        form.add_error(None, str(exc))
        return False
    return True


@login_required
def action_create(request, pk: int):
    round_, access = round_for_user(request.user, pk, lead=True)
    initial = {}
    if principle := request.GET.get("principle"):
        initial["principle"] = principle
    if statement := request.GET.get("statement"):
        initial["statement"] = statement
    form = ActionForm(
        request.POST if request.method == "POST" else None, round=round_, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        action = form.save(commit=False)
        action.round = round_
        if _save_action(request, form, action, round_):
            messages.success(request, _("Action added to the plan."))
            return redirect(safe_next(request, reverse("assessments:actions", args=[round_.pk])))
    return _action_form_page(request, round_, access, form, action=None)


@login_required
def action_edit(request, action: int):
    target, access = action_for_user(request.user, action, lead=True)
    round_ = target.round
    form = ActionForm(
        request.POST if request.method == "POST" else None, instance=target, round=round_
    )
    if request.method == "POST" and form.is_valid():
        if _save_action(request, form, form.instance, round_):
            messages.success(request, _("Action saved."))
            return redirect("assessments:actions", pk=round_.pk)
    return _action_form_page(request, round_, access, form, action=target)


@login_required
def action_progress(request, action: int):
    """A lead writes a progress note on an action: where it stands now and what has
    happened. Its earlier notes are listed below, newest first."""
    target, access = action_for_user(request.user, action, lead=True)
    round_ = target.round
    form = ActionProgressForm(
        request.POST if request.method == "POST" else None, initial={"status": target.status}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_progress_add(
                action=target,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Progress note added."))
            return redirect(
                reverse("assessments:actions", args=[round_.pk]) + f"#action-{target.pk}"
            )
    return render(
        request,
        "assessments/rounds/results/action_progress.html",
        {
            "round": round_,
            "organisation": round_.organisation,
            "access": access,
            "action": target,
            "updates": selectors.action_updates(target),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def action_delete(request, action: int):
    """Delete an action, after the confirmation step on its page; noted in the activity
    log."""
    target, _access = action_for_user(request.user, action, lead=True)
    round_ = target.round
    services.action_delete(action=target, by=request.user)
    messages.success(request, _("Action deleted from the plan."))
    return redirect("assessments:actions", pk=round_.pk)


@login_required
def action_review(request, pk: int, action: int):
    """A lead decides what happens to an open action of the last round: carry it into this
    one, or close it as done or dropped."""
    round_, access = round_for_user(request.user, pk, lead=True)
    previous, to_review = selectors.actions_to_review(round_)
    target = to_review.filter(pk=action).first()
    if target is None:
        # Looked up by its own pk, which Django checks for range: an id too big for the
        # database (from a typed address) is then simply not found instead of an error.
        already = Action.objects.filter(pk=action, carried_into__round=round_).exists()
        if already:
            messages.info(request, _("That action is already part of this round."))
            return redirect("assessments:actions", pk=round_.pk)
        raise Http404(_("There is no such open action to review."))
    form = ActionReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            if decision == "carry":
                services.action_carry_forward(action=target, into=round_, by=request.user)
                text = _("Action carried into this round.")
            else:
                services.action_close_from_review(
                    action=target, status=decision, round=round_, by=request.user
                )
                text = _("Action marked %(status)s.") % {
                    "status": target.get_status_display().lower()
                }
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, text)
            return redirect(round_)
    return render(
        request,
        "assessments/rounds/results/action_review.html",
        {
            "round": round_,
            "organisation": round_.organisation,
            "access": access,
            "action": target,
            "previous_round": previous,
            "form": form,
        },
        status=400 if form.errors else 200,
    )
