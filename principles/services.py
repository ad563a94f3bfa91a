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
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone, translation

from .content_files import (
    FRAMEWORK_TRANSLATED,
    FRAMEWORKS_DIR,
    PRINCIPLE_KEYS,
    PRINCIPLE_TRANSLATED,
    STATEMENT_TRANSLATED,
    ContentError,
    FrameworkData,
    Translations,
    parse_framework_file,
)
from .crosswalk_files import CROSSWALKS_DIR, known_frameworks
from .crosswalks import crosswalks_load, crosswalks_parse
from .models import Framework, PracticeStatement, Principle
from .scopes import scopes_update

# {(key, English text): {language: text}}: a file's translations, by the English they translate
ByEnglish = dict[tuple[str, str], dict[str, str]]


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)
    translated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    crosswalks: dict[str, list[str]] = field(default_factory=dict)

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
        for label, items in self.crosswalks.items():
            if label != "unchanged":  # as quiet as the frameworks when nothing changed
                parts.append(f"crosswalks {label}: {', '.join(items)}")
        return "; ".join(parts) or "no framework files found"


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


def _scale_update(data: FrameworkData) -> bool:
    """A scale's words in other languages, brought up to date in place in every version
    with the same English scale (the English is part of the content hash)."""
    stale = [
        version.pk
        for version in Framework.objects.filter(slug=data.slug).only("scale")
        if version.scale.get("en") == data.scale.get("en") and version.scale != data.scale
    ]
    return bool(stale) and bool(Framework.objects.filter(pk__in=stale).update(scale=data.scale))


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

    rescaled = _scale_update(data)
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
        rows: list = [
            version.translations,
            sorted((p.order, p.translations) for p in principles if p.framework_id == version.pk),
            sorted(
                (s.principle.order, s.order, s.translations)
                for s in statements
                if s.principle.framework_id == version.pk
            ),
        ]
        if version.scale:  # its words in other languages change in place too
            rows.append(version.scale)
        digest = hashlib.sha256(
            json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()
        if digest != version.translations_hash:
            Framework.objects.filter(pk=version.pk).update(translations_hash=digest)
    return bool(rescaled or stale_versions or stale_principles or stale_statements)


def framework_load(*, data: FrameworkData, shared: bool = True) -> str:
    """Bring the database in line with one checked file. Returns what happened: "created"
    or "updated" (the wording), "translated" or "cited" (only translations, or only
    citations, changed in place), or "unchanged". A new framework is in the shared library
    if ``shared``; a new version of one is where its versions are."""
    # The English is read and written as stored, whatever language is active.
    with translation.override(None):
        outcome = _framework_load(data, shared)
        translated = _translations_update(data)
        translated = scopes_update(data.slug, data.scopes) or translated
    return "translated" if outcome in ("cited", "unchanged") and translated else outcome


def _framework_load(data: FrameworkData, shared: bool) -> str:
    latest = Framework.objects.filter(slug=data.slug).order_by("-version").first()
    if latest is not None and latest.content_hash == data.content_hash:
        return "cited" if _citations_update(data) else "unchanged"
    fields = {
        "name": data.name,
        "source": data.source,
        "summary": data.summary,
        "content_hash": data.content_hash,
        "translations": data.translations,
        "scale": data.scale,
        "instrument": data.instrument,
        "has_easy_read": data.easy_read,
        "scopes": [scope.stored() for scope in data.scopes],
    }
    if latest is None or latest.is_frozen:
        version = 1 if latest is None else latest.version + 1
        shared = shared if latest is None else latest.shared
        framework = Framework.objects.create(
            slug=data.slug, version=version, shared=shared, **fields
        )
        _write_content(framework, data)
        _citations_update(data)
        return "created"
    for key, value in fields.items():
        setattr(latest, key, value)
    latest.save()
    _write_content(latest, data)
    _citations_update(data)
    return "updated"


def frameworks_load(
    *, directory: Path = FRAMEWORKS_DIR, crosswalks: Path | None = None
) -> LoadReport:
    """Load every ``*.toml`` in ``directory``, and the crosswalks between frameworks (from
    ``crosswalks``: by default ``principles/crosswalks/`` for the shipped frameworks, or a
    ``crosswalks`` folder in ``directory``): all files are checked first, then written
    together in one transaction, so a bad file leaves the database as it was."""
    paths = sorted(directory.glob("*.toml"))
    parsed = [parse_framework_file(path) for path in paths]
    slugs = [data.slug for data in parsed]
    for slug in set(slugs):
        if slugs.count(slug) > 1:
            files = ", ".join(d.path.name for d in parsed if d.slug == slug)
            raise ContentError(files, fault=f"the slug '{slug}' is used by more than one file")
    if crosswalks is None:
        crosswalks = CROSSWALKS_DIR if directory == FRAMEWORKS_DIR else directory / "crosswalks"
    walks = (
        crosswalks_parse(directory=crosswalks, known=known_frameworks(parsed))
        if crosswalks.is_dir()
        else []
    )

    for data in parsed:  # a framework made on the site is its owner's, not a file's
        if Framework.objects.filter(slug=data.slug, shared=False).exists():
            fault = f"the slug '{data.slug}' is a framework made on the site: choose another"
            raise ContentError(data.path.name, fault=fault)

    report = LoadReport()
    with transaction.atomic():
        for data in parsed:
            outcome = framework_load(data=data)
            version = Framework.objects.filter(slug=data.slug).latest("version")
            getattr(report, outcome).append(f"{data.slug} v{version.version}")
        report.crosswalks = crosswalks_load(parsed=walks)
    return report


def framework_freeze(*, framework: Framework) -> None:
    """Mark a version as answered: from now on its wording never changes."""
    if framework.frozen_at is None:
        Framework.objects.filter(pk=framework.pk, frozen_at__isnull=True).update(
            frozen_at=timezone.now()
        )
        framework.refresh_from_db(fields=["frozen_at"])
