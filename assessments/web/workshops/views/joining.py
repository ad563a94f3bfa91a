"""Joining a workshop on a phone: for anyone holding a live code. It makes that phone its
own seat (an answer link bound to its browser) and sends it to the usual answering pages.
Handing the phone or tablet to the next person ends the seat on it.

A seat lasts only the browser's session, and a phone or tablet may be passed round the
room: whoever holds it next never sees the last person's answers. Typing the code again on
a device that holds a seat ends that seat there and starts a new one, rather than leading
back to the answers ("Welcome back" would show them to whoever holds it now).
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from assessments.rounds.models import Invite, Respondent
from assessments.templatetags.room import room_follow as room_follow_context
from assessments.web.access import invite_for_token
from assessments.web.rounds.forms import PerspectiveForm
from assessments.web.rounds.views.answer_cookie import forget_answer_key, give_answer_key
from assessments.web.rounds.views.door import gate, invite_door
from assessments.web.workshops.forms import JoinCodeForm
from assessments.workshops import services
from coprod.http import language_cookie_set
from coprod.network import client_ip
from principles.reading import has_reading_choice, is_easy_read, set_easy_read

# The seat this browser holds (only the join page receives this cookie), so that typing
# the code on it again ends that seat here. A session cookie: a seat lasts only as long as
# the browser's session, like the seat's answer cookie (``answer_cookie.give_answer_key``).
SEAT_COOKIE = "workshop_seat"
SEAT_SALT = "coprod.workshop-seat"


def _seat(request, workshop) -> Invite | None:
    """The seat this browser holds in this workshop, if it joined it already and the seat
    is still its own (not removed, not handed on)."""
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
    try:
        ended = invite.respondent.binding_ended
    except Respondent.DoesNotExist:
        return None
    return None if ended else invite


def _forget_seat(response, invite: Invite | None = None) -> None:
    response.delete_cookie(SEAT_COOKIE, path=reverse("assessments:workshop-join"), samesite="Lax")
    if invite is not None:
        forget_answer_key(response, invite=invite)


def _room_language(request, workshop) -> str | None:
    """The language a phone joining ``workshop`` shows its pages in: the room's, unless
    the phone has chosen one for itself with the language switch."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return None
    return workshop.room_language


def join(request):
    """Type the code (or arrive from the QR code with it filled in), then choose a group:
    that joins. Two short steps, each a plain form. Once the code is known, the pages are
    in the room's language (``_room_language``), and joining keeps the phone in it."""
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
        if request.method == "POST":  # what was typed, and why it does not work, beside it
            form = JoinCodeForm(request.POST)
            form.is_valid()
            form.add_error("code", str(exc))
            context.update({"code_form": form, "reason": exc.reason})
        else:
            form = JoinCodeForm(initial={"code": typed})
            context.update({"code_form": form, "error": str(exc), "reason": exc.reason})
        return render(
            request,
            "assessments/workshops/join.html",
            context,
            status=429 if exc.reason == "limit" else 400 if request.method == "POST" else 200,
        )
    language = _room_language(request, workshop)
    if language is None:
        return _join_room(request, workshop, address, context)
    with translation.override(language):
        response = _join_room(request, workshop, address, context)
    response["Content-Language"] = language
    if response.status_code == 302:  # joined: the answering pages follow the room
        # For the browser's session, as the seat is: a language the room chose is not one
        # the phone's owner chose, so it does not outlast the workshop.
        language_cookie_set(response, language, for_session=True)
    return response


def _join_room(request, workshop, address, context: dict):
    """The group step of joining ``workshop``, and joining itself."""
    group_context = {
        "workshop": workshop,
        "round": workshop.round,
        "organisation": workshop.round.organisation,
        "code": workshop.code,
    }
    if (held := _seat(request, workshop)) is not None:
        # Someone joined on this device before: whoever holds it now may be someone else.
        # Their seat ends here, and this person joins afresh, in a seat of their own.
        services.workshop_seat_end(invite=held)
        response = render(
            request,
            "assessments/workshops/join_group.html",
            {
                **group_context,
                "form": PerspectiveForm(
                    initial={"perspective": request.POST.get("perspective")},
                    easy_read=is_easy_read(request),
                ),
                "handed_on": True,
            },
        )
        _forget_seat(response, held)
        return response
    # Sent from the group step (with or without a group chosen), not the code step.
    chose = request.POST.get("step") == "group" or "perspective" in request.POST
    group_form = PerspectiveForm(request.POST if chose else None, easy_read=is_easy_read(request))
    if chose and group_form.is_valid():
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
        if joined.invite.easy_read and not has_reading_choice(request):
            set_easy_read(request, True)  # a room in easy read: its phones open in easy read
        response = redirect(
            reverse("assessments:invite-page", kwargs={"token": joined.invite.raw_token, "page": 1})
        )
        give_answer_key(request, response, invite=joined.invite, key=joined.browser_key)
        response.set_signed_cookie(
            SEAT_COOKIE,
            f"{workshop.pk}:{joined.invite.raw_token}",
            salt=SEAT_SALT,
            path=reverse("assessments:workshop-join"),
            secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
        return response
    return render(
        request,
        "assessments/workshops/join_group.html",
        {**group_context, "form": group_form},
        status=400 if group_form.errors else 200,
    )


def hand_over(request, token: str):
    """Hand to the next person: asked first on a page of answers (the answers on it are
    saved before), at once from the thank-you page. It ends the seat on this device and
    sends it to the join page, fresh: nothing of the last person stays on it."""
    door = invite_door(request, token)
    if stop := gate(request, door):
        return stop
    if door.invite is None or not door.workshop_seat:  # a link of one's own: nobody to hand on to
        return redirect(door.resume_url)
    if request.method == "POST":
        services.workshop_seat_end(invite=door.invite)
        messages.success(
            request,
            gettext("Thank you: the answers are saved. This phone is ready for the next person."),
        )
        response = redirect("assessments:workshop-join")
        _forget_seat(response, door.invite)
        return response
    assert door.respondent is not None  # gate has sent anyone else to the start
    return render(
        request,
        "assessments/workshops/hand_over.html",
        {
            "door": door,
            "round": door.round,
            "organisation": door.round.organisation,
            "finished": door.respondent.finished_at is not None,
        },
    )


@require_GET
def room_follow(request, token: str):
    """What a phone in the room polls: the link to the part the projector is on, for the
    page it is on (``on``), as HTML to put in place of the last. For the seat's own
    browser only, as its answering pages are."""
    door = invite_door(request, token)
    if gate(request, door) is not None or not door.workshop_seat:
        return JsonResponse({"live": False}, status=404)
    on = request.GET.get("on", "")
    context = room_follow_context(
        {"easy_read": is_easy_read(request)}, door, int(on) if on.isdigit() else None
    )
    html = render_to_string("assessments/workshops/_room_follow.html", context)
    response = JsonResponse({"live": True, "part": context["part"], "html": html})
    response["Cache-Control"] = "private, no-cache"
    return response
