"""A workshop's lead: the lead's page (the room's view with every control, and the seats
taken), its poll, and the controls. For the round's organisation's leads only, like every
other page that runs a round (``access.round_for_user(lead=True)``).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from assessments.errors import ServiceError
from assessments.rounds import selectors as round_selectors
from assessments.web.access import round_for_user
from assessments.web.rounds.forms import AgreedPositionForm
from assessments.web.workshops.forms import CapacityForm, WorkshopStartForm
from assessments.web.workshops.views.room import (
    POLL_SECONDS,
    fragments,
    lead_etag,
    lead_view,
    poll,
    projector_path,
)
from assessments.workshops import selectors, services
from coprod.codes import display
from coprod.languages import language_name
from coprod.network import client_ip
from principles.models import PracticeStatement, Principle


@login_required
def room(request, pk: int):
    """The lead's page: the join code, the room's counts and the figures of the principle
    shown, as the projector view shows them, with the lead's controls: the projector
    view's address, show a principle, agreed positions and actions, lock, end."""
    round_, access = round_for_user(request.user, pk, lead=True)
    workshop = selectors.live_workshop(round_)
    if workshop is None:
        context = {"round": round_, "organisation": round_.organisation, "access": access}
        context.update(
            {
                "form": WorkshopStartForm(),
                "last": selectors.last_workshop(round_),
            }
        )
        return render(request, "assessments/workshops/start.html", context)
    capacity_form = CapacityForm(initial={"capacity": workshop.capacity})
    return _room_page(request, round_, access, workshop, capacity_form)


def _room_page(request, round_, access, workshop, capacity_form, status=200):
    """The lead's page of a live workshop, with the cap's form as given (sent back with
    its errors when the lead typed a cap it refuses)."""
    context = {"round": round_, "organisation": round_.organisation, "access": access}
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
    view = lead_view(workshop, the_room)
    context.update(
        {
            "languages": settings.LANGUAGES,  # each named in itself
            "room_language": workshop.room_language,
        }
    )
    context.update(
        {
            "workshop": workshop,
            "room": the_room,
            "code": display(workshop.code),
            "projector_path": projector_path(workshop),
            "projector_url": settings.SITE_URL + projector_path(workshop),
            "poll_url": reverse("assessments:workshop-state", kwargs={"pk": round_.pk}),
            "etag": lead_etag(workshop),
            "poll_ms": POLL_SECONDS * 1000,
            "capacity_form": capacity_form,
            "agree": agree,
            "room_path": reverse("assessments:workshop", kwargs={"pk": round_.pk}),
            **fragments(view),
        }
    )
    return render(request, "assessments/workshops/room.html", context, status=status)


@login_required
@require_GET
def room_state(request, pk: int):
    """What the lead's page polls: the room's join panel, counts and figures, and the
    seats taken, as HTML, with an ETag that changes only when something in the room
    does."""
    round_, _ = round_for_user(request.user, pk, lead=True)
    workshop = selectors.live_workshop(round_)
    if workshop is None:
        return JsonResponse({"live": False})
    return poll(request, workshop, lead=True)


def _offered(language: str) -> str:
    """The lead's language if the site offers it (the room starts in it), else the
    site's default."""
    offered = {code for code, _ in settings.LANGUAGES}
    return language if language in offered else settings.LANGUAGE_CODE


