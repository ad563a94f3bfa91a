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

    class Meta:
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="publication_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round} publication {self.number} ({self.respondents} people)"
