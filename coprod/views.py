"""The site's own pages: home, what co-production is, where the content comes from, what
the words mean, the privacy notice, the easy-read switch, the health check, the
expired-form page and the address browsers ask for the site's icon at."""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views import i18n
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from assessments.accounts.services import user_language_set
from assessments.figures.scoring import GAP_FLAG, GAP_MEANING, MIN_GROUP
from assessments.rounds.models import STEP_MEANINGS, Step
from coprod.http import safe_next
from principles import selectors
from principles.reading import set_easy_read
from principles.sources import WORKS


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html", {"frameworks": selectors.framework_list()})


def what_is_coproduction(request: HttpRequest) -> HttpResponse:
    return render(request, "site/what_is_coproduction.html")


def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice for people answering, as every organisation's says it; the one a
    link opens names its organisation and keeping period (``web.rounds.views.privacy``)."""
    return render(request, "site/privacy.html", {"base_template": "base.html"})


def sources(request: HttpRequest) -> HttpResponse:
    """Where this comes from: the works behind the frameworks, cited in full."""
    return render(
        request,
        "site/sources.html",
        {"works": WORKS, "frameworks": selectors.framework_list()},
    )


def glossary(request: HttpRequest) -> HttpResponse:
    """What the words mean: the few terms the pages, reports and forms use that a team or a
    person answering may not know, each with its own anchor to link to from where it
    appears."""
    # The same words as the action form and the results (one definition of each).
    return render(
        request,
        "site/glossary.html",
        {
            "steps": [(step.label, STEP_MEANINGS[step]) for step in Step],
            "gap_meaning": GAP_MEANING,
            "gap_flag": GAP_FLAG,
            "min_group": MIN_GROUP,
        },
    )


@require_POST
def reading_mode(request: HttpRequest) -> HttpResponse:
    """Switch easy read on or off for this visitor, then go back to the page they were on."""
    set_easy_read(request, request.POST.get("easy_read") == "on")
    return redirect(safe_next(request, "/"))


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The header's language switch: Django's own view keeps the choice in a cookie and
    goes back to ``next`` (only if it is on this site); a signed-in person's choice is
    kept on their account too, so it follows them to any browser."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_language_set(user=request.user, language=language)
    return response


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


@require_safe
@cache_control(max_age=86400)
def favicon(request: HttpRequest) -> HttpResponse:
    """Pages name the site's icon among the static files; a browser or a tool that reads no
    page asks /favicon.ico, and is sent there rather than shown a 404."""
    return redirect(static("img/favicon.ico"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """An expired or missing form token: say so plainly instead of Django's bare page."""
    return render(request, "403_csrf.html", status=403)
