"""Reading and writing a framework's content file (TOML, one file a framework under
``principles/frameworks/``): every key checked, every problem found at once, each named
by its line and place with how to mend it (``content_lines``), and the content hash of
the wording people answer (citations and translations left out). ``services`` writes
what is read here; the file's format is in the docstring there.
"""

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w
from django.conf import settings
from django.utils import translation

from . import content_lines, scales
from .content_lines import Lines, Place, Problem
from .translated import base_language

FRAMEWORKS_DIR = Path(__file__).resolve().parent / "frameworks"
PICTURES_DIR = Path(__file__).resolve().parent.parent / "static" / "img" / "easy-read"

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]+)*$")
FRAMEWORK_KEYS = ("slug", "name", "source", "summary")
PRINCIPLE_KEYS = (
    "slug",
    "name",
    "easy_read_name",
    "summary",
    "easy_read_summary",
    "picture",
    "picture_alt",
)
STATEMENT_KEYS = ("from_text", "to_text", "from_easy", "to_easy", "source_note")
# Easy read is given everywhere in a file or nowhere (``easy_read_given``).
PRINCIPLE_EASY = ("easy_read_name", "easy_read_summary", "picture", "picture_alt")
STATEMENT_EASY = ("from_easy", "to_easy")
# What a language table may hold, at each level: the wording, never slugs, pictures or
# citations (the works cited are named as published).
FRAMEWORK_TRANSLATED = ("name", "summary")
PRINCIPLE_TRANSLATED = ("name", "easy_read_name", "summary", "easy_read_summary", "picture_alt")
STATEMENT_TRANSLATED = ("from_text", "to_text", "from_easy", "to_easy")

# {language: {key: text}}
Translations = dict[str, dict[str, str]]


class ContentError(Exception):
    """A content file is malformed. The message names the file, and each problem's line,
    place and fault, and how to mend it; ``problems`` lists them."""

    def __init__(self, name: str, problems: list[Problem] | None = None, fault: str = ""):
        self.name = name
        self.problems = problems or []
        if fault:
            super().__init__(f"{name}: {fault}")
        elif len(self.problems) == 1:
            super().__init__(f"{name}, {self.problems[0]}")
        else:
            listed = "\n".join(f"- {problem}" for problem in self.problems)
            super().__init__(f"{name}: {len(self.problems)} problems\n{listed}")


@dataclass(frozen=True)
class StatementData:
    from_text: str
    to_text: str
    from_easy: str
    to_easy: str
    source_note: str
    translations: Translations = field(default_factory=dict)


@dataclass(frozen=True)
class PrincipleData:
    slug: str
    name: str
    easy_read_name: str
    summary: str
    easy_read_summary: str
    picture: str
    picture_alt: str
    statements: tuple[StatementData, ...]
    translations: Translations = field(default_factory=dict)


@dataclass(frozen=True)
class FrameworkData:
    path: Path
    slug: str
    name: str
    source: str
    summary: str
    principles: tuple[PrincipleData, ...]
    content_hash: str = field(default="")
    translations: Translations = field(default_factory=dict)
    # {"en": {key: text}, language: {key: text}}: the framework's own scale (scales.py)
    scale: dict[str, dict[str, str]] = field(default_factory=dict)
    instrument: str = ""
    easy_read: bool = True


