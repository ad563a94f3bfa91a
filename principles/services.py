"""Writes to the principles library: loading the framework content files.

Each framework lives in one TOML file under ``principles/frameworks/``. Loading is
idempotent (a file whose content is already the newest version changes nothing), all or
nothing (every file is checked before anything is written, inside one transaction), and
keeps history (a frozen version is never edited: changed wording becomes a new version).

Citations (a framework's ``source``, a statement's ``source_note``) are not wording: nobody
rates them, so they are left out of the content hash and brought up to date in place, in
every version whose wording they belong to.

Translations are written beside the English, in a table named by the language's code under
the text they translate (``[cy]``, ``[principles.cy]``, ``[principles.statements.cy]``),
each holding any of the English keys of its level; a text left out reads in English. They
are not the wording people answered either: left out of the content hash, and brought up to
date in place in every version that has the English they translate, frozen or not.
"""

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from .models import Framework, PracticeStatement, Principle
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
# {(key, English text): {language: text}}: a file's translations, by the English they translate
ByEnglish = dict[tuple[str, str], dict[str, str]]


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


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)
    translated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        parts = []
        for label, items in (
            ("created", self.created),
            ("updated", self.updated),
            ("sources updated", self.cited),
            ("translations updated", self.translated),
            ("unchanged", self.unchanged),
        ):
            if items:
                parts.append(f"{label}: {', '.join(items)}")
        return "; ".join(parts) or "no framework files found"


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


def _write_content(framework: Framework, data: FrameworkData) -> None:
    framework.principles.all().delete()
    for p_order, p_data in enumerate(data.principles, start=1):
        principle = Principle.objects.create(
            framework=framework,
            order=p_order,
            translations=p_data.translations,
            **{key: getattr(p_data, key) for key in PRINCIPLE_KEYS},
        )
        PracticeStatement.objects.bulk_create(
            PracticeStatement(principle=principle, order=s_order, **s_data.__dict__)
            for s_order, s_data in enumerate(p_data.statements, start=1)
        )


def _citations_update(data: FrameworkData) -> bool:
    """Bring the citations of every version of the framework up to date: the framework's
    source, and each statement's note where the version has that statement's wording.
    Returns whether anything changed."""
    notes = {
        (p.slug, s.from_text, s.to_text): s.source_note
        for p in data.principles
        for s in p.statements
    }
    changed = (
        Framework.objects.filter(slug=data.slug)
        .exclude(source=data.source)
        .update(source=data.source)
    )
    statements = PracticeStatement.objects.filter(principle__framework__slug=data.slug)
    stale = []
    for statement in statements.select_related("principle"):
        key = (statement.principle.slug, statement.from_text, statement.to_text)
        note = notes.get(key)
        if note is not None and note != statement.source_note:
            statement.source_note = note
            stale.append(statement)
    PracticeStatement.objects.bulk_update(stale, ["source_note"])
    return bool(changed or stale)


def _retranslated(current: Translations, english: dict[str, str], found: ByEnglish) -> Translations:
    """A row's translations after loading: for each of its texts whose English the file
    has, the file's translations of it (none, if the file has none); the others as they
    were (wording of an older version, which the file no longer holds)."""
    result = {language: dict(texts) for language, texts in current.items()}
    for key, text in english.items():
        from_file = found.get((key, text))
        if from_file is None:
            continue
        for texts in result.values():
            texts.pop(key, None)
        for language, translated in from_file.items():
            result.setdefault(language, {})[key] = translated
    return {language: texts for language, texts in sorted(result.items()) if texts}


def _by_english(
    found: ByEnglish,
    english: dict[str, str],
    translations: Translations,
) -> None:
    for key, text in english.items():
        texts = {lang: t[key] for lang, t in translations.items() if key in t}
        found.setdefault((key, text), {}).update(texts)


def _retranslate_rows(rows: list, keys: tuple[str, ...], found_for) -> list:
    """Set each row's translations from the file's; returns the rows that changed."""
    stale = []
    for row in rows:
        english = {key: getattr(row, key) for key in keys}
        translations = _retranslated(row.translations, english, found_for(row))
        if translations != row.translations:
            row.translations = translations
            stale.append(row)
    return stale


