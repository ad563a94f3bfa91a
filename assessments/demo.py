"""Demo data: organisations with answered rounds, agreed positions and actions, and a
facilitator's cohorts.

Riverside (Cahn's four principles) and Hillside (nef/NESTA's six) are the organisations a
newcomer signs in to; Riverside has four closed rounds over three years, so its trend
shows. Six more Cahn organisations make a cohort, run by
facilitator@example.org, large enough for Riverside's results to show the cohort mean: five
with closed rounds, one with a round still open, and one that joined but has not started;
an invitation to a ninth waits for an answer. Hillside is alone in a small nef/NESTA cohort
(a cohort has one framework), where the cohort mean stays hidden: fewer than five
organisations.

Deterministic (a fixed random seed, dates relative to today) and idempotent: an
organisation or cohort that already exists is left as it is, so a second run changes
nothing.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from assessments.accounts.models import (
    AuditKind,
    Membership,
    Organisation,
    Role,
    User,
    new_token,
)
from assessments.accounts.services import audit_record, email_address_verify
from assessments.cohorts.models import Cohort, CohortInvitation, CohortMember
from assessments.cohorts.services import cohort_figures_refresh
from assessments.figures.publishing import publication_update
from assessments.rounds.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    AgreedPosition,
    Answer,
    Evidence,
    Invite,
    Perspective,
    Respondent,
    Round,
    RoundStatus,
    Step,
    token_hash,
)
from assessments.rounds.services import AnswerInput, answers_save
from assessments.workshops.models import Workshop
from assessments.workshops.services import workshop_join, workshop_show, workshop_start
from principles.models import Framework

PASSWORD = "coprod-demo-2026"

ACCOUNTS = [
    ("lead@riverside.example", "Rita Patel", "riverside", Role.LEAD),
    ("member@riverside.example", "Marcus Owen", "riverside", Role.MEMBER),
    ("lead@hillside.example", "Helen Brooks", "hillside", Role.LEAD),
    ("member@hillside.example", "Tom Adeyemi", "hillside", Role.MEMBER),
    ("facilitator@example.org", "Fran Okafor", None, None),
    # The rest of the facilitator's Cahn cohort.
    ("lead@brookfield.example", "Priya Shah", "brookfield", Role.LEAD),
    ("member@brookfield.example", "Dan Kelly", "brookfield", Role.MEMBER),
    ("lead@eastgate.example", "Grace Mensah", "eastgate", Role.LEAD),
    ("member@eastgate.example", "Luke Ferris", "eastgate", Role.MEMBER),
    ("lead@millbrook.example", "Aisha Khan", "millbrook", Role.LEAD),
    ("member@millbrook.example", "Owen Price", "millbrook", Role.MEMBER),
    ("lead@northcote.example", "Sam Lee", "northcote", Role.LEAD),
    ("member@northcote.example", "Beth Morgan", "northcote", Role.MEMBER),
    ("lead@southmere.example", "Nia Roberts", "southmere", Role.LEAD),
    ("member@southmere.example", "Joe Clarke", "southmere", Role.MEMBER),
    ("lead@oakfield.example", "Ravi Desai", "oakfield", Role.LEAD),
    ("member@oakfield.example", "Kate Doyle", "oakfield", Role.MEMBER),
    ("lead@lakeside.example", "Ellen Ward", "lakeside", Role.LEAD),
    # A Welsh organisation on the five principles taught in Wales, whose results can be
    # read through nef's six (the crosswalk between them).
    ("lead@cwmgwyrdd.example", "Siân Hughes", "cwmgwyrdd", Role.LEAD),
    ("member@cwmgwyrdd.example", "Gareth Jones", "cwmgwyrdd", Role.MEMBER),
]

# Who answers in each demo round: (perspective, how many).
PANEL = [
    (Perspective.STAFF, 4),
    (Perspective.MANAGER, 2),
    (Perspective.LIVED_EXPERIENCE, 4),
    (Perspective.CARER, 3),
    (Perspective.PARTNER, 1),
]

NOTES: dict[str, list[str]] = {
    Perspective.STAFF: [
        "We run a users' forum every quarter and report back what changed.",
        "Our new referral form was tested with two people who use the service.",
    ],
    Perspective.LIVED_EXPERIENCE: [
        "I was asked what I thought, but I never heard what happened next.",
        "The peer group is the best thing about the service, and it was our idea.",
        "Meetings are at times when I can't get there on the bus.",
    ],
    Perspective.CARER: ["Carers are asked to help but never paid for their time."],
    Perspective.MANAGER: ["Budgets are still decided before anyone else is in the room."],
}


@dataclass(frozen=True)
class OrgPlan:
    slug: str
    name: str
    framework_slug: str
    round_title: str
    # Mean level by side for each principle (by order): (staff view, lived-experience view).
    views: dict[int, tuple[float, float]]
    # An earlier round on the same framework, so that "what moved" has something to show:
    # its title and how much lower each principle stood then (by order).
    earlier: tuple[str, dict[int, float]] | None = None
    days_ago: int = 40  # when the round opened
    status: str = RoundStatus.CLOSED  # OPEN: still taking answers, with part of the panel
    with_round: bool = True  # False: the organisation has not started a round yet


PLANS = [
    OrgPlan(
        slug="riverside",
        name="Riverside",
        framework_slug="cahn",
        round_title="Adult social care: autumn reflection",
        views={1: (3.3, 2.0), 2: (2.6, 1.8), 3: (2.4, 2.5), 4: (3.0, 2.9)},
        earlier=("Adult social care: spring reflection", {1: 0.2, 2: 0.0, 3: 0.7, 4: 0.5}),
    ),
    OrgPlan(
        slug="hillside",
        name="Hillside",
        framework_slug="nef-nesta",
        round_title="Housing support: first reflection",
        views={
            1: (3.0, 2.2),
            2: (2.8, 2.6),
            3: (2.2, 1.6),
            4: (2.5, 3.1),
            5: (2.0, 1.9),
            6: (2.9, 2.0),
        },
    ),
    # The rest of the Cahn cohort: different strengths, so the heat map has something to say.
    OrgPlan(
        slug="brookfield",
        name="Brookfield",
        framework_slug="cahn",
        round_title="Mental health services: reflection",
        views={1: (3.4, 3.0), 2: (2.2, 1.6), 3: (3.1, 2.8), 4: (3.3, 3.2)},
        days_ago=75,
    ),
    OrgPlan(
        slug="eastgate",
        name="Eastgate",
        framework_slug="cahn",
        round_title="Children's services: reflection",
        views={1: (2.4, 1.7), 2: (2.0, 1.5), 3: (2.6, 2.0), 4: (2.8, 2.3)},
        days_ago=90,
    ),
    OrgPlan(
        slug="millbrook",
        name="Millbrook",
        framework_slug="cahn",
        round_title="Learning disability partnership board: reflection",
        views={1: (3.6, 3.5), 2: (3.2, 3.0), 3: (3.4, 3.3), 4: (3.5, 3.6)},
        days_ago=60,
    ),
    OrgPlan(
        slug="northcote",
        name="Northcote",
        framework_slug="cahn",
        round_title="Commissioning team: reflection",
        views={1: (2.6, 1.5), 2: (1.8, 1.3), 3: (1.9, 1.6), 4: (2.2, 1.8)},
        days_ago=110,
    ),
    OrgPlan(
        slug="southmere",
        name="Southmere",
        framework_slug="cahn",
        round_title="Public health: reflection",
        views={1: (2.9, 2.6), 2: (2.5, 2.4), 3: (2.7, 2.9), 4: (2.3, 2.6)},
        days_ago=50,
    ),
    OrgPlan(
        slug="oakfield",
        name="Oakfield",
        framework_slug="cahn",
        round_title="Carers' support: reflection",
        views={1: (3.0, 2.4), 2: (2.4, 2.0), 3: (2.8, 2.5), 4: (3.0, 2.7)},
        days_ago=10,
        status=RoundStatus.OPEN,
    ),
    OrgPlan(
        slug="cwmgwyrdd",
        name="Cwm Gwyrdd",
        framework_slug="wales-five",
        round_title="Community well-being: reflection",
        views={1: (3.1, 2.3), 2: (2.4, 2.6), 3: (2.9, 2.1), 4: (2.2, 1.7), 5: (2.6, 2.0)},
        days_ago=30,
    ),
    OrgPlan(
        slug="lakeside",
        name="Lakeside",
        framework_slug="cahn",
        round_title="",
        views={},
        with_round=False,
    ),
]


@dataclass(frozen=True)
class CohortPlan:
    name: str
    framework_slug: str
    starts_days_ago: int
    ends_days_ahead: int
    members: tuple[str, ...]  # organisation slugs that accepted
    named: frozenset[str] = frozenset()  # those that let the others see their name
    pending: tuple[str, ...] = ()  # e-mail addresses of invitations not yet answered


FACILITATOR = "facilitator@example.org"

COHORTS = [
    CohortPlan(
        name="North Vale co-production network",
        framework_slug="cahn",
        starts_days_ago=150,
        ends_days_ahead=60,
        members=(
            "riverside",
            "brookfield",
            "eastgate",
            "millbrook",
            "northcote",
            "southmere",
            "oakfield",
            "lakeside",
        ),
        named=frozenset({"brookfield", "millbrook"}),
        pending=("lead@westvale.example",),
    ),
    CohortPlan(
        name="Housing support pilot",
        framework_slug="nef-nesta",
        starts_days_ago=150,
        ends_days_ahead=60,
        members=("hillside",),
    ),
]

LIVED_SIDE = {Perspective.LIVED_EXPERIENCE, Perspective.CARER}
# Hillside's second round asks each statement at nef's three levels: people see their own
# practice as further on than their service's, and that further on than the organisation's.
LEVEL_OFFSETS = [("individual", 0.4), ("service", 0.0), ("organisation", -0.5)]
LEVELS_TITLE = "Housing support: at three levels"


def _level(rng: random.Random, centre: float) -> int:
    if rng.random() < 0.06:
        return 0  # not sure
    return max(1, min(4, round(rng.gauss(centre, 0.7))))


def _account(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=PASSWORD, full_name=name)
    elif not user.check_password(PASSWORD):
        # A demo database from before the password was lengthened to 12 characters or more.
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    # Demo accounts sign in at once: their addresses count as verified.
    email_address_verify(user=user)
    return user


def _build_round(
    plan: OrgPlan,
    organisation: Organisation,
    lead: User,
    member: User,
    *,
    title: str,
    days_ago: int = 40,
    lower: dict[int, float] | None = None,
    with_outcomes: bool = True,
    status: str = RoundStatus.CLOSED,
    at_levels: bool = False,
) -> Round:
    """A closed round with a workshop's worth of answers; with ``with_outcomes``, also agreed
    positions and an action plan. An open round has the first part of the panel only."""
    framework = Framework.objects.filter(slug=plan.framework_slug).order_by("-version").first()
    if framework is None:
        raise RuntimeError("Load the frameworks first: python manage.py load_frameworks")
    rng = random.Random(f"{plan.slug}:{title}")
    opened = timezone.now() - timedelta(days=days_ago)
    closed = opened + timedelta(days=21)
    is_open = status == RoundStatus.OPEN
    round_ = Round.objects.create(
        organisation=organisation,
        framework=framework,
        title=title,
        status=status,
        closes_on=closed.date(),
        created_by=lead,
        opened_at=opened,
        closed_at=None if is_open else closed,
        at_levels=at_levels,
    )
    Round.objects.filter(pk=round_.pk).update(created_at=opened - timedelta(days=3))
    history = [(AuditKind.ROUND_OPENED, "round_opened", opened)]
    if not is_open:
        history.append((AuditKind.ROUND_CLOSED, "round_closed", closed))
    for kind, what, at in history:
        audit_record(
            organisation=organisation,
            kind=kind,
            what=what,
            details={"round": title},
            actor=lead,
            round=round_,
            at=at,
        )
    if is_open:
        closed = timezone.now() - timedelta(hours=2)  # answers so far
    framework.frozen_at = framework.frozen_at or opened
    framework.save(update_fields=["frozen_at"])

    principles = list(framework.principles.prefetch_related("statements").order_by("order"))
    respondents = []
    for perspective, count in PANEL:
        if is_open:
            count = (count + 1) // 2  # about half the people have answered so far
        for n in range(count):
            if perspective == Perspective.STAFF and n == 0:
                respondents.append(
                    Respondent(round=round_, perspective=perspective, user=member, last_page=99)
                )
                continue
            # A link whose token nobody holds: these people answered in the story only.
            invite = Invite.objects.create(
                round=round_,
                perspective=perspective,
                label=f"Workshop {n + 1}",
                created_by=lead,
                token_hash=token_hash(new_token()),
            )
            respondents.append(
                Respondent(round=round_, perspective=perspective, invite=invite, last_page=99)
            )
    for respondent in respondents:
        respondent.finished_at = closed
    Respondent.objects.bulk_create(respondents)

    answers = []
    for respondent in respondents:
        lived = respondent.perspective in LIVED_SIDE
        notes = NOTES.get(respondent.perspective, [])
        for principle in principles:
            staff_view, lived_view = plan.views[principle.order]
            centre = (lived_view if lived else staff_view) - (lower or {}).get(principle.order, 0)
            for statement, (scope, offset) in (
                (statement, level)
                for statement in principle.statements.all()
                for level in (LEVEL_OFFSETS if at_levels else [("", 0.0)])
            ):
                note = ""
                if notes and rng.random() < 0.05:
                    note = rng.choice(notes)
                answers.append(
                    Answer(
                        respondent=respondent,
                        statement=statement,
                        scope=scope,
                        level=_level(rng, centre + offset + rng.uniform(-0.3, 0.3)),
                        note=note,
                        updated_at=max(opened, closed - timedelta(days=rng.randint(1, 20))),
                    )
                )
    Answer.objects.bulk_create(answers)
    publication_update(round=round_)
    if not with_outcomes:
        return round_

    first, second = principles[0], principles[1]
    AgreedPosition.objects.create(
        round=round_,
        statement=first.statements.order_by("order").first(),
        level=2,
        reason="Staff rated this higher, but people who use the service gave examples of being "
        "treated as cases, not people. We agreed we are only starting to move.",
        recorded_by=lead,
    )
    AgreedPosition.objects.create(
        round=round_,
        statement=second.statements.order_by("order").first(),
        level=2,
        reason="Some volunteering is recognised, but nobody is rewarded for their time yet.",
        recorded_by=lead,
    )
    today = timezone.localdate()
    Action.objects.bulk_create(
        [
            Action(
                round=round_,
                principle=first,
                statement=first.statements.order_by("order").first(),
                change_from="Assessments start from what people cannot do.",
                change_to="Every assessment starts with a conversation about what the person "
                "can offer and wants to do.",
                owner="Team manager",
                co_owner="Two members of the peer group",
                due_on=today + timedelta(days=90),
                step=Step.FOCUS,
                status=ActionStatus.IN_PROGRESS,
            ),
            Action(
                round=round_,
                principle=second,
                change_from="People give their time to our panels for nothing.",
                change_to="Anyone who gives time is offered payment or time credits.",
                owner="Commissioning lead",
                co_owner="Carers' forum chair",
                due_on=today + timedelta(days=120),
                step=Step.MAP,
                status=ActionStatus.NOT_STARTED,
            ),
            Action(
                round=round_,
                principle=principles[-1],
                change_from="Meetings happen in office hours at the civic centre.",
                change_to="We meet where people already gather, at times that suit them.",
                owner="Engagement officer",
                co_owner="Peer group volunteer",
                due_on=today + timedelta(days=30),
                step=Step.PEOPLE,
                status=ActionStatus.DONE,
            ),
        ]
    )
    return round_


@transaction.atomic
def load_demo() -> list[str]:
    """Create what is missing of the demo data; report what was created."""
    created = []
    users = {email: _account(email, name) for email, name, _, _ in ACCOUNTS}
    for plan in PLANS:
        organisation, new = Organisation.objects.get_or_create(
            slug=plan.slug, defaults={"name": plan.name}
        )
        for email, _, org_slug, role in ACCOUNTS:
            if org_slug == plan.slug:
                Membership.objects.get_or_create(
                    user=users[email], organisation=organisation, defaults={"role": role}
                )
        if plan.with_round and not organisation.rounds.exists():
            lead = users[f"lead@{plan.slug}.example"]
            member = users[f"member@{plan.slug}.example"]
            round_ = _build_round(
                plan,
                organisation,
                lead,
                member,
                title=plan.round_title,
                days_ago=plan.days_ago,
                status=plan.status,
                with_outcomes=plan.status == RoundStatus.CLOSED,
            )
            created.append(f"{organisation.name}: {round_.title}")
            if plan.earlier:
                title, lower = plan.earlier
                earlier = _build_round(
                    plan,
                    organisation,
                    lead,
                    member,
                    title=title,
                    days_ago=220,
                    lower=lower,
                    with_outcomes=False,
                )
                created.append(f"{organisation.name}: {earlier.title}")
        elif new:
            created.append(organisation.name)
    created += _load_trend(users)
    created += _load_followed_actions(users)
    created += _load_cohorts(users[FACILITATOR])
    created += _load_workshop(users)
    created += _load_evidence()
    created += _load_levels(users)
    return created


def _load_levels(users: dict[str, User]) -> list[str]:
    """Hillside's second round, a fortnight after its first, asks at nef's three levels."""
    hillside = Organisation.objects.filter(slug="hillside").first()
    if hillside is None or hillside.rounds.filter(at_levels=True).exists():
        return []
    plan = next(plan for plan in PLANS if plan.slug == "hillside")
    round_ = _build_round(
        plan,
        hillside,
        users["lead@hillside.example"],
        users["member@hillside.example"],
        title=LEVELS_TITLE,
        days_ago=25,
        with_outcomes=False,
        at_levels=True,
    )
    return [f"Hillside: {round_.title}"]


# Riverside's autumn reflections of the two years before: with its spring and autumn rounds
# this year, four closed rounds, so its trend page and report have a trend to show. Each
# year a little higher than the last (how much lower each principle stood, by order), not
# every principle alike.
TREND_ROUNDS = [
    ("Adult social care: autumn reflection two years ago", 40 + 2 * 365,
     {1: 0.9, 2: 0.3, 3: 1.1, 4: 0.4}),
    ("Adult social care: autumn reflection last year", 40 + 365,
     {1: 0.5, 2: 0.5, 3: 0.8, 4: 0.1}),
]  # fmt: skip


def _load_trend(users: dict[str, User]) -> list[str]:
    organisation = Organisation.objects.filter(slug="riverside").first()
    plan = next(p for p in PLANS if p.slug == "riverside")
    if organisation is None:
        return []
    created = []
    for title, days_ago, lower in TREND_ROUNDS:
        if organisation.rounds.filter(title=title).exists():
            continue
        _build_round(
            plan,
            organisation,
            users["lead@riverside.example"],
            users["member@riverside.example"],
            title=title,
            days_ago=days_ago,
            lower=lower,
            with_outcomes=False,
        )
        created.append(f"{organisation.name}: {title}")
    return created


# What Riverside set out to do after its spring reflection, and how it went: its autumn
# results show each beside how the score it was aimed at moved.
FOLLOWED_ACTIONS = [
    # principle (by order), change from, change to, owner, due (days after the round closed),
    # progress notes (days after, status, note)
    (1, "Care plans are written by staff and signed by the person.",
     "People write their own section of their care plan, with support if they want it.",
     "Practice lead", 90,
     [(30, ActionStatus.IN_PROGRESS, "Tried with six people; the form needed changing first."),
      (100, ActionStatus.DONE, "Every new plan now has the person's own section.")]),
    (3, "Peer supporters are thanked but not paid.",
     "Peer supporters are paid for their time at the rate staff get for the same work.",
     "Commissioning lead", 120,
     [(45, ActionStatus.IN_PROGRESS, "Budget agreed for half the year; payroll set up.")]),
]  # fmt: skip


def _load_followed_actions(users: dict[str, User]) -> list[str]:
    spring = Round.objects.filter(
        organisation__slug="riverside", title="Adult social care: spring reflection"
    ).first()
    if spring is None or spring.actions.exists() or spring.closed_at is None:
        return []
    lead = users["lead@riverside.example"]
    principles = {p.order: p for p in spring.framework.principles.all()}
    for order, change_from, change_to, owner, due, notes in FOLLOWED_ACTIONS:
        principle = principles[order]
        action = Action.objects.create(
            round=spring,
            principle=principle,
            statement=principle.statements.order_by("order").first(),
            change_from=change_from,
            change_to=change_to,
            owner=owner,
            due_on=(spring.closed_at + timedelta(days=due)).date(),
            status=notes[-1][1],
        )
        ActionUpdate.objects.bulk_create(
            ActionUpdate(
                action=action,
                status=status,
                note=note,
                written_by=lead,
                written_at=spring.closed_at + timedelta(days=days),
            )
            for days, status, note in notes
        )
    return [f"Riverside: actions followed from {spring.title}"]


# Evidence a lead wrote behind Riverside's agreed positions: (lines, link, document).
EVIDENCE = [
    (
        "Six of the twelve assessments we audited in October started from what the person "
        "wants to do; the audit sheet is attached.",
        "",
        (
            "assessment-audit-october.csv",
            b"assessment,starts_from_strengths\n"
            + b"".join(f"{n},{'yes' if n % 2 else 'no'}\n".encode() for n in range(1, 13)),
        ),
    ),
    (
        "The peer group's own write-up of the summer listening events.",
        "https://www.example.org/riverside/listening-events",
        None,
    ),
    (
        "The volunteer expenses policy still pays travel only; the board paper proposing "
        "time credits is due in the spring.",
        "",
        None,
    ),
]


def _load_evidence() -> list[str]:
    """Riverside's lead wrote evidence behind two of its agreed positions (once)."""
    positions = list(
        AgreedPosition.objects.filter(round__organisation__slug="riverside")
        .select_related("round", "recorded_by")
        .order_by("pk")
    )
    if not positions or Evidence.objects.filter(position__in=positions).exists():
        return []
    for n, (text, url, document) in enumerate(EVIDENCE):
        position = positions[0] if n < 2 else positions[-1]
        item = Evidence(position=position, text=text, url=url, added_by=position.recorded_by)
        if document is not None:
            name, content = document
            item.filename, item.content_type, item.size = name, "text/csv", len(content)
            item.document.save(name, ContentFile(content), save=False)
        item.save()
    return ["Riverside: evidence behind its agreed positions"]


