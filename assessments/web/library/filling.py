"""Filling a form instead of writing the file: the framework's details, then one principle
at a time with its statements. Each form reads its table from the draft file and writes it
back there, so the same check runs on whatever the form wrote."""

import tomllib

import tomli_w
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.errors import ServiceError
from assessments.library import services
from assessments.web.access import own_framework_for_user
from assessments.web.library.forms import FrameworkDetailsForm, PrincipleForm, StatementFormSet
from principles.content_files import FRAMEWORK_KEYS, PRINCIPLE_KEYS, STATEMENT_KEYS

# Left out of the file when blank: easy read is given everywhere or nowhere.
OPTIONAL = ("easy_read_name", "easy_read_summary", "picture", "picture_alt", "from_easy", "to_easy")


def _table(cleaned: dict, keys: tuple[str, ...], old: dict) -> dict:
    """``old`` (its other keys and language tables kept) with the form's texts for ``keys``."""
    table = {key: value for key, value in old.items() if key not in keys}
    for key in keys:
        value = (cleaned.get(key) or "").strip()
        if value or key not in OPTIONAL:
            table[key] = value
    return table


@login_required
def own_fill(request, pk: int):
    own = own_framework_for_user(request.user, pk, manage=True)
    try:
        data = tomllib.loads(own.text) if own.text.strip() else {}
    except tomllib.TOMLDecodeError:
        messages.error(
            request,
            _(
                "The form cannot read the file as it is: mend the mistake the check names "
                "in the box first, then fill the form."
            ),
        )
        return redirect("assessments:own-framework", pk=own.pk)
    principles = [p for p in data.get("principles", []) if isinstance(p, dict)]
    shown = request.GET.get("principle", "details")
    if shown == "details":
        principle = None
    elif shown == "new":
        principle = {}
    elif shown.isascii() and shown.isdigit() and 1 <= int(shown) <= len(principles):
        principle = principles[int(shown) - 1]
    else:
        raise Http404(_("There is no such principle in this framework."))

    post = request.POST if request.method == "POST" else None
    if principle is None:
        form = FrameworkDetailsForm(post, initial={k: data.get(k, "") for k in FRAMEWORK_KEYS})
        formset = None
    else:
        form = PrincipleForm(post, initial={k: principle.get(k, "") for k in PRINCIPLE_KEYS})
        statements = [s for s in principle.get("statements", []) if isinstance(s, dict)]
        formset = StatementFormSet(
            post,
            prefix="statements",
            initial=[{k: s.get(k, "") for k in STATEMENT_KEYS} for s in statements],
        )
    if post is not None and form.is_valid() and (formset is None or formset.is_valid()):
        if principle is None:
            data = _table(form.cleaned_data, FRAMEWORK_KEYS, data)
        else:
            old_statements = [s for s in principle.get("statements", []) if isinstance(s, dict)]
            rows = [
                _table(row, STATEMENT_KEYS, old_statements[n] if n < len(old_statements) else {})
                for n, row in enumerate(formset.cleaned_data)
                if row and not row.get("DELETE")
            ]
            written = {**_table(form.cleaned_data, PRINCIPLE_KEYS, principle), "statements": rows}
            if shown == "new":
                principles.append(written)
            elif form.cleaned_data["remove"]:
                principles.pop(int(shown) - 1)
            else:
                principles[int(shown) - 1] = written
            data = {**data, "principles": principles}
        # The format's own order: the framework's keys, then its tables.
        ordered = {k: data[k] for k in FRAMEWORK_KEYS if k in data}
        ordered.update({k: v for k, v in data.items() if k not in ordered})
        try:
            services.own_framework_write(
                own=own, by=request.user, text=tomli_w.dumps(ordered, multiline_strings=False)
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved in the file. The check below has read it again."))
            return redirect(reverse("assessments:own-framework", args=[own.pk]) + "#check-heading")
    return render(
        request,
        "assessments/library/fill.html",
        {
            "own": own,
            "form": form,
            "formset": formset,
            "shown": shown,
            "principles": principles,
            "title": data.get("name", ""),
        },
        status=400 if post is not None else 200,
    )
