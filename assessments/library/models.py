"""Frameworks made on the site: whose they are, and the draft file being written.

A framework made on the site belongs to one organisation (made by a lead) or to one cohort
(made by its facilitator). Its published versions are ordinary ``principles.Framework``
rows, known by the slug kept here and out of the shared library (``Framework.shared``)
until a site administrator adds them to it.
"""

from django.conf import settings
from django.db import models

from assessments.accounts.models import Organisation
from assessments.cohorts.models import Cohort


class OwnFramework(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_frameworks",
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="own_frameworks"
    )
    # The file as last written or uploaded, kept until it passes the check and after.
    text = models.TextField(blank=True, default="")
    # The name the draft gave when it last passed the check, for the lists.
    name = models.CharField(max_length=200, blank=True, default="")
    # Set when first published: the framework's identity, which its file cannot change.
    slug = models.SlugField(max_length=60, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False, cohort__isnull=True)
                | models.Q(organisation__isnull=True, cohort__isnull=False),
                name="own_framework_one_owner",
            ),
            models.UniqueConstraint(
                fields=["slug"], condition=~models.Q(slug=""), name="own_framework_slug_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"Draft {self.pk}"

    @property
    def owner_name(self) -> str:
        owner = self.organisation or self.cohort
        return owner.name if owner is not None else ""

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
