"""Every framework version can be downloaded as its content file, and reading that file
back gives the same framework: the same wording (content hash), translations and sources."""

import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from django.urls import reverse

from principles.content_files import parse_framework_file, parse_framework_text
from principles.models import Framework

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["cahn", "nef-nesta", "wales-five", "scie"])
def test_a_downloaded_framework_reads_back_as_the_same_framework(client, slug):
    framework = Framework.objects.get(slug=slug, version=1)
    url = reverse("principles:framework-file", args=[slug])
    response = client.get(url, {"version": 1})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/toml"
    assert response["Content-Disposition"] == (f'attachment; filename="{slug}-version-1.toml"')
    text = response.content.decode()
    data = parse_framework_text(Path(f"{slug}.toml"), text, tomllib.loads(text))
    assert data.content_hash == framework.content_hash
    assert data.source == framework.source
    assert data.translations == framework.translations
    principles = framework.principles.order_by("order")
    for read, kept in zip(data.principles, principles, strict=True):
        assert read.translations == kept.translations and read.translations["cy"]["name"]
        statements = kept.statements.order_by("order")
        for read_statement, kept_statement in zip(read.statements, statements, strict=True):
            assert read_statement.source_note == kept_statement.source_note
            assert read_statement.translations == kept_statement.translations


def test_the_shipped_file_and_the_download_say_the_same(client):
    shipped = parse_framework_file(Path("principles/frameworks/cahn.toml"))
    text = client.get(reverse("principles:framework-file", args=["cahn"])).content.decode()
    downloaded = parse_framework_text(Path("cahn.toml"), text, tomllib.loads(text))
    assert downloaded == replace(shipped, path=Path("cahn.toml"))


def test_the_framework_page_offers_its_file_and_an_unknown_version_is_not_found(client):
    page = client.get(reverse("principles:framework", args=["cahn"]))
    assert b"Download this framework as a file" in page.content
    url = reverse("principles:framework-file", args=["cahn"])
    assert f'href="{url}?version=1"'.encode() in page.content
    assert client.get(url, {"version": 99}).status_code == 404
    assert client.get(reverse("principles:framework-file", args=["nothing"])).status_code == 404
