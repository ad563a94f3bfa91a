"""Answering a round: one principle per page, every answer saved as it is given.

Each page is a plain form that works without JavaScript; ``static/js/autosave.js`` also
saves each answer the moment it is given, through the autosave endpoint. Who may see and
change the answers is settled at the door (``views.door``).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from assessments.rounds import selectors, services
from assessments.rounds.models import LEVEL_HELP, Level
from assessments.rounds.services import NOTE_MAX, RoundNotAcceptingAnswers
from assessments.web.rounds.views.door import (
    Door,
    bound,
    gate,
    invite_door,
    member_door,
    not_answering,
    not_yours,
    round_pages,
    statements_in,
    why_not,
)
from principles import scales
from principles.models import PracticeStatement
from principles.reading import is_easy_read
from principles.templatetags.wording import principle_name

# The pages -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelChoice:
    """One choice of the scale, in standard wording and in easy read (plain words and a
    symbol: a circle filled as far as practice has got, a question mark for not sure)."""

    value: int
    label: str | Promise
    help: str | Promise
    easy_label: str | Promise
    easy_help: str | Promise
    symbol: str  # empty, quarter, three-quarters, full, unsure


EASY_LEVELS = {
    Level.FROM: (gettext_lazy("Not yet"), gettext_lazy("We do not do this yet."), "empty"),
    Level.STARTING: (
        gettext_lazy("A little"),
        gettext_lazy("We have started to do this."),
        "quarter",
    ),
    Level.MOSTLY_TO: (
        gettext_lazy("Mostly"),
        gettext_lazy("We do this most of the time."),
        "three-quarters",
    ),
    Level.FIRMLY_TO: (gettext_lazy("Really well"), gettext_lazy("We do this really well."), "full"),
    Level.NOT_SURE: (gettext_lazy("I don't know"), gettext_lazy("I am not sure."), "unsure"),
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
    # The scale's choices: the framework's own words where it has them (``scale_choices``)
    fields: list[dict] | None = None

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
            for choice in (self.fields or _CHOICE_FIELDS)
        ]


def scale_choices(framework) -> list[dict] | None:
    """A framework's own scale as the template's choices (its words for standard and easy
    read alike, the same symbols), or None for the usual scale."""
    steps = scales.steps(framework.scale)
    if not steps:
        return None
    words = {step.value: (step.label, step.help) for step in steps}
    return [
        {**choice, "label": words[choice["value"]][0], "help": words[choice["value"]][1]}
        | {"easy_label": words[choice["value"]][0], "easy_help": words[choice["value"]][1]}
        if choice["value"] in words
        else choice
        for choice in _CHOICE_FIELDS
    ]


def _read_item(statement, data, fields=None) -> tuple[Item, services.AnswerInput | None]:
    """What the form says about one statement: an answer to save, or an error to show."""
    raw_level = (data.get(f"level-{statement.pk}") or "").strip()
    note = (data.get(f"note-{statement.pk}") or "").replace("\x00", "").strip()
    item = Item(statement=statement, level=raw_level, note=note, fields=fields)
    if len(note) > NOTE_MAX:
        item.error = ngettext(
            "Keep your note to %(max)s characters (it has %(count)s).",
            "Keep your note to %(max)s characters (it has %(count)s).",
            len(note),
        ) % {"max": NOTE_MAX, "count": len(note)}
        return item, None
    if not raw_level:
        if note:
            item.error = _("Choose where things are, or “Not sure”, so your note can be saved.")
        return item, None
    try:
        level = int(raw_level)
    except ValueError:
        level = None
    if level not in Level.values:
        item.error = _("Choose one of the options.")
        item.level = ""
        return item, None
    return item, services.AnswerInput(statement_id=statement.pk, level=level, note=note)


def _page(request, door: Door, page: int):
    if stop := gate(request, door):
        return stop
    assert door.respondent is not None  # gate has sent anyone else to the start

    pages = round_pages(door.round)
    principles = [principle for _framework, principle in pages]
    if not 1 <= page <= len(principles):
        raise Http404(_("There is no such page in this round."))
    framework, principle = pages[page - 1]
    fields = scale_choices(framework)
    statements = list(principle.statements.all())
    # Changing one answer from "Check your answers": that statement alone, and saving it
    # goes straight back there rather than on through the later principles.
    changing = next((s for s in statements if str(s.pk) == request.GET.get("change")), None)
    if changing is not None:
        statements = [changing]
    saved = door.saved if door.saved is not None else selectors.respondent_answers(door.respondent)

    easy_read = is_easy_read(request)
    if request.method == "POST":
        read = [_read_item(statement, request.POST, fields) for statement in statements]
        items = [item for item, _ in read]
        to_save = [answer for _, answer in read if answer is not None]
        try:
            services.answers_save(respondent=door.respondent, answers=to_save)
        except RoundNotAcceptingAnswers as exc:
            return not_answering(request, door, reason=exc.reason, status=409)
        saved = selectors.respondent_answers(door.respondent)
        if not any(item.error for item in items) and changing is not None:
            return redirect(f"{door.done_url}#check-{changing.pk}")
        if not any(item.error for item in items):
            target = request.POST.get("go", "next")
            if target in ("next", "done") and not any(s.pk in saved for s in statements):
                messages.info(
                    request,
                    _(
                        "You did not answer anything on “%(principle)s”. That is fine if you "
                        "meant to; you can go back to it at any time before you finish."
                    )
                    % {"principle": principle_name(principle, easy_read)},
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
            elif target == "hand-over" and door.invite and door.invite.workshop_id:
                next_page, url = page, door.url("hand-over")
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
                fields=fields,
            )
            for statement in statements
        ]
        if door.respondent.last_page != page and changing is None:
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
            # the instrument's pages (the four Co's grid), after the principles
            "instrument": framework if framework.pk != door.round.framework_id else None,
            "principle": principle,
            "principles": [(p, answered_by_principle[p.pk]) for p in principles],
            "page": page,
            "pages": len(principles),
            "items": items,
            "changing": changing,
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
    if reason := why_not(door):
        return JsonResponse(
            {"error": _("This round is not taking answers."), "reason": reason}, status=409
        )
    if door.respondent is None or door.used_elsewhere:  # the same for both: see ``door``
        return JsonResponse({"error": _("Start answering from the first page.")}, status=400)
    if refused := not_yours(request, door, json=True):
        return refused
    try:
        statement_id = int(request.POST.get("statement", ""))
    except ValueError:
        return JsonResponse({"error": _("Which statement is this answer for?")}, status=400)
    statement = (
        PracticeStatement.objects.filter(principle__framework_id__in=door.round.framework_ids)
        .select_related("principle")
        .filter(pk=statement_id)
        .first()
    )
    if statement is None:
        return JsonResponse({"error": _("That statement is not part of this round.")}, status=400)
    item, answer = _read_item(statement, request.POST)
    if answer is None:
        return JsonResponse({"error": item.error or _("Choose an option first.")}, status=400)
    try:
        services.answers_save(respondent=door.respondent, answers=[answer])
    except RoundNotAcceptingAnswers as exc:
        return JsonResponse({"error": str(exc), "reason": exc.reason}, status=409)
    answered = selectors.respondent_answer_count(door.respondent)
    total = statements_in(door.round)
    return JsonResponse({"saved": True, "answered": answered, "total": total})


def _done(request, door: Door):
    if stop := gate(request, door):
        return stop
    assert door.respondent is not None  # gate has sent anyone else to the start
    pages = round_pages(door.round)
    principles = [principle for _framework, principle in pages]
    saved = selectors.respondent_answers(door.respondent)
    if request.method == "POST":
        try:
            services.respondent_progress(
                respondent=door.respondent, page=door.respondent.last_page, finished=True
            )
        except RoundNotAcceptingAnswers as exc:
            return not_answering(request, door, reason=exc.reason, status=409)
        door.respondent.refresh_from_db(fields=["finished_at"])
    total = sum(len(p.statements.all()) for p in principles)
    # "Check your answers": every statement with what was chosen, and a link to change it;
    # above it, the principles with statements not answered yet, each a link to its first
    # such row below (whose "Answer" comes back here).
    easy_read = is_easy_read(request)
    check = []
    missing = []
    for number, (framework, principle) in enumerate(pages, start=1):
        page_url = door.page_url(number)
        fields = scale_choices(framework)
        rows = [
            (
                statement,
                saved.get(statement.pk),
                _level_words(saved.get(statement.pk), easy_read, fields),
                f"{page_url}?change={statement.pk}",
            )
            for statement in principle.statements.all()
        ]
        check.append((number, principle, rows))
        unanswered = [statement for statement, answer, _, _ in rows if answer is None]
        if unanswered:
            missing.append((f"#check-{unanswered[0].pk}", principle, unanswered))
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


def _level_words(answer, easy_read: bool, fields: list[dict] | None = None) -> str:
    if answer is None:
        return ""
    choice = next(c for c in (fields or _CHOICE_FIELDS) if c["value"] == answer.level)
    return str(choice["easy_label"] if easy_read else choice["label"])


# Member URLs ---------------------------------------------------------------------------


@login_required
def member_page(request, pk: int, page: int):
    return _page(request, member_door(request, pk, with_answers=request.method == "GET"), page)


@login_required
@require_POST
def member_autosave(request, pk: int):
    return _autosave(request, member_door(request, pk))


@login_required
def member_done(request, pk: int):
    return _done(request, member_door(request, pk))


# Invite-link URLs ----------------------------------------------------------------------


def invite_page(request, token: str, page: int):
    door = invite_door(request, token)
    return bound(request, door, _page(request, door, page))


@require_POST
def invite_autosave(request, token: str):
    door = invite_door(request, token)
    return bound(request, door, _autosave(request, door))


def invite_done(request, token: str):
    door = invite_door(request, token)
    return bound(request, door, _done(request, door))
