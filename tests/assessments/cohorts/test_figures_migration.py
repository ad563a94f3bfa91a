"""An existing database keeps its cohort dashboards: publications made before their scores
were stored get them, and cohort members their round and latest publication, when the
database is migrated."""

import datetime

import pytest
from django.utils import timezone

from assessments.figures.publishing import RawAnswer, build
from principles.services import frameworks_load
from tests.support import database_at, migrate_to

BEFORE = ("assessments", "0014_cohort_benchmarks")
AFTER = ("assessments", "0015_cohort_figures")


@pytest.mark.exact_figures
@pytest.mark.slow  # migrates the whole schema backwards and forwards
@pytest.mark.django_db(transaction=True)
def test_publications_get_their_scores_and_members_their_round():
    frameworks_load()
    with database_at(BEFORE) as apps:
        Organisation = apps.get_model("assessments", "Organisation")
        Round = apps.get_model("assessments", "Round")
        Publication = apps.get_model("assessments", "Publication")
        Cohort = apps.get_model("assessments", "Cohort")
        CohortMember = apps.get_model("assessments", "CohortMember")
        User = apps.get_model("assessments", "User")
        Framework = apps.get_model("principles", "Framework")
        PracticeStatement = apps.get_model("principles", "PracticeStatement")
        framework = Framework.objects.get(slug="cahn")
        statements = list(
            PracticeStatement.objects.filter(principle__framework=framework).values_list(
                "pk", "principle__order"
            )
        )
        now = timezone.now()
        org = Organisation.objects.create(name="Old team", slug="old-team")
        waiting = Organisation.objects.create(name="Waiting team", slug="waiting-team")
        closed = Round.objects.create(
            organisation=org, framework=framework, title="Spring", status="closed", opened_at=now
        )
        # Three staff at 3 and three people with lived experience at 1 on every statement.
        answers = [
            RawAnswer(person, perspective, pk, level, "")
            for person, perspective, level in [
                *[(n, "staff", 3) for n in range(3)],
                *[(n, "lived_experience", 1) for n in range(3, 6)],
            ]
            for pk, _ in statements
        ]
        figures, ledger = build(answers, [])
        publication = Publication.objects.create(
            round=closed,
            number=1,
            closing=True,
            respondents=6,
            figures=figures,
            ledger=ledger,
        )
        facilitator = User.objects.create(email="fran@network.example")
        cohort = Cohort.objects.create(
            name="Old network",
            framework=framework,
            facilitator=facilitator,
            starts_on=timezone.localdate() - datetime.timedelta(days=30),
            ends_on=timezone.localdate() + datetime.timedelta(days=30),
        )
        CohortMember.objects.create(cohort=cohort, organisation=org)
        CohortMember.objects.create(cohort=cohort, organisation=waiting)

        apps = migrate_to(AFTER)
        Publication = apps.get_model("assessments", "Publication")
        PublicationScore = apps.get_model("assessments", "PublicationScore")
        CohortMember = apps.get_model("assessments", "CohortMember")
        scores = Publication.objects.get(pk=publication.pk).scores
        assert scores["people"] == {"all": 6, "lived_experience": 3, "staff": 3}
        assert set(scores["groups"]["all"]["principles"].values()) == {2.0}
        assert set(scores["groups"]["staff"]["principles"].values()) == {3.0}
        assert set(scores["gaps"].values()) == {-2.0}
        rows = PublicationScore.objects.filter(publication_id=publication.pk)
        assert rows.count() == 3 * len({order for _, order in statements})
        members = {
            m.organisation_id: (m.round_id, m.publication_id)
            for m in CohortMember.objects.filter(cohort_id=cohort.pk)
        }
        assert members == {org.pk: (closed.pk, publication.pk), waiting.pk: (None, None)}
