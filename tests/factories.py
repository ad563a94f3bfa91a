"""Small factories for tests: each makes one valid object with sensible defaults."""

import itertools

from django.utils import timezone

from assessments.accounts import services as account_services
from assessments.accounts.models import (
    ColleagueInvite,
    Membership,
    Organisation,
    Role,
    User,
    new_token,
)
from assessments.cohorts.models import CohortInvitation
from assessments.figures.publishing import publication_update
from assessments.rounds import services
from assessments.rounds.models import Answer, Invite, Respondent, Round, RoundStatus, token_hash
from principles.models import Framework
from principles.services import frameworks_load

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def framework(slug: str = "cahn") -> Framework:
    found = Framework.objects.filter(slug=slug).order_by("-version").first()
    if found is None:
        frameworks_load()
        found = Framework.objects.filter(slug=slug).latest("version")
    return found


def user(email: str | None = None, *, verified: bool = True, **extra) -> User:
    """An account as sign-up makes it; ``verified`` once its e-mailed link was opened."""
    email = email or f"person{next(_seq)}@example.org"
    made = User.objects.create_user(email=email, password=PASSWORD, **extra)
    if verified:
        account_services.email_address_verify(user=made)
    return made


def organisation(name: str | None = None, lead: User | None = None) -> Organisation:
    """An organisation, made as sign-up makes it when it has a lead."""
    name = name or f"Team {next(_seq)}"
    if lead is not None:
        return account_services.organisation_create(name=name, lead=lead)
    return Organisation.objects.create(name=name, slug=f"team-{next(_seq)}")


def member(org: Organisation, role: str = Role.MEMBER, email: str | None = None) -> User:
    person = user(email)
    Membership.objects.create(user=person, organisation=org, role=role)
    return person


def round(
    org: Organisation,
    status: str = RoundStatus.OPEN,
    slug: str = "cahn",
    title: str = "",
    by: User | None = None,
    figures_while_open: bool = False,
    instrument: str = "",
) -> Round:
    """A round made, opened and closed through the services, as a lead would: an open round
    has its open time, a frozen framework and its entry in the activity log. With
    ``instrument`` (a slug, such as "four-cos"), that instrument is added to it."""
    r = services.round_create(
        organisation=org,
        framework=framework(slug),
        title=title or f"Round {next(_seq)}",
        closes_on=None,
        created_by=by,
        figures_while_open=figures_while_open,
        instrument=framework(instrument) if instrument else None,
    )
    if status != RoundStatus.DRAFT:
        services.round_open(round=r, by=by)
    if status == RoundStatus.CLOSED:
        services.round_close(round=r, by=by)
    return r


def invite(r: Round, perspective: str = "lived_experience", label: str = "") -> Invite:
    """A link, stored as the services store it (the hash of its token only); its token is
    on ``invite.raw_token``, as the lead who made it would have it."""
    token = new_token()
    made = Invite.objects.create(
        round=r, perspective=perspective, label=label, token_hash=token_hash(token)
    )
    made.raw_token = token
    return made


def respondent(r: Round, perspective: str = "staff", user: User | None = None) -> Respondent:
    """Someone who answered by a link of their own (or, with ``user``, signed in), made in a
    round of any status (tests need answers in rounds closed long ago); a link's respondent
    is bound to a browser nobody in the test holds."""
    if user is None:
        return Respondent.objects.create(
            round=r,
            perspective=perspective,
            invite=invite(r, perspective),
            browser_key_hash=token_hash(new_token()),
        )
    return Respondent.objects.create(round=r, perspective=perspective, user=user)


def answer_all(resp: Respondent, level=3, note: str = "", *, finished: bool = True) -> list[Answer]:
    """Answer every statement of the round; `level` may be a number or f(statement) -> number.
    Like a person pressing "Finish" at the end, unless ``finished`` is False: in an open
    round the figures are published as every third person finishes. Answers put into a
    closed round stand for answers given before it closed, so its figures are published
    again as at its close (when the disclosure rules allow a new publication)."""
    frameworks = [resp.round.framework, *([resp.round.instrument] if resp.round.instrument else [])]
    statements = [s for f in frameworks for p in f.principles.all() for s in p.statements.all()]
    answers = [
        Answer(
            respondent=resp,
            statement=s,
            level=level(s) if callable(level) else level,
            note=note,
        )
        for s in statements
    ]
    made = Answer.objects.bulk_create(answers)
    if resp.round.is_closed:
        if finished:
            Respondent.objects.filter(pk=resp.pk).update(finished_at=timezone.now())
        publication_update(round=resp.round, closing=True)
    elif finished:
        services.respondent_progress(respondent=resp, page=len(statements), finished=True)
    return made


def colleague_invite(**fields) -> ColleagueInvite:
    """A colleague invitation with a known one-use token (``raw_token``), as if e-mailed."""
    raw = new_token()
    invite = ColleagueInvite.objects.create(token_hash=token_hash(raw), **fields)
    invite.raw_token = raw
    return invite


def cohort_invitation(**fields) -> CohortInvitation:
    """A cohort invitation with a known one-use token (``raw_token``), as if e-mailed."""
    raw = new_token()
    invitation = CohortInvitation.objects.create(token_hash=token_hash(raw), **fields)
    invitation.raw_token = raw
    return invitation
