"""A principle and a statement in the reader's wording: standard or easy read."""

import re

from django import template
from django.utils.translation import gettext

from principles.translated import reading_language

register = template.Library()


@register.filter
def principle_name(principle, easy_read: bool) -> str:
    """The principle's name, or its easy-read name for someone reading in easy read."""
    easy_name: str = getattr(principle, "easy_read_name", "")
    return easy_name if easy_read and easy_name else principle.name


@register.filter
def statement_label(statement, easy_read: bool) -> str:
    """What a statement is called on the answering pages: "Statement 1.2", or, in easy
    read, "Question 2" (its number in its principle)."""
    if easy_read:
        return gettext("Question %(number)s") % {"number": statement.order}
    return gettext("Statement %(code)s") % {"code": statement.code}


@register.simple_tag
def reading_translated() -> bool:
    """Whether the page is read in a language other than the site's own (English)."""
    return reading_language() is not None


@register.filter
def sentences(text: str) -> list[str]:
    """Easy-read text a sentence at a time, each to go on a line of its own."""
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
