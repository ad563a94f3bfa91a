"""What good co-production looks like: frameworks, their principles and practice statements.

A framework version is the exact wording people answered against. Once a round using it
opens, the version is frozen; new wording then makes a new version (see services.py). Its
wording in other languages is kept beside the English (translated.py) and is not part of
the version: a corrected translation changes the version it translates.
"""

from django.db import models
from django.urls import reverse
from django.utils import translation

from .translated import TranslatedCharField, TranslatedTextField, translations_field


class FrameworkQuerySet(models.QuerySet):
    def instruments(self):
        return self.exclude(instrument="")

    def principle_sets(self):
        """Frameworks a round can be answered against (not instruments)."""
        return self.filter(instrument="")

    def latest_versions(self):
        """The newest version of each framework, the one new rounds use."""
        newer = Framework.objects.filter(
            slug=models.OuterRef("slug"), version__gt=models.OuterRef("version")
        )
        return self.exclude(models.Exists(newer))


class Framework(models.Model):
    slug = models.SlugField(max_length=60)
    version = models.PositiveIntegerField(default=1)
    name = TranslatedCharField(max_length=200)
    source = models.TextField()
    summary = TranslatedTextField()
    content_hash = models.CharField(
        max_length=64, help_text="SHA-256 of the content file this version was loaded from."
    )
    translations = translations_field()
    # The levels each statement is asked at, in order, if the framework has any
    # (``scopes.py``): [{"slug", "name", "easy_read_name", "translations"}, …].
    scopes = models.JSONField(default=list, blank=True)
    # Translations are not part of the wording people answered (content_hash), so a
    # corrected one changes this version in place; this moves with them, for the keys of
    # what is kept from the version (selectors.frozen_framework_content).
    translations_hash = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text="SHA-256 of this version's translations, as last loaded.",
    )
    frozen_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the first round using this version opens."
    )
    # Easy read is optional in a file, given everywhere or nowhere (content_files). Without
    # it, the answering pages read in standard words and links cannot open in easy read.
    has_easy_read = models.BooleanField(
        default=True, help_text="Whether every principle and statement has easy-read wording."
    )
    # In the shared library (the public pages, and every round and cohort may use it): the
    # frameworks loaded from files are; one made on the site is its owner's alone until a
    # site administrator shares it (who owns it is kept by assessments.library).
    shared = models.BooleanField(
        default=True, help_text="In the shared library, which everyone may read and use."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The framework's own words for the steps of the scale, if it has them, and whether it
    # is an instrument a round adds beside its framework ("grid"): see scales.py.
    scale = models.JSONField(default=dict, blank=True)
    instrument = models.CharField(max_length=20, blank=True, default="")

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "version"], name="framework_slug_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="framework_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("principles:framework", kwargs={"slug": self.slug})

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Principle(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="principles")
    order = models.PositiveSmallIntegerField()
    slug = models.SlugField(max_length=60)
    name = TranslatedCharField(max_length=200)
    easy_read_name = TranslatedCharField(max_length=200, default="")
    summary = TranslatedTextField()
    easy_read_summary = TranslatedTextField()
    # The easy-read picture beside the principle: static/img/easy-read/<picture>.svg, and
    # what it shows, as its text alternative.
    picture = models.SlugField(max_length=60, default="")
    picture_alt = TranslatedCharField(max_length=200, default="")
    translations = translations_field()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "order"], name="principle_order_unique"),
            models.UniqueConstraint(fields=["framework", "slug"], name="principle_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "principles:principle",
            kwargs={"slug": self.framework.slug, "principle": self.slug},
        )

    @property
    def mentions_core_economy(self) -> bool:
        """Whether the summary uses the term the glossary explains, found in the English
        (every language's summary translates it)."""
        with translation.override(None):
            return "core economy" in self.summary

    @property
    def picture_path(self) -> str:
        return f"img/easy-read/{self.picture}.svg" if self.picture else ""


class PracticeStatement(models.Model):
    """A pair: where practice often starts (*from*) and what co-production looks like (*to*)."""

    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="statements")
    order = models.PositiveSmallIntegerField()
    from_text = TranslatedTextField()
    to_text = TranslatedTextField()
    from_easy = TranslatedTextField()
    to_easy = TranslatedTextField()
    source_note = models.TextField()
    translations = translations_field()

    class Meta:
        ordering = ["principle__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["principle", "order"], name="statement_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.principle.order}.{self.order} {self.to_text[:60]}"

    @property
    def code(self) -> str:
        """A short label such as "2.3": principle 2, statement 3."""
        return f"{self.principle.order}.{self.order}"


class Crosswalk(models.Model):
    """How two frameworks line up: loaded from a file in ``principles/crosswalks/``. It
    names frameworks and principles by slug, so its links hold for every version that has
    those principles; it reads the same both ways (``first`` is the slug that sorts first)."""

    first = models.SlugField(max_length=60)
    second = models.SlugField(max_length=60)
    source = models.TextField()
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["first", "second"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="crosswalk_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="crosswalk_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first} and {self.second}"


class CrosswalkLink(models.Model):
    """A principle of each framework that speak to each other, with the reasoning; the
    statements of each the link rests on (numbers within the principle), none for all."""

    crosswalk = models.ForeignKey(Crosswalk, on_delete=models.CASCADE, related_name="links")
    order = models.PositiveSmallIntegerField()
    first_principle = models.SlugField(max_length=60)
    second_principle = models.SlugField(max_length=60)
    first_statements = models.JSONField(default=list, blank=True)
    second_statements = models.JSONField(default=list, blank=True)
    reasoning = TranslatedTextField()
    source = models.TextField(blank=True, default="")
    translations = translations_field()

    class Meta:
        ordering = ["crosswalk", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["crosswalk", "first_principle", "second_principle"],
                name="crosswalk_link_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_principle} and {self.second_principle}"
