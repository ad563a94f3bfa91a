"""An existing database keeps its results: rounds closed before figures were published get
their publication when the database is migrated."""

import pytest

from principles.services import frameworks_load
from tests.support import database_at, migrate_to

BEFORE = ("assessments", "0012_respondent_move_code")
AFTER = ("assessments", "0013_publications")


@pytest.mark.exact_figures
@pytest.mark.slow  # migrates the whole schema backwards and forwards
@pytest.mark.django_db(transaction=True)
def test_rounds_closed_before_publishing_are_published_by_the_migration():
    frameworks_load()
    with database_at(BEFORE) as apps:
        Organisation = apps.get_model("assessments", "Organisation")
        Round = apps.get_model("assessments", "Round")
        Invite = apps.get_model("assessments", "Invite")
        Respondent = apps.get_model("assessments", "Respondent")
        Answer = apps.get_model("assessments", "Answer")
        Framework = apps.get_model("principles", "Framework")
        PracticeStatement = apps.get_model("principles", "PracticeStatement")
        framework = Framework.objects.get(slug="cahn")
        statements = list(PracticeStatement.objects.filter(principle__framework=framework))
        org = Organisation.objects.create(name="Old team", slug="old-team")
        rounds = {
            status: Round.objects.create(
                organisation=org, framework=framework, title=status, status=status
            )
            for status in ("closed", "open")
        }
        for round_ in rounds.values():
            for n in range(4):
                invite = Invite.objects.create(
                    round=round_, perspective="staff", token_hash=f"{round_.pk}-{n}"
                )
                respondent = Respondent.objects.create(
                    round=round_, perspective="staff", invite=invite
                )
                Answer.objects.bulk_create(
                    [Answer(respondent=respondent, statement=s, level=3) for s in statements]
                )
        apps = migrate_to(AFTER)
        Publication = apps.get_model("assessments", "Publication")
        (published,) = Publication.objects.filter(round_id=rounds["closed"].pk)
        assert published.closing and published.respondents == 4
        cells = published.figures["statements"][str(statements[0].pk)]
        assert cells["all"] == {"levels": [0, 0, 4, 0], "not_sure": 0}
        # An open round publishes nothing until it closes (or the lead asks for figures).
        assert not Publication.objects.filter(round_id=rounds["open"].pk).exists()
