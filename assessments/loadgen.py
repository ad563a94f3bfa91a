"""Synthetic organisations with closed, answered rounds, for benchmarks and load tests.

Everything made here says what it is: organisations are called "Load test org 0001", their
leads have addresses at load-test.invalid and no usable password, and invite links are
labelled "Load test" (their tokens, "load-test-" and a number, are kept only as a hash).
The same seed gives the same data. Rows are written with bulk_create in batches, a block of
organisations per transaction, so a thousand organisations with twenty respondents each
(320,000 answers on Cahn's framework) take well under a minute or two.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from assessments.accounts.models import AuditEvent, AuditKind, Membership, Organisation, Role, User
from assessments.cohorts import services
from assessments.cohorts.models import Cohort, CohortMember
from assessments.documents.stamp import stamp_renew
from assessments.figures.publishing import publication_update
from assessments.rounds.models import (
    Answer,
    Invite,
    Perspective,
    Respondent,
    Round,
    RoundStatus,
    token_hash,
)
from principles.models import Framework, PracticeStatement
from principles.services import framework_freeze

NAME = "Load test org {:04d}"
SLUG = "load-test-org-{:04d}"
LEAD_EMAIL = "load-lead-{:04d}@load-test.invalid"
BATCH = 5000
ORGS_PER_TRANSACTION = 50

# How often each perspective turns up among the respondents of a round.
PERSPECTIVE_WEIGHTS = {
    Perspective.STAFF: 30,
    Perspective.MANAGER: 10,
    Perspective.LIVED_EXPERIENCE: 30,
    Perspective.CARER: 10,
    Perspective.PARTNER: 10,
    Perspective.COMMUNITY: 10,
}
NOT_SURE_SHARE = 0.08
NOTE_SHARE = 0.05


@dataclass
class Generated:
    organisations: list[Organisation]
    rounds: int
    respondents: int
    answers: int
    cohort: Cohort | None = None


def generate_load(
    *,
    orgs: int,
    respondents: int,
    framework_slug: str = "cahn",
    seed: int = 1,
    cohort: str = "",
    facilitator: str = "",
) -> Generated:
    """Make ``orgs`` organisations, each with a lead and one closed round on the latest
    version of the framework answered by ``respondents`` people of mixed perspectives; with
    ``cohort``, also a cohort of that name run by ``facilitator`` (an e-mail address; the
    account is made, without a usable password, if there is none) holding them all."""
    if cohort and not facilitator:
        raise ValueError("A cohort needs a facilitator's e-mail address.")
    framework = Framework.objects.filter(slug=framework_slug).order_by("-version").first()
    if framework is None:
        raise ValueError(f"No framework {framework_slug!r}: run manage.py load_frameworks.")
    if Organisation.objects.filter(slug=SLUG.format(1)).exists():
        raise ValueError("Load test organisations already exist in this database.")
    statements = list(
        PracticeStatement.objects.filter(principle__framework=framework)
        .order_by("principle__order", "order")
        .values_list("pk", "principle__order")
    )
    framework_freeze(framework=framework)

    rng = random.Random(seed)
    perspectives = list(PERSPECTIVE_WEIGHTS)
    weights = list(PERSPECTIVE_WEIGHTS.values())
    unusable = make_password(None)
    now = timezone.now()
    made: list[Organisation] = []
    totals = {"rounds": 0, "respondents": 0, "answers": 0}

    for start in range(1, orgs + 1, ORGS_PER_TRANSACTION):
        numbers = range(start, min(start + ORGS_PER_TRANSACTION, orgs + 1))
        with transaction.atomic():
            block = Organisation.objects.bulk_create(
                [Organisation(name=NAME.format(n), slug=SLUG.format(n)) for n in numbers],
                batch_size=BATCH,
            )
            leads = User.objects.bulk_create(
                [
                    User(email=LEAD_EMAIL.format(n), password=unusable, full_name="Load test lead")
                    for n in numbers
                ],
                batch_size=BATCH,
            )
            Membership.objects.bulk_create(
                [
                    Membership(user=lead, organisation=org, role=Role.LEAD)
                    for org, lead in zip(block, leads, strict=True)
                ],
                batch_size=BATCH,
            )
            rounds = []
            for org in block:
                opened = now - timedelta(days=rng.randint(20, 60), minutes=rng.randint(0, 1440))
                rounds.append(
                    Round(
                        organisation=org,
                        framework=framework,
                        title="Load test round",
                        status=RoundStatus.CLOSED,
                        created_by_id=None,
                        opened_at=opened,
                        closed_at=opened + timedelta(days=14),
                    )
                )
            rounds = Round.objects.bulk_create(rounds, batch_size=BATCH)
            AuditEvent.objects.bulk_create(
                [
                    AuditEvent(
                        organisation_id=r.organisation_id,
                        round=r,
                        kind=kind,
                        details={"what": what, "round": r.title},
                        summary=f"Round “{r.title}” {done}.",
                        at=at,
                    )
                    for r in rounds
                    for kind, what, done, at in (
                        (AuditKind.ROUND_OPENED, "round_opened", "opened", r.opened_at),
                        (AuditKind.ROUND_CLOSED, "round_closed", "closed", r.closed_at),
                    )
                    if at is not None  # both set just above
                ],
                batch_size=BATCH,
            )

            # Respondent 1 of each round is the lead, signed in as staff; the others came
            # through invite links with their perspective drawn from the weights.
            invites: list[Invite] = []
            plan: list[tuple[Round, Perspective, User | None, Invite | None]] = []
            for r, lead in zip(rounds, leads, strict=True):
                plan.append((r, Perspective.STAFF, lead, None))
                for _ in range(respondents - 1):
                    perspective = rng.choices(perspectives, weights)[0]
                    invite = Invite(
                        round=r,
                        perspective=perspective,
                        token_hash=token_hash(f"load-test-{rng.getrandbits(128):032x}"),
                        label="Load test",
                    )
                    invites.append(invite)
                    plan.append((r, perspective, None, invite))
            Invite.objects.bulk_create(invites, batch_size=BATCH)
            people = Respondent.objects.bulk_create(
                [
                    Respondent(
                        round=r,
                        perspective=perspective,
                        user=user,
                        invite=invite,
                        last_page=1,
                        finished_at=r.closed_at,
                    )
                    for r, perspective, user, invite in plan
                ],
                batch_size=BATCH,
            )

            answers = []
            # Each organisation is somewhere on each principle; people who use services see
            # it a little lower than staff do, as they often do.
            leaning = {
                r.pk: {order: rng.uniform(1.5, 3.5) for _, order in statements} for r in rounds
            }
            for person in people:
                closed_at = person.round.closed_at
                assert closed_at is not None  # set on every round above
                shift = -0.4 if person.perspective == Perspective.LIVED_EXPERIENCE else 0.0
                for statement_id, order in statements:
                    if rng.random() < NOT_SURE_SHARE:
                        level = 0
                    else:
                        centre = leaning[person.round_id][order] + shift
                        level = min(4, max(1, round(rng.gauss(centre, 0.8))))
                    note = ""
                    if rng.random() < NOTE_SHARE:
                        note = f"Synthetic note {rng.randint(1, 9999)} written for load testing."
                    answers.append(
                        Answer(
                            respondent=person,
                            statement_id=statement_id,
                            level=level,
                            note=note,
                            updated_at=closed_at,
                        )
                    )
            Answer.objects.bulk_create(answers, batch_size=BATCH)
            for r in rounds:
                publication_update(round=r, closing=True)

        made.extend(block)
        totals["rounds"] += len(rounds)
        totals["respondents"] += len(people)
        totals["answers"] += len(answers)

    generated = Generated(
        organisations=made,
        rounds=totals["rounds"],
        respondents=totals["respondents"],
        answers=totals["answers"],
    )
    if cohort:
        generated.cohort = _cohort(cohort, facilitator, framework, made, now)
    stamp_renew()  # rounds and cohort members were written in bulk, past the models' signals
    return generated


def _cohort(name: str, email: str, framework, organisations, now) -> Cohort:
    """A cohort whose period holds every generated round, with every organisation in it."""
    person = User.objects.filter(email__iexact=email).first()
    if person is None:
        person = User.objects.create_user(email=email, password=None)
    with transaction.atomic():
        made = services.cohort_create(
            name=name,
            framework=framework,
            starts_on=timezone.localdate(now) - timedelta(days=90),
            ends_on=timezone.localdate(now) + timedelta(days=30),
            facilitator=person,
        )
        CohortMember.objects.bulk_create(
            [CohortMember(cohort=made, organisation=org) for org in organisations],
            batch_size=BATCH,
        )
        services.cohort_figures_refresh(cohort=made)
    return made
