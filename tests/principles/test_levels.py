"""A framework's levels ([[levels]]): each statement can be asked at each of them. nef's
self-assessment asks at three, the individual, the service and the organisation."""

import tomllib
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from principles.content_files import FRAMEWORKS_DIR, parse_framework_file, parse_framework_text
from principles.models import Framework
from principles.scopes import framework_scopes
from principles.services import frameworks_load
from tests.principles.test_load_frameworks import GOOD

LEVELS = """
[[levels]]
slug = "individual"
name = "The individual"
easy_read_name = "What I do"
[levels.cy]
name = "Yr unigolyn"

[[levels]]
slug = "service"
name = "The service"
easy_read_name = "What my service does"
"""


def good(**changes) -> str:
    values = {"slug": "test-fw", "from_text": "We start from needs.", "source": "x", "note": "x"}
    return GOOD.format(**(values | changes))


def test_nef_asks_at_three_levels_with_welsh():
    data = parse_framework_file(FRAMEWORKS_DIR / "nef.toml")
    assert [s.slug for s in data.scopes] == ["individual", "service", "organisation"]
    assert [s.name for s in data.scopes] == ["The individual", "The service", "The organisation"]
    assert all(
        s.translations["cy"]["name"] and s.translations["cy"]["easy_read_name"] for s in data.scopes
    )
    assert "Co-production self-assessment framework" in data.source
    assert parse_framework_file(FRAMEWORKS_DIR / "cahn.toml").scopes == ()


def test_levels_are_wording_people_answer_so_part_of_the_hash(tmp_path):
    without = parse_framework_text(Path("a.toml"), good(), tomllib.loads(good()))
    text = good() + LEVELS
    levels = parse_framework_text(Path("a.toml"), text, tomllib.loads(text))
    renamed = text.replace("The service", "The team")
    other = parse_framework_text(Path("a.toml"), renamed, tomllib.loads(renamed))
    welsh = text.replace("Yr unigolyn", "Unigolyn")
    translated = parse_framework_text(Path("a.toml"), welsh, tomllib.loads(welsh))
    assert len({without.content_hash, levels.content_hash, other.content_hash}) == 3
    assert translated.content_hash == levels.content_hash


def test_problems_in_levels_name_their_lines(tmp_path):
    text = good() + (
        '\n[[levels]]\nslug = "Individual"\nname = ""\neasy_read_name = "Me"\n'
        '[levels.cy]\ncolour = "x"\n'
    )
    (tmp_path / "mine.toml").write_text(text)
    with pytest.raises(CommandError) as excinfo:
        call_command("check_framework", str(tmp_path / "mine.toml"))
    said = str(excinfo.value)
    first = len(good().splitlines()) + 2
    assert f"line {first}, levels: there are 1 [[levels]]; a framework has none, or 2 to 4." in said
    assert f"line {first + 1}, level 1: 'slug' must be lowercase letters" in said
    assert f"line {first + 2}, level 1: 'name' is empty." in said
    assert f"line {first + 5}, level 1, [cy]: 'colour' cannot be translated here." in said


@pytest.mark.django_db
def test_loaded_levels_are_kept_with_their_welsh_and_written_back(tmp_path, client):
    nef = Framework.objects.filter(slug="nef-nesta").latest("version")
    scopes = framework_scopes(nef)
    assert [s.slug for s in scopes] == ["individual", "service", "organisation"]
    with translation.override("cy"):
        assert scopes[0].name == "Yr unigolyn"
        assert scopes[2].label(easy_read=True) == "Beth mae'r sefydliad cyfan yn ei wneud"
    assert scopes[1].label() == "The service"

    url = reverse("principles:framework-file", args=["nef-nesta"])
    text = client.get(url, {"version": nef.version}).content.decode()
    back = parse_framework_text(Path("nef.toml"), text, tomllib.loads(text))
    assert back.content_hash == nef.content_hash
    assert [s.stored() for s in back.scopes] == nef.scopes


@pytest.mark.django_db
def test_a_corrected_level_translation_changes_the_version_in_place(tmp_path):
    (tmp_path / "a.toml").write_text(good() + LEVELS)
    frameworks_load(directory=tmp_path)
    (tmp_path / "a.toml").write_text(good() + LEVELS.replace("Yr unigolyn", "Unigolyn"))
    report = frameworks_load(directory=tmp_path)
    assert report.translated == ["test-fw v1"]
    kept = Framework.objects.get(slug="test-fw")
    assert kept.scopes[0]["translations"] == {"cy": {"name": "Unigolyn"}}
