"""A workshop: the lead's page (the room's view with every control), the projector view
(the room's view alone, for the big screen), the JSON both poll, and joining on a phone.

The lead's page and its poll are for the round's organisation's leads only, like every
other page that runs a round (``access.round_for_user(lead=True)``). The projector view
and its poll need no account: the unguessable key in their address, which only the
round's leads are shown, opens the room's view (what the screen shows everyone in the
room: counts of people, and the figures of the principle shown, made under disclosure
control) until the workshop ends or the lead makes a new address. Joining is for anyone
holding a live code: it makes that phone its own answer link, bound to its browser, and
sends it to the usual answering pages.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from assessments.errors import ServiceError
from assessments.rounds import selectors as round_selectors
from assessments.web.access import invite_for_token, round_for_user
from assessments.web.rounds.forms import AgreedPositionForm
from assessments.web.rounds.views.answering import PerspectiveForm, give_answer_key
from assessments.web.workshops.forms import CapacityForm, JoinCodeForm, WorkshopStartForm
from assessments.workshops import selectors, services
from assessments.workshops.models import Workshop
from coprod.cache import kept
from coprod.codes import display
from coprod.network import client_ip
from principles.models import Principle

POLL_SECONDS = 4
# How long a version of the room's view is kept: a room changes every few seconds while
# people answer, and a kept version is read only until the next one.
ROOM_VIEW_SECONDS = 3600


def join_address() -> str:
    """The address people type, shown on the projector: short, without the code."""
    return settings.SITE_URL.split("://", 1)[-1] + reverse("assessments:workshop-join")


def projector_path(workshop: Workshop) -> str:
    """The projector view's address (on this site), for the round's leads only."""
    return reverse(
        "assessments:workshop-projector",
        kwargs={"workshop": workshop.pk, "key": workshop.projector_key},
    )


# The room's view, made once per version of the room --------------------------------------


def _room_version(workshop: Workshop) -> str:
    """Everything the room's view is made from: the workshop's version, which moves in the
    same transaction as anything the view shows (people joining, someone answering a
    principle's last statement, a new snapshot, the lead's choices), and whether the round
    takes answers (its status, and a closing date that passes by itself). The workshop's
    start time too, so a workshop never meets another's kept view (a number can come
    round again where a test's transaction was rolled back)."""
    started = int(workshop.started_at.timestamp() * 1_000_000)
    accepts = int(workshop.round.accepts_answers)
    return f"{workshop.pk}-{started:x}-{workshop.version}-{accepts}"


def _etag(workshop: Workshop) -> str:
    return f'"room-{_room_version(workshop)}"'


def _room_view(workshop: Workshop, the_room: selectors.Room | None = None) -> dict:
    """The room's join panel, counts and figures as HTML, and the poll's JSON, kept under
    the room's version: a poll after a change costs one render per worker, however many
    screens poll, and a poll before the next change none. They hold what the screen shows
    everyone in the room, nothing of one person."""

    def make() -> dict:
        room = the_room or selectors.room(workshop)
        context = {
            "room": room,
            "workshop": workshop,
            "round": workshop.round,
            "code": display(workshop.code),
            "join_address": join_address(),
            "join_url": settings.SITE_URL
            + reverse("assessments:workshop-join")
            + f"?code={workshop.code}",
        }
        join_key = f"{int(workshop.locked)}-{int(workshop.round.accepts_answers)}"
        view = {
            "showing": room.shown is not None,
            "join_key": join_key,
            "figures_key": room.figures_key,
            **{
                # Rendered by our templates, escaped there; strip() drops the safe mark.
                f"{part}_html": mark_safe(
                    render_to_string(f"assessments/workshops/_room_{part}.html", context).strip()
                )
                for part in ("join", "counts", "figures")
            },
        }
        view["json"] = json.dumps({"live": True, "joined": room.joined, **view}).encode()
        return view

    return kept(("workshop-room", _room_version(workshop)), make, timeout=ROOM_VIEW_SECONDS)


