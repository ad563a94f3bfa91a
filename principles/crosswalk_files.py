"""Reading and checking a crosswalk file: which principles of one framework speak to which
of another, with the reasoning (``principles/crosswalks/``, one file a pair of frameworks;
the format is in docs/FRAMEWORKS.md, "Crosswalks").

A link names a principle of each framework by its slug, under the framework's slug as the
key, so the file reads the same both ways: nothing in it says which framework comes first.
Like a framework file, every problem is found at once, each named by its line and place
with how to mend it (``content_lines.Problem``). The principles a file may name are those of
the frameworks it is checked against (``known_frameworks``).
"""

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Count

from .content_files import (
    FRAMEWORKS_DIR,
    LANGUAGE_RE,
    ContentError,
    FrameworkData,
    parse_framework_file,
)
from .content_lines import Problem
from .models import Framework, Principle

CROSSWALKS_DIR = Path(__file__).resolve().parent / "crosswalks"
LINK_KEYS = ("reasoning", "source", "statements")
LINK_TRANSLATED = ("reasoning",)

# framework slug -> principle slug -> how many statements it has
Known = dict[str, dict[str, int]]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


@dataclass(frozen=True)
class LinkData:
    """One link: a principle of each framework (by framework slug), the statements of each
    it rests on (their numbers within the principle; none when it is the whole principle),
    the reasoning, and where the reading comes from ("" for the file's source)."""

    principles: dict[str, str]
    statements: dict[str, tuple[int, ...]]
    reasoning: str
    source: str
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class CrosswalkData:
    path: Path
    frameworks: tuple[str, str]  # in alphabetical order
    source: str
    links: tuple[LinkData, ...]
    content_hash: str = ""


class _Lines:
    """The line of each ``[[links]]`` table and of each key in it (0: the top of the file),
    and of its ``[links.statements]`` and language tables."""

    def __init__(self, text: str):
        self.keys: dict[tuple[int, str], dict[str, int]] = {(0, ""): {}}
        self.headers: dict[tuple[int, str], int] = {(0, ""): 1}
        link, table = 0, ""
        for number, line in enumerate(text.splitlines(), start=1):
            if header := _HEADER.match(line):
                name = header.group(2)
                if header.group(1) == "[[" and name == "links":
                    link, table = link + 1, ""
                else:
                    table = name.split(".", 1)[1] if name.startswith("links.") else name
                self.headers.setdefault((link, table), number)
            elif key := _KEY.match(line):
                self.keys.setdefault((link, table), {}).setdefault(key.group(1), number)

    def of(self, link: int, key: str | None = None, table: str = "") -> int:
        if key is not None and key in self.keys.get((link, table), {}):
            return self.keys[(link, table)][key]
        return self.headers.get((link, table), self.headers.get((link, ""), 1))


def known_frameworks(files: list[FrameworkData] | None = None) -> Known:
    """The principles a crosswalk may name: those of the newest version of every framework
    in the shared library, and of every framework file given (what loading them would make the
    newest); by default the files in ``principles/frameworks/``."""
    known: Known = {}
    rows = (
        Principle.objects.filter(
            framework__in=Framework.objects.latest_versions().filter(shared=True)
        )
        .annotate(total=Count("statements"))
        .values_list("framework__slug", "slug", "total")
    )
    for framework, principle, total in rows:
        known.setdefault(framework, {})[principle] = total
    if files is None:
        files = []
        for path in sorted(FRAMEWORKS_DIR.glob("*.toml")):
            try:
                files.append(parse_framework_file(path))
            except ContentError:
                continue  # its own check says what is wrong with it
    for data in files:
        known[data.slug] = {p.slug: len(p.statements) for p in data.principles}
    return known


def parse_crosswalk_file(path: Path, known: Known) -> CrosswalkData:
    """Read and check one crosswalk file against ``known``, or raise ContentError listing
    every problem with its line and how to mend it."""
    try:
        text = path.read_bytes().decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        fault = f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        raise ContentError(path.name, fault=fault) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(path.name, fault=f"not valid TOML: {exc}") from exc
    return _Reader(text, known).read(path, data)


