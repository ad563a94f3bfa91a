"""Answering a round: one principle per page, every answer saved as it is given.

Two doors lead here: members sign in (and choose their perspective once per round), and
people without an account use their personal invite link. Past the door both see the same
pages. Each page is a plain form that works without JavaScript; ``static/js/autosave.js``
also saves each answer the moment it is given, through the autosave endpoint.

A link's answers are readable only by the person answering, so a link is bound to one
browser: the first to start answering gets a random secret in a signed, HttpOnly cookie
that only the link's own pages receive, and the respondent keeps its hash. Every later
request on the link without that cookie (whoever holds the link: someone it was forwarded
to, or the lead who made it) gets a calm page instead of the answers, and cannot change
them. A link started before browsers were bound is bound to the first browser that
carries on with it.

To carry on elsewhere, the bound browser shows a one-time code ("Continue on another
device"); typed on the link's page in another browser, it moves the binding there, and the
first browser loses the answers. Nobody without the bound browser in hand can get a code.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments.accounts.models import new_token
from assessments.rounds import selectors, services
from assessments.rounds.models import (
    LEVEL_HELP,
    Invite,
    Level,
    Perspective,
    Respondent,
    Round,
    RoundStatus,
    invite_path,
)
from assessments.rounds.services import NOTE_MAX, RoundNotAcceptingAnswers
from assessments.web.access import invite_for_token, round_for_user
from principles.models import PracticeStatement
from principles.reading import has_reading_choice, is_easy_read, set_easy_read
from principles.selectors import framework_statements, frozen_framework_content, statement_count
from principles.templatetags.wording import principle_name

ANSWER_COOKIE = "answer_key"
ANSWER_COOKIE_AGE = 365 * 24 * 60 * 60  # rounds run for weeks; people come back


@dataclass
class Door:
    """Who is answering, and the addresses of their pages."""

    round: Round
    respondent: Respondent | None
    invite: Invite | None = None
    held: bool = True  # this browser may see and change the answers (members: always)
    saved: dict | None = None  # the respondent's answers by statement, when read with them
    new_key: str = ""  # a secret to give this browser with the response: it is now bound

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

    def page_url(self, number: int) -> str:
        return self.url("page", page=number)

    @property
    def resume_url(self) -> str:
        """The page the respondent left off on, or the round's last page if that is past
        it (a respondent who finished is kept at the end, whatever the framework's size)."""
        assert self.respondent is not None
        pages = len(frozen_framework_content(self.round.framework).principles.all())
        return self.page_url(max(1, min(self.respondent.last_page, pages)))


# The kind pages ------------------------------------------------------------------------


def _not_answering(request, door: Door, *, reason: str, status: int = 200):
    """A calm page instead of an error: the round is closed, not open yet, or the link was
    revoked."""
    return render(
        request,
        "assessments/rounds/answering/closed.html",
        {"round": door.round, "organisation": door.round.organisation, "reason": reason},
        status=status,
    )


def _why_not(door: Door) -> str | None:
    if door.invite is not None and door.invite.is_revoked:
        return "revoked"
    if door.round.status == RoundStatus.DRAFT:
        return "draft"
    if not door.round.accepts_answers:
        return "closed"
    return None


# Doors ---------------------------------------------------------------------------------


def _member_door(request, pk: int, *, with_answers: bool = False) -> Door:
    round_, _ = round_for_user(request.user, pk)
    saved = None
    if with_answers:  # a page of statements: the answers with the respondent, one query
        respondent, saved = selectors.member_respondent_with_answers(round_, request.user)
    else:
        respondent = selectors.member_respondent(round_, request.user)
    if respondent is not None:
        respondent.round = round_  # loaded already: saving answers needs its framework
    return Door(round=round_, respondent=respondent, saved=saved)


def _invite_door(request, token: str) -> Door:
    invite = invite_for_token(token)
    respondent: Respondent | None
    try:
        respondent = invite.respondent
    except Respondent.DoesNotExist:
        respondent = None
    else:
        respondent.round = invite.round  # loaded already: saving answers needs its framework
    held = respondent is None or respondent.is_held_by(_browser_key(request, invite))
    return Door(round=invite.round, respondent=respondent, invite=invite, held=held)


# One browser per link ------------------------------------------------------------------


def _cookie_salt(invite: Invite) -> str:
    return f"coprod.answer-key.{invite.pk}"


def _browser_key(request, invite: Invite) -> str | None:
    return request.get_signed_cookie(ANSWER_COOKIE, default=None, salt=_cookie_salt(invite))


def _bound(request, door: Door, response: HttpResponse) -> HttpResponse:
    """Give the browser its secret, if it has just been bound to the link's answers. The
    cookie goes only to the link's own pages (its path), never to a script (HttpOnly),
    only over HTTPS where the site uses it, and not with requests from other sites."""
    if door.new_key and door.invite is not None:
        give_answer_key(request, response, invite=door.invite, key=door.new_key)
    return response


def give_answer_key(request, response: HttpResponse, *, invite: Invite, key: str) -> None:
    """The cookie that binds a browser to a link's answers (see ``_bound``); also given by
    a workshop to the phone that joined, whose link is bound to it from the start."""
    response.set_signed_cookie(
        ANSWER_COOKIE,
        key,
        salt=_cookie_salt(invite),
        max_age=ANSWER_COOKIE_AGE,
        path=invite_path(invite.raw_token),
        secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def _elsewhere(request, door: Door, *, json: bool = False, code: str = "", error: str = ""):
    """The link's answers belong to another browser: say so calmly, show nothing of them,
    and offer to move them here with a code from that browser."""
    if json:
        return JsonResponse(
            {
                "error": "This link is being used in another browser, so answers cannot be "
                "saved here.",
                "reason": "elsewhere",
            },
            status=403,
        )
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


def _not_yours(request, door: Door, *, json: bool = False):
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
    return _elsewhere(request, door, json=json)


class PerspectiveForm(forms.Form):
    perspective = forms.ChoiceField(
        label="Which of these best describes you in this round?",
        choices=Perspective.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the one that fits you best."},
        help_text="It is used only to show how different groups see things; nobody sees "
        "what you said. You can change it later if you chose the wrong one.",
    )


@login_required
def member_start(request, pk: int):
    door = _member_door(request, pk)
    if reason := _why_not(door):
        return _not_answering(request, door, reason=reason)
    if door.respondent is not None:
        return redirect(door.resume_url)
    form = PerspectiveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            door.respondent = services.respondent_for_member(
                round=door.round, user=request.user, perspective=form.cleaned_data["perspective"]
            )
        except RoundNotAcceptingAnswers as exc:
            return _not_answering(request, door, reason=exc.reason, status=409)
        return redirect(door.resume_url)
    return render(
        request,
        "assessments/rounds/answering/start_member.html",
        {
            "door": door,
            "round": door.round,
            "organisation": door.round.organisation,
            "form": form,
            "statement_count": _statement_count(door.round),
        },
        status=400 if form.errors else 200,
    )


def _gate(request, door: Door) -> HttpResponse | None:
    """What a page of someone's own answers shows instead, if anything: the kind page
    when the round takes no answers, the "elsewhere" page in a browser that does not hold
    the link, the start page before they have started."""
    if reason := _why_not(door):
        return _not_answering(request, door, reason=reason)
    if refused := _not_yours(request, door):
        return refused
    if door.respondent is None:
        return redirect(door.start_url)
    return None


def _group(request, door: Door):
    """Change the group someone answers as, keeping every answer they gave."""
    if stop := _gate(request, door):
        return stop
    assert door.respondent is not None  # _gate has sent anyone else to the start
    respondent = door.respondent
    form = PerspectiveForm(
        request.POST if request.method == "POST" else None,
        initial={"perspective": respondent.perspective},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.respondent_perspective_change(
                respondent=respondent, perspective=form.cleaned_data["perspective"]
            )
        except RoundNotAcceptingAnswers as exc:
            return _not_answering(request, door, reason=exc.reason, status=409)
        messages.success(
            request, f"You are now answering as: {respondent.get_perspective_display()}."
        )
        return redirect(door.resume_url)
    return render(
        request,
        "assessments/rounds/answering/group.html",
        {
            "door": door,
            "round": door.round,
            "organisation": door.round.organisation,
            "form": form,
            "back_url": door.resume_url,
        },
        status=400 if form.errors else 200,
    )


@login_required
def member_group(request, pk: int):
    return _group(request, _member_door(request, pk))


def invite_group(request, token: str):
    door = _invite_door(request, token)
    return _bound(request, door, _group(request, door))


def invite_start(request, token: str):
    door = _invite_door(request, token)
    if door.invite is not None and door.invite.easy_read and not has_reading_choice(request):
        set_easy_read(request, True)  # an easy-read link opens in easy read, once
    return _bound(request, door, _invite_start(request, door))


def _invite_start(request, door: Door):
    assert door.invite is not None  # the invite door always has its invite
    if reason := _why_not(door):
        return _not_answering(request, door, reason=reason)
    if door.respondent is not None and not door.held and door.respondent.browser_key_hash:
        return _elsewhere(request, door)
    if request.method == "POST":
        if refused := _not_yours(request, door):
            return refused
        if door.respondent is None:
            key = new_token()
            try:
                door.respondent = services.respondent_for_invite(
                    invite=door.invite, browser_key=key
                )
            except RoundNotAcceptingAnswers as exc:
                return _not_answering(request, door, reason=exc.reason, status=409)
            if not door.respondent.is_held_by(key):  # another browser started a moment before
                door.held = False
                return _elsewhere(request, door)
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
            "statement_count": _statement_count(door.round),
        },
    )


def _statement_count(round_: Round) -> int:
    return statement_count(round_.framework_id)


# The pages -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelChoice:
    """One choice of the scale, in standard wording and in easy read (plain words and a
    symbol: a circle filled as far as practice has got, a question mark for not sure)."""

    value: int
    label: str
    help: str
    easy_label: str
    easy_help: str
    symbol: str  # empty, quarter, three-quarters, full, unsure


EASY_LEVELS = {
    Level.FROM: ("Not yet", "We do not do this yet.", "empty"),
    Level.STARTING: ("A little", "We have started to do this.", "quarter"),
    Level.MOSTLY_TO: ("Mostly", "We do this most of the time.", "three-quarters"),
    Level.FIRMLY_TO: ("Really well", "We do this really well.", "full"),
    Level.NOT_SURE: ("I don't know", "I am not sure.", "unsure"),
}
LEVEL_CHOICES = [
    LevelChoice(level.value, level.label, LEVEL_HELP[level], *EASY_LEVELS[level])
    for level in (Level.FROM, Level.STARTING, Level.MOSTLY_TO, Level.FIRMLY_TO, Level.NOT_SURE)
]
# The choices as the template reads them: plain dicts, the quickest lookups it has, since
# a page shows five for each statement.
_CHOICE_FIELDS = [{**vars(choice), "text": str(choice.value)} for choice in LEVEL_CHOICES]


@dataclass
class Item:
    """One statement on a page, with what the respondent has given or is giving."""

    statement: PracticeStatement
    level: str  # as the form holds it: "" for no answer yet
    note: str
    error: str = ""

    @property
    def field(self) -> str:
        return f"level-{self.statement.pk}"

    @property
    def note_field(self) -> str:
        return f"note-{self.statement.pk}"

    @property
    def blank(self) -> bool:
        """Nothing of this person's to show: no choice, no note, no error. Its fieldset is
        then the same for everyone, and the page keeps it (answering/page.html)."""
        return not (self.level or self.note or self.error)

    @property
    def choices(self) -> list[dict]:
        """The scale's choices for this statement's fieldset, with this person's checked."""
        field = self.field
        return [
            {**choice, "id": f"{field}-{choice['text']}", "checked": choice["text"] == self.level}
            for choice in _CHOICE_FIELDS
        ]


def _read_item(statement, data) -> tuple[Item, services.AnswerInput | None]:
    """What the form says about one statement: an answer to save, or an error to show."""
    raw_level = (data.get(f"level-{statement.pk}") or "").strip()
    note = (data.get(f"note-{statement.pk}") or "").replace("\x00", "").strip()
    item = Item(statement=statement, level=raw_level, note=note)
    if len(note) > NOTE_MAX:
        item.error = f"Keep your note to {NOTE_MAX} characters (it has {len(note)})."
        return item, None
    if not raw_level:
        if note:
            item.error = "Choose where things are, or “Not sure”, so your note can be saved."
        return item, None
    try:
        level = int(raw_level)
    except ValueError:
        level = None
    if level not in Level.values:
        item.error = "Choose one of the options."
        item.level = ""
        return item, None
    return item, services.AnswerInput(statement_id=statement.pk, level=level, note=note)


def _page(request, door: Door, page: int):
    if stop := _gate(request, door):
        return stop
    assert door.respondent is not None  # _gate has sent anyone else to the start

    framework = frozen_framework_content(door.round.framework)
    principles = list(framework.principles.all())
    if not 1 <= page <= len(principles):
        raise Http404("There is no such page in this round.")
    principle = principles[page - 1]
    statements = list(principle.statements.all())
    saved = door.saved if door.saved is not None else selectors.respondent_answers(door.respondent)

    easy_read = is_easy_read(request)
    if request.method == "POST":
        read = [_read_item(statement, request.POST) for statement in statements]
        items = [item for item, _ in read]
        to_save = [answer for _, answer in read if answer is not None]
        try:
            services.answers_save(respondent=door.respondent, answers=to_save)
        except RoundNotAcceptingAnswers as exc:
            return _not_answering(request, door, reason=exc.reason, status=409)
        saved = selectors.respondent_answers(door.respondent)
        if not any(item.error for item in items):
            target = request.POST.get("go", "next")
            if target in ("next", "done") and not any(s.pk in saved for s in statements):
                messages.info(
                    request,
                    f"You did not answer anything on “{principle_name(principle, easy_read)}”. "
                    "That is fine if you meant to; you can go back to it at any time before "
                    "you finish.",
                )
            jump = target.removeprefix("page-")
            if jump.isdigit() and 1 <= int(jump) <= len(principles):
                next_page, url = int(jump), door.page_url(int(jump))
            elif target == "back" and page > 1:
                next_page, url = page - 1, door.page_url(page - 1)
            elif target == "next" and page < len(principles):
                next_page, url = page + 1, door.page_url(page + 1)
            elif target == "stay":
                next_page, url = page, door.page_url(page)
            else:
                next_page, url = page, door.done_url
            services.respondent_progress(respondent=door.respondent, page=next_page)
            return redirect(url)
        status = 400
    else:
        items = [
            Item(
                statement=statement,
                level=str(saved[statement.pk].level) if statement.pk in saved else "",
                note=saved[statement.pk].note if statement.pk in saved else "",
            )
            for statement in statements
        ]
        if door.respondent.last_page != page:
            services.respondent_progress(respondent=door.respondent, page=page)
        status = 200

    total = sum(len(p.statements.all()) for p in principles)
    answered_by_principle = {
        p.pk: sum(1 for s in p.statements.all() if s.pk in saved) for p in principles
    }
    return render(
        request,
        "assessments/rounds/answering/page.html",
        {
            "door": door,
            "round": door.round,
            "organisation": door.round.organisation,
            "framework": framework,
            "principle": principle,
            "principles": [(p, answered_by_principle[p.pk]) for p in principles],
            "page": page,
            "pages": len(principles),
            "items": items,
            "errors": [item for item in items if item.error],
            "answered": len(saved),
            "total": total,
            "percent": round(100 * len(saved) / total) if total else 0,
            "note_max": NOTE_MAX,
        },
        status=status,
    )


def _autosave(request, door: Door):
    """Save one statement's answer and say how far the respondent has got, as JSON."""
    if door.respondent is None:
        return JsonResponse({"error": "Start answering from the first page."}, status=400)
    if reason := _why_not(door):
        return JsonResponse(
            {"error": "This round is not taking answers.", "reason": reason}, status=409
        )
    if refused := _not_yours(request, door, json=True):
        return refused
    try:
        statement_id = int(request.POST.get("statement", ""))
    except ValueError:
        return JsonResponse({"error": "Which statement is this answer for?"}, status=400)
    statement = framework_statements(door.round.framework_id).filter(pk=statement_id).first()
    if statement is None:
        return JsonResponse({"error": "That statement is not part of this round."}, status=400)
    item, answer = _read_item(statement, request.POST)
    if answer is None:
        return JsonResponse({"error": item.error or "Choose an option first."}, status=400)
    try:
        services.answers_save(respondent=door.respondent, answers=[answer])
    except RoundNotAcceptingAnswers as exc:
        return JsonResponse({"error": str(exc), "reason": exc.reason}, status=409)
    answered = selectors.respondent_answer_count(door.respondent)
    total = _statement_count(door.round)
    return JsonResponse({"saved": True, "answered": answered, "total": total})


def _done(request, door: Door):
    if stop := _gate(request, door):
        return stop
    assert door.respondent is not None  # _gate has sent anyone else to the start
    framework = frozen_framework_content(door.round.framework)
    principles = list(framework.principles.all())
    saved = selectors.respondent_answers(door.respondent)
    if request.method == "POST":
        try:
            services.respondent_progress(
                respondent=door.respondent, page=door.respondent.last_page, finished=True
            )
        except RoundNotAcceptingAnswers as exc:
            return _not_answering(request, door, reason=exc.reason, status=409)
        door.respondent.refresh_from_db(fields=["finished_at"])
    total = sum(len(p.statements.all()) for p in principles)
    # "Check your answers": every statement with what was chosen, and a link to change it;
    # above it, the principles with statements not answered yet.
    easy_read = is_easy_read(request)
    check = []
    missing = []
    for number, principle in enumerate(principles, start=1):
        page_url = door.page_url(number)
        rows = [
            (
                statement,
                saved.get(statement.pk),
                _level_words(saved.get(statement.pk), easy_read),
                f"{page_url}#answer-{statement.pk}",
            )
            for statement in principle.statements.all()
        ]
        check.append((number, principle, rows))
        unanswered = [statement for statement, answer, _, _ in rows if answer is None]
        if unanswered:
            missing.append((page_url, principle, unanswered))
    return render(
        request,
        "assessments/rounds/answering/done.html",
        {
            "door": door,
            "round": door.round,
            "organisation": door.round.organisation,
            "answered": len(saved),
            "total": total,
            "percent": round(100 * len(saved) / total) if total else 0,
            "missing": missing,
            "check": check,
            "finished": door.respondent.finished_at is not None,
            "last_page_url": door.page_url(len(principles)),
        },
    )


def _level_words(answer, easy_read: bool) -> str:
    if answer is None:
        return ""
    choice = next(c for c in LEVEL_CHOICES if c.value == answer.level)
    return choice.easy_label if easy_read else choice.label


# Moving to another device --------------------------------------------------------------


def invite_move(request, token: str):
    """In the bound browser: a one-time code to move the answers to another device."""
    door = _invite_door(request, token)
    if reason := _why_not(door):
        return _not_answering(request, door, reason=reason)
    if refused := _not_yours(request, door):
        return _bound(request, door, refused)
    if door.respondent is None:
        return redirect(door.start_url)
    code = expires = None
    if request.method == "POST":
        code, expires = services.respondent_move_code(respondent=door.respondent)
    return _bound(
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
    door = _invite_door(request, token)
    if reason := _why_not(door):
        return _not_answering(request, door, reason=reason)
    if door.respondent is None or not door.respondent.browser_key_hash:
        return redirect(door.start_url)
    if door.held:
        return redirect(door.resume_url)
    typed = (request.POST.get("code") or "")[:40]
    key = new_token()
    try:
        services.respondent_move(respondent=door.respondent, code=typed, browser_key=key)
    except services.MoveRefused as exc:
        return _elsewhere(request, door, code=typed, error=str(exc))
    door.held, door.new_key = True, key
    return _bound(request, door, redirect(door.resume_url))


# Member URLs ---------------------------------------------------------------------------


@login_required
def member_page(request, pk: int, page: int):
    return _page(request, _member_door(request, pk, with_answers=request.method == "GET"), page)


@login_required
@require_POST
def member_autosave(request, pk: int):
    return _autosave(request, _member_door(request, pk))


@login_required
def member_done(request, pk: int):
    return _done(request, _member_door(request, pk))


# Invite-link URLs ----------------------------------------------------------------------


def invite_page(request, token: str, page: int):
    door = _invite_door(request, token)
    return _bound(request, door, _page(request, door, page))


@require_POST
def invite_autosave(request, token: str):
    door = _invite_door(request, token)
    return _bound(request, door, _autosave(request, door))


def invite_done(request, token: str):
    door = _invite_door(request, token)
    return _bound(request, door, _done(request, door))
