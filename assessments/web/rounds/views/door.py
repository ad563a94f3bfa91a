"""The door a person comes through to answer a round, and who they are past it.

Two doors lead to the answering pages (``views.answering``): members sign in (and choose
their perspective once per round), and people without an account use their personal
invite link. Past the door both see the same pages.

A link's answers are readable only by the person answering, so a link is bound to one
browser: the first to start answering gets a random secret in a signed, HttpOnly cookie
that only the link's own pages receive, and the respondent keeps its hash. Every later
request on the link without that cookie (whoever holds the link: someone it was forwarded
to, or the lead who made it) sees none of the answers and cannot change them. Nor does it
learn, by looking, whether anyone has used the link: its pages look as they do for a link
nobody has started (the welcome page), and only pressing Start says that the link is in
use in another browser. Keeping the links they made and opening them now and then would
otherwise tell a lead when each person started, and so whose answers the figures cover;
pressing Start on a link nobody has used takes it over, which its person then finds. A
link started before browsers were bound is bound to the first browser that carries on
with it. Moving the answers to another device: ``views.moving``.

The cookie lasts until the round's closing date is over (the browser session, for a
workshop's seat), and closing the round ends the binding itself, so a cookie kept on a
shared computer grants nothing once the round has closed, even if it opens again. A closed
round's pages never read it.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.accounts.models import new_token
from assessments.rounds import selectors, services
from assessments.rounds.models import (
    Invite,
    Respondent,
    Round,
    RoundStatus,
)
from assessments.rounds.services import RoundNotAcceptingAnswers
from assessments.web import handwritten
from assessments.web.access import invite_for_token, round_for_user
from assessments.web.rounds.forms import PerspectiveForm
from assessments.web.rounds.link_opening import open_as_made
from assessments.web.rounds.views.answer_cookie import (
    browser_key,
    forget_answer_key,
    give_answer_key,
)
from coprod.http import language_cookie_set
from principles.models import Framework, PracticeStatement, Principle
from principles.reading import is_easy_read, read_in_standard_words
from principles.selectors import frozen_framework_content, statement_count


@dataclass
class Door:
    """Who is answering, and the addresses of their pages."""

    round: Round
    respondent: Respondent | None
    invite: Invite | None = None
    held: bool = True  # this browser may see and change the answers (members: always)
    saved: dict | None = None  # the respondent's answers by statement, when read with them
    new_key: str = ""  # a secret to give this browser with the response: it is now bound
    key: str | None = None  # the secret this browser sent, when it holds the link

    @property
    def used_elsewhere(self) -> bool:
        """Someone has started answering through this link in another browser. Only
        pressing Start (and moving answers here) may say so: every other page is as for a
        link nobody has used."""
        return bool(
            self.invite is not None
            and self.respondent is not None
            and not self.held
            and self.respondent.browser_key_hash
        )

    def _name(self, name: str) -> str:
        return f"assessments:{'invite' if self.invite else 'member'}-{name}"

    def _kwargs(self) -> dict:
        return {"token": self.invite.raw_token} if self.invite else {"pk": self.round.pk}

    def url(self, name: str, **extra) -> str:
        return reverse(self._name(name), kwargs={**self._kwargs(), **extra})

    @property
    def start_url(self) -> str:
        return self.url("start")

    @property
    def save_url(self) -> str:
        return self.url("autosave")

    @property
    def done_url(self) -> str:
        return self.url("done")

    @property
    def move_url(self) -> str:
        return self.url("move")

    @property
    def group_url(self) -> str:
        return self.url("group")

    @property
    def move_here_url(self) -> str:
        return self.url("move-here")

    @property
    def workshop_seat(self) -> bool:
        """A seat in a workshop, on a phone or tablet that may be passed round the room."""
        return self.invite is not None and self.invite.workshop_id is not None

    @property
    def hand_over_url(self) -> str:
        return self.url("hand-over")

    def page_url(self, number: int) -> str:
        return self.url("page", page=number)

    @property
    def resume_url(self) -> str:
        """The page the respondent left off on, or the round's last page if that is past
        it (a respondent who finished is kept at the end, whatever the framework's size)."""
        assert self.respondent is not None
        pages = len(round_pages(self.round))
        return self.page_url(max(1, min(self.respondent.last_page, pages)))


# The kind pages ------------------------------------------------------------------------


def not_answering(request, door: Door, *, reason: str, status: int = 200):
    """A calm page instead of an error: the round is closed, not open yet, or the link was
    revoked (for a workshop's seat: the lead removed it). The same page with or without
    the link's cookie, and the browser is told to forget the cookie: it grants nothing
    here any more."""
    workshop_seat = door.invite is not None and door.invite.workshop_id is not None
    if reason == "revoked" and workshop_seat:
        reason = "removed"
    response = render(
        request,
        "assessments/rounds/answering/closed.html",
        {
            "round": door.round,
            "organisation": door.round.organisation,
            "reason": reason,
            "workshop_seat": workshop_seat,
        },
        status=status,
    )
    if door.invite is not None:
        forget_answer_key(response, invite=door.invite)
    return response


def why_not(door: Door) -> str | None:
    if door.invite is not None and door.invite.is_revoked:
        return "revoked"
    if door.round.status == RoundStatus.DRAFT:
        return "draft"
    if not door.round.accepts_answers:
        return "closed"
    return None


# Doors ---------------------------------------------------------------------------------


def member_door(request, pk: int, *, with_answers: bool = False) -> Door:
    round_, _access = round_for_user(request.user, pk)
    saved = None
    if with_answers:  # a page of statements: the answers with the respondent, one query
        respondent, saved = handwritten.respondent_with_answers(round_.pk, request.user.pk)
    else:
        respondent = selectors.member_respondent(round_, request.user)
    if respondent is not None:
        respondent.round = round_  # loaded already: saving answers needs its framework
    read_in_standard_words(request, round_.framework)
    return Door(round=round_, respondent=respondent, saved=saved)


def invite_door(request, token: str) -> Door:
    invite = invite_for_token(token)
    respondent: Respondent | None
    try:
        respondent = invite.respondent
    except Respondent.DoesNotExist:
        respondent = None
    else:
        respondent.round = invite.round  # loaded already: saving answers needs its framework
    read_in_standard_words(request, invite.round.framework)
    door = Door(round=invite.round, respondent=respondent, invite=invite, held=respondent is None)
    if why_not(door) is None:  # a round that takes no answers never reads the cookie
        door.key = browser_key(request, invite)
        door.held = respondent is None or respondent.is_held_by(door.key)
    return door


# One browser per link ------------------------------------------------------------------


def bound(request, door: Door, response: HttpResponse) -> HttpResponse:
    """Give the browser its secret, if it has just been bound to the link's answers. The
    cookie goes only to the link's own pages (its path), never to a script (HttpOnly),
    only over HTTPS where the site uses it, and not with requests from other sites. A page
    opened in the bound browser gives it again, so that it lasts until the round's closing
    date as it is now (a lead may have moved it)."""
    if door.invite is None:
        return response
    if door.new_key:
        give_answer_key(request, response, invite=door.invite, key=door.new_key)
    elif door.held and door.key and request.method == "GET" and response.status_code == 200:
        give_answer_key(request, response, invite=door.invite, key=door.key)
    return response


def elsewhere(request, door: Door, *, json: bool = False, code: str = "", error: str = ""):
    """The link's answers belong to another browser: say so calmly, show nothing of them,
    and offer to move them here with a code from that browser. Or they belong to no
    browser any more (handed to the next person, or the round closed): say that."""
    ended = door.respondent is not None and door.respondent.binding_ended
    if json:
        error = (
            _("These answers can no longer be changed here.")
            if ended
            else _("This link is being used in another browser, so answers cannot be saved here.")
        )
        return JsonResponse(
            {"error": error, "reason": "ended" if ended else "elsewhere"}, status=403
        )
    if ended:
        assert door.invite is not None  # only a link's binding ends
        response = render(
            request,
            "assessments/rounds/answering/ended.html",
            {
                "door": door,
                "round": door.round,
                "organisation": door.round.organisation,
                "workshop_seat": door.invite.workshop_id is not None,
            },
            status=403,
        )
        forget_answer_key(response, invite=door.invite)
        return response
    return render(
        request,
        "assessments/rounds/answering/elsewhere.html",
        {
            "door": door,
            "round": door.round,
            "organisation": door.round.organisation,
            "code": code,
            "error": error,
            "code_length": services.MOVE_CODE_LENGTH,
        },
        status=403,
    )


def not_yours(request, door: Door, *, json: bool = False):
    """None when this browser may go on; otherwise the response to give instead.

    A link started before browsers were bound has no browser yet: the first to send a
    form (carrying on, saving an answer) is bound to it; a page asked for before that goes
    to the welcome page, whose "Carry on" button does it.
    """
    if door.invite is None or door.respondent is None or door.held:
        return None
    if not door.respondent.browser_key_hash:
        if request.method != "POST":
            return redirect(door.start_url)
        key = new_token()
        claimed = services.respondent_for_invite(invite=door.invite, browser_key=key)
        if claimed.is_held_by(key):
            door.respondent.browser_key_hash = claimed.browser_key_hash
            door.held, door.new_key = True, key
            return None
    return elsewhere(request, door, json=json)


@login_required
def member_start(request, pk: int):
    door = member_door(request, pk)
    if reason := why_not(door):
        return not_answering(request, door, reason=reason)
    if door.respondent is not None:
        return redirect(door.resume_url)
    form = PerspectiveForm(
        request.POST if request.method == "POST" else None, easy_read=is_easy_read(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            door.respondent = services.respondent_for_member(
                round=door.round, user=request.user, perspective=form.cleaned_data["perspective"]
            )
        except RoundNotAcceptingAnswers as exc:
            return not_answering(request, door, reason=exc.reason, status=409)
        return redirect(door.resume_url)
    return render(
        request,
        "assessments/rounds/answering/start_member.html",
        {
            "door": door,
            "round": door.round,
            "organisation": door.round.organisation,
            "form": form,
            "statement_count": statements_in(door.round),
        },
        status=400 if form.errors else 200,
    )


def gate(request, door: Door) -> HttpResponse | None:
    """What a page of someone's own answers shows instead, if anything: the kind page
    when the round takes no answers; the start page before they have started, and in a
    browser that does not hold the link (whose Start button then says it is in use)."""
    if reason := why_not(door):
        return not_answering(request, door, reason=reason)
    if door.used_elsewhere:
        return redirect(door.start_url)  # as for a link nobody has started
    if refused := not_yours(request, door):
        return refused
    if door.respondent is None:
        return redirect(door.start_url)
    return None


def invite_start(request, token: str):
    door = invite_door(request, token)
    language = open_as_made(request, door.invite) if door.invite is not None else None
    response = bound(request, door, _invite_start(request, door))
    if language:
        language_cookie_set(response, language)
    return response


def _invite_start(request, door: Door):
    assert door.invite is not None  # the invite door always has its invite
    if reason := why_not(door):
        return not_answering(request, door, reason=reason)
    if request.method == "POST":
        if door.used_elsewhere:
            return elsewhere(request, door)
        if refused := not_yours(request, door):
            return refused
        if door.respondent is None:
            key = new_token()
            try:
                door.respondent = services.respondent_for_invite(
                    invite=door.invite, browser_key=key
                )
            except RoundNotAcceptingAnswers as exc:
                return not_answering(request, door, reason=exc.reason, status=409)
            if not door.respondent.is_held_by(key):  # another browser started a moment before
                door.held = False
                return elsewhere(request, door)
            door.new_key = key
        return redirect(door.resume_url)
    return render(
        request,
        "assessments/rounds/answering/start_invite.html",
        {
            "door": door,
            "round": door.round,
            "organisation": door.round.organisation,
            "perspective": door.invite.get_perspective_display(),
            "statement_count": statements_in(door.round),
            # Only the browser that holds the answers is welcomed back: to any other, the
            # page is the one a link nobody has used shows.
            "welcome_back": door.respondent is not None and door.held,
        },
    )


def statements_in(round_: Round) -> int:
    """How many statements the round asks: its framework's, and its instrument's."""
    if round_.instrument_id is None:
        return statement_count(round_.framework_id)
    return PracticeStatement.objects.filter(
        principle__framework_id__in=round_.framework_ids
    ).count()


def round_pages(round_: Round) -> list[tuple[Framework, Principle]]:
    """The answering pages, one a principle: the framework's principles, then its
    instrument's (the four Co's grid), each with the framework version it belongs to."""
    framework = frozen_framework_content(round_.framework)
    pages = [(framework, principle) for principle in framework.principles.all()]
    if round_.instrument is not None:
        instrument = frozen_framework_content(round_.instrument)
        pages += [(instrument, principle) for principle in instrument.principles.all()]
    return pages