# Who joined Oakfield's workshop, in order, and where each side sees the first principle.
WORKSHOP_ROOM = [
    Perspective.STAFF,
    Perspective.LIVED_EXPERIENCE,
    Perspective.STAFF,
    Perspective.CARER,
    Perspective.MANAGER,
    Perspective.LIVED_EXPERIENCE,
    Perspective.STAFF,
    Perspective.LIVED_EXPERIENCE,
    Perspective.CARER,
    Perspective.STAFF,
    Perspective.LIVED_EXPERIENCE,
]


def _load_workshop(users: dict[str, User]) -> list[str]:
    """Oakfield's open round has a workshop going on: eleven people joined on their phones
    and answered the first principle (most of them the second too), and the room is shown
    the first principle, whose figures were made once everyone had finished it."""
    round_ = Round.objects.filter(organisation__slug="oakfield", status=RoundStatus.OPEN).first()
    if round_ is None or Workshop.objects.filter(round=round_).exists():
        return []
    lead = users["lead@oakfield.example"]
    workshop = workshop_start(round=round_, by=lead, capacity=30)
    rng = random.Random("oakfield:workshop")
    principles = list(round_.framework.principles.prefetch_related("statements").order_by("order"))
    for number, perspective in enumerate(WORKSHOP_ROOM):
        joined = workshop_join(workshop=workshop, perspective=perspective, address=None)
        respondent = joined.respondent
        respondent.round = round_
        staff = perspective in (Perspective.STAFF, Perspective.MANAGER)
        for principle in principles[: 2 if number < 8 else 1]:
            centre = (3.1 if staff else 2.1) + (0.3 if principle.order > 1 else 0.0)
            answers_save(
                respondent=respondent,
                answers=[
                    AnswerInput(statement_id=s.pk, level=_level(rng, centre))
                    for s in principle.statements.all()
                ],
            )
    workshop_show(workshop=workshop, by=lead, principle=principles[0])
    return [f"Oakfield: a workshop on “{round_.title}”"]