class _Reader:
    """Reads one file's tables, noting every problem instead of stopping at the first."""

    def __init__(self, text: str, easy_read: str = "principle 1"):
        self.lines = Lines(text)
        self.problems: list[Problem] = []
        # Where the file first gives easy read ("" if nowhere): then it is needed everywhere.
        self.easy_read = easy_read

    def wording(self, table: dict, key: str, place: Place, where: str) -> str:
        """A wording key: as ``text``, but an easy-read key is left out in a file with no
        easy read; a table with none of it, in a file that gives it, is named once."""
        level = next((keys for keys in (PRINCIPLE_EASY, STATEMENT_EASY) if key in keys), None)
        if level is None:
            return self.text(table, key, place, where)
        if not self.easy_read:
            return ""
        if not any(k in table for k in level):
            if key == level[0]:
                fault = f"no easy read here, though the file gives it in {self.easy_read}"
                fix = (
                    f"Add {', '.join(level)}, or take easy read out of the whole file: "
                    "a file gives easy read everywhere or nowhere."
                )
                self.problem(place, where, fault, fix)
            return ""
        return self.text(table, key, place, where)

    def translatable(self, keys: tuple[str, ...]) -> tuple[str, ...]:
        """The keys a language table may hold: no easy read in a file that has none."""
        easy = PRINCIPLE_EASY + STATEMENT_EASY
        return keys if self.easy_read else tuple(key for key in keys if key not in easy)

    def problem(self, place: Place, where: str, fault: str, fix: str, key: str | None = None):
        self.problems.append(Problem(self.lines.of(place, key), where, fault, fix))

    def text(self, table: dict, key: str, place: Place, where: str) -> str:
        if key not in table:
            self.problem(place, where, f"missing '{key}'", content_lines.missing(key))
            return ""
        value = table[key]
        if not isinstance(value, str):
            fault = f"'{key}' must be text, not {type(value).__name__}"
            self.problem(place, where, fault, content_lines.not_text(key), key)
            return ""
        if not value.strip():
            self.problem(place, where, f"'{key}' is empty", content_lines.empty(key), key)
        return value.strip()

    def slug(self, value: str, place: Place, where: str) -> None:
        if value and not SLUG_RE.match(value):
            fault = "'slug' must be lowercase letters, digits and hyphens"
            fix = f'Such as slug = "{_slugish(value)}".'
            self.problem(place, where, fault, fix, "slug")

    def tables(self, table: dict, key: str, place: Place, where: str) -> list[dict]:
        items = table.get(key)
        header = "[[principles]]" if key == "principles" else "[[principles.statements]]"
        if not isinstance(items, list) or not items:
            fix = f"Add a {header} table{' under it' if where else ''}, with its keys."
            self.problem(place, where, f"needs at least one {header} entry", fix)
            return []
        if not all(isinstance(item, dict) for item in items):
            fix = f"Write each as a table of its own: {header}."
            self.problem(place, where, f"every '{key}' entry must be a table", fix)
            return []
        return items

    def translations(
        self, table: dict, keys: tuple[str, ...], place: Place, where: str
    ) -> Translations:
        """The language tables of ``table``: every table in it not named by the format is
        one, named by its language's code, holding texts for any of ``keys``."""
        found: Translations = {}
        english = base_language(settings.LANGUAGE_CODE)
        for code, texts in table.items():
            if not isinstance(texts, dict):
                continue
            at, l_where = (place[0], place[1], code), f"{where + ', ' if where else ''}[{code}]"
            if not LANGUAGE_RE.match(code):
                fault = "a table here must be named by a language code, such as 'cy'"
                self.problem(at, l_where, fault, "Rename the table, as in [principles.cy].")
                continue
            if code.split("-")[0] == english:
                fault = "the English is the text above, not a table"
                self.problem(at, l_where, fault, "Move these texts into the table above it.")
                continue
            for key in texts:
                if key not in keys:
                    fault = f"'{key}' cannot be translated here"
                    fix = f"Take it out: this table may hold {', '.join(keys)}."
                    self.problem(at, l_where, fault, fix, key)
            found[code] = {key: self.text(texts, key, at, l_where) for key in keys if key in texts}
        return found


