"""An organisation's trend over its closed rounds: each principle's published scores, round
by round (``documents.trends``), for its members and leads."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessments.documents.trends import ENOUGH_ROUNDS, organisation_trend
from assessments.web.access import organisation_for_user


@login_required
def organisation_trends(request, org: str):
    organisation, access = organisation_for_user(request.user, org)
    trend = organisation_trend(organisation.pk)
    return render(
        request,
        "assessments/rounds/trends.html",
        {
            "organisation": organisation,
            "access": access,
            "trend": trend,
            "enough_rounds": ENOUGH_ROUNDS,
        },
    )
