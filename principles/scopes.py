"""The levels a framework may ask each statement at (nef's self-assessment asks each at the
level of the individual, the service and the organisation). In code they are *scopes*,
since a statement's "level" is the rating given (1 to 4).

A framework file lists them, if it has any, as ``[[levels]]`` tables (``slug``, ``name``,
``easy_read_name``, a language's table such as ``[levels.cy]``). They are wording people
answer, so they are part of the content hash; a framework without them hashes as before.
A version keeps them in ``Framework.scopes``, a list of plain dicts, each with its own
``translations`` as translated rows keep theirs (``translated.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .translated import reading_language

if TYPE_CHECKING:
    from .content_files import Translations, _Reader
    from .models import Framework

SCOPE_KEYS = ("slug", "name", "easy_read_name")
SCOPE_TRANSLATED = ("name", "easy_read_name")
# At most this many: each is a whole further answer to every statement.
MAX_SCOPES = 4


@dataclass(frozen=True)
class ScopeData:
    slug: str
    name: str
    easy_read_name: str
    translations: Translations = field(default_factory=dict)

    def stored(self) -> dict[str, Any]:
        """As ``Framework.scopes`` keeps it."""
        return {key: getattr(self, key) for key in SCOPE_KEYS} | {
            "translations": {code: dict(texts) for code, texts in self.translations.items()}
        }


def read_scopes(reader: _Reader, data: dict) -> tuple[ScopeData, ...]:
    """The file's ``[[levels]]``, checked; none when it has none."""
    items = data.get("levels")
    if items is None:
        return ()
    top = (0, 0, "")
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        fault = "'levels' must be a list of [[levels]] tables"
        reader.problem(top, "", fault, "Write each level as a table of its own: [[levels]].")
        return ()
    if len(items) < 2 or len(items) > MAX_SCOPES:
        fault = f"there are {len(items)} [[levels]]; a framework has none, or 2 to {MAX_SCOPES}"
        fix = "Take the [[levels]] tables out, or give between two and four."
        reader.problem((-1, 0, ""), "levels", fault, fix)
    scopes = []
    seen: set[str] = set()
    for index, table in enumerate(items, start=1):
        place = (-index, 0, "")
        where = f"level {index}"
        values = {key: reader.text(table, key, place, where) for key in SCOPE_KEYS}
        reader.slug(values["slug"], place, where)
        if values["slug"] and values["slug"] in seen:
            fault = f"slug '{values['slug']}' is used twice"
            reader.problem(place, where, fault, "Give each level a slug of its own.", "slug")
        seen.add(values["slug"])
        for key in table:
            if key not in SCOPE_KEYS and not isinstance(table[key], dict):
                fault = f"'{key}' is not a key of a level"
                fix = f"Take it out: a level has {', '.join(SCOPE_KEYS)}."
                reader.problem(place, where, fault, fix, key)
        translations = reader.translations(table, SCOPE_TRANSLATED, place, where)
        scopes.append(ScopeData(**values, translations=translations))
    return tuple(scopes)


def scopes_wording(scopes: tuple[ScopeData, ...]) -> dict[str, Any]:
    """The levels' wording for the content hash: nothing for a framework without levels,
    so that its hash stays as it was."""
    if not scopes:
        return {}
    return {"levels": [{key: getattr(s, key) for key in SCOPE_KEYS} for s in scopes]}


def scopes_update(framework_slug: str, scopes: tuple[ScopeData, ...]) -> bool:
    """Bring the levels' translations of every version whose levels have the file's English
    in line with the file's. Returns whether anything changed."""
    from .models import Framework

    english = [{key: getattr(s, key) for key in SCOPE_KEYS} for s in scopes]
    stored = [s.stored() for s in scopes]
    changed = False
    for version in Framework.objects.filter(slug=framework_slug).only("pk", "scopes"):
        mine = [{key: s.get(key) for key in SCOPE_KEYS} for s in version.scopes]
        if mine == english and version.scopes != stored:
            Framework.objects.filter(pk=version.pk).update(scopes=stored)
            changed = True
    return changed


@dataclass(frozen=True)
class Scope:
    """One level of a framework version, read in the reader's language."""

    slug: str
    english_name: str
    english_easy: str
    translations: dict[str, dict[str, str]]

    def _read(self, key: str, english: str) -> str:
        language = reading_language()
        if language is None:
            return english
        return (self.translations.get(language) or {}).get(key) or english

    @property
    def name(self) -> str:
        return self._read("name", self.english_name)

    @property
    def easy_read_name(self) -> str:
        return self._read("easy_read_name", self.english_easy)

    def label(self, easy_read: bool = False) -> str:
        return self.easy_read_name if easy_read else self.name


def framework_scopes(framework: Framework) -> list[Scope]:
    """The version's levels, in order (none for most frameworks)."""
    return [
        Scope(
            slug=item["slug"],
            english_name=item["name"],
            english_easy=item["easy_read_name"],
            translations=item.get("translations") or {},
        )
        for item in framework.scopes or []
    ]
