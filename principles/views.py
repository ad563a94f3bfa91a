"""The library's pages: the frameworks, each framework and each principle, in every version."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import crosswalks, scales, selectors
from .content_files import framework_file
from .models import Framework, Principle


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
        framework = selectors.framework_get(slug=slug, version=_version_param(request))
    except Framework.DoesNotExist as exc:
        raise Http404("No such framework") from exc
    if not framework.shared:  # its owner's alone: read through their own pages
        raise Http404("No such framework")
    return framework


def framework_detail(request: HttpRequest, slug: str) -> HttpResponse:
    framework = _framework_or_404(request, slug)
    versions = (
        Framework.objects.filter(slug=slug, shared=True)
        .order_by("-version")
        .values_list("version", flat=True)
    )
    return render(
        request,
        "principles/framework_detail.html",
        {
            "framework": framework,
            "versions": list(versions),
            "steps": scales.steps(framework.scale),  # its own scale, if it has one
            "lineups": crosswalks.lineups(framework),
        },
    )


def framework_file_download(request: HttpRequest, slug: str) -> HttpResponse:
    """The framework version as its content file (docs/FRAMEWORKS.md), to adapt or load
    elsewhere."""
    framework = selectors.framework_with_content(_framework_or_404(request, slug).pk)
    response = HttpResponse(framework_file(framework), content_type="application/toml")
    response["Content-Disposition"] = (
        f'attachment; filename="{framework.slug}-version-{framework.version}.toml"'
    )
    return response


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
