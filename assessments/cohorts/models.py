"""Cohorts: a facilitator's group of organisations reflecting on one framework in one period."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.accounts.models import Organisation
from principles.models import Framework


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
        _("show our name to the other organisations in the cohort"),
        default=False,
        help_text=_(
            "The facilitator always sees your name. Other organisations see it only if "
            "you say yes here; they never see your figures."
        ),
    )
    joined_at = models.DateTimeField(default=timezone.now)
    # Kept by ``cohorts.services.cohort_figures_refresh`` whenever it may change (a round
    # made, opened, closed or reopened, a publication made, the cohort's period changed),
    # so the dashboard can page and sort its organisations in the database: the round that
    # counts for the cohort, and that round's latest publication.
    round = models.ForeignKey(
        "assessments.Round", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    publication = models.ForeignKey(
        "assessments.Publication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "organisation"], name="cohort_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.cohort}"


class CohortInvitationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class CohortInvitation(models.Model):
    """An invitation, e-mailed to an organisation's lead, to bring the organisation into a
    cohort. Any organisation the addressee leads can accept it, once."""

    Status = CohortInvitationStatus

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("lead's e-mail address")
    # The e-mailed link carries a one-use token; only its SHA-256 is kept. Accepting needs
    # it, so an account that merely uses the address cannot take the invitation.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        max_length=10,
        choices=CohortInvitationStatus.choices,
        default=CohortInvitationStatus.PENDING,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the e-mail last went out; empty while the mail server has not taken it.
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organisation that accepted."),
    )

    # The token, only on the object that just made or found it (never stored).
    raw_token = ""

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


class CohortBenchmark(models.Model):
    """A cohort mean as it was shown to the cohort's organisations, from ``made_at`` until
    the next one. It is made only of figures published when rounds closed, and a new one is
    made only when at least four organisations' figures differ from this one's and, set
    beside every earlier one, it tells no organisation anything about one or two others,
    even with its own figures known (see ``assessments.cohorts.benchmark``)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="benchmarks")
    made_at = models.DateTimeField(default=timezone.now)
    organisations = models.JSONField(
        help_text="The [organisation id, publication id] pairs the mean is made of."
    )
    means = models.JSONField(
        help_text="Principle order → the cohort mean, to one decimal place, as shown."
    )

    class Meta:
        ordering = ["cohort", "made_at", "pk"]

    def __str__(self) -> str:
        return f"Cohort mean of {self.cohort} from {self.made_at:%Y-%m-%d %H:%M}"

    @property
    def pairs(self) -> dict[int, int]:
        """organisation id → the publication of it the mean covers."""
        return {organisation: publication for organisation, publication in self.organisations}


class CohortFigures(models.Model):
    """The cohort-level figures of the facilitator's dashboard (progress, cohort means,
    spreads, gaps, hardest statements, for everyone and for each perspective) and how many
    organisations have figures published at close, worked out from the members' latest
    publications when they change, not on every look (``cohorts.services.
    cohort_figures_refresh``). Nothing in it is more than the facilitator can see in the
    heat map."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="figures")
    made_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField()
    # A new one whenever anything the dashboard shows may have changed: the figures worked
    # out again, or a round's title or setting changed. Workers key what they keep of a
    # cohort's pages by it.
    version = models.CharField(max_length=32, default="")

    def __str__(self) -> str:
        return f"Figures of {self.cohort} from {self.made_at:%Y-%m-%d %H:%M}"
