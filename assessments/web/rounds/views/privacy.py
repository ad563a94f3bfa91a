"""The privacy notice someone answering by link can open from its pages: what is kept, who
sees what, how long (this organisation's keeping period) and whom to ask. It reads no
answers, sets no cookie and opens for a link that no longer takes answers too, so that
anyone who answered can still read it."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from assessments.datarights.retention import answers_deleted_on
from assessments.rounds.models import invite_path
from assessments.web.access import invite_for_token


@require_safe
def invite_privacy(request, token: str):
    invite = invite_for_token(token)
    round_ = invite.round
    return render(
        request,
        "site/privacy.html",
        {
            "base_template": "assessments/rounds/answering/base.html",
            "door": {"invite": invite},  # the answering pages' header, without the menu
            "organisation": round_.organisation,
            "months": round_.organisation.keep_answers_months,
            "deleted_on": answers_deleted_on(round_),
            "contact": round_.contact,
            "back": None if invite.is_revoked else invite_path(token),
        },
    )
