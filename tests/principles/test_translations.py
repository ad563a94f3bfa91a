"""Framework wording in Welsh: kept beside the English, never a new version of it, read in
the reader's language with the English where a text is not translated."""

import html
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from principles.content_files import (
    FRAMEWORKS_DIR,
    PRINCIPLE_TRANSLATED,
    STATEMENT_TRANSLATED,
    parse_framework_file,
)
from principles.models import Framework, PracticeStatement, Principle
from principles.services import framework_freeze, frameworks_load
from principles.translated import translated_names
from tests.support import sign_in, with_answers

# Each test loads into a library with nothing in it yet.
pytestmark = pytest.mark.usefixtures("no_frameworks")


@pytest.fixture(autouse=True)
def _english_after():
    """A request read in Welsh leaves Welsh active in the test's thread: put English back."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


ENGLISH = """\
slug = "test-fw"
name = "Test framework"
source = "A. Author, A Book (2020)"
summary = "A framework for tests."
{framework_cy}
[[principles]]
slug = "assets"
name = "People as assets"
easy_read_name = "What you bring"
picture = "gifts"
picture_alt = "A person holding up a star"
summary = "People bring skills."
easy_read_summary = "People can do things."
{principle_cy}
  [[principles.statements]]
  from_text = "{from_text}"
  to_text = "We start from what people can do."
  from_easy = "We look at problems."
  to_easy = "We look at what people can do."
  source_note = "Author 2020"
{statement_cy}
"""

FRAMEWORK_CY = """
[cy]
name = "Fframwaith prawf"
summary = "Fframwaith ar gyfer profion."
"""
PRINCIPLE_CY = """
[principles.cy]
name = "Pobl fel asedau"
easy_read_name = "Beth rydych chi'n ei gynnig"
summary = "Mae pobl yn dod â sgiliau."
easy_read_summary = "Gall pobl wneud pethau."
picture_alt = "Person yn dal seren i fyny"
"""
STATEMENT_CY = """
  [principles.statements.cy]
  from_text = "{from_cy}"
  to_text = "Rydyn ni'n dechrau o'r hyn y gall pobl ei wneud."
  from_easy = "Rydyn ni'n edrych ar broblemau."
  to_easy = "{to_easy_cy}"
