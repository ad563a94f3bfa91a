from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from coprod.http import safe_next

from . import selectors
from .models import Framework, Principle
from .reading import set_easy_read
from .sources import WORKS


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "principles/home.html", {"frameworks": selectors.framework_list()})


def what_is_coproduction(request: HttpRequest) -> HttpResponse:
    return render(request, "principles/what_is_coproduction.html")


def sources(request: HttpRequest) -> HttpResponse:
    """Where this comes from: the works behind the frameworks, cited in full."""
    return render(
        request,
        "principles/sources.html",
        {"works": WORKS, "frameworks": selectors.framework_list()},
    )


def glossary(request: HttpRequest) -> HttpResponse:
    """What the words mean: the few terms the pages, reports and forms use that a team or a
    person answering may not know, each with its own anchor to link to from where it
    appears."""
    # The same words as the action form and the results (one definition of each).
    from assessments.reporting.scoring import GAP_FLAG, GAP_MEANING, MIN_GROUP
    from assessments.rounds.models import STEP_MEANINGS, Step

    return render(
        request,
        "principles/glossary.html",
        {
            "steps": [(step.label, STEP_MEANINGS[step]) for step in Step],
            "gap_meaning": GAP_MEANING,
            "gap_flag": GAP_FLAG,
            "min_group": MIN_GROUP,
        },
    )


def framework_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "principles/framework_list.html", {"frameworks": selectors.framework_list()}
    )


def _version_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("version")
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()):  # "²" and "١" are digits to str.isdigit
        raise Http404("No such version")
    return int(raw)


def _framework_or_404(request: HttpRequest, slug: str) -> Framework:
    try:
        return selectors.framework_get(slug=slug, version=_version_param(request))
    except Framework.DoesNotExist as exc:
        raise Http404("No such framework") from exc


def framework_detail(request: HttpRequest, slug: str) -> HttpResponse:
    framework = _framework_or_404(request, slug)
    versions = (
        Framework.objects.filter(slug=slug).order_by("-version").values_list("version", flat=True)
    )
    return render(
        request,
        "principles/framework_detail.html",
        {"framework": framework, "versions": list(versions)},
    )


def principle_detail(request: HttpRequest, slug: str, principle: str) -> HttpResponse:
    framework = _framework_or_404(request, slug)
    try:
        current = selectors.principle_get(framework=framework, slug=principle)
    except Principle.DoesNotExist as exc:
        raise Http404("No such principle") from exc
    principles = list(framework.principles.all())
    index = principles.index(current)
    return render(
        request,
        "principles/principle_detail.html",
        {
            "framework": framework,
            "principle": current,
            "previous": principles[index - 1] if index > 0 else None,
            "next": principles[index + 1] if index + 1 < len(principles) else None,
        },
    )


@require_POST
def reading_mode(request: HttpRequest) -> HttpResponse:
    """Switch easy read on or off for this visitor, then go back to the page they were on."""
    set_easy_read(request, request.POST.get("easy_read") == "on")
    return redirect(safe_next(request, "/"))


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """An expired or missing form token: say so plainly instead of Django's bare page."""
    return render(request, "403_csrf.html", status=403)
