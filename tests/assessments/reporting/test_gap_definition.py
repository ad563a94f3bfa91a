"""One definition of the perception gap everywhere: the results page, the scores CSV, the
PDF report, the cohort dashboard and its PDF, and the glossary give the same words."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.figures.scoring import GAP_MEANING
from tests.support import CohortWorld, World, prepared, sign_in, with_answers

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_gap_means_the_same_on_every_page_and_in_every_download(client):
    world = with_answers(World())
    sign_in(client, world.lead)
    pk = world.round.pk
    results = client.get(reverse("assessments:results", kwargs={"pk": pk})).content.decode()
    assert f"is {GAP_MEANING}." in results
    scores = client.get(reverse("assessments:export-csv", kwargs={"pk": pk, "kind": "scores"}))
    header = scores.content.decode().splitlines()[0]
    assert f"perception gap ({GAP_MEANING})" in header
    assert "lived experience minus staff" not in header  # the old, narrower words
    assert f"The perception gap is {GAP_MEANING}" in pdf_text(
        client.get(reverse("assessments:report-pdf", kwargs={"pk": pk}))
    )
    assert (
        f"The perception gap is {GAP_MEANING}." in client.get(reverse("glossary")).content.decode()
    )


def test_the_cohort_pages_give_the_same_definition(client):
    world = CohortWorld()
    sign_in(client, world.facilitator)
    dashboard = client.get(reverse("assessments:cohort", kwargs={"pk": world.cohort.pk}))
    assert f"is {GAP_MEANING};" in dashboard.content.decode()
    summary = pdf_text(
        prepared(
            client, client.post(reverse("assessments:cohort-pdf", kwargs={"pk": world.cohort.pk}))
        )
    )
    assert f"the perception gap is {GAP_MEANING};" in summary
