"""Frameworks of one's own: the list, adding one (a file or the starter in a box), its
draft with the check's problems, a preview as respondents see it, publishing, and the
file of each version."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.errors import ServiceError
from assessments.library import selectors, services
from assessments.library.models import OwnFramework
from assessments.web.access import cohort_for_user, organisation_for_user, own_framework_for_user
from assessments.web.library.forms import FrameworkFileForm
from assessments.web.library.preview import principles_of
from assessments.web.rounds.views.answering import NOTE_MAX, Item
from principles.content_files import ContentError, FrameworkData, framework_file
from principles.selectors import framework_with_content

STARTER = (Path(services.__file__).parent / "starter.toml").read_text(encoding="utf-8")


@login_required
def own_list(request):
    organisations, cohorts = selectors.owners_for(request.user)
    owned = list(selectors.own_frameworks_seen_by(request.user))
    return render(
        request,
        "assessments/library/list.html",
        {"owned": owned, "organisations": organisations, "cohorts": cohorts},
    )


@login_required
def own_add_for_organisation(request, org: str):
    organisation, _access = organisation_for_user(request.user, org, lead=True)
    return _add(request, organisation=organisation, owner=organisation.name)


@login_required
def own_add_for_cohort(request, pk: int):
    cohort = cohort_for_user(request.user, pk)
    return _add(request, cohort=cohort, owner=cohort.name)


def _add(request, *, owner: str, **owned_by):
    form = FrameworkFileForm(request.POST or None, request.FILES or None, initial={"text": STARTER})
    if request.method == "POST" and form.is_valid():
        try:
            own = services.own_framework_start(by=request.user, **owned_by)
            services.own_framework_write(
                own=own, by=request.user, text=form.cleaned_data["content"]
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("assessments:own-framework", pk=own.pk)
    return render(
        request,
        "assessments/library/add.html",
        {"form": form, "owner": owner},
        status=400 if form.errors else 200,
    )


def _checked(own: OwnFramework) -> tuple[FrameworkData | None, list[str]]:
    """The draft's framework if it passes the check, else the check's problems, each as
    the check words it (with its line)."""
    try:
        return services.own_framework_check(own=own), []
    except ContentError as exc:
        return None, [str(problem) for problem in exc.problems] or [str(exc)]


@login_required
def own_detail(request, pk: int):
    own = own_framework_for_user(request.user, pk)
    manages = services.may_manage(request.user, own)
    form = None
    if manages:
        form = FrameworkFileForm(
            request.POST or None, request.FILES or None, initial={"text": own.text}
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.own_framework_write(
                    own=own, by=request.user, text=form.cleaned_data["content"]
                )
            except ServiceError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("assessments:own-framework", pk=own.pk)
    elif request.method == "POST":
        raise Http404
    data, problems = _checked(own) if manages else (None, [])
    versions = list(selectors.versions_of(own))
    published = versions[0] if versions else None
    return render(
        request,
        "assessments/library/detail.html",
        {
            "own": own,
            "manages": manages,
            "form": form,
            "data": data,
            "problems": problems,
            "statement_count": sum(len(p.statements) for p in data.principles) if data else 0,
            "versions": versions,
            "draft_published": bool(
                data and published and published.content_hash == data.content_hash
            ),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def own_preview(request, pk: int):
    own = own_framework_for_user(request.user, pk, manage=True)
    data, _problems = _checked(own)
    if data is None:
        messages.error(request, _("Mend the problems in the file first: then it can be previewed."))
        return redirect("assessments:own-framework", pk=own.pk)
    principles = principles_of(data)
    shown = request.GET.get("principle", "1")
    if shown == "all":
        pages = principles
    elif shown.isascii() and shown.isdigit() and 1 <= int(shown) <= len(principles):
        pages = [principles[int(shown) - 1]]
    else:
        raise Http404(_("There is no such principle in this framework."))
    # Read as the answering pages are: in the visitor's reading, with the same switch.
    if not data.easy_read:
        request.standard_words_only = data.name  # principles.reading
    return render(
        request,
        "assessments/library/preview.html",
        {
            "own": own,
            "framework": data,
            "principles": principles,
            "pages": [
                # Shaped as the answering page's statements (the same template reads them).
                (principle, [Item(statement=s, level="", note="") for s in principle.statements])  # type: ignore[arg-type]
                for principle in pages
            ],
            "shown": shown,
            "note_max": NOTE_MAX,
        },
    )


@login_required
@require_POST
def own_publish(request, pk: int):
    own = own_framework_for_user(request.user, pk, manage=True)
    try:
        framework = services.own_framework_publish(own=own, by=request.user)
    except ContentError:
        messages.error(request, _("Mend the problems in the file first: then it can be published."))
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _(
                "%(name)s is published (version %(version)s). It can now be chosen for new "
                "rounds by %(owner)s."
            )
            % {"name": framework.name, "version": framework.version, "owner": own.owner_name},
        )
    return redirect("assessments:own-framework", pk=own.pk)


@login_required
def own_file(request, pk: int, version: int):
    own = own_framework_for_user(request.user, pk)
    found = selectors.versions_of(own).filter(version=version).first()
    if found is None:
        raise Http404(_("There is no such version of this framework."))
    framework = framework_with_content(found.pk)
    response = HttpResponse(framework_file(framework), content_type="application/toml")
    response["Content-Disposition"] = (
        f'attachment; filename="{framework.slug}-version-{framework.version}.toml"'
    )
    return response
