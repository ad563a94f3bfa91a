"""A person's group in the reader's wording: standard or easy read."""

from django import template

from assessments.rounds.models import EASY_PERSPECTIVE_LABELS, PERSPECTIVE_LABELS

register = template.Library()


@register.filter
def group_name(perspective: str, easy_read: bool) -> str:
    """The group's name ("Person with lived experience"), or in easy read what the person
    would say of themselves ("I use the service")."""
    if easy_read and perspective in EASY_PERSPECTIVE_LABELS:
        return EASY_PERSPECTIVE_LABELS[perspective]
    return PERSPECTIVE_LABELS.get(perspective, perspective)