class _Reader:
    def __init__(self, text: str, known: Known):
        self.lines = _Lines(text)
        self.known = known
        self.problems: list[Problem] = []

    def problem(self, link: int, fault: str, fix: str, key: str | None = None, table: str = ""):
        where = f"link {link}" if link else ""
        if link and table:
            where += f", [links.{table}]"
        self.problems.append(Problem(self.lines.of(link, key, table), where, fault, fix))

    def text(self, table: dict, key: str, link: int, *, required: bool = True, at: str = ""):
        value = table.get(key)
        if value is None:
            if required:
                fix = f'Add {key} = "…": {_HELP[key]}.'
                self.problem(link, f"missing '{key}'", fix, table=at)
            return ""
        if not isinstance(value, str):
            fault = f"'{key}' must be text, not {type(value).__name__}"
            self.problem(link, fault, f'Put the text in double quotes: {key} = "…".', key, at)
            return ""
        if not value.strip():
            fix = f"Write {_HELP[key]} between the quotes."
            self.problem(link, f"'{key}' is empty", fix, key, at)
        return value.strip()

    def read(self, path: Path, data: dict) -> CrosswalkData:
        pair = self.frameworks(data)
        source = self.text(data, "source", 0)
        links: list[LinkData] = []
        seen: dict[tuple[str, ...], int] = {}
        tables = data.get("links")
        if not isinstance(tables, list) or not tables:
            fix = "Add a [[links]] table for each pair of principles that speak to each other."
            self.problem(0, "needs at least one [[links]] entry", fix)
            tables = []
        for number, table in enumerate(tables, start=1):
            if not isinstance(table, dict):
                self.problem(0, "every 'links' entry must be a table", "Write each as [[links]].")
                continue
            link = self.link(table, number, pair)
            if link is None:
                continue
            key = tuple(link.principles[slug] for slug in pair)
            if key in seen:
                fault = f"the link {' and '.join(key)} is made twice (also link {seen[key]})"
                fix = "Keep one link for each pair of principles, with all its reasoning."
                self.problem(number, fault, fix)
            seen.setdefault(key, number)
            links.append(link)
        if self.problems:
            raise ContentError(path.name, sorted(self.problems, key=lambda p: p.line))
        canonical = json.dumps(
            {
                "frameworks": pair,
                "source": source,
                "links": [
                    [
                        link.principles,
                        {k: list(v) for k, v in link.statements.items()},
                        link.reasoning,
                        link.source,
                        link.translations,
                    ]
                    for link in links
                ],
            },
            sort_keys=True,
            ensure_ascii=False,
        )
        return CrosswalkData(
            path=path,
            frameworks=(pair[0], pair[1]),
            source=source,
            links=tuple(links),
            content_hash=hashlib.sha256(canonical.encode()).hexdigest(),
        )

    def frameworks(self, data: dict) -> tuple[str, ...]:
        value = data.get("frameworks")
        known = ", ".join(sorted(self.known)) or "none loaded"
        if value is None:
            fix = f'Add frameworks = ["…", "…"]: the slugs of the two frameworks ({known}).'
            self.problem(0, "missing 'frameworks'", fix)
            return ()
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(slug, str) for slug in value)
            or value[0] == value[1]
        ):
            fault = "'frameworks' must name two different frameworks"
            fix = f'Write frameworks = ["…", "…"] with two of {known}.'
            self.problem(0, fault, fix, "frameworks")
            return ()
        for slug in value:
            if slug not in self.known:
                fault = f"no framework with the slug '{slug}'"
                fix = f"Use one of {known}, or load that framework first."
                self.problem(0, fault, fix, "frameworks")
        return tuple(sorted(value)) if all(slug in self.known for slug in value) else ()

    def link(self, table: dict, number: int, pair: tuple[str, ...]) -> LinkData | None:
        principles: dict[str, str] = {}
        for key, value in table.items():
            if key in LINK_KEYS or (isinstance(value, dict) and LANGUAGE_RE.match(key)):
                continue
            if pair and key not in pair:
                fault = f"'{key}' is not one of this file's frameworks"
                fix = f"Name a principle under {pair[0]} = … and {pair[1]} = …, or take it out."
                self.problem(number, fault, fix, key)
        for slug in pair:
            name = self.principle(table, slug, number)
            if name:
                principles[slug] = name
        reasoning = self.text(table, "reasoning", number)
        source = self.text(table, "source", number, required=False)
        statements = self.statements(table, number, pair, principles)
        translations: dict[str, dict[str, str]] = {}
        for code, texts in table.items():
            if key_is_language(code, texts):
                for key in texts:
                    if key not in LINK_TRANSLATED:
                        fault = f"'{key}' cannot be translated here"
                        self.problem(
                            number, fault, "Take it out: this table may hold reasoning.", key, code
                        )
                value = self.text(texts, "reasoning", number, at=code)
                if value:
                    translations[code] = {"reasoning": value}
        if len(principles) != 2:
            return None
        return LinkData(principles, statements, reasoning, source, translations)

    def principle(self, table: dict, framework: str, number: int) -> str:
        value = table.get(framework)
        choices = ", ".join(self.known.get(framework, {}))
        if value is None:
            fix = f'Add {framework} = "…": the slug of one of its principles ({choices}).'
            self.problem(number, f"missing '{framework}'", fix)
            return ""
        if not isinstance(value, str) or value not in self.known.get(framework, {}):
            fault = f"{framework} has no principle '{value}'"
            self.problem(number, fault, f"Use one of {choices}.", framework)
            return ""
        return value

    def statements(
        self, table: dict, number: int, pair: tuple[str, ...], principles: dict[str, str]
    ) -> dict[str, tuple[int, ...]]:
        value = table.get("statements")
        if value is None:
            return {}
        if not isinstance(value, dict):
            fix = "Write a [links.statements] table: each framework's slug = [its statements]."
            self.problem(number, "'statements' must be a table", fix, "statements")
            return {}
        found: dict[str, tuple[int, ...]] = {}
        for framework, numbers in value.items():
            if framework not in pair:
                fault = f"'{framework}' is not one of this file's frameworks"
                self.problem(number, fault, "Take it out.", framework, "statements")
                continue
            total = self.known.get(framework, {}).get(principles.get(framework, ""), 0)
            if (
                not isinstance(numbers, list)
                or not numbers
                or not all(isinstance(n, int) and 1 <= n <= total for n in numbers)
                or len(set(numbers)) != len(numbers)
            ):
                fault = f"{framework}'s statements must be numbers from 1 to {total}, each once"
                named = principles.get(framework, "its principle")
                fix = f"Such as {framework} = [1, 2]: the statements of {named} in order."
                self.problem(number, fault, fix, framework, "statements")
                continue
            found[framework] = tuple(numbers)
        return found


def key_is_language(code: str, texts: object) -> bool:
    return isinstance(texts, dict) and code != "statements" and bool(LANGUAGE_RE.match(code))


_HELP = {
    "source": "the works the reading draws on, each in full: author or body, title, year",
    "reasoning": "a sentence or two on why these principles speak to each other",
}
