"""Reading a framework's content file (TOML, one file a framework under
``principles/frameworks/``): every key checked, with errors that name the file, the place
and the fault, and the content hash of the wording people answer (citations and
translations left out). ``services`` writes what is read here; the file's format is in
the docstring there.
"""

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

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
# What a language table may hold, at each level: the wording, never slugs, pictures or
# citations (the works cited are named as published).
FRAMEWORK_TRANSLATED = ("name", "summary")
PRINCIPLE_TRANSLATED = ("name", "easy_read_name", "summary", "easy_read_summary", "picture_alt")
STATEMENT_TRANSLATED = ("from_text", "to_text", "from_easy", "to_easy")

# {language: {key: text}}
Translations = dict[str, dict[str, str]]


class ContentError(Exception):
    """A content file is malformed. The message names the file, the place and the fault."""


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


def _text(table: dict, key: str, where: str) -> str:
    if key not in table:
        raise ContentError(f"{where}: missing '{key}'")
    value = table[key]
    if not isinstance(value, str):
        raise ContentError(f"{where}: '{key}' must be text, not {type(value).__name__}")
    value = value.strip()
    if not value:
        raise ContentError(f"{where}: '{key}' is empty")
    return value


def _table_list(table: dict, key: str, where: str) -> list[dict]:
    items = table.get(key)
    if not isinstance(items, list) or not items:
        raise ContentError(f"{where}: needs at least one [[{key}]] entry")
    if not all(isinstance(item, dict) for item in items):
        raise ContentError(f"{where}: every '{key}' entry must be a table ([[{key}]])")
    return items


def _translations(table: dict, keys: tuple[str, ...], where: str) -> Translations:
    """The language tables of ``table``: every table in it not named by the format is one,
    named by its language's code, holding texts for any of ``keys``."""
    found: Translations = {}
    english = base_language(settings.LANGUAGE_CODE)
    for code, texts in table.items():
        if not isinstance(texts, dict):
            continue
        l_where = f"{where}, [{code}]"
        if not LANGUAGE_RE.match(code):
            raise ContentError(
                f"{l_where}: a table here must be named by a language code, such as 'cy'"
            )
        if code.split("-")[0] == english:
            raise ContentError(f"{l_where}: the English is the text above, not a table")
        for key in texts:
            if key not in keys:
                raise ContentError(
                    f"{l_where}: '{key}' cannot be translated here (it may hold {', '.join(keys)})"
                )
        found[code] = {key: _text(texts, key, l_where) for key in keys if key in texts}
    return found


def parse_framework_file(path: Path) -> FrameworkData:
    """Read and check one content file, or raise ContentError saying what is wrong where."""
    name = path.name
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ContentError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{name}: not valid TOML: {exc}") from exc

    values = {key: _text(data, key, name) for key in FRAMEWORK_KEYS}
    if not SLUG_RE.match(values["slug"]):
        raise ContentError(f"{name}: 'slug' must be lowercase letters, digits and hyphens")

    principles = []
    seen_slugs: set[str] = set()
    for p_index, p_table in enumerate(_table_list(data, "principles", name), start=1):
        p_where = f"{name}: principle {p_index}"
        p_values = {key: _text(p_table, key, p_where) for key in PRINCIPLE_KEYS}
        if not SLUG_RE.match(p_values["slug"]):
            raise ContentError(f"{p_where}: 'slug' must be lowercase letters, digits and hyphens")
        if not (PICTURES_DIR / f"{p_values['picture']}.svg").is_file():
            raise ContentError(
                f"{p_where}: no picture static/img/easy-read/{p_values['picture']}.svg"
            )
        if p_values["slug"] in seen_slugs:
            raise ContentError(f"{p_where}: slug '{p_values['slug']}' is used twice")
        seen_slugs.add(p_values["slug"])
        statements = []
        for s_index, s_table in enumerate(_table_list(p_table, "statements", p_where), start=1):
            s_where = f"{p_where} ({p_values['slug']}), statement {s_index}"
            statements.append(
                StatementData(
                    **{key: _text(s_table, key, s_where) for key in STATEMENT_KEYS},
                    translations=_translations(s_table, STATEMENT_TRANSLATED, s_where),
                )
            )
        principles.append(
            PrincipleData(
                **p_values,
                statements=tuple(statements),
                translations=_translations(p_table, PRINCIPLE_TRANSLATED, p_where),
            )
        )

    wording = {key: value for key, value in values.items() if key != "source"}
    canonical = json.dumps(
        {"framework": wording, "principles": [_principle_dict(p) for p in principles]},
        sort_keys=True,
        ensure_ascii=False,
    )
    return FrameworkData(
        path=path,
        principles=tuple(principles),
        content_hash=hashlib.sha256(canonical.encode()).hexdigest(),
        translations=_translations(data, FRAMEWORK_TRANSLATED, name),
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
