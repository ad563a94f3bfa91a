"""`manage.py check_framework FILE`: what a person writing a framework file is told."""

import pytest
from django.core.management import CommandError, call_command

from principles.content_files import FRAMEWORKS_DIR
from tests.principles.test_load_frameworks import GOOD


def test_every_shipped_framework_passes(capsys):
    files = sorted(FRAMEWORKS_DIR.glob("*.toml"))
    call_command("check_framework", *map(str, files))
    said = capsys.readouterr().out
    assert "cahn.toml: fine: “Edgar Cahn’s four principles of co-production”, 4 principles" in said
    assert "wales.toml: fine:" in said and "translated into cy" in said
    assert said.count(": fine:") == len(files)


def test_problems_are_listed_with_their_lines_and_nothing_is_loaded(tmp_path):
    text = GOOD.format(slug="test-fw", from_text="", source="x", note="x")
    (tmp_path / "mine.toml").write_text(text.replace('picture = "gifts"', 'picture = "gift"'))
    with pytest.raises(CommandError) as excinfo:
        call_command("check_framework", str(tmp_path / "mine.toml"), str(tmp_path / "none.toml"))
    said = str(excinfo.value)
    assert "mine.toml: 2 problems" in said
    assert "- line 10, principle 1: no picture static/img/easy-read/gift.svg." in said
    assert "- line 16, principle 1 (assets), statement 1: 'from_text' is empty." in said
    assert "none.toml: no such file" in said
