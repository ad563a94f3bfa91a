"""Who reflects, in which organisation; what they answered; what they agreed and will do."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from principles.models import Framework, PracticeStatement, Principle


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # Sign-in is case-insensitive: Jo@Council.gov.uk and jo@council.gov.uk are one person.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. The e-mail address is the login name."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150, blank=True, default="")
    is_staff = models.BooleanField(default=False, help_text="Can sign in to the admin site.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


def new_token() -> str:
    """An unguessable link token: 256 bits from the operating system's CSPRNG."""
    return secrets.token_urlsafe(32)


class Role(models.TextChoices):
    LEAD = "lead", "Lead"
    MEMBER = "member", "Member"


class Perspective(models.TextChoices):
    STAFF = "staff", "Staff"
    MANAGER = "manager", "Manager or leader"
    LIVED_EXPERIENCE = "lived_experience", "Person with lived experience"
    CARER = "carer", "Carer or family member"
    PARTNER = "partner", "Partner organisation"
    COMMUNITY = "community", "Community member or volunteer"


PERSPECTIVE_LABELS = {**dict(Perspective.choices), "others": "Others (small groups combined)"}


class Level(models.IntegerChoices):
    """Where practice stands between a statement's *from* and its *to*."""

    NOT_SURE = 0, "Not sure"
    FROM = 1, "Still mostly the from"
    STARTING = 2, "Starting to move"
    MOSTLY_TO = 3, "Mostly the to"
    FIRMLY_TO = 4, "Firmly the to"


LEVEL_HELP = {
    Level.FROM: "We really haven't got this yet.",
    Level.STARTING: "We have made a start, but there is a long way to go.",
    Level.MOSTLY_TO: "We are doing this most of the time.",
    Level.FIRMLY_TO: "We are doing this really well, and could show you.",
    Level.NOT_SURE: "I don't know enough to say.",
}


class Organisation(models.Model):
    """A council, or a team inside one, that runs self-reflection rounds."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessments:organisation", kwargs={"org": self.slug})


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation} ({self.role})"

    @property
    def is_lead(self) -> bool:
        return self.role == Role.LEAD


class ColleagueInvite(models.Model):
    """An e-mailed invitation for a colleague to join an organisation with an account."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="colleague_invites"
    )
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "organisation",
                condition=models.Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="colleague_invite_pending_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.organisation}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class RoundQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(organisation__memberships__user=user)


class Round(models.Model):
    """One organisation's reflection at one time against one framework version."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="rounds")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="rounds")
    title = models.CharField(max_length=150)
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    closes_on = models.DateField(
        null=True, blank=True, help_text="Optional. Answers are not taken after this day."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=RoundStatus.values), name="round_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessments:round", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == RoundStatus.CLOSED

    @property
    def is_past_closing_date(self) -> bool:
        return self.closes_on is not None and timezone.localdate() > self.closes_on

    @property
    def accepts_answers(self) -> bool:
        return self.is_open and not self.is_past_closing_date


class RoundEvent(models.Model):
    """The record of a round's life: opened, closed, reopened, and by whom."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Opened"
        CLOSED = "closed", "Closed"
        REOPENED = "reopened", "Reopened"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.round} {self.kind} at {self.at:%Y-%m-%d %H:%M}"


class InviteQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class Invite(models.Model):
    """A personal link for someone without an account to answer one round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invites")
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    label = models.CharField(
        max_length=80,
        blank=True,
        default="",
        help_text="Optional, for you to tell links apart, e.g. 'Workshop table 3'. "
        "Never shown with answers.",
    )
    email = models.EmailField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InviteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(perspective__in=Perspective.values),
                name="invite_perspective_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Invite {self.pk} ({self.get_perspective_display()})"

    def get_absolute_url(self) -> str:
        return reverse("assessments:invite-start", kwargs={"token": self.token})

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class Respondent(models.Model):
    """Someone answering in a round: a signed-in member, or the holder of one invite link."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="respondents")
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="respondents",
    )
    invite = models.OneToOneField(
        Invite, on_delete=models.CASCADE, null=True, blank=True, related_name="respondent"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_page = models.PositiveSmallIntegerField(default=1)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"],
                condition=models.Q(user__isnull=False),
                name="respondent_one_per_member",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, invite__isnull=True)
                | models.Q(user__isnull=True, invite__isnull=False),
                name="respondent_member_xor_invite",
            ),
            models.CheckConstraint(
                condition=models.Q(perspective__in=Perspective.values),
                name="respondent_perspective_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Respondent {self.pk} ({self.get_perspective_display()})"


class Answer(models.Model):
    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    statement = models.ForeignKey(
        PracticeStatement, on_delete=models.PROTECT, related_name="answers"
    )
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    note = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["respondent", "statement"], name="answer_once"),
            models.CheckConstraint(
                condition=models.Q(level__gte=0, level__lte=4), name="answer_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent_id} on {self.statement_id}: {self.level}"


class AgreedPosition(models.Model):
    """After the discussion: the level the group agrees on for a statement, and why."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="agreed_positions")
    statement = models.ForeignKey(PracticeStatement, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        choices=[c for c in Level.choices if c[0] != Level.NOT_SURE]
    )
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "statement"], name="agreed_position_once"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="agreed_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.statement_id} agreed at {self.level}"


class Step(models.TextChoices):
    """Governance International's five steps, used as the stage an action is at."""

    MAP = "map", "Map it"
    FOCUS = "focus", "Focus it"
    PEOPLE = "people", "People it"
    MARKET = "market", "Market it"
    GROW = "grow", "Grow it"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


OPEN_ACTION_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class Action(models.Model):
    """What the team will change, tied to a principle (and optionally a statement)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="actions")
    principle = models.ForeignKey(Principle, on_delete=models.PROTECT, related_name="+")
    statement = models.ForeignKey(
        PracticeStatement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    change_from = models.TextField("what happens now")
    change_to = models.TextField("what will happen instead")
    owner = models.CharField(max_length=120)
    co_owner = models.CharField(
        "co-owner",
        max_length=120,
        blank=True,
        default="",
        help_text="Someone who uses the service and shares ownership of this action.",
    )
    due_on = models.DateField("due", null=True, blank=True)
    step = models.CharField(max_length=10, choices=Step.choices, default=Step.MAP)
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_into"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["principle__order", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(step__in=Step.values), name="action_step_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.change_to[:80]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES


class AuditKind(models.TextChoices):
    ROUND_OPENED = "round_opened", "Round opened"
    ROUND_CLOSED = "round_closed", "Round closed"
    ROUND_REOPENED = "round_reopened", "Round reopened"
    COLLEAGUE_INVITED = "colleague_invited", "Colleague invited"
    MEMBER_JOINED = "member_joined", "Colleague joined"
    ROLE_CHANGED = "role_changed", "Role changed"
    MEMBER_REMOVED = "member_removed", "Person removed"
    MEMBER_LEFT = "member_left", "Person deleted their account"
    LINK_REVOKED = "link_revoked", "Answer link revoked"
    EXPORTED = "exported", "Data downloaded"
    COHORT_JOINED = "cohort_joined", "Joined a cohort"
    COHORT_LEFT = "cohort_left", "Left a cohort"
    COHORT_NAME = "cohort_name", "Name shown in a cohort changed"


class AuditEvent(models.Model):
    """The record of what mattered in an organisation, and who did it: rounds opened,
    closed and reopened; people invited, their roles changed, removed; answer links revoked;
    exports downloaded. Leads read it on the organisation's activity page. It never holds
    answers, notes or tokens."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="audit_events"
    )
    round = models.ForeignKey(
        Round, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=AuditKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    summary = models.CharField(max_length=300)
    at = models.DateTimeField(default=timezone.now)  # indexed with the organisation, below

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-at"], name="audit_org_at")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AuditKind.values), name="audit_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.summary}"


# Cohorts -------------------------------------------------------------------------------


class Cohort(models.Model):
    """A facilitator's group of organisations reflecting on one framework in one period.

    Whoever creates a cohort is its facilitator: a facilitator is simply someone who runs a
    cohort. An organisation joins only when its lead accepts an invitation, and its rounds on
    the cohort's framework opened within the period then belong to the cohort.
    """

    name = models.CharField(max_length=150)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="cohorts")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohorts_run"
    )
    starts_on = models.DateField("start of the period")
    ends_on = models.DateField("end of the period")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="cohort_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessments:cohort", kwargs={"pk": self.pk})


class CohortMember(models.Model):
    """An organisation that accepted a cohort's invitation. Leaving deletes the row."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="cohort_memberships"
    )
    show_name = models.BooleanField(
        "show our name to the other organisations in the cohort",
        default=False,
        help_text="The facilitator always sees your name. Other organisations see it only if "
        "you say yes here; they never see your figures.",
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "organisation"], name="cohort_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.cohort}"


class CohortInvitationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"


class CohortInvitation(models.Model):
    """An invitation, e-mailed to an organisation's lead, to bring the organisation into a
    cohort. Any organisation the addressee leads can accept it, once."""

    Status = CohortInvitationStatus

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("lead's e-mail address")
    status = models.CharField(
        max_length=10,
        choices=CohortInvitationStatus.choices,
        default=CohortInvitationStatus.PENDING,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The organisation that accepted.",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "cohort",
                condition=models.Q(status=CohortInvitationStatus.PENDING),
                name="cohort_invitation_pending_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=CohortInvitationStatus.values),
                name="cohort_invitation_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.cohort}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:cohort-invitation", kwargs={"pk": self.pk})

    @property
    def is_pending(self) -> bool:
        return self.status == CohortInvitationStatus.PENDING
