"""The content loader: idempotent, all-or-nothing, and never rewriting answered wording."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from principles.content_files import FRAMEWORKS_DIR
from principles.models import Framework, PracticeStatement, Principle
from principles.services import framework_freeze, frameworks_load

# Each test loads into a library with nothing in it yet.
pytestmark = pytest.mark.usefixtures("no_frameworks")

GOOD = """\
slug = "{slug}"
name = "Test framework"
source = "{source}"
summary = "A framework for tests."

[[principles]]
slug = "assets"
name = "People as assets"
easy_read_name = "What you bring"
picture = "gifts"
picture_alt = "A person holding up a star"
summary = "People bring skills."
easy_read_summary = "People can do things."

[[principles.statements]]
from_text = "{from_text}"
to_text = "We start from what people can do."
from_easy = "We look at problems."
to_easy = "We look at what people can do."
source_note = "{note}"

[[principles.statements]]
from_text = "We decide alone."
to_text = "We decide together."
from_easy = "Staff decide."
to_easy = "We all decide."
source_note = "Author 2020"
"""


def write(
    folder: Path,
    name: str,
    slug: str = "test-fw",
    from_text: str = "We start from needs.",
    source: str = "A. Author, A Book (2020)",
    note: str = "Author 2020",
):
    folder.mkdir(exist_ok=True)
    text = GOOD.format(slug=slug, from_text=from_text, source=source, note=note)
    (folder / name).write_text(text, encoding="utf-8")


def counts():
    return Framework.objects.count(), Principle.objects.count(), PracticeStatement.objects.count()


@pytest.mark.django_db
def test_loads_a_file(tmp_path):
    write(tmp_path, "a.toml")
    report = frameworks_load(directory=tmp_path)
    assert report.created == ["test-fw v1"]
    framework = Framework.objects.get(slug="test-fw")
    assert framework.version == 1
    principle = framework.principles.get()
    assert principle.order == 1
    assert [s.from_text for s in principle.statements.all()] == [
        "We start from needs.",
        "We decide alone.",
    ]


@pytest.mark.django_db
def test_second_run_changes_nothing(tmp_path):
    write(tmp_path, "a.toml")
    frameworks_load(directory=tmp_path)
    before = list(PracticeStatement.objects.values_list("pk", "from_text"))
    report = frameworks_load(directory=tmp_path)
    assert report.unchanged == ["test-fw v1"]
    assert report.created == report.updated == []
    assert list(PracticeStatement.objects.values_list("pk", "from_text")) == before


@pytest.mark.django_db
def test_unfrozen_framework_is_updated_in_place(tmp_path):
    write(tmp_path, "a.toml")
    frameworks_load(directory=tmp_path)
    write(tmp_path, "a.toml", from_text="We begin with what is wrong.")
    report = frameworks_load(directory=tmp_path)
    assert report.updated == ["test-fw v1"]
    assert Framework.objects.count() == 1
    assert PracticeStatement.objects.filter(from_text="We begin with what is wrong.").exists()


@pytest.mark.django_db
def test_frozen_framework_gets_a_new_version_and_keeps_its_words(tmp_path):
    write(tmp_path, "a.toml")
    frameworks_load(directory=tmp_path)
    framework_freeze(framework=Framework.objects.get())
    write(tmp_path, "a.toml", from_text="We begin with what is wrong.")

    report = frameworks_load(directory=tmp_path)

    assert report.created == ["test-fw v2"]
    v1, v2 = Framework.objects.order_by("version")
    assert v1.principles.get().statements.first().from_text == "We start from needs."
    assert v2.principles.get().statements.first().from_text == "We begin with what is wrong."
    assert list(Framework.objects.latest_versions()) == [v2]
    # And loading the new wording again changes nothing more.
    assert frameworks_load(directory=tmp_path).unchanged == ["test-fw v2"]


@pytest.mark.django_db
def test_citations_are_brought_up_to_date_in_every_version_without_a_new_one(tmp_path):
    """Nobody rates a citation: correcting one changes no wording, so it makes no new
    version, and it reaches answered versions where the statement's wording is the same."""
    write(tmp_path, "a.toml")
    frameworks_load(directory=tmp_path)
    framework_freeze(framework=Framework.objects.get())
    write(tmp_path, "a.toml", from_text="We begin with what is wrong.")
    frameworks_load(directory=tmp_path)  # v2, with new wording for the first statement
    write(
        tmp_path,
        "a.toml",
        from_text="We begin with what is wrong.",
        source="A. Author, A Better Book (2021)",
        note="Author 2021",
    )
    report = frameworks_load(directory=tmp_path)
    assert report.cited == ["test-fw v2"] and report.created == report.updated == []
    assert "sources updated: test-fw v2" in str(report)
    v1, v2 = Framework.objects.order_by("version")
    assert v1.source == v2.source == "A. Author, A Better Book (2021)"
    notes = lambda fw: [s.source_note for s in fw.principles.get().statements.all()]  # noqa: E731
    assert notes(v2) == ["Author 2021", "Author 2020"]
    # v1's first statement has other wording: its note is left as it was.
    assert notes(v1) == ["Author 2020", "Author 2020"]
    assert frameworks_load(directory=tmp_path).unchanged == ["test-fw v2"]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda t: t.replace('name = "Test framework"\n', ""),
            "bad.toml, line 1: missing 'name'. Add name = \"…\" to this table",
        ),
        (
            lambda t: t.replace('to_text = "We decide together."', 'to_text = ""'),
            "bad.toml, line 24, principle 1 (assets), statement 2: 'to_text' is empty. Write",
        ),
        (
            lambda t: t.replace('summary = "People bring skills."', "summary = 3"),
            "bad.toml, line 12, principle 1: 'summary' must be text, not int. Put the text in",
        ),
        (
            lambda t: t.replace('slug = "assets"', 'slug = "Not A Slug"'),
            "bad.toml, line 7, principle 1: 'slug' must be lowercase letters, digits and hyphens. "
            'Such as slug = "not-a-slug".',
        ),
        (
            lambda t: t.replace("[[principles.statements]]", "[principles.statements]", 1),
            "bad.toml: not valid TOML",
        ),
        (
            lambda t: t.split("[[principles]]")[0],
            "bad.toml, line 1: needs at least one [[principles]] entry. Add",
        ),
        (
            lambda t: t.replace('picture = "gifts"', 'picture = "no-such-picture"'),
            "bad.toml, line 10, principle 1: no picture static/img/easy-read/no-such-picture.svg. "
            "Choose one of both-ways,",
        ),
    ],
)
@pytest.mark.django_db
def test_malformed_file_is_named_and_nothing_is_loaded(tmp_path, mutate, expected):
    write(tmp_path, "a-good.toml", slug="good")
    bad = tmp_path / "bad.toml"
    good = GOOD.format(slug="bad", from_text="x", source="A. Author, A Book (2020)", note="x")
    bad.write_text(mutate(good), encoding="utf-8")

    with pytest.raises(CommandError) as excinfo:
        call_command("load_frameworks", "--dir", str(tmp_path))

    assert expected in str(excinfo.value)
    assert "Nothing was loaded" in str(excinfo.value)
    assert counts() == (0, 0, 0), "the good file must not be half-loaded"