def _translations_update(data: FrameworkData) -> bool:
    """Bring the translations of every version of the framework in line with the file's,
    wherever the version has the English they translate, and each version's
    ``translations_hash`` with its rows. Returns whether anything changed."""
    framework_found: ByEnglish = {}
    _by_english(
        framework_found, {k: getattr(data, k) for k in FRAMEWORK_TRANSLATED}, data.translations
    )
    principle_found: dict[str, ByEnglish] = {}
    statement_found: dict[str, ByEnglish] = {}
    for p in data.principles:
        english = {k: getattr(p, k) for k in PRINCIPLE_TRANSLATED}
        _by_english(principle_found.setdefault(p.slug, {}), english, p.translations)
        for st in p.statements:
            english = {k: getattr(st, k) for k in STATEMENT_TRANSLATED}
            _by_english(statement_found.setdefault(p.slug, {}), english, st.translations)

    versions = list(Framework.objects.filter(slug=data.slug))
    principles = list(Principle.objects.filter(framework__slug=data.slug))
    statements = list(
        PracticeStatement.objects.filter(principle__framework__slug=data.slug).select_related(
            "principle"
        )
    )
    stale_versions = _retranslate_rows(versions, FRAMEWORK_TRANSLATED, lambda f: framework_found)
    stale_principles = _retranslate_rows(
        principles, PRINCIPLE_TRANSLATED, lambda p: principle_found.get(p.slug, {})
    )
    stale_statements = _retranslate_rows(
        statements, STATEMENT_TRANSLATED, lambda s: statement_found.get(s.principle.slug, {})
    )
    Framework.objects.bulk_update(stale_versions, ["translations"])
    Principle.objects.bulk_update(stale_principles, ["translations"])
    PracticeStatement.objects.bulk_update(stale_statements, ["translations"])

    for version in versions:
        rows = [
            version.translations,
            sorted((p.order, p.translations) for p in principles if p.framework_id == version.pk),
            sorted(
                (s.principle.order, s.order, s.translations)
                for s in statements
                if s.principle.framework_id == version.pk
            ),
        ]
        digest = hashlib.sha256(
            json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()
        if digest != version.translations_hash:
            Framework.objects.filter(pk=version.pk).update(translations_hash=digest)
    return bool(stale_versions or stale_principles or stale_statements)


def framework_load(*, data: FrameworkData) -> str:
    """Bring the database in line with one checked file. Returns what happened: "created"
    or "updated" (the wording), "translated" or "cited" (only translations, or only
    citations, changed in place), or "unchanged"."""
    # The English is read and written as stored, whatever language is active.
    with translation.override(None):
        outcome = _framework_load(data)
        translated = _translations_update(data)
    return "translated" if outcome in ("cited", "unchanged") and translated else outcome


def _framework_load(data: FrameworkData) -> str:
    latest = Framework.objects.filter(slug=data.slug).order_by("-version").first()
    if latest is not None and latest.content_hash == data.content_hash:
        return "cited" if _citations_update(data) else "unchanged"
    fields = {
        "name": data.name,
        "source": data.source,
        "summary": data.summary,
        "content_hash": data.content_hash,
        "translations": data.translations,
    }
    if latest is None or latest.is_frozen:
        version = 1 if latest is None else latest.version + 1
        framework = Framework.objects.create(slug=data.slug, version=version, **fields)
        _write_content(framework, data)
        _citations_update(data)
        return "created"
    for key, value in fields.items():
        setattr(latest, key, value)
    latest.save()
    _write_content(latest, data)
    _citations_update(data)
    return "updated"


def frameworks_load(*, directory: Path = FRAMEWORKS_DIR) -> LoadReport:
    """Load every ``*.toml`` in ``directory``: all files are checked first, then written
    together in one transaction, so a bad file leaves the database as it was."""
    paths = sorted(directory.glob("*.toml"))
    parsed = [parse_framework_file(path) for path in paths]
    slugs = [data.slug for data in parsed]
    for slug in set(slugs):
        if slugs.count(slug) > 1:
            files = ", ".join(d.path.name for d in parsed if d.slug == slug)
            raise ContentError(f"{files}: the slug '{slug}' is used by more than one file")

    report = LoadReport()
    with transaction.atomic():
        for data in parsed:
            outcome = framework_load(data=data)
            version = Framework.objects.filter(slug=data.slug).latest("version")
            getattr(report, outcome).append(f"{data.slug} v{version.version}")
    return report


def framework_freeze(*, framework: Framework) -> None:
    """Mark a version as answered: from now on its wording never changes."""
    if framework.frozen_at is None:
        Framework.objects.filter(pk=framework.pk, frozen_at__isnull=True).update(
            frozen_at=timezone.now()
        )
        framework.refresh_from_db(fields=["frozen_at"])
