"""The reads three hot requests ask first, in SQL written by hand.

Built through the ORM, the round's access check (the round, its organisation and framework
version, and the reader's membership) cost 0.7-1.1 ms of CPU a request and a member's
respondent with their answers 0.5 ms, against about 0.05 ms to run either; with them the
answering page missed its target of half the sign-in page's throughput. The measurements
are in bench/NOTES.md, note 29 (the ORM's form of both: note 21a). The cohort's own row,
which the request for a cohort summary PDF checks, is read here too (note 30): through the
ORM that request missed its target of answering as fast as the results page is read.

Each query selects every column of its models, in order, and each row is read as the ORM
reads one: every value through the connection's and the field's converters (SQLite hands
dates and booleans back as text and numbers), then ``Model.from_db``. A model whose key is
NULL in the row (the far side of a LEFT JOIN with nothing there) is read as None.
"""

from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import Model

from assessments.accounts.models import Membership, Organisation
from assessments.cohorts.models import Cohort
from assessments.rounds.models import Answer, Respondent, Round
from principles.models import Framework


class _Joined:
    """``SELECT`` every column of ``models`` (each under its alias) ``FROM`` ``source``, in
    which ``{Model}`` stands for the model's table."""

    def __init__(self, source: str, **models: type[Model]) -> None:
        self.source = source
        self.models = models

    @cached_property
    def compiled(self) -> tuple[str, list[Any]]:
        """The SQL, and each model's share of a row: where it starts and ends, where its key
        is, its fields' names, and the converters of those of its columns that have any."""
        ops = connection.ops
        tables = {m.__name__: ops.quote_name(m._meta.db_table) for m in self.models.values()}
        columns: list[str] = []
        shares = []
        for alias, model in self.models.items():
            fields = model._meta.concrete_fields
            cols = [f.get_col(alias) for f in fields]
            converters = [
                (i, col, found)
                for i, col in enumerate(cols)
                if (found := ops.get_db_converters(col) + col.get_db_converters(connection))
            ]
            start = len(columns)
            columns += [f"{alias}.{ops.quote_name(f.column)}" for f in fields]
            pk = start + fields.index(model._meta.pk)
            shares.append((model, start, len(columns), pk, [f.attname for f in fields], converters))
        return f"SELECT {', '.join(columns)} FROM {self.source.format(**tables)}", shares

    def rows(self, *params: int) -> list[list[Any]]:
        """The models of each row, in the order given (each one, or None). Where a model's
        key is the one in the row before (the one side of a join to many), it is the same
        object, read once."""
        sql, shares = self.compiled
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found, db = cursor.fetchall(), cursor.db
        read, models, before = [], [None] * len(shares), None
        for row in found:
            for n, (model, start, end, pk, names, converters) in enumerate(shares):
                if row[pk] is None:
                    models[n] = None
                elif before is None or before[pk] != row[pk]:
                    values = list(row[start:end])
                    for i, col, convert_all in converters:
                        for convert in convert_all:
                            values[i] = convert(values[i], col, db)
                    models[n] = model.from_db(db.alias, names, values)
            read.append(list(models))
            before = row
        return read


_ROUND_CHECK = _Joined(
    "{Round} r JOIN {Organisation} o ON o.id = r.organisation_id"
    " JOIN {Framework} f ON f.id = r.framework_id"
    " LEFT JOIN {Framework} i ON i.id = r.instrument_id"
    " JOIN {Membership} m ON m.organisation_id = r.organisation_id AND m.user_id = %s"
    " WHERE r.id = %s",
    r=Round,
    o=Organisation,
    f=Framework,
    i=Framework,
    m=Membership,
)


def round_with_membership(pk: int, user_id: int) -> tuple[Round, Membership] | None:
    """The round with its organisation, framework version and instrument (if any), and the
    person's membership
    of its organisation; None if there is no such round or they are not a member. A key no
    64-bit column can hold (typed into an address) finds nothing, as in the ORM."""
    if not -(2**63) <= pk < 2**63:
        return None
    rows = _ROUND_CHECK.rows(user_id, pk)
    if not rows:
        return None
    round_, organisation, framework, instrument, membership = rows[0]
    round_.organisation = membership.organisation = organisation
    round_.framework = framework
    round_.instrument = instrument
    return round_, membership


_RESPONDENT_WITH_ANSWERS = _Joined(
    "{Respondent} r LEFT JOIN {Answer} a ON a.respondent_id = r.id"
    " WHERE r.round_id = %s AND r.user_id = %s",
    r=Respondent,
    a=Answer,
)


def respondent_with_answers(
    round_id: int, user_id: int
) -> tuple[Respondent | None, dict[int, Answer]]:
    """The person's respondent in the round and their answers by statement, in one query:
    the respondent's row beside each of their answers, or alone when they have none."""
    rows = _RESPONDENT_WITH_ANSWERS.rows(round_id, user_id)
    answers = {answer.statement_id: answer for _, answer in rows if answer is not None}
    return (rows[0][0] if rows else None), answers


_COHORT = _Joined("{Cohort} c WHERE c.id = %s", c=Cohort)


def cohort(pk: int) -> Cohort | None:
    """The cohort's own row, or None."""
    if not -(2**63) <= pk < 2**63:
        return None
    rows = _COHORT.rows(pk)
    return rows[0][0] if rows else None
