"""Crosswalks: loading the files (``crosswalk_files`` checks them) and reading the links
from either framework's side.

Loading is idempotent and all or nothing, like the frameworks': every file is checked
before anything is written, and a file whose content is already loaded changes nothing.
A changed file replaces its pair's links. Links name principles by slug, so they hold for
every version of a framework that has the principle; one whose principle a version lacks
is left out when reading that version.
"""

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import translation

from .content_files import ContentError
from .crosswalk_files import CROSSWALKS_DIR, CrosswalkData, Known, parse_crosswalk_file
from .models import Crosswalk, CrosswalkLink, Framework, Principle


def crosswalks_parse(*, directory: Path = CROSSWALKS_DIR, known: Known) -> list[CrosswalkData]:
    """Check every ``*.toml`` in ``directory``: raise ContentError naming every problem of
    the first bad file, or one pair written in two files."""
    parsed = [parse_crosswalk_file(path, known) for path in sorted(directory.glob("*.toml"))]
    pairs: dict[tuple[str, str], str] = {}
    for data in parsed:
        if data.frameworks in pairs:
            files = f"{pairs[data.frameworks]}, {data.path.name}"
            pair = " and ".join(data.frameworks)
            raise ContentError(files, fault=f"the crosswalk of {pair} is in two files")
        pairs[data.frameworks] = data.path.name
    return parsed


def crosswalks_load(*, parsed: list[CrosswalkData]) -> dict[str, list[str]]:
    """Write checked crosswalks; returns the pairs "created", "updated" and "unchanged"."""
    report: dict[str, list[str]] = defaultdict(list)
    with transaction.atomic(), translation.override(None):
        for data in parsed:
            first, second = data.frameworks
            found = Crosswalk.objects.filter(first=first, second=second).first()
            name = f"{first}--{second}"
            if found is not None and found.content_hash == data.content_hash:
                report["unchanged"].append(name)
                continue
            report["created" if found is None else "updated"].append(name)
            crosswalk, _ = Crosswalk.objects.update_or_create(
                first=first,
                second=second,
                defaults={"source": data.source, "content_hash": data.content_hash},
            )
            crosswalk.links.all().delete()
            CrosswalkLink.objects.bulk_create(
                CrosswalkLink(
                    crosswalk=crosswalk,
                    order=order,
                    first_principle=link.principles[first],
                    second_principle=link.principles[second],
                    first_statements=list(link.statements.get(first, ())),
                    second_statements=list(link.statements.get(second, ())),
                    reasoning=link.reasoning,
                    source=link.source,
                    translations=link.translations,
                )
                for order, link in enumerate(data.links, start=1)
            )
    return dict(report)


@dataclass(frozen=True)
class Reading:
    """A link seen from one framework ("here") towards the other ("there")."""

    here: str  # a principle's slug
    there: str
    here_statements: tuple[int, ...]
    there_statements: tuple[int, ...]
    reasoning: str  # in the reader's language, English where it is not translated
    source: str  # the link's own source, "" when it is the crosswalk's
    crosswalk_source: str


def readings(slug: str) -> dict[str, list[Reading]]:
    """Every link of the framework ``slug``, by the other framework's slug (one query)."""
    links = CrosswalkLink.objects.filter(
        crosswalk__in=Crosswalk.objects.filter(first=slug) | Crosswalk.objects.filter(second=slug)
    ).select_related("crosswalk")
    found: dict[str, list[Reading]] = defaultdict(list)
    for link in links:
        walk = link.crosswalk
        ours = [link.first_principle, link.first_statements]
        theirs = [link.second_principle, link.second_statements]
        other = walk.second
        if walk.second == slug:
            ours, theirs, other = theirs, ours, walk.first
        found[other].append(
            Reading(
                here=ours[0],
                there=theirs[0],
                here_statements=tuple(ours[1]),
                there_statements=tuple(theirs[1]),
                reasoning=link.reasoning,
                source=link.source,
                crosswalk_source=walk.source,
            )
        )
    return dict(found)


@dataclass(frozen=True)
class Link:
    """A link between a principle of this version and one of the other framework's, with
    the codes ("2.3") of the statements it rests on most."""

    here: Principle
    there: Principle
    reading: Reading

    @property
    def here_codes(self) -> list[str]:
        return [f"{self.here.order}.{n}" for n in self.reading.here_statements]

    @property
    def there_codes(self) -> list[str]:
        return [f"{self.there.order}.{n}" for n in self.reading.there_statements]


@dataclass(frozen=True)
class Lineup:
    """How one framework version lines up with another framework's newest version."""

    other: Framework
    links: list[Link]  # by this version's principles, then the other's
    here: list[Principle]  # this version's principles, in order
    there: list[Principle]  # the other's, in order

    @property
    def source(self) -> str:
        return self.links[0].reading.crosswalk_source if self.links else ""

    def reaching(self, principle: Principle) -> list[Link]:
        """The links that reach a principle of the other framework."""
        return [link for link in self.links if link.there.pk == principle.pk]

    @property
    def not_covered(self) -> list[Principle]:
        """The other framework's principles no link reaches."""
        reached = {link.there.pk for link in self.links}
        return [p for p in self.there if p.pk not in reached]

    @property
    def unlinked(self) -> list[Principle]:
        """This version's principles with no link to the other framework."""
        linked = {link.here.pk for link in self.links}
        return [p for p in self.here if p.pk not in linked]


def lineups(framework: Framework) -> list[Lineup]:
    """Every crosswalk of ``framework``, read from this version towards each other
    framework's newest version (two queries): a link whose principle either lacks is
    left out."""
    found = readings(framework.slug)
    if not found:
        return []
    here = sorted(framework.principles.all(), key=lambda p: p.order)  # prefetched, or one query
    by_slug = {p.slug: p for p in here}
    principles: dict[int, list[Principle]] = defaultdict(list)
    others: dict[int, Framework] = {}
    for principle in (
        Principle.objects.filter(
            # Only the shared library's: a crosswalk never names a framework its owner keeps
            framework__in=Framework.objects.latest_versions().filter(slug__in=found, shared=True)
        )
        .select_related("framework")
        .order_by("framework__name", "order")
    ):
        principles[principle.framework_id].append(principle)
        others.setdefault(principle.framework_id, principle.framework)
    result = []
    for other in others.values():
        theirs = {p.slug: p for p in principles[other.pk]}
        links = [
            Link(by_slug[r.here], theirs[r.there], r)
            for r in found[other.slug]
            if r.here in by_slug and r.there in theirs
        ]
        links.sort(key=lambda link: (link.here.order, link.there.order))
        result.append(Lineup(other, links, here, principles[other.pk]))
    return result
