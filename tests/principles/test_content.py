"""The shipped frameworks: complete, in plain words, with an easy-read version of everything."""

import html
import re

import pytest

pytestmark = pytest.mark.django_db


def framework_with(frameworks, word):
    matches = [fw for slug, fw in frameworks.items() if word in slug]
    assert len(matches) == 1, f"expected one framework whose slug contains {word!r}"
    return matches[0]


@pytest.mark.parametrize(
    ("word", "principles"), [("cahn", 4), ("nef", 6), ("wales", 5), ("scie", 4)]
)
def test_framework_has_its_principles_each_with_three_statements(frameworks, word, principles):
    framework = framework_with(frameworks, word)
    assert framework.principles.count() == principles
    for principle in framework.principles.all():
        statements = list(principle.statements.all())
        assert len(statements) >= 3, f"{principle.name} has only {len(statements)} statements"
        for statement in statements:
            for side in ("from_text", "to_text", "from_easy", "to_easy", "source_note"):
                assert getattr(statement, side).strip(), f"{principle.name}: {side} is empty"
            assert statement.from_text != statement.to_text


def test_cahn_principles_are_the_four(frameworks):
    names = " ".join(p.name.lower() for p in framework_with(frameworks, "cahn").principles.all())
    for word in ("assets", "work", "reciprocity", "network"):
        assert word in names


def test_nef_principles_are_the_six(frameworks):
    names = " ".join(p.name.lower() for p in framework_with(frameworks, "nef").principles.all())
    for word in ("assets", "capabilit", "mutual", "peer", "blurring", "facilitat"):
        assert word in names


def sentences(text):
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


@pytest.mark.parametrize("word", ["cahn", "nef", "wales", "scie"])
def test_easy_read_uses_short_sentences(frameworks, word):
    framework = framework_with(frameworks, word)
    for principle in framework.principles.all():
        texts = [principle.easy_read_summary, principle.easy_read_name]
        for statement in principle.statements.all():
            texts += [statement.from_easy, statement.to_easy]
        for text in texts:
            for sentence in sentences(text):
                assert len(sentence.split()) <= 16, f"too long for easy read: {sentence!r}"


def test_sources_cite_the_works_never_file_names(frameworks, client):
    """A reader has never seen the files the content was written from: every citation names
    a work (author, title, date), and every statement's note cites one of the works listed
    in full on the sources page."""
    from principles.sources import WORKS

    shorts = [work.short for work in WORKS]
    page = html.unescape(client.get("/sources/").content.decode())
    for work in WORKS:
        assert work.citation in page and work.short in page
    for framework in frameworks.values():
        assert framework.source in page
        for text in [framework.source] + [
            s.source_note for p in framework.principles.all() for s in p.statements.all()
        ]:
            assert not re.search(r"seed|\.txt|[0-9a-f]{16}", text), f"a file name: {text!r}"
        assert re.search(r"\(\d{4}\)|20\d\d", framework.source), "a date"
        for principle in framework.principles.all():
            for statement in principle.statements.all():
                note = statement.source_note
                assert any(short in note for short in shorts), f"cites no work: {note!r}"


def test_every_principle_has_an_easy_read_name_and_picture(frameworks, client):
    from django.contrib.staticfiles import finders

    for framework in frameworks.values():
        for principle in framework.principles.all():
            assert principle.easy_read_name and principle.easy_read_name != principle.name
            assert finders.find(principle.picture_path), principle.picture_path
            assert principle.picture_alt
