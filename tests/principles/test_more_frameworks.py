"""The Welsh five principles and SCIE's four: they load as `make run` loads them, every
statement is complete in English, easy read and Welsh, the works they cite are on the
sources page, and a round can be started and answered on each."""

import html

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from assessments.rounds.models import Round
from principles.content_files import FRAMEWORKS_DIR, STATEMENT_KEYS, parse_framework_file
from principles.models import Framework
from principles.sources import WORKS
from tests import factories
from tests.support import sign_in

pytestmark = pytest.mark.django_db

WELSH = {"HTTP_ACCEPT_LANGUAGE": "cy"}

# The Co-production Network for Wales's own names for the five, in English and in Welsh.
WALES_FIVE = [
    ("Value people and build on their strengths", "Gwerthfawrogi pobl a magu eu cryfderau"),
    (
        "Develop networks that operate across silos",
        "Datblygu rhwydweithiau sy'n gweithredu draws seilo",
    ),
    (
        "Focus on what matters for the people involved",
        "Canolbwyntio ar yr hyn sy'n bwysig i'r bobl dan sylw",
    ),
    (
        "Build relationships of trust and shared power",
        "Meithrin cysylltiadau a seilir ar ffydd a grym a rennir",
    ),
    ("Enable people to be change makers", "Galluogi pobl i ysgogi newid"),
]
WALES_NAME = "The five principles of co-production in Wales"
SCIE_NAME = "SCIE’s four principles of co-production in social care"
SCIE_FOUR = ["Equality", "Diversity", "Accessibility", "Reciprocity"]
NEW_WORKS = [
    "Co-production Network for Wales web page",
    "Co-production Network for Wales knowledge base",
    "Co-production Network for Wales 2017",
    "Social Services and Well-being (Wales) Act 2014",
    "SCIE Guide 51, 2013",
]


def page(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(("file", "slug"), [("wales.toml", "wales-five"), ("scie.toml", "scie")])
def test_each_file_loads_with_the_command_make_run_uses(capsys, file, slug):
    assert parse_framework_file(FRAMEWORKS_DIR / file).slug == slug
    call_command("load_frameworks")
    assert f"{slug} v1" in capsys.readouterr().out
    assert Framework.objects.filter(slug=slug, version=1).exists()


@pytest.mark.parametrize(("file", "count"), [("wales.toml", 5), ("scie.toml", 4)])
def test_every_statement_has_from_to_easy_read_a_source_and_welsh(file, count):
    data = parse_framework_file(FRAMEWORKS_DIR / file)
    assert len(data.principles) == count
    assert set(data.translations["cy"]) == {"name", "summary"}
    for principle in data.principles:
        assert 4 <= len(principle.statements) <= 6, principle.slug
        for statement in principle.statements:
            for key in STATEMENT_KEYS:
                assert getattr(statement, key), f"{principle.slug}: {key}"
            assert statement.from_text != statement.to_text
            assert statement.from_easy != statement.to_easy
            welsh = statement.translations["cy"]
            for key in ("from_text", "to_text", "from_easy", "to_easy"):
                assert welsh[key] and welsh[key] != getattr(statement, key), (principle.slug, key)


def test_the_welsh_five_carry_the_networks_names_in_both_languages():
    data = parse_framework_file(FRAMEWORKS_DIR / "wales.toml")
    assert [(p.name, p.translations["cy"]["name"]) for p in data.principles] == WALES_FIVE


def test_scie_four_are_its_principles_and_its_summary_places_the_jigsaw():
    data = parse_framework_file(FRAMEWORKS_DIR / "scie.toml")
    assert [p.name.split(":")[0] for p in data.principles] == SCIE_FOUR
    for piece in ("culture", "structure", "practice", "review"):
        assert piece in data.summary
    pieces = {"culture", "structure", "practice", "review"}
    for principle in data.principles:
        for statement in principle.statements:
            assert statement.source_note.rsplit("jigsaw piece: ", 1)[-1] in pieces


@pytest.mark.parametrize("file", ["wales.toml", "scie.toml"])
def test_the_summary_says_the_statements_are_our_own_reading(file):
    data = parse_framework_file(FRAMEWORKS_DIR / file)
    assert "our own reading" in data.summary
    assert "Ein darlleniad ni" in data.translations["cy"]["summary"]
    for principle in data.principles:
        for statement in principle.statements:
            assert statement.source_note.startswith("Our reading of")


def test_the_sources_page_lists_each_new_work_in_english_and_welsh(client, frameworks):
    works = {work.short: work for work in WORKS}
    english = page(client, reverse("sources"))
    welsh = page(client, reverse("sources"), **WELSH)
    for short in NEW_WORKS:
        assert works[short].citation in english and works[short].citation in welsh
        assert short in english
    for slug in ("wales-five", "scie"):
        assert frameworks[slug].source in english
    assert "SCIE Guide 51 (London: SCIE, 2013)" in english
    assert "20 April 2017" in english


def test_framework_pages_in_english_and_welsh(client, frameworks):
    listing = page(client, reverse("principles:list"))
    assert WALES_NAME in listing and SCIE_NAME in listing
    welsh_listing = page(client, reverse("principles:list"), **WELSH)
    assert "Pum egwyddor cyd-gynhyrchu yng Nghymru" in welsh_listing
    assert "Pedair egwyddor cyd-gynhyrchu SCIE ym maes gofal cymdeithasol" in welsh_listing

    wales = frameworks["wales-five"]
    english = page(client, wales.get_absolute_url())
    welsh = page(client, wales.get_absolute_url(), **WELSH)
    for name, name_cy in WALES_FIVE:
        assert name in english and name_cy not in english
        assert name_cy in welsh and name not in welsh

    scie = frameworks["scie"]
    principle = scie.principles.get(slug="accessibility")
    assert "Papers are long and full of jargon" in page(client, principle.get_absolute_url())
    assert "Mae papurau'n hir ac yn llawn jargon" in page(
        client, principle.get_absolute_url(), **WELSH
    )


@pytest.mark.parametrize("slug", ["wales-five", "scie"])
def test_a_round_is_started_and_answered_on_each(client, world, frameworks, slug):
    framework = frameworks[slug]
    name = {"wales-five": WALES_NAME, "scie": SCIE_NAME}[slug]
    sign_in(client, world.lead)
    create = reverse("assessments:round-create", kwargs={"org": world.org.slug})
    assert name in html.unescape(client.get(create).content.decode())
    response = client.post(create, {"title": f"On {slug}", "framework": framework.pk})
    assert response.status_code == 302
    made = Round.objects.get(organisation=world.org, title=f"On {slug}")
    assert made.framework.slug == slug

    r = factories.round(world.org, slug=slug, by=world.lead)
    sign_in(client, world.member)
    client.post(reverse("assessments:member-start", kwargs={"pk": r.pk}), {"perspective": "staff"})
    with translation.override("en"):
        first = r.framework.principles.order_by("order")[0]
        wording = [first.name, first.statements.order_by("order")[0].from_text]
    text = page(client, reverse("assessments:member-page", kwargs={"pk": r.pk, "page": 1}))
    assert all(words in text for words in wording)
