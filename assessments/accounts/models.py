"""People and the organisations they belong to: accounts, memberships and roles,
invitations to colleagues, and the activity log that records what mattered.
"""

import hashlib
import secrets
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.accounts import activity


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # Sign-in is case-insensitive: Jo@Council.gov.uk and jo@council.gov.uk are one person.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. The e-mail address is the login name."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(max_length=150, blank=True, default="")
    is_staff = models.BooleanField(default=False, help_text=_("Can sign in to the admin site."))
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # The language they chose with the header's switch while signed in ("": not chosen,
    # the browser's decides); the site opens in it whenever they sign in.
    language = models.CharField(max_length=10, blank=True, default="", choices=settings.LANGUAGES)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

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


def token_hash(token: str) -> str:
    """What the database keeps of a link's token: its SHA-256, in hex.

    A plain hash is enough. Tokens are 256 bits, either from the operating system's CSPRNG
    or made from a short code with a hash keyed by the server's secret
    (``new_links.code_token``), so nobody without that secret can find one from its hash by
    trying tokens; a salt or a slow hash protects guessable secrets such as passwords and
    would add nothing here but work on every request. Anyone who reads the database (a
    backup, a leak, an administrator) learns no link, so nobody can open someone's answers
    with what is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


class Role(models.TextChoices):
    LEAD = "lead", _("Lead")
    MEMBER = "member", _("Member")


# How long answers are kept after a round closes, in months: by default, and the bounds a
# lead may choose between (ten years is longer than any council keeps such records).
KEEP_ANSWERS_MONTHS = 12
KEEP_ANSWERS_SHORTEST = 1
KEEP_ANSWERS_LONGEST = 120


class Organisation(models.Model):
    """A council, or a team inside one, that runs self-reflection rounds."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    require_two_step = models.BooleanField(
        "require two-step sign-in",
        default=False,
        help_text=_("Members must turn on two-step sign-in before they see the organisation."),
    )
    # Welsh public bodies often write to everyone in both languages: one e-mail, Welsh first.
    bilingual_emails = models.BooleanField(
        _("send e-mails in Welsh and English"),
        default=False,
        help_text=_("Every e-mail sent for the organisation is in Welsh first, then in English."),
    )
    # How long each person's answers and notes are kept after a round closes: then they are
    # deleted, and only what the round published is kept (``datarights.retention``).
    keep_answers_months = models.PositiveSmallIntegerField(
        _("months to keep answers after a round closes"),
        default=KEEP_ANSWERS_MONTHS,
        validators=[
            MinValueValidator(KEEP_ANSWERS_SHORTEST),
            MaxValueValidator(KEEP_ANSWERS_LONGEST),
        ],
    )
    members: "models.ManyToManyField[User, Membership]" = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    keep_answers_months__gte=KEEP_ANSWERS_SHORTEST,
                    keep_answers_months__lte=KEEP_ANSWERS_LONGEST,
                ),
                name="organisation_keep_answers_months_range",
            ),
        ]

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
    # The link's one-use token is e-mailed and never stored: only its SHA-256 is kept.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the e-mail last went out; empty while the mail server has not taken it.
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    # The token, only on the object that just made or found it (never stored).
    raw_token = ""

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


class AuditKind(models.TextChoices):
    ROUND_OPENED = "round_opened", _("Round opened")
    ROUND_CLOSED = "round_closed", _("Round closed")
    ROUND_REOPENED = "round_reopened", _("Round reopened")
    COLLEAGUE_INVITED = "colleague_invited", _("Colleague invited")
    MEMBER_JOINED = "member_joined", _("Colleague joined")
    ROLE_CHANGED = "role_changed", _("Role changed")
    MEMBER_REMOVED = "member_removed", _("Person removed")
    MEMBER_LEFT = "member_left", _("Person deleted their account")
    LINK_REVOKED = "link_revoked", _("Answer link revoked")
    EXPORTED = "exported", _("Data downloaded")
    COHORT_JOINED = "cohort_joined", _("Joined a cohort")
    COHORT_LEFT = "cohort_left", _("Left a cohort")
    COHORT_NAME = "cohort_name", _("Name shown in a cohort changed")
    COHORT_PERIOD = "cohort_period", _("A cohort's period changed")
    WORKSHOP_STARTED = "workshop_started", _("Workshop started")
    WORKSHOP_LOCKED = "workshop_locked", _("Workshop room locked")
    WORKSHOP_UNLOCKED = "workshop_unlocked", _("Workshop room opened again")
    WORKSHOP_ENDED = "workshop_ended", _("Workshop ended")
    REMINDER_SCHEDULED = "reminder_scheduled", _("Reminder scheduled")
    REMINDER_SENT = "reminder_sent", _("Reminder sent")
    TWO_STEP = "two_step", _("Two-step sign-in requirement changed")
    EMAIL_LANGUAGES = "email_languages", _("Languages of e-mails changed")
    ACTION_DELETED = "action_deleted", _("Action deleted")
    KEEPING_PERIOD = "keeping_period", _("How long answers are kept changed")
    ANSWERS_DELETED = "answers_deleted", _("Answers deleted after the keeping period")
    COHORT_REMINDED = "cohort_reminded", _("Reminded by a cohort's facilitator")
    EVIDENCE_ADDED = "evidence_added", _("Evidence added")
    EVIDENCE_REMOVED = "evidence_removed", _("Evidence removed")
    FRAMEWORK_PUBLISHED = "framework_published", _("Framework published")
    FRAMEWORK_SHARED = "framework_shared", _("Framework added to the shared library")


# A round's history is the part of the activity log about it: these kinds, in order.
ROUND_HISTORY: dict[str, Promise] = {
    AuditKind.ROUND_OPENED: pgettext_lazy("a round's history", "Opened"),
    AuditKind.ROUND_CLOSED: pgettext_lazy("a round's history", "Closed"),
    AuditKind.ROUND_REOPENED: pgettext_lazy("a round's history", "Reopened"),
    AuditKind.ANSWERS_DELETED: pgettext_lazy(
        "a round's history", "Answers and notes deleted at the end of the keeping period"
    ),
}


class AuditEvent(models.Model):
    """The one record of what mattered in an organisation, and who did it: rounds opened,
    closed and reopened (a round's history is read from here); people invited, their roles
    changed, removed; answer links revoked; exports downloaded. Leads read it on the
    organisation's activity page. It never holds answers, notes or tokens."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="audit_events"
    )
    round = models.ForeignKey(
        "Round", on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    kind = models.CharField(max_length=20, choices=AuditKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # What happened, kept as values (``activity.py``: which sentence, and its round title,
    # count, address, date …), so that each reader reads the line in their own language.
    details = models.JSONField(default=dict, blank=True)
    # The line in English as written at the time: all that rows from before ``details``
    # have, and what ``str()`` and a search of the table read.
    summary = models.CharField(max_length=300)
    reason = models.TextField(
        blank=True, default="", help_text=_("The reason given, where one is asked for.")
    )
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

    @property
    def text(self) -> str:
        """The line as the reader reads it, in the active language."""
        return (activity.words(self.details) if self.details else "") or self.summary

    @property
    def history_label(self) -> str:
        """How a round's history names this event ("Opened", "Closed", "Reopened")."""
        return str(ROUND_HISTORY.get(self.kind, self.get_kind_display()))
