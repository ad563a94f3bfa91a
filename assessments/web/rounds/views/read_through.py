"""A round's results read through another framework, where a crosswalk links the two
(``documents.read_through`` says why it shows nothing the results page does not)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from assessments.documents.held import PRINCIPLE_HELD_WORDS
from assessments.documents.read_through import read_through
from assessments.web.access import round_for_user


@login_required
def results_through(request, pk: int, slug: str):
    """For the organisation's members and leads, as the results page."""
    round_, access = round_for_user(request.user, pk)
    reading = read_through(round_, slug)
    if reading is None:
        raise Http404("No crosswalk links these frameworks")
    return render(
        request,
        "assessments/rounds/results/read_through.html",
        {
            "round": round_,
            "organisation": round_.organisation,
            "access": access,
            "reading": reading,
            "held_words": PRINCIPLE_HELD_WORDS,
        },
    )
