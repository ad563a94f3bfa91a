"""``manage.py check_translated_templates`` (in `make lint`): a word a template shows that
is not marked for translation is reported with its file and line."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.management.commands.check_translated_templates import unmarked


def found(source: str) -> list[tuple[int, str]]:
    return [(entry.line, entry.text) for entry in unmarked(Path("t.html"), source)]


def test_an_unmarked_word_is_reported_with_its_line():
    source = '{% load i18n %}\n<h1>{% translate "Marked" %}</h1>\n<p>Not marked</p>\n'
    assert found(source) == [(3, "Not marked")]


def test_marked_text_passes():
    source = """{% load i18n %}{% extends "base.html" %}
{% block title %}{% translate "Results" %}{% endblock %}
<p>{% blocktranslate trimmed with name=round.name %}
  Results of <strong>{{ name }}</strong>
{% endblocktranslate %}</p>
<p>{{ round.name }} – {{ count }}</p>
{# A comment says what it likes #}{% comment %}So does this one{% endcomment %}
<script>var words = "scripts are checked elsewhere";</script>
"""
    assert found(source) == []


def test_tags_and_variables_part_words_and_keep_html_tags_whole():
    source = '<body{% if easy_read %} class="easy-read"{% endif %}>\n<p>{{ a }}Hello{{ b }}</p>'
    assert found(source) == [(2, "Hello")]


def test_a_block_of_css_classes_holds_no_words_but_its_neighbours_do():
    source = "{% block main_class %}container-fluid wide{% endblock %}\n<p>Not marked</p>"
    assert found(source) == [(2, "Not marked")]


@pytest.mark.parametrize("attribute", ["alt", "title", "aria-label", "placeholder"])
def test_words_a_person_reads_or_hears_in_an_attribute_are_reported(attribute):
    assert found(f'<img {attribute}="A chart">') == [(1, "A chart")]
    assert found(f'<img {attribute}="{{% translate "A chart" %}}">') == []
    assert found(f'<img {attribute}="{{{{ label }}}}">') == []


def test_a_button_value_is_read_but_a_form_value_is_not():
    assert found('<input type="submit" value="Save">') == [(1, "Save")]
    assert found('<input type="hidden" name="easy_read" value="on">') == []
    assert found('<a class="nav-link" href="/x" id="main">') == []


def test_the_product_name_and_the_languages_names_stand_in_any_language():
    assert found("<title>{% block title %}coprod{% endblock %} – coprod</title>") == []
    assert found('<button lang="cy">Cymraeg</button><button lang="en">English</button>') == []
    assert found("<p>Hello, coprod</p>") == [(1, "Hello, coprod")]


def test_the_command_names_each_unmarked_string_and_fails(tmp_path, capsys):
    (tmp_path / "good.html").write_text('{% load i18n %}<p>{% translate "Fine" %}</p>')
    (tmp_path / "bad.html").write_text("<p>\n\nForgotten</p>")
    with pytest.raises(CommandError, match="1 unmarked strings in 1 of 2 templates"):
        call_command("check_translated_templates", str(tmp_path))
    assert f"{tmp_path / 'bad.html'}:3: Forgotten" in capsys.readouterr().out


def test_the_site_frame_and_its_own_pages_are_marked(capsys):
    base = Path(__file__).resolve().parents[2] / "templates"
    mine = ["base.html", "_error_summary.html", "400.html", "403.html", "403_csrf.html"]
    mine += ["404.html", "429.html", "500.html", "site", "bootstrap5", "allauth/layouts"]
    call_command("check_translated_templates", *(str(base / name) for name in mine))
    assert "templates are marked for translation" in capsys.readouterr().out
