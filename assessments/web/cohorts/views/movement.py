"""A facilitator's cohorts on one framework, period by period (``documents.cohort_movement``):
for the cohort's facilitator only (``cohort_for_user``)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessments.documents.cohort_movement import cohort_movement
from assessments.web.access import cohort_for_user


@login_required
def cohort_movement_page(request, pk: int):
    cohort = cohort_for_user(request.user, pk)
    return render(
        request,
        "assessments/cohorts/movement.html",
        {"cohort": cohort, "movement": cohort_movement(cohort)},
    )
