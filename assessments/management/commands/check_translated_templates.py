"""``manage.py check_translated_templates``: every word a template shows must be marked for
translation (``{% translate %}`` or ``{% blocktranslate %}``), so that no page, e-mail or
document comes out half in English when read in another language. `make lint` runs it.

Each template is read with Django's own template lexer, so the check sees what Django sees:
text outside template tags, variables and comments, and outside a
``{% blocktranslate %}``, that holds a letter is reported with its file and line; so are
the attributes a person reads or hears (alt, title, aria-label, placeholder, and the value
of a button-like input) when they hold a literal word.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.base import DebugLexer, TokenType

# What may stay as it is in every language, each with its reason. Keep this short.
EXEMPT = {
    "coprod": "the product's name",
    "English": "the language switch names each language in that language",
    "Cymraeg": "the language switch names each language in that language",
}
# Templates the check cannot read as HTML, each with its reason.
EXEMPT_TEMPLATES = {
    "templates/allauth/elements/button.html": "writes its tag's name with template tags "
    "(<a> or <button>); it holds no words of its own",
}

READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}
BUTTON_INPUTS = {"submit", "button", "reset"}
# A template tag or variable is read as a space: it holds no letter, parts a word from the
# next, and keeps a tag such as <body{% if x %} class="x"{% endif %}> a tag.
PLACEHOLDER = " "
LETTER = re.compile(r"[^\W\d_]")
EXEMPT_WORDS = re.compile(r"\b(?:" + "|".join(map(re.escape, EXEMPT)) + r")\b")


@dataclass(frozen=True)
class Unmarked:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


def _words(text: str) -> str | None:
    """``text`` with its spaces tidied if it holds a word that needs translating."""
    shown = " ".join(text.split())
    if not LETTER.search(EXEMPT_WORDS.sub("", shown)):
        return None
    return shown


def _readable(source: str) -> str:
    """The template with everything Django does not show as it is written blanked out:
    tags and variables become a placeholder, comments and ``{% blocktranslate %}`` blocks
    become nothing. Line breaks are kept, so lines still point at the file."""
    out: list[str] = []
    skipping: str | None = None  # the tag that ends the block being skipped
    for token in DebugLexer(source).tokenize():
        text = token.contents
        assert token.position is not None  # DebugLexer gives every token its place
        start, end = token.position
        keep_lines = "\n" * source.count("\n", start, end)
        if token.token_type == TokenType.BLOCK:
            name = text.split(None, 1)[0] if text else ""
            if skipping:
                if name == skipping:
                    skipping = None
            elif name in ("blocktranslate", "blocktrans"):
                skipping = "end" + name
            elif name == "comment":
                skipping = "endcomment"
            elif name == "block" and text.split()[1:2] and text.split()[1].endswith("_class"):
                skipping = "endblock"  # a block named *_class holds CSS classes, not words
            out.append(PLACEHOLDER + keep_lines)
        elif token.token_type == TokenType.TEXT and not skipping:
            out.append(text)
        else:
            out.append(
                keep_lines if skipping or token.token_type == TokenType.COMMENT else PLACEHOLDER
            )
    return "".join(out)


class _Finder(HTMLParser):
    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.found: list[Unmarked] = []
        self.raw = 0  # inside <script> or <style>

    def _report(self, text: str) -> None:
        shown = _words(text)
        if shown:
            line = self.getpos()[0] + text[: len(text) - len(text.lstrip())].count("\n")
            self.found.append(Unmarked(self.path, line, shown))

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.raw += 1
        values = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if name in READ_ATTRIBUTES or (
                name == "value" and tag == "input" and values.get("type") in BUTTON_INPUTS
            ):
                self._report(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.raw:
            self.raw -= 1

    def handle_data(self, data):
        if not self.raw:
            self._report(data)


def unmarked(path: Path, source: str | None = None) -> list[Unmarked]:
    """The words in the template at ``path`` (or in ``source``) not marked for translation."""
    finder = _Finder(path)
    finder.feed(_readable(path.read_text() if source is None else source))
    finder.close()
    return finder.found


def templates(base: Path) -> list[Path]:
    """The project's own templates: every templates folder of the project, not those of
    installed packages."""
    engines: list[dict] = settings.TEMPLATES
    folders = [Path(folder) for engine in engines for folder in engine["DIRS"]]
    folders += sorted(base.glob("*/templates"))
    return sorted(
        path
        for folder in folders
        for path in folder.rglob("*")
        if path.suffix in (".html", ".txt") and path.is_file()
    )


class Command(BaseCommand):
    help = "Report every word in a template that is not marked for translation"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="templates or folders (all if none)")

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        paths = [Path(p) for p in options["paths"]] or templates(base)
        files = [
            f
            for p in paths
            for f in (sorted(p.rglob("*.html")) if p.is_dir() else [p])
            if not any(f.resolve() == base.resolve() / name for name in EXEMPT_TEMPLATES)
        ]
        found = [entry for path in files for entry in unmarked(path)]
        for entry in found:
            shown = entry.path.relative_to(base) if entry.path.is_relative_to(base) else entry.path
            self.stdout.write(f"{shown}:{entry.line}: {entry.text}")
        if found:
            in_files = len({entry.path for entry in found})
            raise CommandError(
                f"{len(found)} unmarked strings in {in_files} of {len(files)} templates: "
                "mark them with {% translate %} or {% blocktranslate %}"
            )
        self.stdout.write(f"All {len(files)} templates are marked for translation.")
