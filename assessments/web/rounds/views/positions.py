"""Agreed positions: where a round's leads decide practice stands, statement by statement,
beside what people said. For leads.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.documents.summary import round_results
from assessments.errors import ServiceError
from assessments.rounds import selectors, services
from assessments.rounds.models import RoundStatus
from assessments.web.access import principle_in_round, round_for_user, statement_in_round
from assessments.web.rounds.forms import AgreedPositionForm, PrincipleAgreedPositionsForm
from coprod.http import safe_next


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
        messages.error(request, _("Open the round and gather answers before agreeing positions."))
        return redirect(round_)
    existing = selectors.agreed_positions(round_).get(target.pk)
    if request.method == "POST" and request.POST.get("clear"):
        try:
            services.agreed_position_clear(round=round_, statement=target, by=request.user)
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Agreed position for statement %(code)s removed.") % {"code": target.code},
            )
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
            messages.success(
                request, _("Agreed position for statement %(code)s saved.") % {"code": target.code}
            )
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
            "results": summary,
            "workshop": round_.workshops.exists(),
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
        messages.error(request, _("Open the round and gather answers before agreeing positions."))
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
            counts = {"number": number, "saved": saved, "removed": removed}
            if saved and removed:
                text = _(
                    "Agreed positions for principle %(number)s: %(saved)s saved, "
                    "%(removed)s removed."
                )
            elif saved:
                text = _("Agreed positions for principle %(number)s: %(saved)s saved.")
            elif removed:
                text = _("Agreed positions for principle %(number)s: %(removed)s removed.")
            else:
                text = _("No agreed position for principle %(number)s changed.")
            messages.success(request, text % counts)
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
            "workshop": round_.workshops.exists(),
            "rows": [
                (by_statement.get(statement.pk), statement, level, reason)
                for statement, level, reason in form.rows()
            ],
            "form": form,
            "back": back,
        },
        status=400 if form.errors else 200,
    )
