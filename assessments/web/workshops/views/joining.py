"""Joining a workshop on a phone: for anyone holding a live code. It makes that phone its
own answer link, bound to its browser, and sends it to the usual answering pages.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from assessments.web.access import invite_for_token
from assessments.web.rounds.views.door import PerspectiveForm, give_answer_key
from assessments.web.workshops.forms import JoinCodeForm
from assessments.workshops import services
from coprod.network import client_ip

# A phone that joined remembers its place (only the join page receives this cookie), so
# that scanning the code again, after closing the tab, leads back to its own answers
# instead of joining a second time with none.
SEAT_COOKIE = "workshop_seat"
SEAT_SALT = "coprod.workshop-seat"
SEAT_AGE = 24 * 60 * 60


def _seat(request, workshop) -> str | None:
    """The answer page of this phone's link in this workshop, if it joined it already."""
    value = request.get_signed_cookie(SEAT_COOKIE, default=None, salt=SEAT_SALT)
    if not value or ":" not in value:
        return None
    workshop_pk, token = value.split(":", 1)
    if workshop_pk != str(workshop.pk):
        return None
    try:
        invite = invite_for_token(token)
    except Http404:
        return None
    if invite.workshop_id != workshop.pk or invite.is_revoked:
        return None
    return reverse("assessments:invite-start", kwargs={"token": token})


def join(request):
    """Type the code (or arrive from the QR code with it filled in), then choose a group:
    that joins. Two short steps, each a plain form."""
    source = request.POST if request.method == "POST" else request.GET
    typed = (source.get("code") or "")[:20]
    context: dict = {"code_form": JoinCodeForm(initial={"code": typed})}
    if not typed:
        if request.method == "POST":
            context["code_form"] = JoinCodeForm(request.POST)
            context["code_form"].is_valid()
            return render(request, "assessments/workshops/join.html", context, status=400)
        return render(request, "assessments/workshops/join.html", context)
    address = client_ip(request)
    try:
        workshop = services.workshop_for_code(typed=typed, address=address)
    except services.JoinRefused as exc:
        form = JoinCodeForm(initial={"code": typed})
        context.update({"code_form": form, "error": str(exc), "reason": exc.reason})
        return render(
            request,
            "assessments/workshops/join.html",
            context,
            status=429 if exc.reason == "limit" else 400 if request.method == "POST" else 200,
        )
    if back := _seat(request, workshop):
        return redirect(back)  # this phone joined already: back to its own answers
    group_form = PerspectiveForm(request.POST if "perspective" in request.POST else None)
    if "perspective" in request.POST and group_form.is_valid():
        try:
            joined = services.workshop_join(
                workshop=workshop,
                perspective=group_form.cleaned_data["perspective"],
                address=address,
            )
        except services.JoinRefused as exc:
            context.update({"error": str(exc), "reason": exc.reason})
            return render(
                request,
                "assessments/workshops/join.html",
                context,
                status=429 if exc.reason == "limit" else 409,
            )
        response = redirect(
            reverse("assessments:invite-page", kwargs={"token": joined.invite.raw_token, "page": 1})
        )
        give_answer_key(request, response, invite=joined.invite, key=joined.browser_key)
        response.set_signed_cookie(
            SEAT_COOKIE,
            f"{workshop.pk}:{joined.invite.raw_token}",
            salt=SEAT_SALT,
            max_age=SEAT_AGE,
            path=reverse("assessments:workshop-join"),
            secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
        return response
    return render(
        request,
        "assessments/workshops/join_group.html",
        {
            "workshop": workshop,
            "round": workshop.round,
            "organisation": workshop.round.organisation,
            "code": workshop.code,
            "form": group_form,
        },
        status=400 if group_form.errors else 200,
    )
