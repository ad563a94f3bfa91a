"""The evidence behind agreed positions: leads add, change and remove it; everyone who may
read the round's results downloads its documents, here and nowhere else (never from a
public address)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.errors import ServiceError
from assessments.rounds import services
from assessments.rounds.models import AgreedPosition, RoundStatus
from assessments.web.access import evidence_in_round, round_for_user, statement_in_round
from assessments.web.rounds.forms import EvidenceForm
from coprod.http import safe_next


def _back(request, round_, statement) -> str:
    return safe_next(
        request,
        reverse("assessments:results", kwargs={"pk": round_.pk}) + f"#statement-{statement.pk}",
    )


def _form_page(request, round_, access, *, statement, position, form, evidence=None):
    return render(
        request,
        "assessments/rounds/results/evidence_form.html",
        {
            "round": round_,
            "organisation": round_.organisation,
            "access": access,
            "statement": statement,
            "position": position,
            "evidence": evidence,
            "form": form,
            "back": _back(request, round_, statement),
        },
        status=400 if form.errors else 200,
    )


@login_required
def evidence_add(request, pk: int, statement: int):
    round_, access = round_for_user(request.user, pk, lead=True)
    target = statement_in_round(round_, statement)
    position = AgreedPosition.objects.filter(round=round_, statement=target).first()
    if round_.status == RoundStatus.DRAFT or position is None:
        messages.error(request, _("Record the agreed position first, then add its evidence."))
        return redirect("assessments:agreed-position", pk=round_.pk, statement=target.pk)
    position.round, position.statement = round_, target
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_add(
                position=position,
                text=form.cleaned_data["text"],
                url=form.cleaned_data["url"],
                document=form.cleaned_data["document"],
                by=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Evidence for statement %(code)s added.") % {"code": target.code}
            )
            return redirect(_back(request, round_, target))
    return _form_page(request, round_, access, statement=target, position=position, form=form)


@login_required
def evidence_edit(request, pk: int, evidence: int):
    round_, access = round_for_user(request.user, pk, lead=True)
    item = evidence_in_round(round_, evidence)
    statement = item.position.statement
    initial = {"text": item.text, "url": item.url}
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        has_document=bool(item.document),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_update(
                evidence=item,
                text=form.cleaned_data["text"],
                url=form.cleaned_data["url"],
                document=form.cleaned_data["document"],
                remove_document=form.cleaned_data.get("remove_document", False),
                by=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Evidence for statement %(code)s saved.") % {"code": statement.code}
            )
            return redirect(_back(request, round_, statement))
    return _form_page(
        request,
        round_,
        access,
        statement=statement,
        position=item.position,
        form=form,
        evidence=item,
    )


@login_required
def evidence_remove(request, pk: int, evidence: int):
    round_, access = round_for_user(request.user, pk, lead=True)
    item = evidence_in_round(round_, evidence)
    statement = item.position.statement
    if request.method == "POST":
        try:
            services.evidence_remove(evidence=item, by=request.user)
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Evidence for statement %(code)s removed.") % {"code": statement.code}
            )
        return redirect(_back(request, round_, statement))
    return render(
        request,
        "assessments/rounds/results/evidence_remove.html",
        {
            "round": round_,
            "organisation": round_.organisation,
            "access": access,
            "statement": statement,
            "evidence": item,
            "back": _back(request, round_, statement),
        },
    )


@login_required
def evidence_document(request, pk: int, evidence: int):
    """A document kept as evidence, for whoever may read the round's results."""
    round_, _access = round_for_user(request.user, pk)
    item = evidence_in_round(round_, evidence)
    if not item.document:
        raise Http404(_("This evidence has no document."))
    try:
        handle = item.document.open("rb")
    except FileNotFoundError:
        raise Http404(_("This document is no longer kept.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.filename or "document",
        content_type=item.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
