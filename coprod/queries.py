"""Small helpers for the ORM that every part of the site shares."""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Field, Model, QuerySet

_T = TypeVar("_T", bound=Model)


def only_row(queryset: QuerySet[_T]) -> _T | None:
    """The one row ``queryset`` names (by a key, a unique constraint, a token's hash), or
    None. Unlike ``first()`` it asks the database for no order: there is nothing to order,
    and the ordering costs a hot page's query time to build."""
    return next(iter(queryset.order_by()[:1]), None)


def table(model: type[Model]) -> str:
    """The model's table, quoted for the database in use."""
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[Model], field: str) -> str:
    """One of the model's columns, quoted and named with its table."""
    found = model._meta.get_field(field)
    assert isinstance(found, Field) and found.column, f"{model.__name__}.{field} is no column"
    return f"{table(model)}.{connection.ops.quote_name(found.column)}"


class JoinedModels:
    """Models read side by side from each row of one hand-written query, as the ORM would
    read them. The query selects every column of each model, in order (written from the
    models' own fields), ``FROM`` what ``source`` returns: tables, joins and conditions,
    with ``%s`` for the parameters. The SQL is written once per process and kind of
    database. Each value goes through the database's and the field's conversions (on
    SQLite, dates and booleans arrive as text and numbers), and a model whose key is NULL
    in the row (the far side of a LEFT JOIN with nothing there) is read as None.

    For the few queries every page asks, where building the query through the ORM cost
    ten times what the database took to answer it. Each model appears once, under its own
    table's name."""

    def __init__(self, *models: type[Model], source: Callable[[], str]):
        self.models = models
        self._source = source
        self._fields: list[list[Field]] = [list(m._meta.concrete_fields) for m in models]
        self._attnames = [[f.attname for f in fields] for fields in self._fields]
        self._pk_at = [
            fields.index(m._meta.pk) for m, fields in zip(models, self._fields, strict=True)
        ]
        self._sql: dict[str, str] = {}
        self._converters: dict[str, list] = {}

    def select(self) -> str:
        """The columns of every model, in order: what the query's SELECT lists."""
        return ", ".join(
            column(model, field.name)
            for model, fields in zip(self.models, self._fields, strict=True)
            for field in fields
        )

    def _converters_for_connection(self) -> list:
        key = connection.vendor
        if key not in self._converters:
            cols = [
                field.get_col(model._meta.db_table)
                for model, fields in zip(self.models, self._fields, strict=True)
                for field in fields
            ]
            converters = [
                (i, connection.ops.get_db_converters(col) + col.get_db_converters(connection), col)
                for i, col in enumerate(cols)
            ]
            self._converters[key] = [(i, found, col) for i, found, col in converters if found]
        return self._converters[key]

    def read(self, row: Sequence) -> list[Any]:
        """The models in one row of the query, in the order given (each one or None)."""
        values = list(row)
        for i, converters, col in self._converters_for_connection():
            for convert in converters:
                values[i] = convert(values[i], col, connection)
        found: list[Any] = []
        start = 0
        for model, attnames, pk_at in zip(self.models, self._attnames, self._pk_at, strict=True):
            own = values[start : start + len(attnames)]
            start += len(attnames)
            found.append(
                None if own[pk_at] is None else model.from_db(connection.alias, attnames, own)
            )
        return found

    def sql(self) -> str:
        if connection.vendor not in self._sql:
            self._sql[connection.vendor] = f"SELECT {self.select()} FROM {self._source()}"
        return self._sql[connection.vendor]

    def rows(self, params: Sequence) -> list[list[Any]]:
        """Run the query with ``params`` and read every row. A whole number no 64-bit
        column can hold (a key typed into an address: ``/rounds/99999999999999999999/``)
        finds nothing, as in the ORM, instead of failing in the database's driver."""
        if any(isinstance(p, int) and not -(2**63) <= p < 2**63 for p in params):
            return []
        with connection.cursor() as cursor:
            cursor.execute(self.sql(), params)
            return [self.read(row) for row in cursor.fetchall()]
