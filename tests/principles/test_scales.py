"""A framework's own answer scale ([scale], principles/scales.py) and instruments: checked
with lines like the rest of a file, part of the version's wording in English, its Welsh
brought up to date in place, and the four Co's grid shipped with both."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from principles import scales
from principles.content_files import ContentError, framework_file, parse_framework_text
from principles.models import Framework
from principles.services import frameworks_load
from tests.principles.test_load_frameworks import GOOD, write

SCALE = """\
instrument = "grid"

[scale]
level_1 = "Told"
level_1_help = "Staff decide."
level_2 = "Asked"
level_2_help = "People are asked."
level_3 = "Involved"
level_3_help = "People take part."
level_4 = "Sharing"
level_4_help = "People share the decision."

[scale.cy]
level_1 = "Cael gwybod"
"""


def with_scale(scale: str = SCALE) -> str:
    top, rest = GOOD.split("\n[[principles]]", 1)
    return top + "\n" + scale + "\n[[principles]]" + rest


def parse(text: str):
    import tomllib
    from pathlib import Path

    text = text.format(slug="test-fw", from_text="We start.", source="A (2020)", note="A 2020")
    return parse_framework_text(Path("test.toml"), text, tomllib.loads(text))


def test_a_scale_is_read_with_its_welsh_and_the_english_where_none():
    data = parse(with_scale())
    assert data.instrument == "grid"
    assert [step.label for step in scales.steps(data.scale)] == [
        "Told",
        "Asked",
        "Involved",
        "Sharing",
    ]
    with translation.override("cy"):
        steps = scales.steps(data.scale)
    assert [s.label for s in steps] == ["Cael gwybod", "Asked", "Involved", "Sharing"]
    assert steps[0].help == "Staff decide."  # not translated: the English


def test_scale_problems_are_named_by_line_with_how_to_mend_them():
    scale = SCALE.replace('instrument = "grid"', 'instrument = "ladder"')
    scale = scale.replace('level_3_help = "People take part."\n', "")
    scale = scale.replace('level_1 = "Cael gwybod"', 'level_1 = "Cael gwybod"\nlevel_9 = "x"')
    with pytest.raises(ContentError) as excinfo:
        parse(with_scale(scale))
    assert str(excinfo.value).splitlines() == [
        "test.toml: 3 problems",
        "- line 6: 'instrument' must be one of grid. "
        'Write instrument = "grid", or take the line out.',
        "- line 8, [scale]: missing 'level_3_help'. "
        'Add level_3_help = "…" to this table: one line saying what step 3 means.',
        "- line 19, [scale.cy]: 'level_9' cannot be translated here. Take it out: this table "
        "may hold " + ", ".join(scales.SCALE_KEYS) + ".",
    ]


def test_a_file_without_a_scale_keeps_its_hash_and_a_scale_changes_it():
    plain = parse(GOOD)
    assert plain.scale == {} and plain.instrument == ""
    scaled = parse(with_scale())
    assert scaled.content_hash != plain.content_hash
    # The Welsh is a translation: not the wording people rated.
    assert parse(with_scale(SCALE.replace("Cael gwybod", "Dweud"))).content_hash == (
        scaled.content_hash
    )
    assert parse(with_scale(SCALE.replace('"Told"', '"Informed"'))).content_hash != (
        scaled.content_hash
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("no_frameworks")
def test_a_corrected_welsh_step_changes_the_version_in_place(tmp_path):
    write(tmp_path, "test.toml")
    path = tmp_path / "test.toml"
    path.write_text(
        with_scale().format(
            slug="test-fw", from_text="We start.", source="A (2020)", note="A 2020"
        ),
        encoding="utf-8",
    )
    frameworks_load(directory=tmp_path)
    framework = Framework.objects.get(slug="test-fw")
    before = framework.translations_hash
    path.write_text(path.read_text(encoding="utf-8").replace("Cael gwybod", "Dweud"), "utf-8")
    report = frameworks_load(directory=tmp_path)
    assert report.translated == ["test-fw v1"]
    framework.refresh_from_db()
    assert framework.scale["cy"]["level_1"] == "Dweud"
    assert framework.translations_hash != before


@pytest.mark.django_db
def test_the_four_cos_grid_loads_as_an_instrument_and_round_trips(frameworks):
    grid = frameworks["four-cos"]
    assert grid.instrument == "grid"
    assert [p.slug for p in grid.principles.all()] == [
        "co-commissioning",
        "co-design",
        "co-delivery",
        "co-assessment",
    ]
    for principle in grid.principles.all():
        assert 1 <= principle.statements.count() <= 3
        assert principle.translations["cy"]["name"]
    assert [s.label for s in scales.steps(grid.scale)] == ["Told", "Asked", "Involved", "Sharing"]
    with translation.override("cy"):
        assert scales.steps(grid.scale)[3].label == "Rhannu"
    # Downloaded as its file, it reads back as the same version, scale and all.
    import tomllib
    from pathlib import Path

    text = framework_file(grid)
    again = parse_framework_text(Path("four-cos.toml"), text, tomllib.loads(text))
    assert again.content_hash == grid.content_hash
    assert again.scale == grid.scale and again.instrument == "grid"


@pytest.mark.django_db
def test_check_framework_accepts_the_grid():
    call_command("check_framework", "principles/frameworks/four-cos.toml")
    with pytest.raises(CommandError):
        call_command("check_framework", "principles/frameworks/missing.toml")


@pytest.mark.django_db
def test_the_grids_page_in_the_library_gives_its_steps_in_english_and_welsh(client, frameworks):
    url = frameworks["four-cos"].get_absolute_url()
    page = client.get(url).content.decode()
    assert "How people answer" in page and "It is not offered as a round" in page
    for words in ("Told", "People are asked what they think, but staff decide.", "Sharing"):
        assert words in page
    welsh = client.get(url, headers={"accept-language": "cy"}).content.decode()
    assert "Cael eu holi" in welsh
    cahn = client.get(frameworks["cahn"].get_absolute_url()).content.decode()
    assert "How people answer" not in cahn
