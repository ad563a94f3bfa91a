"""After the answers: results with perception gaps, agreed positions, and the action plan.

Results are for the organisation's members and leads; recording agreed positions and
writing actions is for leads.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from assessments.accounts.models import AuditKind
from assessments.accounts.services import audit_record
from assessments.documents import exports, pdf
from assessments.documents.summary import (
    MIN_RESPONDENTS,
    OVERLAY_KEYS,
    Basis,
    results_basis,
    round_results,
)
from assessments.errors import ServiceError
from assessments.figures import publishing
from assessments.rounds import selectors, services
from assessments.rounds.models import OPEN_ACTION_STATUSES, Action, RoundStatus
from assessments.web.access import (
    action_for_user,
    principle_in_round,
    round_for_user,
    statement_in_round,
)
from assessments.web.rounds.forms import (
    ActionForm,
    ActionReviewForm,
    AgreedPositionForm,
    PrincipleAgreedPositionsForm,
)
from coprod.cache import kept
from coprod.http import attachment, safe_next
from principles import reading


@login_required
def results(request, pk: int):
    round_, access = round_for_user(request.user, pk)
    basis = results_basis(round_)
    # The overlay switches: a plain GET form, so they work without JavaScript. Only their
    # set matters (the chart keeps its own order), so it is kept as one.
    overlays = (
        sorted({key for key in request.GET.getlist("show") if key in OVERLAY_KEYS})
        if request.GET.get("overlays")
        else None
    )
    return render(
        request,
        "assessments/rounds/results/results.html",
        {
            "round": round_,
            "organisation": round_.organisation,
            "access": access,
            "results": basis,
            "figures": _figures_html(request, basis, access, overlays) if basis.enough else "",
            "action_count": basis.actions,
        },
    )


def _figures_html(request, basis: Basis, access, overlays: list[str] | None) -> str:
    """The figures of the results page, kept for the same basis (see ``summary.Basis``: the
    publications never change), reader's wording, overlays, agreed positions and kind of
    reader. They hold nobody's answers, only what the publication shows everyone allowed to
    see the round's results, and nothing of the request's (no token, no user): those stay in
    the page around them."""
    round_ = basis.round
    easy_read = reading.is_easy_read(request)

    def render() -> str:
        summary = round_results(round_, basis=basis)
        return render_to_string(
            "assessments/rounds/results/_figures.html",
            {
                "round": round_,
                "access": access,
                "results": summary,
                "radar": summary.radar(overlays=overlays),
                "overlays": summary.default_overlays if overlays is None else overlays,
                "easy_read": easy_read,
            },
        )

    agreed = sorted((s, a.level, a.reason) for s, a in basis.agreed.items())
    key = ("results-figures", basis.key(), round_.status, access.is_lead, easy_read, overlays)
    return mark_safe(kept((*key, agreed), render))  # our own template's output


EXPORTS = {"answers": exports.answers_csv, "scores": exports.scores_csv}


@login_required
def export_csv(request, pk: int, kind: str):
    """The round's anonymised answers or its scores as a CSV file (members and leads)."""
    round_, _ = round_for_user(request.user, pk)
    if kind not in EXPORTS:
        raise Http404("There is no such export.")
    if too_few := _too_few_answers(request, round_, "Exports are"):
        return too_few
    _note_download(request, round_, f"the {kind} CSV")
    filename = f"{round_.organisation.slug}-round-{round_.pk}-{kind}.csv"
    return attachment(EXPORTS[kind](round_), filename, "text/csv; charset=utf-8")


def _too_few_answers(request, round_, what: str):
    """Back to the results with a message when too few have answered for figures to leave
    the site; None when there are enough."""
    if publishing.latest(round_) is not None:
        return None  # figures are published, so they may leave the site
    messages.error(
        request,
        f"{what} available once at least {MIN_RESPONDENTS} people have answered and "
        "the figures are published (when the round closes, or as people finish if you "
        "chose figures while it is open), so that nobody’s answers can be picked out.",
    )
    return redirect("assessments:results", pk=round_.pk)


def _note_download(request, round_, what: str) -> None:
    audit_record(
        organisation=round_.organisation,
        kind=AuditKind.EXPORTED,
        summary=f"Downloaded {what} of round “{round_.title}”.",
        actor=request.user,
        round=round_,
    )


@login_required
def report_pdf(request, pk: int):
    """The round's report as a PDF for a board or a manager (members and leads)."""
    round_, _ = round_for_user(request.user, pk)
    if too_few := _too_few_answers(request, round_, "The report is"):
        return too_few
    data = pdf.round_report_pdf(round_)
    _note_download(request, round_, "the PDF report")
    return attachment(data, pdf.filename(round_, "report"), "application/pdf")


