"""Crosswalks: the check a person writing one is given, loading, and reading both ways."""

from itertools import combinations

import pytest
from django.core.management import CommandError, call_command

from principles.content_files import FRAMEWORKS_DIR
from principles.crosswalk_files import CROSSWALKS_DIR
from principles.crosswalks import lineups, readings
from principles.models import Crosswalk, CrosswalkLink, Framework, Principle
from principles.services import frameworks_load

SHIPPED = ("cahn", "nef-nesta", "scie", "wales-five")

BAD = """frameworks = ["wales-five", "nef-nesta"]
source = "Our own reading"

[[links]]
wales-five = "strengths"
nef-nesta = "assets"
reasoning = "Both value people."

[[links]]
wales-five = "strenghts"
nef-nesta = "assets"
reasoning = ""

[[links]]
wales-five = "strengths"
nef-nesta = "assets"
reasoning = "Again."
[links.statements]
nef-nesta = [9]

[[links]]
wales-five = "networks"
cahn = "social-networks"
"""


def test_every_pair_of_shipped_frameworks_has_a_crosswalk_that_passes(db, capsys):
    files = sorted(CROSSWALKS_DIR.glob("*.toml"))
    call_command("check_crosswalk", *map(str, files))
    said = capsys.readouterr().out
    assert said.count(": fine:") == len(files) == 6
    for first, second in combinations(SHIPPED, 2):
        assert f"{first}--{second}.toml: fine: {first} and {second}" in said
    assert Crosswalk.objects.count() == 6  # loaded with the frameworks


def test_every_problem_is_named_with_its_line_and_how_to_mend_it(db, tmp_path):
    (tmp_path / "mine.toml").write_text(BAD)
    (tmp_path / "other.toml").write_text('frameworks = ["wales-five", "nobody"]\n')
    with pytest.raises(CommandError) as excinfo:
        call_command("check_crosswalk", str(tmp_path / "mine.toml"), str(tmp_path / "other.toml"))
    said = str(excinfo.value)
    assert "mine.toml: 7 problems" in said
    assert (
        "- line 10, link 2: wales-five has no principle 'strenghts'. Use one of strengths, "
        "networks, what-matters, trust-and-power, change-makers." in said
    )
    assert "- line 12, link 2: 'reasoning' is empty. Write a sentence or two on why" in said
    assert "- line 14, link 3: the link assets and strengths is made twice (also link 1)" in said
    assert (
        "- line 19, link 3, [links.statements]: nef-nesta's statements must be numbers from "
        "1 to 4, each once. Such as nef-nesta = [1, 2]" in said
    )
    assert "- line 23, link 4: 'cahn' is not one of this file's frameworks." in said
    assert "- line 21, link 4: missing 'nef-nesta'. Add nef-nesta = \"…\"" in said
    assert "- line 21, link 4: missing 'reasoning'." in said
    assert said.index("line 14, link 3") < said.index("line 19, link 3")
    assert "- line 1: no framework with the slug 'nobody'. Use one of cahn," in said
    assert "other.toml" in said and "missing 'source'" in said


def test_loading_is_idempotent_and_a_bad_file_loads_nothing(db, tmp_path):
    before = list(CrosswalkLink.objects.values_list("pk", "reasoning"))
    report = frameworks_load()
    assert report.crosswalks == {"unchanged": [f.stem for f in sorted(CROSSWALKS_DIR.glob("*"))]}
    assert list(CrosswalkLink.objects.values_list("pk", "reasoning")) == before

    (tmp_path / "crosswalks").mkdir()
    for path in FRAMEWORKS_DIR.glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text())
    (tmp_path / "crosswalks" / "bad.toml").write_text(BAD)
    with pytest.raises(Exception, match="7 problems"):
        frameworks_load(directory=tmp_path)
    assert list(CrosswalkLink.objects.values_list("pk", "reasoning")) == before


def test_a_changed_file_replaces_its_links(db, tmp_path):
    text = (CROSSWALKS_DIR / "cahn--scie.toml").read_text()
    (tmp_path / "cahn--scie.toml").write_text(text.replace("SCIE’s equality is", "Equality is"))
    report = frameworks_load(crosswalks=tmp_path)
    assert report.crosswalks == {"updated": ["cahn--scie"]}
    walk = Crosswalk.objects.get(first="cahn", second="scie")
    assert walk.links.first().reasoning.startswith("Equality is")
    assert walk.links.count() == 5


def test_a_crosswalk_reads_the_same_both_ways(db):
    wales = readings("wales-five")["nef-nesta"]
    nef = readings("nef-nesta")["wales-five"]
    assert {(r.here, r.there, r.reasoning) for r in wales} == {
        (r.there, r.here, r.reasoning) for r in nef
    }
    link = next(r for r in wales if (r.here, r.there) == ("strengths", "mutuality"))
    assert (link.here_statements, link.there_statements) == ((3,), (2,))
    assert set(readings("scie")) == {"cahn", "nef-nesta", "wales-five"}


def test_a_link_to_a_principle_a_version_lacks_is_not_used(db):
    wales = Framework.objects.get(slug="wales-five")
    Principle.objects.filter(framework=wales, slug="networks").update(slug="links")
    (nef,) = [lineup for lineup in lineups(wales) if lineup.other.slug == "nef-nesta"]
    assert "networks" not in {link.here.slug for link in nef.links}
    assert [p.slug for p in nef.not_covered] == ["peer-support"]
    assert [p.slug for p in nef.unlinked] == ["links"]


def test_the_library_shows_how_a_framework_lines_up_with_others(client, db):
    page = client.get("/principles/wales-five/").content.decode()
    assert "How this framework lines up with others" in page
    assert "nef and NESTA’s six principles of co-production" in page
    assert "is what nef calls building on existing capabilities" in page
    assert "Statements it rests on most: 1.3 here; 3.2 in the other framework." in page
    assert "Our own reading of nef and NESTA, Public Services Inside Out (April 2010)" in page
    page = client.get("/principles/scie/").content.decode()
    assert "Principles here that no principle of Edgar Cahn’s four principles" in page
    welsh = client.get("/principles/nef-nesta/", HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "Magu cryfderau yw" in welsh  # the reasoning's Welsh, from its [links.cy] table


def test_a_framework_outside_the_shared_library_is_never_lined_up(db):
    Framework.objects.filter(slug="nef-nesta").update(shared=False)
    wales = Framework.objects.get(slug="wales-five")
    assert {lineup.other.slug for lineup in lineups(wales)} == {"cahn", "scie"}
