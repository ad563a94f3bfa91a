"""The demo data a newcomer sees after `make run`."""

import pytest
from django.core.management import call_command

from assessments.accounts.models import User
from assessments.documents.summary import round_results
from assessments.rounds.models import Answer, Round
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_shows_what_moved(client):
    ensure_framework()
    call_command("load_demo", force=True)
    answers = Answer.objects.count()
    call_command("load_demo", force=True)
    assert Answer.objects.count() == answers  # a second run changes nothing

    autumn = Round.objects.get(title="Adult social care: autumn reflection")
    results = round_results(autumn)
    assert results.respondents == 14
    assert results.previous.title == "Adult social care: spring reflection"
    assert results.moved  # some statements moved, so the comparison has something to say

    client.force_login(User.objects.get(email="lead@riverside.example"))
    page = client.get(f"/rounds/{autumn.pk}/results/").content.decode()
    assert "What moved since the last round" in page


def test_demo_has_a_workshop_to_look_at(client):
    from assessments.figures.models import RoomSnapshot
    from assessments.workshops.models import Workshop

    ensure_framework()
    call_command("load_demo", force=True)
    call_command("load_demo", force=True)
    workshop = Workshop.objects.live().get(round__organisation__slug="oakfield")
    assert workshop.invites.count() == 11
    snapshot = RoomSnapshot.objects.get(workshop=workshop)
    assert snapshot.people == 11 and snapshot.figures["sides"]
    client.force_login(User.objects.get(email="lead@oakfield.example"))
    page = client.get(f"/rounds/{workshop.round_id}/workshop/").content.decode()
    assert "From 9 or more people" in page  # eleven, in steps of three


def test_demo_cohort_shows_its_organisations_figures_and_riverside_the_cohort_mean(client):
    from assessments.cohorts.models import Cohort

    ensure_framework()
    call_command("load_demo", force=True)
    cohort = Cohort.objects.get(name="North Vale co-production network")
    client.force_login(User.objects.get(email="facilitator@example.org"))
    page = client.get(f"/cohorts/{cohort.pk}/").content.decode()
    # Six members have closed rounds, Oakfield's is open, Lakeside has not started.
    assert page.count("Not started") == 2  # the progress box and Lakeside's row
    for count, label in (
        (1, "Not started"),
        (0, "Draft, not open yet"),
        (1, "Open"),
        (6, "Closed"),
    ):
        assert f"<li><strong>{count}</strong>{label}</li>" in page
    assert "No round on this framework in the period yet." in page  # Lakeside only
    assert page.count("No round on this framework in the period yet.") == 1

    client.force_login(User.objects.get(email="lead@riverside.example"))
    autumn = Round.objects.get(title="Adult social care: autumn reflection")
    results = client.get(f"/rounds/{autumn.pk}/results/").content.decode()
    assert "Cohort mean" in results
