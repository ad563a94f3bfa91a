"""A workshop: a round answered together in a room, on people's own phones, with the
room's figures on a projector.

People join with a short code (``coprod.codes``) while the workshop is open and not
locked. Joining makes a personal answer link for that phone (an ``Invite`` marked with the
workshop) already bound to the phone's browser, so from there on a person answers on the
usual pages, as anyone with a link does. The room's figures are ``RoomSnapshot`` rows
(in ``assessments.reporting``), made with the same disclosure control as a round's
publications.
"""

import hashlib
import hmac
from base64 import urlsafe_b64encode

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.accounts.models import new_token
from assessments.rounds.models import Round
from principles.models import PracticeStatement, Principle

MAX_CAPACITY = 300


def new_projector_nonce() -> str:
    """What a workshop keeps to make its projector key from: 256 random bits."""
    return new_token()


def projector_key(workshop_pk: int, nonce: str) -> str:
    """The key in the projector view's address: HMAC-SHA256 keyed with ``SECRET_KEY`` over
    the workshop and its random nonce, so the database alone gives no working key, any lead
    of the round can be shown it again, and a new nonce (or none, once the workshop has
    ended) makes every earlier key useless."""
    if not nonce:
        return ""
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"coprod.workshop-projector:{workshop_pk}:{nonce}".encode(),
        hashlib.sha256,
    ).digest()
    return urlsafe_b64encode(digest).decode().rstrip("=")


class WorkshopQuerySet(models.QuerySet):
    def live(self):
        """Workshops not ended yet (at most one a round)."""
        return self.filter(ended_at__isnull=True)

    def locked(self, pk: int) -> "Workshop":
        """Inside a transaction: the workshop's row locked, its round locked first. Saving an
        answer locks the round and may then move the workshop's version, so every write
        that locks both takes the round first, and none waits for another in a circle
        (PostgreSQL; SQLite has one writer at a time)."""
        round_id = self.filter(pk=pk).values_list("round_id", flat=True).get()
        round_ = Round.objects.select_for_update(of=("self",), no_key=True).get(pk=round_id)
        workshop = self.select_for_update(of=("self",)).get(pk=pk)
        workshop.round = round_
        return workshop


class Workshop(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="workshops")
    # The join code in normalised form (coprod.codes): capitals and digits that cannot be
    # mistaken for one another, shown as "KX7M-9HPA". Never reused, so an old code can
    # never lead into a later workshop.
    code = models.CharField(max_length=8, unique=True, editable=False)
    capacity = models.PositiveSmallIntegerField(
        _("how many people can join"),
        default=40,
        help_text=_(
            "Nobody can join once this many have, so a code read out in a room cannot "
            "be used to flood the round from outside."
        ),
    )
    locked = models.BooleanField(default=False, help_text=_("Nobody new can join."))
    # The principle whose figures the room is shown, if any (the lead chooses "show").
    shown_principle = models.ForeignKey(
        Principle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The statement of the shown principle the projector shows, one at a time (none: the
    # first in the room's order): a statement's figures fill the screen at a size read
    # from the back of the room, and the lead steps through them from their own page.
    shown_statement = models.ForeignKey(
        PracticeStatement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The room reads in easy read: the projector shows the easy-read names, statements and
    # scale words, and phones joining open the answering pages in easy read.
    easy_read = models.BooleanField(default=False)
    # The room's language (a code of settings.LANGUAGES): the projector and the phones that
    # join show their pages in it, unless a phone has chosen a language for itself. The
    # lead's language when the workshop starts; the lead can change it from the room page.
    language = models.CharField(max_length=16, blank=True, default="")
    # Goes up with every change the room's view shows (someone joining, someone answering
    # the last statement of a principle, a new snapshot, the lead's choices), in the same
    # transaction as the change: the poll's ETag, so an unchanged room costs one row read.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The projector key is made from this (``projector_key``); a new one when the lead asks
    # for a new projector address, and none once the workshop has ended.
    projector_nonce = models.CharField(
        max_length=64, blank=True, default=new_projector_nonce, editable=False
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"],
                condition=models.Q(ended_at__isnull=True),
                name="workshop_one_live_per_round",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1, capacity__lte=MAX_CAPACITY),
                name="workshop_capacity_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Workshop {self.display_code} ({self.round})"

    @property
    def display_code(self) -> str:
        from coprod.codes import display

        return display(self.code)

    @property
    def projector_key(self) -> str:
        return projector_key(self.pk, self.projector_nonce) if self.is_live else ""

    def projector_key_matches(self, key: str) -> bool:
        """Whether ``key`` opens this workshop's projector view: only while it is live, and
        compared in constant time."""
        mine = self.projector_key
        return bool(mine) and hmac.compare_digest(mine.encode(), key.encode())

    @property
    def is_live(self) -> bool:
        return self.ended_at is None

    @property
    def room_language(self) -> str:
        """The language the room's screens show: its own, or the site's default when it has
        none or one the site no longer offers."""
        offered = {code for code, _ in settings.LANGUAGES}
        return self.language if self.language in offered else settings.LANGUAGE_CODE

    @property
    def takes_joins(self) -> bool:
        return self.is_live and not self.locked
