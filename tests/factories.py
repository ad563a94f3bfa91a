"""Small factories for tests: each makes one valid object with sensible defaults."""

import itertools

from assessments.accounts.models import Membership, Organisation, Role, User
from assessments.rounds.models import Answer, Invite, Respondent, Round, RoundStatus
from principles.models import Framework
from principles.services import frameworks_load

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def framework(slug: str = "cahn") -> Framework:
    found = Framework.objects.filter(slug=slug).order_by("-version").first()
    if found is None:
        frameworks_load()
        found = Framework.objects.filter(slug=slug).order_by("-version").first()
    return found


def user(email: str | None = None, **extra) -> User:
    email = email or f"person{next(_seq)}@example.org"
    return User.objects.create_user(email=email, password=PASSWORD, **extra)


def organisation(name: str | None = None, lead: User | None = None) -> Organisation:
    org = Organisation.objects.create(name=name or f"Team {next(_seq)}", slug=f"team-{next(_seq)}")
    if lead is not None:
        Membership.objects.create(user=lead, organisation=org, role=Role.LEAD)
    return org


def member(org: Organisation, role: str = Role.MEMBER, email: str | None = None) -> User:
    person = user(email)
    Membership.objects.create(user=person, organisation=org, role=role)
    return person


def round(
    org: Organisation, status: str = RoundStatus.OPEN, slug: str = "cahn", title: str = ""
) -> Round:
    fw = framework(slug)
    r = Round.objects.create(
        organisation=org, framework=fw, title=title or f"Round {next(_seq)}", status=status
    )
    if status != RoundStatus.DRAFT:
        fw.frozen_at = fw.frozen_at or r.created_at
        fw.save(update_fields=["frozen_at"])
    return r


def invite(r: Round, perspective: str = "lived_experience", label: str = "") -> Invite:
    return Invite.objects.create(round=r, perspective=perspective, label=label)


def respondent(r: Round, perspective: str = "staff", user: User | None = None) -> Respondent:
    """Someone who answered by a link of their own (or, with ``user``, signed in), made in a
    round of any status: tests need answers in rounds closed long ago."""
    if user is None:
        return Respondent.objects.create(
            round=r, perspective=perspective, invite=invite(r, perspective)
        )
    return Respondent.objects.create(round=r, perspective=perspective, user=user)


def answer_all(resp: Respondent, level=3, note: str = "") -> list[Answer]:
    """Answer every statement of the round; `level` may be a number or f(statement) -> number."""
    statements = [s for p in resp.round.framework.principles.all() for s in p.statements.all()]
    answers = [
        Answer(
            respondent=resp,
            statement=s,
            level=level(s) if callable(level) else level,
            note=note,
        )
        for s in statements
    ]
    return Answer.objects.bulk_create(answers)
