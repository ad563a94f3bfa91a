"""Documents in the reader's language: a report asked for in Welsh is a Welsh PDF, tagged
with its language and clean in the PDF/UA checker; a CSV asked for in Welsh has Welsh
headers; a download made in the background keeps the language it was asked for in.

The Welsh words come from the Welsh catalogue (locale/cy/LC_MESSAGES)."""

import csv
import datetime
import io

import pikepdf
import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from assessments.documents import pdf
from assessments.documents.cohort import cohort_dashboard
from assessments.documents.radar import cache_clear
from assessments.jobs import exports
from assessments.jobs.models import Export, ExportKind
from assessments.queue.models import JobStatus
from assessments.rounds.models import Action, Step
from tests.assessments.reporting.test_pdf_accessibility import assert_accessible
from tests.support import CohortWorld, World, member_org, sign_in, with_answers

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def welsh_catalogue(settings):
    settings.LOCALE_PATHS = [django_settings.BASE_DIR / "locale"]


@pytest.fixture
def world():
    world = with_answers(World())
    Action.objects.create(
        round=world.round,
        principle=world.round.framework.principles.order_by("order").first(),
        change_from="Assessments start from what people cannot do.",
        change_to="Every assessment starts with what the person can offer.",
        owner="Team manager",
        due_on=datetime.date(2027, 2, 1),
        step=Step.FOCUS,
    )
    return world


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_a_report_made_in_welsh_is_tagged_cy_reads_welsh_and_passes_pdf_ua(world, tmp_path):
    cache_clear()  # the chart drawn again, with its Welsh labels
    with translation.override("cy"):
        data = pdf.round_report_pdf(world.round)
    document = pikepdf.Pdf.open(io.BytesIO(data))
    assert str(document.Root.Lang) == "cy"
    text = text_of(data)
    assert "Adroddiad hunanfyfyrio ar gyd-gynhyrchu" in text  # the cover
    assert "Crynodeb" in text and "Sgoriau’r egwyddorion" in text  # the headings
    assert "Cynllun gweithredu" in text
    assert "1 Chwefror 2027" in text  # the action's due date, in Welsh
    assert "Tudalen 2 o" in text and "Hunanfyfyrio ar gyd-gynhyrchu" in text  # the margins
    assert "Principle scores" not in text and "Action plan" not in text and "Page 2" not in text
    assert_accessible(data, tmp_path)


def test_the_same_report_in_english_is_tagged_en_gb(world):
    data = pdf.round_report_pdf(world.round)
    assert str(pikepdf.Pdf.open(io.BytesIO(data)).Root.Lang) == "en-GB"
    assert "Principle scores" in text_of(data)


def test_a_report_asked_for_from_a_welsh_page_is_welsh(client, world):
    sign_in(client, world.member)
    url = reverse("assessments:report-pdf", kwargs={"pk": world.round.pk})
    response = client.get(url, headers={"accept-language": "cy"})
    assert str(pikepdf.Pdf.open(io.BytesIO(response.content)).Root.Lang) == "cy"


def test_a_csv_asked_for_in_welsh_has_welsh_headers(client, world):
    sign_in(client, world.member)
    url = reverse("assessments:export-csv", kwargs={"pk": world.round.pk, "kind": "scores"})
    response = client.get(url, headers={"accept-language": "cy"})
    text = response.content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:6] == ["rhif", "egwyddor", "datganiad", "grŵp", "ymatebwyr", "cymedr"]
    assert rows[0][-1] == "pam nad yw ffigur yn cael ei ddangos"
    assert "Pawb" in {row[3] for row in rows[1:]}
    # The numbers stay plain, as a spreadsheet reads them.
    assert all(row[5].replace(".", "").isdigit() for row in rows[1:] if row[5])


def test_a_cohort_summary_made_by_a_worker_keeps_the_askers_language(settings, tmp_path):
    settings.TASKS = DUMMY  # made later, by a worker, with English active
    world = CohortWorld()
    member_org(world.cohort, "Brookfield", lived_level=4, staff_level=3)
    with translation.override("cy"):
        export = exports.request(
            kind=ExportKind.COHORT_PDF, by=world.facilitator, cohort=world.cohort
        )
    assert export.language == "cy"
    assert translation.get_language() == "en-gb"
    exports.build(export.pk)
    export = Export.objects.get(pk=export.pk)
    assert export.status == JobStatus.DONE
    data = bytes(export.content)
    assert str(pikepdf.Pdf.open(io.BytesIO(data)).Root.Lang) == "cy"
    text = text_of(data)
    assert "crynodeb y garfan" in text and "Sefydliadau fesul egwyddor" in text
    assert "cohort summary" not in text
    assert_accessible(data, tmp_path)


def test_a_cohort_summary_asked_for_in_english_stays_english(settings):
    settings.TASKS = DUMMY
    world = CohortWorld()
    export = exports.request(kind=ExportKind.COHORT_PDF, by=world.facilitator, cohort=world.cohort)
    exports.build(export.pk)
    data = bytes(Export.objects.get(pk=export.pk).content)
    assert str(pikepdf.Pdf.open(io.BytesIO(data)).Root.Lang) == "en-GB"
    assert "cohort summary" in text_of(data)


def test_the_cohort_heat_map_csv_in_welsh(client):
    world = CohortWorld()
    dashboard = cohort_dashboard(world.cohort, page=None)
    from assessments.documents.exports import cohort_heatmap_csv

    with translation.override("cy"):
        text = cohort_heatmap_csv(dashboard)
    header = next(csv.reader(io.StringIO(text[1:])))
    assert header[:3] == ["sefydliad", "cynnydd", "cylch"] and header[-1] == "pam nad oes ffigurau"
    assert "Cymedr y garfan" in text
