"""The demo's evidence: Riverside's agreed positions carry some, a document among it."""

import pytest
from django.core.management import call_command
from django.utils.html import escape

from assessments.accounts.models import User
from assessments.rounds.models import Evidence
from tests.support import ensure_framework

pytestmark = pytest.mark.django_db


def test_demo_positions_carry_evidence_once(client):
    ensure_framework()
    call_command("load_demo", force=True)
    call_command("load_demo", force=True)  # a second run adds none
    evidence = list(Evidence.objects.select_related("position__round"))
    assert len(evidence) == 3
    (document,) = [e for e in evidence if e.document]
    round_ = document.position.round
    assert round_.organisation.slug == "riverside"

    client.force_login(User.objects.get(email="member@riverside.example"))
    page = client.get(f"/rounds/{round_.pk}/results/").content.decode()
    assert all(escape(e.text) in page for e in evidence)
    response = client.get(f"/rounds/{round_.pk}/evidence/{document.pk}/document/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"assessment,starts_from_strengths")