@login_required
def action_plan_pdf(request, pk: int):
    """The action plan on its own, to print for the next meeting (members and leads)."""
    round_, _ = round_for_user(request.user, pk)
    if not selectors.round_actions(round_).exists():
        messages.error(request, "There are no actions to print yet.")
        return redirect("assessments:actions", pk=round_.pk)
    data = pdf.action_plan_pdf(round_)
    _note_download(request, round_, "the action plan PDF")
    return attachment(data, pdf.filename(round_, "action-plan"), "application/pdf")


def _results_anchor(round_, statement) -> str:
    return reverse("assessments:results", kwargs={"pk": round_.pk}) + f"#statement-{statement.pk}"


@login_required
def agreed_position(request, pk: int, statement: int):
    round_, access = round_for_user(request.user, pk, lead=True)
    target = statement_in_round(round_, statement)
    # Back where the lead came from: the results, or a workshop's projector.
    back = safe_next(
        request,
        reverse("assessments:results", kwargs={"pk": round_.pk}) + f"#statement-{target.pk}",
    )
    if round_.status == RoundStatus.DRAFT:
        messages.error(request, "Open the round and gather answers before agreeing positions.")
        return redirect(round_)
    existing = selectors.agreed_positions(round_).get(target.pk)
    if request.method == "POST" and request.POST.get("clear"):
        try:
            services.agreed_position_clear(round=round_, statement=target, by=request.user)
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Agreed position for statement {target.code} removed.")
        return redirect(back)
    initial = {"level": existing.level, "reason": existing.reason} if existing else None
    form = AgreedPositionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreed_position_record(
                round=round_,
                statement=target,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Agreed position for statement {target.code} saved.")
            return redirect(back)
    summary = round_results(round_)
    statement_result = next(
        s for p in summary.principles for s in p.statements if s.statement.pk == target.pk
    )
    return render(
        request,
        "assessments/rounds/results/agreed_position.html",
        {
            "round": round_,
            "organisation": round_.organisation,
            "access": access,
            "statement": target,
            "result": statement_result,
            "groups": summary.groups,
            "enough": summary.enough,
            "existing": existing,
            "form": form,
            "next": back if back != _results_anchor(round_, target) else "",
        },
        status=400 if form.errors else 200,
    )


@login_required
def agreed_positions(request, pk: int, number: int):
    """The agreed positions of a whole principle on one page: each statement with what
    people said (the published figures and notes, as on the results page) beside the
    level the group agrees on and why."""
    round_, access = round_for_user(request.user, pk, lead=True)
    principle = principle_in_round(round_, number)
    if round_.status == RoundStatus.DRAFT:
        messages.error(request, "Open the round and gather answers before agreeing positions.")
        return redirect(round_)
    statements = list(principle.statements.order_by("order"))
    existing = selectors.agreed_positions(round_)
    form = PrincipleAgreedPositionsForm(
        request.POST if request.method == "POST" else None,
        statements=statements,
        existing=existing,
    )
    back = reverse("assessments:results", kwargs={"pk": round_.pk})
    back += f"#principle-{principle.pk}"
    if request.method == "POST" and form.is_valid():
        try:
            saved, removed = services.agreed_positions_record(
                round=round_, decisions=form.decisions(), by=request.user
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            done = [f"{saved} saved"] if saved else []
            done += [f"{removed} removed"] if removed else []
            messages.success(
                request,
                f"Agreed positions for principle {number}: {', '.join(done)}."
                if done
                else f"No agreed position for principle {number} changed.",
            )
            return redirect(back)
    summary = round_results(round_)
    result = next(p for p in summary.principles if p.principle.pk == principle.pk)
    by_statement = {s.statement.pk: s for s in result.statements}
    return render(
        request,
        "assessments/rounds/results/agreed_positions.html",
        {
            "round": round_,
            "organisation": round_.organisation,
            "access": access,
            "principle": principle,
            "number": number,
            "results": summary,
            "principle_result": result,
            "rows": [
                (by_statement.get(statement.pk), statement, level, reason)
                for statement, level, reason in form.rows()
            ],
            "form": form,
            "back": back,
        },
        status=400 if form.errors else 200,
    )


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
            messages.success(request, "Action added to the plan.")
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
            messages.success(request, "Action saved.")
            return redirect("assessments:actions", pk=round_.pk)
    return _action_form_page(request, round_, access, form, action=target)


@login_required
@require_POST
def action_delete(request, action: int):
    """Delete an action, after the confirmation step on its page; noted in the activity
    log."""
    target, _ = action_for_user(request.user, action, lead=True)
    round_ = target.round
    services.action_delete(action=target, by=request.user)
    messages.success(request, "Action deleted from the plan.")
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
            messages.info(request, "That action is already part of this round.")
            return redirect("assessments:actions", pk=round_.pk)
        raise Http404("There is no such open action to review.")
    form = ActionReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            if decision == "carry":
                services.action_carry_forward(action=target, into=round_, by=request.user)
                text = "Action carried into this round."
            else:
                services.action_close_from_review(
                    action=target, status=decision, round=round_, by=request.user
                )
                text = f"Action marked {target.get_status_display().lower()}."
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
