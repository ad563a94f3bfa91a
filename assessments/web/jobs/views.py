"""An export's page and its file: for the person who asked for it, while the download's own
access rule still lets them have it (``access.export_for_user``), until it expires.

The page says whether the file is being prepared, ready or failed. It works without
JavaScript (a plain "Check again" link reloads it); static/js/export-status.js asks for
the state every few seconds and reloads the page when it changes.
"""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from assessments.jobs import exports
from assessments.jobs.models import Export
from assessments.queue.models import JobStatus
from assessments.web import access
from coprod.http import attachment


@login_required
def export_detail(request, pk):
    export = access.export_for_user(request.user, pk)
    if request.GET.get("state") == "1":
        return JsonResponse({"status": export.status})
    return render(
        request,
        "assessments/jobs/export.html",
        {"export": export, "pending": export.is_pending, "back": _back(export)},
    )


@login_required
def export_file(request, pk):
    export = access.export_for_user(request.user, pk)
    if export.status != JobStatus.DONE:
        return redirect("assessments:export", pk=export.pk)
    content = Export.objects.values_list("content", flat=True).get(pk=export.pk)
    return attachment(bytes(content or b""), export.filename, export.content_type)


@login_required
@require_POST
def export_retry(request, pk):
    """Ask again for an export that failed, with the same settings."""
    export = access.export_for_user(request.user, pk)
    again = exports.request(
        kind=export.kind,
        by=request.user,
        cohort=export.cohort,
        organisation=export.organisation,
        params=export.params,
    )
    return redirect("assessments:export", pk=again.pk)


def _back(export: Export) -> tuple[str, str]:
    """Where the page's "Back" link goes, and its words."""
    from django.urls import reverse

    if export.cohort_id:
        return (
            reverse("assessments:cohort", kwargs={"pk": export.cohort_id}),
            gettext("Back to the cohort"),
        )
    assert export.organisation is not None
    return (
        reverse("assessments:organisation-data", kwargs={"org": export.organisation.slug}),
        gettext("Back to %(name)s’s data") % {"name": export.organisation.name},
    )
