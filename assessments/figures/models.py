"""What a round publishes: its figures, computed once with disclosure control and stored."""

from django.db import models
from django.utils import timezone


class Publication(models.Model):
    """One published set of a round's figures. Never changed once made: every page, export
    and cohort view reads the round's latest publication, never the answers themselves.

    ``figures`` is what readers show (counts of each level per statement and group, and
    the notes); ``ledger`` is kept for the next publication's disclosure check only (who
    each published figure covered) and is never shown or exported."""

    round = models.ForeignKey("Round", on_delete=models.CASCADE, related_name="publications")
    number = models.PositiveIntegerField()
    made_at = models.DateTimeField(default=timezone.now)
    closing = models.BooleanField(
        default=False, help_text="Made when the round closed, from everyone who answered."
    )
    respondents = models.PositiveIntegerField()
    figures = models.JSONField()
    ledger = models.JSONField()
    # Derived from ``figures`` when the publication is made, so that cohort pages read a
    # few numbers instead of every count: the people in each group shown, each group's
    # statement and principle scores (statements by position, "principle.statement"), and
    # the perception gap per principle. See ``publishing.publication_scores``.
    scores = models.JSONField(default=dict)

    class Meta:
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="publication_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round} publication {self.number} ({self.respondents} people)"


class PublicationScore(models.Model):
    """A principle score of one group (or everyone) in a publication, as a row, so that a
    cohort's heat map can be sorted and paged by it in the database. A copy of what
    ``Publication.scores`` says; made with the publication, never changed."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="principle_scores"
    )
    group = models.CharField(max_length=20)  # "all", a perspective, or "others"
    principle = models.PositiveSmallIntegerField()  # the principle's order
    score = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "group", "principle"], name="publication_score_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication}: {self.group} principle {self.principle} {self.score:.2f}"


class RoomSnapshot(models.Model):
    """The figures a workshop's room is shown for one principle: made with the same
    disclosure control as a ``Publication`` (and checked against the round's publications
    and every other snapshot of the round), stored, never changed, and only read by the
    projector. A new one is made only when at least three more people in the room have
    answered every statement of the principle (``workshops.room.room_figures_update``)."""

    workshop = models.ForeignKey("Workshop", on_delete=models.CASCADE, related_name="snapshots")
    principle = models.ForeignKey(
        "principles.Principle", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField()
    made_at = models.DateTimeField(default=timezone.now)
    people = models.PositiveIntegerField()
    figures = models.JSONField()
    ledger = models.JSONField()  # who each figure covers: for the next check only

    class Meta:
        ordering = ["workshop", "principle", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "principle", "number"], name="room_snapshot_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.workshop} snapshot {self.number} ({self.people} people)"
