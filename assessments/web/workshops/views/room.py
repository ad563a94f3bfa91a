"""What a workshop's room sees: the room's view (join panel, counts, the figures of the
principle shown) made once per version of the room, the JSON every screen polls, and the
projector view, the room's view alone for the big screen.

The projector view and its poll need no account: the unguessable key in their address,
which only the round's leads are shown, opens the room's view (what the screen shows
everyone in the room: counts of people, and the figures of the principle shown, made under
disclosure control) until the workshop ends or the lead makes a new address.
"""

import hashlib
import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from assessments.workshops import selectors
from assessments.workshops.models import Workshop
from coprod.cache import kept
from coprod.codes import display

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


def room_etag(workshop: Workshop) -> str:
    return f'"room-{_room_version(workshop)}-{translation.get_language()}"'


def room_view(workshop: Workshop, the_room: selectors.Room | None = None) -> dict:
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
        view["json"] = json.dumps({"live": True, **view}).encode()
        return view

    # Kept in each language it is read in: the projector in the room's, the lead's page in
    # the lead's.
    key = ("workshop-room", _room_version(workshop), translation.get_language())
    return kept(key, make, timeout=ROOM_VIEW_SECONDS)


def lead_etag(workshop: Workshop) -> str:
    return f'"lead-{_room_version(workshop)}-{translation.get_language()}"'


def lead_view(workshop: Workshop, the_room: selectors.Room | None = None) -> dict:
    """The lead's page's view: the room's, and the list of seats beside it (who joined,
    when to the minute, never anything of their answers), kept the same way. The seats
    move the workshop's version too (joining, a seat removed)."""

    def make() -> dict:
        view = dict(room_view(workshop, the_room))
        seats_html = render_to_string(
            "assessments/workshops/_room_seats.html",
            {"seats": selectors.seats(workshop), "round": workshop.round},
        ).strip()
        view["seats_html"] = mark_safe(seats_html)  # our template, escaped there
        view["seats_key"] = hashlib.blake2b(seats_html.encode(), digest_size=8).hexdigest()
        room_json = {k: v for k, v in view.items() if k != "json"}
        view["json"] = json.dumps({"live": True, **room_json}).encode()
        return view

    key = ("workshop-lead", _room_version(workshop), translation.get_language())
    return kept(key, make, timeout=ROOM_VIEW_SECONDS)


def fragments(view: dict) -> dict:
    """What a page puts in place of the poll's JSON: the fragments and their keys."""
    return {name: value for name, value in view.items() if name != "json"}


def poll(request, workshop: Workshop, *, lead: bool = False) -> HttpResponse:
    """The room's JSON (with the seats, for the lead's page), or 304 Not Modified to a
    poll that holds the current ETag."""
    etag = lead_etag(workshop) if lead else room_etag(workshop)
    response = get_conditional_response(request, etag=etag)
    if response is None:
        view = lead_view(workshop) if lead else room_view(workshop)
        response = HttpResponse(view["json"], content_type="application/json")
    response["ETag"] = etag
    # Kept by no shared cache, and asked about again before every use.
    response["Cache-Control"] = "private, no-cache"
    return response


# The projector view ----------------------------------------------------------------------


def _projector_gone(request) -> HttpResponse:
    """One calm page for a wrong key and for a workshop that has ended or has a new
    projector address, so the page says nothing about which."""
    return HttpResponse(render_to_string("assessments/workshops/projector_gone.html"), status=404)


def in_room_language(response: HttpResponse, workshop: Workshop) -> HttpResponse:
    response["Content-Language"] = workshop.room_language
    return response


@require_GET
def projector(request, workshop: int, key: str):
    """The projector view: the join code, QR code and address, the room's counts and the
    figures of the principle shown, in large type, without the site's header, menus or
    any control, in the room's language. Signed in or not, the key is what opens it; it
    reads no session."""
    live = selectors.projector_workshop(workshop, key)
    if live is None:
        return _projector_gone(request)
    with translation.override(live.room_language):
        return in_room_language(_projector_page(live), live)


def _projector_page(live: Workshop) -> HttpResponse:
    round_ = live.round

    # The page is the same for every screen until the room changes: kept whole. Its poll
    # and Refresh addresses are relative, so the key is not part of it.
    def make() -> bytes:
        view = room_view(live)
        return render_to_string(
            "assessments/workshops/projector.html",
            {
                "workshop": live,
                "round": round_,
                "organisation": round_.organisation,
                "code": display(live.code),
                "etag": room_etag(live),
                "poll_ms": POLL_SECONDS * 1000,
                **fragments(view),
            },
        ).encode()

    names = (round_.title, round_.organisation.name)
    key = ("workshop-projector", _room_version(live), names, translation.get_language())
    return HttpResponse(kept(key, make, timeout=ROOM_VIEW_SECONDS))


@require_GET
def projector_state(request, workshop: int, key: str):
    """What the projector view polls: as the lead's poll, authorised by the key alone."""
    live = selectors.projector_workshop(workshop, key)
    if live is None:
        return JsonResponse({"live": False}, status=404)
    with translation.override(live.room_language):
        return in_room_language(poll(request, live), live)
