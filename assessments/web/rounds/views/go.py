"""/go: typing the short code from a printed sheet leads to that sheet's answer link (and
a workshop's code, typed here by mistake, to the workshop's join page).

The code stands for the link's token (``new_links.code_token``), so nothing about the
person is looked up or shown here: a code that belongs to a link redirects to it, and the
link's own pages say whether it still works. Wrong codes are counted per network address;
past the limit, a code opens its link only if sheets of the same round have been opened
from that address already, so that wrong codes typed in a room never keep out the people
whose sheets are being used there, while guessing anything else waits for the limit.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments.rounds.models import Invite, invite_path, token_hash
from assessments.rounds.new_links import code_token
from assessments.web.rounds.forms import ShortCodeForm
from assessments.workshops.services import CODE_LENGTH as WORKSHOP_CODE_LENGTH
from coprod.limits import Limit, blocked, hit, network, remember, remembered
from coprod.network import client_ip
from principles.reading import is_easy_read, set_easy_read

# Past the limit only the links of rounds opened from the address within this time are
# looked up: guessing one of those is a search of 20^10 (1e13) codes for a round's few
# hundred links, 1 in 5,000 for a round of 500 after 12 hours of 100 tries a second.
ROUND_HERE = "go-round"
ROUND_HERE_FOR = timedelta(hours=12)


def _limit() -> Limit:
    return Limit("go:wrong-code", settings.GO_WRONG_CODES_PER_ADDRESS, settings.GO_WINDOW)


@require_safe
def go_easy(request):
    """/go/easy/, the address printed on easy-read sheets: /go in easy read, which the
    link it leads to keeps (the reader can switch back)."""
    set_easy_read(request, True)
    return redirect("assessments:go")


def go(request):
    form = ShortCodeForm(
        request.POST if request.method == "POST" else None, easy_read=is_easy_read(request)
    )
    if request.method != "POST":
        return render(request, "assessments/rounds/answering/go.html", {"form": form})
    place = network(client_ip(request))
    until = blocked((_limit(), (place,)))
    if form.is_valid() and len(form.cleaned_data["code"]) == WORKSHOP_CODE_LENGTH:
        # The join page counts workshop codes under its own limit.
        join = reverse("assessments:workshop-join")
        return redirect(f"{join}?{urlencode({'code': form.cleaned_data['code']})}")
    round_id = token = None
    if form.is_valid():
        token = code_token(form.cleaned_data["code"])
        round_id = (
            Invite.objects.filter(token_hash=token_hash(token))
            .values_list("round_id", flat=True)
            .first()
        )
    if token is not None and round_id is not None:
        here = (place, str(round_id))
        if until is None or remembered(ROUND_HERE, here):
            remember(ROUND_HERE, here, for_=ROUND_HERE_FOR)
            return redirect(invite_path(token))
    if until is not None:
        return render(
            request,
            "assessments/rounds/answering/go.html",
            {"form": form, "until": until},
            status=429,
        )
    status = 400
    if form.is_valid():
        status = 404
        form.add_error(
            "code",
            _(
                "We cannot find this code. Look at each letter and number on your sheet and "
                "try again. Still not working? Ask the person who gave you the sheet."
            )
            if form.easy_read
            else _(
                "No link has this code. Check each letter and number against your sheet and "
                "try again. If it still does not work, ask the person who gave you the sheet."
            ),
        )
    hit((_limit(), (place,)))
    return render(request, "assessments/rounds/answering/go.html", {"form": form}, status=status)