def _fragments(view: dict) -> dict:
    """What a page puts in place of the poll's JSON: the fragments and their keys."""
    return {name: value for name, value in view.items() if name != "json"}


def _poll(request, workshop: Workshop) -> HttpResponse:
    """The room's JSON, or 304 Not Modified to a poll that holds the current ETag."""
    etag = _etag(workshop)
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(_room_view(workshop)["json"], content_type="application/json")
    response["ETag"] = etag
    # Kept by no shared cache, and asked about again before every use.
    response["Cache-Control"] = "private, no-cache"
    return response


# The lead's page -------------------------------------------------------------------------


@login_required
def room(request, pk: int):
    """The lead's page: the join code, the room's counts and the figures of the principle
    shown, as the projector view shows them, with the lead's controls: the projector
    view's address, show a principle, agreed positions and actions, lock, end."""
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
    view = _room_view(workshop, the_room)
    context.update(
        {
            "workshop": workshop,
            "room": the_room,
            "code": display(workshop.code),
            "projector_path": projector_path(workshop),
            "projector_url": settings.SITE_URL + projector_path(workshop),
            "poll_url": reverse("assessments:workshop-state", kwargs={"pk": round_.pk}),
            "etag": _etag(workshop),
            "poll_ms": POLL_SECONDS * 1000,
            "capacity_form": CapacityForm(initial={"capacity": workshop.capacity}),
            "agree": agree,
            "room_path": request.get_full_path(),
            **_fragments(view),
        }
    )
    return render(request, "assessments/workshops/room.html", context)


@login_required
@require_GET
def room_state(request, pk: int):
    """What the lead's page polls: the room's join panel, counts and figures as HTML, with
    an ETag that changes only when something in the room does."""
    round_, _ = round_for_user(request.user, pk, lead=True)
    workshop = selectors.live_workshop(round_)
    if workshop is None:
        return JsonResponse({"live": False})
    return _poll(request, workshop)


# The projector view ----------------------------------------------------------------------


def _projector_gone(request) -> HttpResponse:
    """One calm page for a wrong key and for a workshop that has ended or has a new
    projector address, so the page says nothing about which."""
    return HttpResponse(render_to_string("assessments/workshops/projector_gone.html"), status=404)


@require_GET
def projector(request, workshop: int, key: str):
    """The projector view: the join code, QR code and address, the room's counts and the
    figures of the principle shown, in large type, without the site's header, menus or
    any control. Signed in or not, the key is what opens it; it reads no session."""
    live = selectors.projector_workshop(workshop, key)
    if live is None:
        return _projector_gone(request)
    round_ = live.round

    # The page is the same for every screen until the room changes: kept whole. Its poll
    # and Refresh addresses are relative, so the key is not part of it.
    def make() -> bytes:
        view = _room_view(live)
        return render_to_string(
            "assessments/workshops/projector.html",
            {
                "workshop": live,
                "round": round_,
                "organisation": round_.organisation,
                "code": display(live.code),
                "etag": _etag(live),
                "poll_ms": POLL_SECONDS * 1000,
                **_fragments(view),
            },
        ).encode()

    names = (round_.title, round_.organisation.name)
    page = kept(("workshop-projector", _room_version(live), names), make, timeout=ROOM_VIEW_SECONDS)
    return HttpResponse(page)


@require_GET
def projector_state(request, workshop: int, key: str):
    """What the projector view polls: as the lead's poll, authorised by the key alone."""
    live = selectors.projector_workshop(workshop, key)
    if live is None:
        return JsonResponse({"live": False}, status=404)
    return _poll(request, live)


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
    principle's figures (or none), give the projector view a new address, end the
    workshop."""
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
        elif action == "projector":
            services.workshop_projector_renew(workshop=workshop, by=request.user)
            messages.success(
                request,
                "The projector view has a new address: the old one has stopped working. "
                "Open the projector view again on the projector.",
            )
            return redirect(reverse("assessments:workshop", kwargs={"pk": pk}) + "#projector")
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
