"""Moving a link's answers to another device.

The bound browser shows a one-time code ("Continue on another device"); typed on the
link's page in another browser, it moves the binding there, and the first browser loses
the answers. Nobody without the bound browser in hand can get a code.
"""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assessments.accounts.models import new_token
from assessments.rounds import services
from assessments.web.rounds.views.door import (
    bound,
    elsewhere,
    invite_door,
    not_answering,
    not_yours,
    why_not,
)
from coprod.network import client_ip


def invite_move(request, token: str):
    """In the bound browser: a one-time code to move the answers to another device."""
    door = invite_door(request, token)
    if reason := why_not(door):
        return not_answering(request, door, reason=reason)
    if door.respondent is None or door.used_elsewhere:  # the same for both: see ``door``
        return redirect(door.start_url)
    if refused := not_yours(request, door):
        return bound(request, door, refused)
    code = expires = None
    if request.method == "POST":
        code, expires = services.respondent_move_code(respondent=door.respondent)
    return bound(
        request,
        door,
        render(
            request,
            "assessments/rounds/answering/move.html",
            {
                "door": door,
                "round": door.round,
                "organisation": door.round.organisation,
                "code": code and f"{code[:4]}-{code[4:]}",
                "expires": expires,
            },
        ),
    )


@require_POST
def invite_move_here(request, token: str):
    """On another device: the code from the bound browser moves the answers here."""
    door = invite_door(request, token)
    if reason := why_not(door):
        return not_answering(request, door, reason=reason)
    unstarted = door.respondent is None or not door.respondent.browser_key_hash
    if door.held and not unstarted:
        return redirect(door.resume_url)
    typed = (request.POST.get("code") or "")[:40]
    key = new_token()
    try:
        if unstarted or door.respondent is None:
            # Answered as a wrong code is, so codes typed here tell nobody who holds the
            # link whether its person has started.
            assert door.invite is not None  # a link's door
            services.move_code_for_unstarted_link(invite=door.invite, address=client_ip(request))
        services.respondent_move(
            respondent=door.respondent, code=typed, browser_key=key, address=client_ip(request)
        )
    except services.MoveRefused as exc:
        return elsewhere(request, door, code=typed, error=str(exc))
    door.held, door.new_key = True, key
    return bound(request, door, redirect(door.resume_url))