@pytest.mark.django_db
def test_every_problem_of_a_file_is_listed_at_once_with_its_line(tmp_path):
    text = GOOD.format(slug="Bad Slug", from_text="", source="x", note="x")
    text = text.replace('to_easy = "We all decide."\n', "")
    (tmp_path / "bad.toml").write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        call_command("load_frameworks", "--dir", str(tmp_path))
    assert str(excinfo.value).splitlines() == [
        "bad.toml: 3 problems",
        "- line 1: 'slug' must be lowercase letters, digits and hyphens. "
        'Such as slug = "bad-slug".',
        "- line 16, principle 1 (assets), statement 1: 'from_text' is empty. "
        "Write where practice starts (the from) between the quotes.",
        "- line 22, principle 1 (assets), statement 2: missing 'to_easy'. "
        'Add to_easy = "…" to this table: the to in easy read.',
        "Nothing was loaded.",
    ]


@pytest.mark.django_db
def test_toml_syntax_error_gives_line_and_column(tmp_path):
    (tmp_path / "broken.toml").write_text('slug = "x"\nname = "unterminated\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken\.toml: not valid TOML: .*line 2"):
        call_command("load_frameworks", "--dir", str(tmp_path))


@pytest.mark.django_db
def test_two_files_with_one_slug_are_refused(tmp_path):
    write(tmp_path, "a.toml")
    write(tmp_path, "b.toml")
    with pytest.raises(CommandError, match="a.toml, b.toml: the slug 'test-fw' is used by more"):
        call_command("load_frameworks", "--dir", str(tmp_path))
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_command_reports_what_it_did(capsys):
    call_command("load_frameworks")
    first = capsys.readouterr().out
    call_command("load_frameworks")
    second = capsys.readouterr().out
    assert "created: " in first and "cahn v1" in first and "nef-nesta v1" in first
    assert "unchanged: " in second and "created" not in second


@pytest.mark.django_db
def test_shipped_files_load_on_a_copy(tmp_path):
    """The shipped content loads from any folder (as a deployment might keep it)."""
    for path in FRAMEWORKS_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path)
    report = frameworks_load(directory=tmp_path)
    assert len(report.created) == len(list(FRAMEWORKS_DIR.glob("*.toml"))) >= 2
