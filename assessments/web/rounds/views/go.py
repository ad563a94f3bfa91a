"""/go: typing the short code from a printed sheet leads to that sheet's answer link (and
a workshop's code, typed here by mistake, to the workshop's join page).

The code stands for the link's token (``new_links.code_token``), so nothing about the
person is looked up or shown here: a code that belongs to a link redirects to it, and the
link's own pages say whether it still works. Wrong codes are counted per network address
and, past the limit, every code from that address is refused for a while — correct ones too,
so that guessing cannot go on in secret.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse

from assessments.rounds.models import Invite, invite_path, token_hash
from assessments.rounds.new_links import code_token
from assessments.web.rounds.forms import ShortCodeForm
from assessments.workshops.services import CODE_LENGTH as WORKSHOP_CODE_LENGTH
from coprod.limits import Limit, blocked, hit
from coprod.network import client_ip


def _limit() -> Limit:
    return Limit("go:wrong-code", settings.GO_WRONG_CODES_PER_ADDRESS, settings.GO_WINDOW)


def go(request):
    form = ShortCodeForm(request.POST if request.method == "POST" else None)
    key = (client_ip(request) or "",)
    until = blocked((_limit(), key))
    if until is not None and request.method == "POST":
        return render(
            request,
            "assessments/rounds/answering/go.html",
            {"form": form, "until": until},
            status=429,
        )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and len(form.cleaned_data["code"]) == WORKSHOP_CODE_LENGTH:
            join = reverse("assessments:workshop-join")
            return redirect(f"{join}?{urlencode({'code': form.cleaned_data['code']})}")
        if form.is_valid():
            token = code_token(form.cleaned_data["code"])
            if Invite.objects.filter(token_hash=token_hash(token)).exists():
                return redirect(invite_path(token))
            status = 404
            form.add_error(
                "code",
                "No link has this code. Check each letter and number against your sheet and "
                "try again. If it still does not work, ask the person who gave you the sheet.",
            )
        hit((_limit(), key))
    return render(request, "assessments/rounds/answering/go.html", {"form": form}, status=status)
