"""The shipped frameworks: complete, in plain words, with an easy-read version of everything."""

import re

import pytest

pytestmark = pytest.mark.django_db


def framework_with(frameworks, word):
    matches = [fw for slug, fw in frameworks.items() if word in slug]
    assert len(matches) == 1, f"expected one framework whose slug contains {word!r}"
    return matches[0]


@pytest.mark.parametrize(("word", "principles"), [("cahn", 4), ("nef", 6)])
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


@pytest.mark.parametrize("word", ["cahn", "nef"])
def test_easy_read_uses_short_sentences(frameworks, word):
    framework = framework_with(frameworks, word)
    for principle in framework.principles.all():
        texts = [principle.easy_read_summary]
        for statement in principle.statements.all():
            texts += [statement.from_easy, statement.to_easy]
        for text in texts:
            for sentence in sentences(text):
                assert len(sentence.split()) <= 16, f"too long for easy read: {sentence!r}"


def test_sources_cite_the_seed_documents(frameworks):
    for framework in frameworks.values():
        assert "seed" in framework.source.lower() or ".txt" in framework.source