def _load_cohorts(facilitator: User) -> list[str]:
    created = []
    today = timezone.localdate()
    for plan in COHORTS:
        if Cohort.objects.filter(name=plan.name, facilitator=facilitator).exists():
            continue
        framework = Framework.objects.filter(slug=plan.framework_slug).latest("version")
        cohort = Cohort.objects.create(
            name=plan.name,
            framework=framework,
            facilitator=facilitator,
            starts_on=today - timedelta(days=plan.starts_days_ago),
            ends_on=today + timedelta(days=plan.ends_days_ahead),
        )
        joined = timezone.now() - timedelta(days=plan.starts_days_ago - 5)
        for slug in plan.members:
            organisation = Organisation.objects.get(slug=slug)
            lead = organisation.memberships.filter(role=Role.LEAD).select_related("user").first()
            assert lead is not None  # every demo organisation has a lead
            CohortInvitation.objects.create(
                cohort=cohort,
                email=lead.user.email,
                invited_by=facilitator,
                sent_at=joined,
                status=CohortInvitation.Status.ACCEPTED,
                organisation=organisation,
                answered_at=joined,
                token_hash=token_hash(new_token()),
            )
            CohortMember.objects.create(
                cohort=cohort,
                organisation=organisation,
                show_name=slug in plan.named,
                joined_at=joined,
            )
        for email in plan.pending:
            # Its link's token is never shown: the demo's facilitator can Resend it.
            CohortInvitation.objects.create(
                cohort=cohort,
                email=email,
                invited_by=facilitator,
                sent_at=timezone.now(),
                token_hash=token_hash(new_token()),
            )
        cohort_figures_refresh(cohort=cohort)  # as joining does: the dashboard reads these
        count = len(plan.members)
        created.append(f"Cohort: {cohort.name} ({count} organisation{'' if count == 1 else 's'})")
    return created