"""


def write(
    folder: Path,
    *,
    welsh: bool = True,
    from_text: str = "We start from needs.",
    from_cy: str = "Rydyn ni'n dechrau o anghenion.",
    to_easy_cy: str = "Rydyn ni'n edrych ar yr hyn y gall pobl ei wneud.",
    statement_cy: str | None = None,
) -> None:
    if statement_cy is None:
        statement_cy = STATEMENT_CY.format(from_cy=from_cy, to_easy_cy=to_easy_cy)
    text = ENGLISH.format(
        from_text=from_text,
        framework_cy=FRAMEWORK_CY if welsh else "",
        principle_cy=PRINCIPLE_CY if welsh else "",
        statement_cy=statement_cy if welsh else "",
    )
    (folder / "a.toml").write_text(text, encoding="utf-8")


def statement() -> PracticeStatement:
    return PracticeStatement.objects.get()


def test_welsh_reads_in_welsh_and_english_in_english(tmp_path):
    write(tmp_path)
    frameworks_load(directory=tmp_path)
    framework = Framework.objects.get()
    with translation.override("cy"):
        assert framework.name == "Fframwaith prawf"
        assert statement().from_text == "Rydyn ni'n dechrau o anghenion."
        assert Principle.objects.get().picture_alt == "Person yn dal seren i fyny"
    with translation.override("en"):
        assert framework.name == "Test framework"
        assert statement().from_text == "We start from needs."
    # Welsh read from Welsh Wales ("cy-gb") too; another language without a text: English.
    with translation.override("cy-gb"):
        assert statement().to_easy == "Rydyn ni'n edrych ar yr hyn y gall pobl ei wneud."
    with translation.override("fr"):
        assert statement().to_easy == "We look at what people can do."


def test_adding_welsh_keeps_the_version_and_its_content_hash(tmp_path):
    write(tmp_path, welsh=False)
    frameworks_load(directory=tmp_path)
    framework = Framework.objects.get()
    framework_freeze(framework=framework)

    write(tmp_path)
    assert parse_framework_file(tmp_path / "a.toml").content_hash == framework.content_hash
    report = frameworks_load(directory=tmp_path)

    assert report.translated == ["test-fw v1"] and report.created == report.updated == []
    assert "translations updated: test-fw v1" in str(report)
    after = Framework.objects.get()
    assert (after.pk, after.version, after.content_hash) == (
        framework.pk,
        1,
        framework.content_hash,
    )
    assert after.translations_hash != framework.translations_hash
    with translation.override("cy"):
        assert statement().from_text == "Rydyn ni'n dechrau o anghenion."
    # The English people answered is as it was, and loading again changes nothing.
    assert PracticeStatement.objects.values_list("from_text", flat=True).get() == (
        "We start from needs."
    )
    assert frameworks_load(directory=tmp_path).unchanged == ["test-fw v1"]


def test_a_corrected_welsh_text_changes_the_frozen_version_in_place(tmp_path):
    write(tmp_path)
    frameworks_load(directory=tmp_path)
    framework_freeze(framework=Framework.objects.get())
    before = Framework.objects.get().translations_hash

    write(tmp_path, from_cy="Rydyn ni'n dechrau o'r hyn sydd ei angen ar bobl.")
    report = frameworks_load(directory=tmp_path)

    assert report.translated == ["test-fw v1"]
    framework = Framework.objects.get()
    assert framework.version == 1 and framework.is_frozen
    assert framework.translations_hash != before
    with translation.override("cy"):
        assert statement().from_text == "Rydyn ni'n dechrau o'r hyn sydd ei angen ar bobl."


def test_a_welsh_text_left_out_reads_in_english(tmp_path):
    only_from = '\n  [principles.statements.cy]\n  from_text = "Rydyn ni\'n dechrau o anghenion."\n'
    write(tmp_path, statement_cy=only_from)
    frameworks_load(directory=tmp_path)
    with translation.override("cy"):
        assert statement().from_text == "Rydyn ni'n dechrau o anghenion."
        assert statement().to_text == "We start from what people can do."
        assert statement().to_easy == "We look at what people can do."


def test_a_text_taken_out_of_the_file_is_taken_out_of_the_version(tmp_path):
    write(tmp_path)
    frameworks_load(directory=tmp_path)
    write(tmp_path, welsh=False)
    assert frameworks_load(directory=tmp_path).translated == ["test-fw v1"]
    with translation.override("cy"):
        assert statement().from_text == "We start from needs."
        assert Framework.objects.get().name == "Test framework"


def test_welsh_reaches_older_versions_only_where_the_english_is_the_same(tmp_path):
    write(tmp_path)
    frameworks_load(directory=tmp_path)
    framework_freeze(framework=Framework.objects.get())
    write(tmp_path, from_text="We begin with what is wrong.", from_cy="Rydyn ni'n dechrau â bai.")
    assert frameworks_load(directory=tmp_path).created == ["test-fw v2"]

    write(
        tmp_path,
        from_text="We begin with what is wrong.",
        from_cy="Rydyn ni'n dechrau gyda'r hyn sydd o'i le.",
        to_easy_cy="Rydyn ni'n edrych ar yr hyn y gallwch chi ei wneud.",
    )
    assert frameworks_load(directory=tmp_path).translated == ["test-fw v2"]

    v1, v2 = (s for s in PracticeStatement.objects.order_by("principle__framework__version"))
    with translation.override("cy"):
        # v1's from_text has other English: its Welsh stays as loaded with it.
        assert v1.from_text == "Rydyn ni'n dechrau o anghenion."
        assert v2.from_text == "Rydyn ni'n dechrau gyda'r hyn sydd o'i le."
        # The same English in both versions: the correction reaches both.
        assert v1.to_easy == v2.to_easy == "Rydyn ni'n edrych ar yr hyn y gallwch chi ei wneud."
    assert Framework.objects.filter(version=1).get().is_frozen


@pytest.mark.parametrize(
    ("statement_cy", "expected"),
    [
        (
            '\n  [principles.statements.cy]\n  source_note = "Awdur 2020"\n',
            "principle 1 (assets), statement 1, [cy]: 'source_note' cannot be translated",
        ),
        (
            '\n  [principles.statements.cy]\n  to_text = ""\n',
            "principle 1 (assets), statement 1, [cy]: 'to_text' is empty",
        ),
        (
            '\n  [principles.statements.Welsh]\n  to_text = "x"\n',
            "[Welsh]: a table here must be named by a language code",
        ),
        (
            '\n  [principles.statements.en]\n  to_text = "x"\n',
            "[en]: the English is the text above, not a table",
        ),
    ],
)
def test_a_malformed_translation_is_named_and_nothing_is_loaded(tmp_path, statement_cy, expected):
    write(tmp_path, statement_cy=statement_cy)
    with pytest.raises(CommandError) as excinfo:
        call_command("load_frameworks", "--dir", str(tmp_path))
    assert expected in str(excinfo.value)
    assert not Framework.objects.exists()


def test_saving_with_welsh_active_keeps_the_english(tmp_path):
    write(tmp_path)
    frameworks_load(directory=tmp_path)
    with translation.override("cy"):
        found = statement()
        found.save()
    assert PracticeStatement.objects.values_list("from_text", flat=True).get() == (
        "We start from needs."
    )


def test_the_shipped_frameworks_are_in_welsh_throughout():
    translated = set(translated_names(PracticeStatement))
    assert translated == set(STATEMENT_TRANSLATED)
    assert set(translated_names(Principle)) == set(PRINCIPLE_TRANSLATED)
    for path in FRAMEWORKS_DIR.glob("*.toml"):
        data = parse_framework_file(path)
        assert set(data.translations["cy"]) == {"name", "summary"}, path.name
        for principle in data.principles:
            assert set(principle.translations["cy"]) == set(PRINCIPLE_TRANSLATED), principle.slug
            for item in principle.statements:
                assert set(item.translations["cy"]) == translated, principle.slug


def test_load_frameworks_twice_changes_nothing_the_second_time(capsys):
    call_command("load_frameworks")
    call_command("load_frameworks")
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("Frameworks: unchanged: cahn v1, ") and "nef-nesta v1" in last
    assert ";" not in last  # nothing created, updated or translated
    with translation.override("cy"):
        assert Framework.objects.get(slug="cahn").name == "Pedair egwyddor cyd-gynhyrchu Edgar Cahn"


# Pages ------------------------------------------------------------------------------------

WELSH = {"HTTP_ACCEPT_LANGUAGE": "cy"}


def page(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_framework_pages_in_welsh(client, frameworks):
    cahn = frameworks["cahn"]
    listing = page(client, reverse("principles:list"), **WELSH)
    assert "Pedair egwyddor cyd-gynhyrchu Edgar Cahn" in listing
    assert "Chwe egwyddor cyd-gynhyrchu nef a NESTA" in listing
    assert "Edgar Cahn’s four principles" not in listing

    detail = page(client, cahn.get_absolute_url(), **WELSH)
    assert "Cydnabod pobl fel asedau" in detail
    assert "Recognising people as assets" not in detail
    # The works cited are named as published.
    assert cahn.source in detail

    principle = cahn.principles.get(slug="people-as-assets")
    text = page(client, principle.get_absolute_url(), **WELSH)
    assert "Rydyn ni'n gofyn i'r bobl sy'n defnyddio'r gwasanaeth pa sgiliau" in text
    assert "We ask the people who use the service" not in text

    # The same pages in English, after the Welsh (nothing kept in one language shows in
    # the other).
    english = page(client, principle.get_absolute_url())
    assert "We ask the people who use the service what skills they have" in english
    assert "Rydyn ni" not in english


def test_framework_page_in_easy_read_and_welsh(client, frameworks):
    session = client.session
    session["easy_read"] = True
    session.save()
    principle = frameworks["cahn"].principles.get(slug="people-as-assets")
    text = page(client, principle.get_absolute_url(), **WELSH)
    assert "Mae gan bawb rywbeth i'w roi" in text
    assert 'alt="Person yn dal seren i fyny"' in text
    assert "Rydyn ni'n gofyn am eich sgiliau." in text


def test_answering_page_shows_the_statements_in_welsh(client, world):
    sign_in(client, world.member)
    client.post(
        reverse("assessments:member-start", kwargs={"pk": world.round.pk}),
        {"perspective": "staff"},
    )
    url = reverse("assessments:member-page", kwargs={"pk": world.round.pk, "page": 1})
    first = world.round.framework.principles.order_by("order")[0].statements.order_by("order")[0]
    with translation.override("en"):
        from_en, to_en = first.from_text, first.to_text
    with translation.override("cy"):
        from_cy, to_cy = first.from_text, first.to_text
    assert from_en != from_cy and to_en != to_cy

    english = page(client, url)
    assert from_en in english and from_cy not in english
    welsh = page(client, url, **WELSH)
    assert from_cy in welsh and to_cy in welsh
    assert from_en not in welsh and to_en not in welsh
    # And back: the statement kept in Welsh is not what an English reader is shown.
    assert from_en in page(client, url, HTTP_ACCEPT_LANGUAGE="en")


def test_results_page_in_welsh_after_english(client, world):
    """The results' figures are kept as HTML: a Welsh reader after an English one gets the
    Welsh, and the English reader after them the English."""
    with_answers(world)
    sign_in(client, world.member)
    url = reverse("assessments:results", kwargs={"pk": world.round.pk})
    first = world.round.framework.principles.order_by("order")[0].statements.order_by("order")[0]
    with translation.override("en"):
        to_en = first.to_text
    with translation.override("cy"):
        to_cy = first.to_text
    assert to_en in page(client, url) and to_cy not in page(client, url)
    welsh = page(client, url, **WELSH)
    assert to_cy in welsh and to_en not in welsh
    assert to_en in page(client, url, HTTP_ACCEPT_LANGUAGE="en")
