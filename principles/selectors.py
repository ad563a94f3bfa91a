"""Reads the principles pages need, each with its related rows fetched in one place."""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404

from coprod.cache import kept

from .models import Framework, PracticeStatement, Principle


def framework_list():
    """The newest version of every framework in the shared library, with how many
    principles and statements."""
    return (
        Framework.objects.latest_versions()
        .filter(shared=True)
        .annotate(
            principle_count=Count("principles", distinct=True),
            statement_count=Count("principles__statements", distinct=True),
        )
        .order_by("name")
    )


def framework_get(*, slug: str, version: int | None = None) -> Framework:
    """A framework's newest version (or the one asked for), with principles and statements."""
    frameworks = Framework.objects.filter(slug=slug).prefetch_related(
        Prefetch(
            "principles",
            queryset=Principle.objects.order_by("order").prefetch_related(
                Prefetch("statements", queryset=PracticeStatement.objects.order_by("order"))
            ),
        )
    )
    if version is not None:
        return get_object_or_404(frameworks, version=version)
    framework = frameworks.order_by("-version").first()
    if framework is None:
        raise Framework.DoesNotExist
    return framework


def principle_get(*, framework: Framework, slug: str) -> Principle:
    for principle in framework.principles.all():
        if principle.slug == slug:
            return principle
    raise Principle.DoesNotExist


def framework_with_content(framework_id: int) -> Framework:
    """A framework version with its principles and statements, in order, in three queries."""
    return (
        Framework.objects.all()
        .prefetch_related(
            Prefetch(
                "principles",
                queryset=Principle.objects.order_by("order").prefetch_related(
                    Prefetch("statements", queryset=PracticeStatement.objects.order_by("order"))
                ),
            )
        )
        .get(pk=framework_id)
    )


def frozen_framework_content(framework: Framework) -> Framework:
    """``framework_with_content`` for a version loaded with its round, kept once the
    version is frozen: a frozen version is never edited (new wording makes a new version),
    so the pages of open and closed rounds read its content without a query. The key holds
    the version's content hash and freezing time besides its id, and the hash of its
    translations, which a corrected translation changes in place. A version not yet frozen
    is read afresh. Each call returns its own copy."""
    if framework.frozen_at is None:
        return framework_with_content(framework.pk)
    return kept(
        (
            "framework-content",
            framework.pk,
            framework.content_hash,
            framework.frozen_at,
            framework.translations_hash,
        ),
        lambda: framework_with_content(framework.pk),
    )


def framework_statements(framework_id: int):
    """The statements of one framework version, with their principle (for the code)."""
    return PracticeStatement.objects.filter(principle__framework_id=framework_id).select_related(
        "principle"
    )


def statement_count(framework_id: int) -> int:
    return PracticeStatement.objects.filter(principle__framework_id=framework_id).count()


def latest_frameworks():
    return Framework.objects.latest_versions().order_by("name")
