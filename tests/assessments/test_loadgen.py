"""The synthetic load for benchmarks: marked as synthetic, complete, and the same each time."""

import pytest
from django.core.management import CommandError, call_command

from assessments.accounts.models import Organisation, User
from assessments.cohorts.models import Cohort
from assessments.documents.cohort import cohort_dashboard
from assessments.documents.summary import round_results
from assessments.loadgen import generate_load
from assessments.rounds.models import Answer, Respondent, Round, RoundStatus


def _levels():
    return list(
        Answer.objects.order_by(
            "respondent__round__organisation__slug", "respondent_id", "statement_id"
        ).values_list("level", "note")
    )


def test_generates_closed_answered_rounds_marked_as_synthetic(frameworks):
    made = generate_load(orgs=3, respondents=4)

    assert [o.name for o in Organisation.objects.order_by("name")] == [
        "Load test org 0001",
        "Load test org 0002",
        "Load test org 0003",
    ]
    assert made.rounds == 3 and made.respondents == 12 and made.answers == 12 * 16
    assert Answer.objects.count() == 12 * 16
    assert set(Round.objects.values_list("status", flat=True)) == {RoundStatus.CLOSED}
    assert Respondent.objects.filter(user__email__endswith="@load-test.invalid").count() == 3
    assert not any(
        r.user.has_usable_password() for r in Respondent.objects.filter(user__isnull=False)
    )
    results = round_results(Round.objects.first())
    assert results.respondents == 4 and results.enough


def test_same_seed_same_answers_and_no_second_run(frameworks):
    generate_load(orgs=2, respondents=3, seed=7)
    first = _levels()
    with pytest.raises(ValueError):
        generate_load(orgs=2, respondents=3, seed=7)
    Organisation.objects.all().delete()
    User.objects.filter(email__endswith="@load-test.invalid").delete()
    generate_load(orgs=2, respondents=3, seed=7)
    assert _levels() == first


def test_command_refuses_a_live_site_without_force(frameworks, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("generate_load", "--orgs", "1")
    assert not Organisation.objects.exists()
    call_command("generate_load", "--orgs", "1", "--respondents", "2", "--force")
    assert Answer.objects.count() == 2 * 16


def test_cohort_run_by_the_facilitator_holds_every_organisation(frameworks):
    made = generate_load(
        orgs=6, respondents=3, cohort="Load test cohort", facilitator="fac@load-test.invalid"
    )

    cohort = Cohort.objects.get(name="Load test cohort")
    assert made.cohort == cohort
    assert cohort.facilitator.email == "fac@load-test.invalid"
    assert cohort.members.count() == 6
    dashboard = cohort_dashboard(cohort)
    assert dashboard.with_figures == 6
    assert {row.progress for row in dashboard.rows} == {"closed"}