def _slugish(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "networks"


def parse_framework_file(path: Path) -> FrameworkData:
    """Read and check one content file, or raise ContentError listing what is wrong where."""
    name = path.name
    try:
        text = path.read_bytes().decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        fault = f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        raise ContentError(name, fault=fault) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(name, fault=f"not valid TOML: {exc}") from exc
    return parse_framework_text(path, text, data)


def easy_read_given(data: dict) -> str:
    """Where the file first gives easy read ("principle 2, statement 1"), or "" if it
    gives none: any easy-read key, in any principle or statement."""
    principles = data.get("principles")
    for p_index, p_table in enumerate(principles if isinstance(principles, list) else [], 1):
        if not isinstance(p_table, dict):
            continue
        if any(key in p_table for key in PRINCIPLE_EASY):
            return f"principle {p_index}"
        statements = p_table.get("statements")
        for s_index, s_table in enumerate(statements if isinstance(statements, list) else [], 1):
            if isinstance(s_table, dict) and any(key in s_table for key in STATEMENT_EASY):
                return f"principle {p_index}, statement {s_index}"
    return ""


def parse_framework_upload(name: str, text: str) -> FrameworkData:
    """Check a file's text, as ``parse_framework_file`` checks a file: a file made on the
    site, checked before anything of it is saved as a framework."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(name, fault=f"not valid TOML: {exc}") from exc
    return parse_framework_text(Path(name), text, data)


def parse_framework_text(path: Path, text: str, data: dict) -> FrameworkData:
    name = path.name
    reader = _Reader(text, easy_read_given(data))
    top: Place = (0, 0, "")
    values = {key: reader.text(data, key, top, "") for key in FRAMEWORK_KEYS}
    reader.slug(values["slug"], top, "")
    instrument = scales.read_instrument(reader, data)
    scale = scales.read_scale(reader, data)

    principles = []
    seen_slugs: set[str] = set()
    for p_index, p_table in enumerate(reader.tables(data, "principles", top, ""), start=1):
        p_place: Place = (p_index, 0, "")
        p_where = f"principle {p_index}"
        p_values = {key: reader.wording(p_table, key, p_place, p_where) for key in PRINCIPLE_KEYS}
        reader.slug(p_values["slug"], p_place, p_where)
        picture = p_values["picture"]
        if picture and not (PICTURES_DIR / f"{picture}.svg").is_file():
            pictures = ", ".join(sorted(p.stem for p in PICTURES_DIR.glob("*.svg")))
            fault = f"no picture static/img/easy-read/{picture}.svg"
            fix = f"Choose one of {pictures}, or add the picture to static/img/easy-read/."
            reader.problem(p_place, p_where, fault, fix, "picture")
        if p_values["slug"] and p_values["slug"] in seen_slugs:
            fault = f"slug '{p_values['slug']}' is used twice"
            reader.problem(
                p_place, p_where, fault, "Give each principle a slug of its own.", "slug"
            )
        seen_slugs.add(p_values["slug"])
        statements = []
        p_named = f"{p_where} ({p_values['slug']})" if p_values["slug"] else p_where
        s_tables = reader.tables(p_table, "statements", p_place, p_named)
        for s_index, s_table in enumerate(s_tables, start=1):
            s_place: Place = (p_index, s_index, "")
            s_where = f"{p_named}, statement {s_index}"
            statements.append(
                StatementData(
                    **{
                        key: reader.wording(s_table, key, s_place, s_where)
                        for key in STATEMENT_KEYS
                    },
                    translations=reader.translations(
                        s_table, reader.translatable(STATEMENT_TRANSLATED), s_place, s_where
                    ),
                )
            )
        principles.append(
            PrincipleData(
                **p_values,
                statements=tuple(statements),
                translations=reader.translations(
                    p_table, reader.translatable(PRINCIPLE_TRANSLATED), p_place, p_where
                ),
            )
        )
    languages = {key: value for key, value in data.items() if key != "scale"}
    translations = reader.translations(languages, FRAMEWORK_TRANSLATED, top, "")
    if reader.problems:
        raise ContentError(name, reader.problems)

    wording: dict = {key: value for key, value in values.items() if key != "source"}
    # Only where present, so that a framework without them keeps its hash.
    if scale:
        wording["scale"] = scale["en"]
    if instrument:
        wording["instrument"] = instrument
    canonical = json.dumps(
        {"framework": wording, "principles": [_principle_dict(p) for p in principles]},
        sort_keys=True,
        ensure_ascii=False,
    )
    return FrameworkData(
        path=path,
        principles=tuple(principles),
        content_hash=hashlib.sha256(canonical.encode()).hexdigest(),
        translations=translations,
        scale=scale,
        instrument=instrument,
        easy_read=bool(reader.easy_read),
        **values,
    )


def _principle_dict(principle: PrincipleData) -> dict:
    """A principle's wording, for the content hash: everything but the citations."""
    return {
        **{key: getattr(principle, key) for key in PRINCIPLE_KEYS},
        "statements": [
            {key: getattr(s, key) for key in STATEMENT_KEYS if key != "source_note"}
            for s in principle.statements
        ],
    }


def framework_file(framework) -> str:
    """A framework version written out as the content file it can be read from again: the
    English, each language's table under the text it translates, and the citations. Reading
    it back gives the same content hash (tests/principles/test_framework_file.py)."""
    with translation.override(None):  # each translated field reads its English column
        data: dict = {key: getattr(framework, key) for key in FRAMEWORK_KEYS}
        if framework.instrument:
            data["instrument"] = framework.instrument
        data.update(_languages(framework.translations))
        if framework.scale:
            data["scale"] = scales.scale_table(framework.scale)
        easy = getattr(framework, "has_easy_read", True)
        principle_keys = PRINCIPLE_KEYS if easy else _plain(PRINCIPLE_KEYS)
        statement_keys = STATEMENT_KEYS if easy else _plain(STATEMENT_KEYS)
        data["principles"] = [
            {
                **{key: getattr(principle, key) for key in principle_keys},
                **_languages(principle.translations),
                "statements": [
                    {
                        **{key: getattr(statement, key) for key in statement_keys},
                        **_languages(statement.translations),
                    }
                    for statement in principle.statements.all()
                ],
            }
            for principle in framework.principles.all()
        ]
    return tomli_w.dumps(data, multiline_strings=False)


def _plain(keys: tuple[str, ...]) -> tuple[str, ...]:
    """The keys of a file without easy read."""
    return tuple(key for key in keys if key not in PRINCIPLE_EASY + STATEMENT_EASY)


def _languages(translations: Translations | None) -> Translations:
    return {code: dict(texts) for code, texts in sorted((translations or {}).items()) if texts}
