"""A round, its answer links, who answered and what they said."""

import hmac
from collections.abc import Iterator, Mapping

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assessments.accounts.models import Organisation, token_hash  # noqa: F401 (for callers)
from principles.models import Framework, PracticeStatement


class Perspective(models.TextChoices):
    STAFF = "staff", _("Staff")
    MANAGER = "manager", _("Manager or leader")
    LIVED_EXPERIENCE = "lived_experience", _("Person with lived experience")
    CARER = "carer", _("Carer or family member")
    PARTNER = "partner", _("Partner organisation")
    COMMUNITY = "community", _("Community member or volunteer")


class Labels(Mapping[str, str]):
    """Labels marked for translation, each read as text in the language active when it is
    read (so that it can go into JSON, a cache key or an f-string like any other text)."""

    def __init__(self, labels: Mapping[str, str | Promise]):
        self._labels = dict(labels)

    def __getitem__(self, key: str) -> str:
        return str(self._labels[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)


PERSPECTIVE_LABELS = Labels(
    {**dict(Perspective.choices), "others": _("Others (small groups combined)")}
)

# Each group in easy read, as the person would say it of themselves: the choice they make,
# and what they are told they chose ("Your group: I use the service").
EASY_PERSPECTIVE_LABELS = Labels(
    {
        Perspective.STAFF: _("I work for the service"),
        Perspective.MANAGER: _("I manage or lead the service"),
        Perspective.LIVED_EXPERIENCE: _("I use the service"),
        Perspective.CARER: _("I care for someone who uses the service"),
        Perspective.PARTNER: _("I work for a group that works with the service"),
        Perspective.COMMUNITY: _("I live nearby, or I help as a volunteer"),
    }
)


class Level(models.IntegerChoices):
    """Where practice stands between a statement's *from* and its *to*."""

    NOT_SURE = 0, _("Not sure")
    FROM = 1, _("Still mostly the from")
    STARTING = 2, _("Starting to move")
    MOSTLY_TO = 3, _("Mostly the to")
    FIRMLY_TO = 4, _("Firmly the to")


LEVEL_HELP = {
    Level.FROM: _("We really haven't got this yet."),
    Level.STARTING: _("We have made a start, but there is a long way to go."),
    Level.MOSTLY_TO: _("We are doing this most of the time."),
    Level.FIRMLY_TO: _("We are doing this really well, and could show you."),
    Level.NOT_SURE: _("I don't know enough to say."),
}


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class RoundQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(organisation__memberships__user=user)


class Round(models.Model):
    """One organisation's reflection at one time against one framework version."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="rounds")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="rounds")
    # A second set of questions asked after the framework's principles: an instrument such
    # as the four Co's grid (principles/scales.py), chosen while the round is a draft. Its
    # answers are published with the round's, cell by cell; the round's own scores are the
    # framework's only.
    instrument = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instrument_rounds",
    )
    title = models.CharField(max_length=150)
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    closes_on = models.DateField(
        null=True, blank=True, help_text=_("Optional. Answers are not taken after this day.")
    )
    figures_while_open = models.BooleanField(
        _("show figures while the round is open"),
        default=False,
        help_text=_(
            "Figures then appear once 3 people have finished, and change only after "
            "every third person more, so nobody’s answers can be picked out. Otherwise they "
            "appear when you close the round."
        ),
    )
    contact = models.CharField(
        _("who to ask"),
        max_length=200,
        blank=True,
        default="",
        help_text=_(
            "Optional. Someone in your team that people can ask about this round, "
            "for example “Sam Patel, 01632 960123”. Printed on answer-link sheets and shown "
            "when a link is first opened."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When each person's answers, notes, links and progress were deleted, the
    # organisation's keeping period after closing (``datarights.retention``), and how many
    # rows went; with how many people had answered and finished, so that the round's pages
    # still say it (in steps of three, ``steps``). Only the published figures are kept.
    answers_deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    answers_deleted_rows = models.PositiveIntegerField(default=0, editable=False)
    people_answered = models.PositiveIntegerField(default=0, editable=False)
    people_finished = models.PositiveIntegerField(default=0, editable=False)

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
    def framework_ids(self) -> list[int]:
        """The framework versions people answer in this round: its framework's, then its
        instrument's if it has one."""
        return [self.framework_id, *([self.instrument_id] if self.instrument_id else [])]

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
    def answers_deleted(self) -> bool:
        return self.answers_deleted_at is not None

    @property
    def accepts_answers(self) -> bool:
        return self.is_open and not self.is_past_closing_date


# What a respondent's ``browser_key_hash`` holds once its binding has ended: no browser
# holds it and none can take it (an empty value would let the first browser to carry on
# take it). Never the SHA-256 of anything, so no cookie matches it. A workshop seat ends
# so when it is handed to the next person, and every link's binding when the round closes.
BINDING_ENDED = "ended"


def invite_path(token: str) -> str:
    """The address of the link with this token, from its welcome page on."""
    return reverse("assessments:invite-start", kwargs={"token": token})


class InviteQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class Invite(models.Model):
    """A personal link for someone without an account to answer one round.

    Only the hash of the link's token is stored (``token_hash``): the link itself is shown
    once, to the lead who made it. Just after it is made, ``raw_token`` holds the token (it
    is never saved); otherwise it is empty, and nobody can rebuild the address."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invites")
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    label = models.CharField(
        max_length=80,
        blank=True,
        default="",
        help_text=_(
            "Optional, for you to tell links apart, e.g. 'Workshop table 3'. "
            "Never shown with answers."
        ),
    )
    email = models.EmailField(blank=True, default="")
    easy_read = models.BooleanField(
        default=False,
        help_text=_(
            "The link opens in easy read (the person can switch back), as for links "
            "given on easy-read sheets."
        ),
    )
    # The language the link's pages (and its printed sheet) are in, one of
    # settings.LANGUAGES, chosen by the lead who made it; empty: the visitor's own (links
    # made before links had a language, and a workshop's). It belongs to the link, never to
    # the answers: nothing records in which language anyone answered.
    language = models.CharField(max_length=15, blank=True, default="", editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Set on the links a workshop makes, one for each phone that joins with its code: they
    # are not listed with the links a lead made, and the room counts them.
    workshop = models.ForeignKey(
        "Workshop",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invites",
        editable=False,
    )

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

    # The token and short code, only on an invite just made (never saved; see the class's
    # docstring and rounds/new_links.py).
    raw_token = ""
    short_code = ""

    @property
    def path(self) -> str:
        """The link's address, known only just after it was made."""
        if not self.raw_token:
            raise ValueError("Only the hash of this link's token is kept: its address is gone.")
        return invite_path(self.raw_token)

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
    # Someone answering by link is bound to one browser: the first to start answering
    # keeps a random 256-bit secret in a cookie, and this is its SHA-256 (``token_hash``,
    # for the same reasons). Only that browser sees and changes the answers. Empty for
    # members, and for links started before browsers were bound, until the first browser
    # carries on with them.
    browser_key_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    # Moving to another device: a one-time code shown in the bound browser (its keyed hash,
    # and until when it works). Wrong codes are counted per network address, in the cache
    # (``services.MOVE_WRONG_CODES``): ``move_code_tries`` is no longer read or written, and
    # can go with the next migration of this table.
    move_code_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    move_code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    move_code_tries = models.PositiveSmallIntegerField(default=0, editable=False)

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

    @property
    def binding_ended(self) -> bool:
        """Whether these answers can no longer be seen or changed in any browser."""
        return self.browser_key_hash == BINDING_ENDED

    def is_held_by(self, browser_key: str | None) -> bool:
        """Whether a browser with this secret is the one bound to these answers."""
        return bool(browser_key and self.browser_key_hash) and hmac.compare_digest(
            self.browser_key_hash, token_hash(browser_key or "")
        )


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
