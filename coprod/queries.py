"""Small helpers for the ORM that every part of the site shares."""

from typing import TypeVar

from django.db.models import Model, QuerySet

_T = TypeVar("_T", bound=Model)


def only_row(queryset: QuerySet[_T]) -> _T | None:
    """The one row ``queryset`` names (by a key, a unique constraint, a token's hash), or
    None. Unlike ``first()`` it asks the database for no order: there is nothing to order,
    and the ordering costs a hot page's query time to build."""
    return next(iter(queryset.order_by()[:1]), None)
