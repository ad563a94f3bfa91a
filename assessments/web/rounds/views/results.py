"""After the answers: a round's results, with perception gaps, and their downloads.

Results and downloads are for the organisation's members and leads. Agreed positions are
in ``views.positions``, the action plan in ``views.actions``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from assessments.accounts.models import AuditKind
from assessments.accounts.services import audit_record
from assessments.documents import exports, pdf, read_through
from assessments.documents.basis import Basis, results_basis
from assessments.documents.summary import MIN_RESPONDENTS, OVERLAY_KEYS, round_results
from assessments.figures import publishing
from assessments.rounds import selectors
from assessments.web.access import round_for_user
from coprod.cache import kept
from coprod.http import attachment
from principles import reading


@login_required
def results(request, pk: int):
    round_, access = round_for_user(request.user, pk)
    reading.read_in_standard_words(request, round_.framework)
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
            "through": read_through.partners(round_) if basis.enough else [],
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

    agreed = sorted(
        (s, a.level, a.reason, [(e.pk, e.updated_at) for e in a.evidence.all()])
        for s, a in basis.agreed.items()
    )
    key = (
        "results-figures",
        basis.key(),
        round_.status,
        access.is_lead,
        easy_read,
        overlays,
        translation.get_language(),  # the figures' words are in the reader's language
    )
    return mark_safe(kept((*key, agreed), render))  # our own template's output


EXPORTS = {
    "answers": exports.answers_csv,
    "notes": exports.notes_csv,
    "scores": exports.scores_csv,
    "grid": exports.grid_csv,  # linked only for a round with an instrument
}


@login_required
def export_csv(request, pk: int, kind: str):
    """The round's anonymised answers or its scores as a CSV file (members and leads)."""
    round_, _access = round_for_user(request.user, pk)
    if kind not in EXPORTS:
        raise Http404(_("There is no such export."))
    if too_few := _too_few_answers(request, round_, report=False):
        return too_few
    _note_download(request, round_, f"exported_{kind}")
    filename = f"{round_.organisation.slug}-round-{round_.pk}-{kind}.csv"
    return attachment(EXPORTS[kind](round_), filename, "text/csv; charset=utf-8")


def _too_few_answers(request, round_, *, report: bool):
    """Back to the results with a message when too few have answered for figures to leave
    the site; None when there are enough."""
    if publishing.latest(round_) is not None:
        return None  # figures are published, so they may leave the site
    if report:
        text = _(
            "The report is available once at least %(min)s people have answered and the "
            "figures are published (when the round closes, or as people finish if you chose "
            "figures while it is open), so that nobody’s answers can be picked out."
        )
    else:
        text = _(
            "Exports are available once at least %(min)s people have answered and the "
            "figures are published (when the round closes, or as people finish if you chose "
            "figures while it is open), so that nobody’s answers can be picked out."
        )
    messages.error(request, text % {"min": MIN_RESPONDENTS})
    return redirect("assessments:results", pk=round_.pk)


def _note_download(request, round_, what: str) -> None:
    audit_record(
        organisation=round_.organisation,
        kind=AuditKind.EXPORTED,
        what=what,
        details={"round": round_.title},
        actor=request.user,
        round=round_,
    )


@login_required
def report_pdf(request, pk: int):
    """The round's report as a PDF for a board or a manager (members and leads)."""
    round_, _access = round_for_user(request.user, pk)
    if too_few := _too_few_answers(request, round_, report=True):
        return too_few
    data = pdf.round_report_pdf(round_)
    _note_download(request, round_, "exported_report")
    return attachment(data, pdf.filename(round_, "report"), "application/pdf")


@login_required
def action_plan_pdf(request, pk: int):
    """The action plan on its own, to print for the next meeting (members and leads)."""
    round_, _access = round_for_user(request.user, pk)
    if not selectors.round_actions(round_).exists():
        messages.error(request, _("There are no actions to print yet."))
        return redirect("assessments:actions", pk=round_.pk)
    data = pdf.action_plan_pdf(round_)
    _note_download(request, round_, "exported_plan")
    return attachment(data, pdf.filename(round_, "action-plan"), "application/pdf")
