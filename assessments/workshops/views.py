"""A workshop: the lead's projector page (and the JSON it polls), and joining on a phone.

The projector page and its poll are for the round's organisation's leads only, like every
other page that runs a round (``access.round_for_user(lead=True)``). Joining is for anyone
holding a live code: it makes that phone its own answer link, bound to its browser, and
sends it to the usual answering pages.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from assessments.access import invite_for_token, round_for_user
from assessments.errors import ServiceError
from assessments.rounds import selectors as round_selectors
from assessments.rounds.forms import AgreedPositionForm
from assessments.rounds.views.answering import PerspectiveForm, give_answer_key
from assessments.workshops import selectors, services
from assessments.workshops.forms import CapacityForm, JoinCodeForm, WorkshopStartForm
from coprod.codes import display
from coprod.network import client_ip
from principles.models import Principle

POLL_SECONDS = 4


def join_address() -> str:
    """The address people type, shown on the projector: short, without the code."""
    return settings.SITE_URL.split("://", 1)[-1] + reverse("assessments:workshop-join")


def _etag(workshop) -> str:
    return f'"room-{workshop.pk}-{workshop.version}-{selectors.room_watermark(workshop)}"'


def _fragments(request, room) -> dict:
    context = {"room": room, "workshop": room.workshop, "round": room.workshop.round}
    return {
        "counts_html": render_to_string(
            "assessments/workshops/_room_counts.html", context, request=request
        ),
        "figures_html": render_to_string(
            "assessments/workshops/_room_figures.html", context, request=request
        ),
    }


@login_required
def room(request, pk: int):
    """The projector: join code, QR code and address; the room's counts; the figures of the
    principle shown; and the lead's controls, agreed positions and actions."""
    round_, access = round_for_user(request.user, pk, lead=True)
    workshop = selectors.live_workshop(round_)
    context = {"round": round_, "organisation": round_.organisation, "access": access}
    if workshop is None:
        context.update(
            {
                "form": WorkshopStartForm(),
                "last": selectors.last_workshop(round_),
            }
        )
        return render(request, "assessments/workshops/start.html", context)
    the_room = selectors.room(workshop)
    join_url = settings.SITE_URL + reverse("assessments:workshop-join") + f"?code={workshop.code}"
    positions = round_selectors.agreed_positions(round_, recorded_by=False)
    agree = []
    if the_room.shown is not None:
        for statement in the_room.shown.statements.select_related("principle").order_by("order"):
            existing = positions.get(statement.pk)
            initial = {"level": existing.level, "reason": existing.reason} if existing else None
            agree.append(
                (
                    statement,
                    existing,
                    AgreedPositionForm(initial=initial, prefix=f"s{statement.pk}"),
                )
            )
    context.update(
        {
            "workshop": workshop,
            "room": the_room,
            "join_url": join_url,
            "join_address": join_address(),
            "code": display(workshop.code),
            "etag": _etag(workshop),
            "poll_ms": POLL_SECONDS * 1000,
            "capacity_form": CapacityForm(initial={"capacity": workshop.capacity}),
            "agree": agree,
            "room_path": request.get_full_path(),
            **_fragments(request, the_room),
        }
    )
    return render(request, "assessments/workshops/room.html", context)


@login_required
@require_GET
def room_state(request, pk: int):
    """What the projector's script polls: the room's counts and figures as HTML fragments,
    with an ETag that changes only when something in the room does."""
    round_, _ = round_for_user(request.user, pk, lead=True)
    workshop = selectors.live_workshop(round_, with_mark=True)
    if workshop is None:
        return JsonResponse({"live": False})
    etag = _etag(workshop)
    if request.headers.get("If-None-Match") == etag:
        response: HttpResponse = HttpResponseNotModified()
    else:
        the_room = selectors.room(workshop)
        response = JsonResponse(
            {
                "live": True,
                "joined": the_room.joined,
                "figures_key": the_room.figures_key,
                **_fragments(request, the_room),
            }
        )
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache, private"
    return response


@login_required
@require_POST
def start(request, pk: int):
    round_, access = round_for_user(request.user, pk, lead=True)
    form = WorkshopStartForm(request.POST)
    if form.is_valid():
        try:
            services.workshop_start(
                round=round_, by=request.user, capacity=form.cleaned_data["capacity"]
            )
        except ServiceError as exc:
            messages.error(request, str(exc))
        return redirect("assessments:workshop", pk=round_.pk)
    return render(
        request,
        "assessments/workshops/start.html",
        {
            "round": round_,
            "organisation": round_.organisation,
            "access": access,
            "form": form,
            "last": selectors.last_workshop(round_),
        },
        status=400,
    )


@login_required
@require_POST
def control(request, pk: int):
    """The lead's buttons: lock the room or open it again, change the cap, show a
    principle's figures (or none), end the workshop."""
    round_, _ = round_for_user(request.user, pk, lead=True)
    workshop = selectors.live_workshop(round_)
    back = redirect("assessments:workshop", pk=round_.pk)
    if workshop is None:
        messages.info(request, "There is no workshop going on in this round.")
        return back
    action = request.POST.get("action", "")
    try:
        if action in ("lock", "unlock"):
            services.workshop_lock(workshop=workshop, by=request.user, locked=action == "lock")
            messages.success(
                request,
                "The room is locked: nobody new can join."
                if action == "lock"
                else "People can join again.",
            )
        elif action == "capacity":
            form = CapacityForm(request.POST)
            if not form.is_valid():
                messages.error(request, " ".join(str(e) for e in form.errors["capacity"]))
                return back
            services.workshop_capacity(
                workshop=workshop, by=request.user, capacity=form.cleaned_data["capacity"]
            )
            messages.success(request, f"Up to {form.cleaned_data['capacity']} people can join.")
        elif action == "show":
            principle = Principle.objects.filter(
                pk=request.POST.get("principle") or 0, framework_id=round_.framework_id
            ).first()
            services.workshop_show(workshop=workshop, by=request.user, principle=principle)
            if principle is not None:
                return redirect(reverse("assessments:workshop", kwargs={"pk": pk}) + "#figures")
        elif action == "end":
            services.workshop_end(workshop=workshop, by=request.user)
            messages.success(
                request,
                "The workshop has ended: its code no longer works. People who joined can "
                "still finish their answers while the round is open.",
            )
            return redirect(round_)
        else:
            messages.error(request, "Choose what to do.")
    except ServiceError as exc:
        messages.error(request, str(exc))
    return back


# Joining on a phone ----------------------------------------------------------------------

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
