"""Changing the group someone answers as, keeping every answer they gave: from the
answering pages, for a member signed in or a person with a link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from assessments.rounds import services
from assessments.rounds.models import EASY_PERSPECTIVE_LABELS, Perspective
from assessments.rounds.services import RoundNotAcceptingAnswers
from assessments.web.rounds.forms import PerspectiveForm
from assessments.web.rounds.views.door import (
    Door,
    bound,
    gate,
    invite_door,
    member_door,
    not_answering,
)
from principles.reading import is_easy_read


def _group(request, door: Door):
    """Change the group someone answers as, keeping every answer they gave."""
    if stop := gate(request, door):
        return stop
    assert door.respondent is not None  # gate has sent anyone else to the start
    respondent = door.respondent
    easy_read = is_easy_read(request)
    form = PerspectiveForm(
        request.POST if request.method == "POST" else None,
        initial={"perspective": respondent.perspective},
        easy_read=easy_read,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.respondent_perspective_change(
                respondent=respondent, perspective=form.cleaned_data["perspective"]
            )
        except RoundNotAcceptingAnswers as exc:
            return not_answering(request, door, reason=exc.reason, status=409)
        if easy_read:
            chosen = EASY_PERSPECTIVE_LABELS[Perspective(respondent.perspective)]
            messages.success(request, _("Your group is saved: %(group)s.") % {"group": chosen})
        else:
            messages.success(
                request,
                _("You are now answering as: %(group)s.")
                % {"group": respondent.get_perspective_display()},
            )
        return redirect(door.resume_url)
    return render(
        request,
        "assessments/rounds/answering/group.html",
        {
            "door": door,
            "round": door.round,
            "organisation": door.round.organisation,
            "form": form,
            "back_url": door.resume_url,
        },
        status=400 if form.errors else 200,
    )


@login_required
def member_group(request, pk: int):
    return _group(request, member_door(request, pk))


def invite_group(request, token: str):
    door = invite_door(request, token)
    return bound(request, door, _group(request, door))
