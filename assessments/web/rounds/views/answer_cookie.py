"""The cookie that binds a browser to a link's answers (see ``door``): its name, how long
it lasts, and giving, reading and dropping it."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from assessments.rounds.models import Invite, Round, invite_path

ANSWER_COOKIE = "answer_key"
# For a round without a closing date: it runs for weeks and people come back; closing it
# ends the binding the cookie holds (rounds.services.lifecycle), whenever that is.
ANSWER_COOKIE_AGE = 365 * 24 * 60 * 60


def answer_cookie_age(round_: Round) -> int:
    """How long a browser keeps a link's cookie, in seconds: until the round's closing
    day is over, where it has one (answers are taken all that day, in the site's time)."""
    if round_.closes_on is None:
        return ANSWER_COOKIE_AGE
    after = datetime.combine(
        round_.closes_on + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
    )
    left = int((after - timezone.now()).total_seconds())
    return max(0, min(ANSWER_COOKIE_AGE, left))


def _cookie_salt(invite: Invite) -> str:
    return f"coprod.answer-key.{invite.pk}"


def browser_key(request, invite: Invite) -> str | None:
    return request.get_signed_cookie(ANSWER_COOKIE, default=None, salt=_cookie_salt(invite))


def give_answer_key(request, response: HttpResponse, *, invite: Invite, key: str) -> None:
    """The cookie that binds a browser to a link's answers (see ``bound``); also given by
    a workshop to the phone that joined, whose link is bound to it from the start. It
    lasts until the round's closing date is over; a workshop's seat, only as long as the
    browser's session, since a phone or tablet may be passed round the room."""
    response.set_signed_cookie(
        ANSWER_COOKIE,
        key,
        salt=_cookie_salt(invite),
        max_age=None if invite.workshop_id else answer_cookie_age(invite.round),
        path=invite_path(invite.raw_token),
        secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def forget_answer_key(response: HttpResponse, *, invite: Invite) -> None:
    """Tell the browser to drop the link's cookie."""
    response.delete_cookie(ANSWER_COOKIE, path=invite_path(invite.raw_token), samesite="Lax")
