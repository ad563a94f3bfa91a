"""Reads of a round's answers and publications that the figures are made from."""

from assessments.figures import scoring
from assessments.figures.models import Publication
from assessments.rounds.models import Answer, Round


def answer_rows(round: Round) -> list[scoring.AnswerRow]:
    """Every answer of the round as plain rows for the scoring functions (one query)."""
    rows = Answer.objects.filter(respondent__round=round).values_list(
        "respondent_id",
        "respondent__perspective",
        "statement__principle_id",
        "statement_id",
        "level",
    )
    return [
        scoring.AnswerRow(
            respondent_id=respondent_id,
            perspective=perspective,
            principle_id=principle_id,
            statement_id=statement_id,
            level=level or None,  # 0 is "not sure"
        )
        for respondent_id, perspective, principle_id, statement_id, level in rows
    ]


def latest_publication_id(round: Round) -> int | None:
    """The id of the round's latest publication (None while it has none)."""
    return (
        Publication.objects.filter(round=round)
        .order_by("-number")
        .values_list("pk", flat=True)
        .first()
    )