@login_required
@require_POST
def start(request, pk: int):
    round_, access = round_for_user(request.user, pk, lead=True)
    form = WorkshopStartForm(request.POST)
    if form.is_valid():
        try:
            workshop = services.workshop_start(
                round=round_,
                by=request.user,
                capacity=form.cleaned_data["capacity"],
                language=_offered(translation.get_language()),
            )
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            # The lead runs the room from the room: its network is the room's.
            services.workshop_seen_from(workshop=workshop, address=client_ip(request))
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
    principle's figures (or none) and step through its statements, the room's wording,
    give the projector view a new address, end the workshop."""
    round_, access = round_for_user(request.user, pk, lead=True)
    workshop = selectors.live_workshop(round_)
    back = redirect("assessments:workshop", pk=round_.pk)
    if workshop is None:
        messages.info(request, gettext("There is no workshop going on in this round."))
        return back
    services.workshop_seen_from(workshop=workshop, address=client_ip(request))
    action = request.POST.get("action", "")
    try:
        if action in ("lock", "unlock"):
            services.workshop_lock(workshop=workshop, by=request.user, locked=action == "lock")
            messages.success(
                request,
                gettext("The room is locked: nobody new can join.")
                if action == "lock"
                else gettext("People can join again."),
            )
        elif action == "capacity":
            form = CapacityForm(request.POST)
            if not form.is_valid():
                return _room_page(request, round_, access, workshop, form, status=400)
            services.workshop_capacity(
                workshop=workshop, by=request.user, capacity=form.cleaned_data["capacity"]
            )
            capacity = form.cleaned_data["capacity"]
            messages.success(
                request,
                ngettext(
                    "Up to %(count)s person can join.", "Up to %(count)s people can join.", capacity
                )
                % {"count": capacity},
            )
        elif action == "show":
            principle = Principle.objects.filter(
                pk=request.POST.get("principle") or 0, framework_id=round_.framework_id
            ).first()
            services.workshop_show(workshop=workshop, by=request.user, principle=principle)
            if principle is not None:
                return redirect(reverse("assessments:workshop", kwargs={"pk": pk}) + "#figures")
        elif action == "statement":
            statement = PracticeStatement.objects.filter(
                pk=request.POST.get("statement") or 0,
                principle_id=workshop.shown_principle_id or 0,
            ).first()
            if statement is None:
                messages.error(request, gettext("Choose a statement of the principle shown."))
                return back
            services.workshop_show_statement(
                workshop=workshop, by=request.user, statement=statement
            )
            return redirect(reverse("assessments:workshop", kwargs={"pk": pk}) + "#show-heading")
        elif action == "wording":
            easy_read = request.POST.get("easy_read") == "on"
            services.workshop_wording(workshop=workshop, by=request.user, easy_read=easy_read)
            messages.success(
                request,
                gettext("The projector is in easy read. Phones that join now open in easy read.")
                if easy_read
                else gettext("The projector uses standard wording."),
            )
        elif action == "language":
            language = request.POST.get("language", "")
            services.workshop_language(workshop=workshop, by=request.user, language=language)
            messages.success(
                request,
                gettext(
                    "The projector is in %(language)s. Phones that join now open in %(language)s."
                )
                % {"language": language_name(language)},
            )
            return redirect(reverse("assessments:workshop", kwargs={"pk": pk}) + "#language")
        elif action == "projector":
            services.workshop_projector_renew(workshop=workshop, by=request.user)
            messages.success(
                request,
                gettext(
                    "The projector view has a new address: the old one has stopped working. "
                    "Open the projector view again on the projector."
                ),
            )
            return redirect(reverse("assessments:workshop", kwargs={"pk": pk}) + "#projector")
        elif action == "end":
            services.workshop_end(workshop=workshop, by=request.user)
            messages.success(
                request,
                gettext(
                    "The workshop has ended: its code no longer works. People who joined can "
                    "still finish their answers while the round is open."
                ),
            )
            return redirect(round_)
        else:
            messages.error(request, gettext("Choose what to do."))
    except ServiceError as exc:
        messages.error(request, str(exc))
    return back


@login_required
def seat_remove(request, pk: int, seat: int):
    """Remove one seat (a stray join, or someone who joined twice), after asking: its
    phone then shows a page saying its place was removed, and its answers are deleted."""
    round_, access = round_for_user(request.user, pk, lead=True)
    workshop = selectors.live_workshop(round_)
    back = reverse("assessments:workshop", kwargs={"pk": round_.pk})
    if workshop is None:
        messages.info(request, gettext("There is no workshop going on in this round."))
        return redirect(back)
    found = selectors.seat(workshop, seat)
    if found is None:
        raise Http404(gettext("That seat is not in the room (it may have been removed already)."))
    if request.method == "POST":
        try:
            number = services.workshop_seat_remove(
                workshop=workshop, invite_id=found.invite_id, by=request.user
            )
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                gettext(
                    "Seat %(number)s removed: its answers are deleted, and its phone shows "
                    "that its place was removed."
                )
                % {"number": number},
            )
        return redirect(back + "#seats")
    return render(
        request,
        "assessments/workshops/seat_remove.html",
        {
            "round": round_,
            "organisation": round_.organisation,
            "access": access,
            "workshop": workshop,
            "seat": found,
            "back": back + "#seats",
        },
    )
