"""Noise on published counts, against a reader who supplied some of the answers.

The disclosure check (``disclosure``) proves that nothing published tells what one or two
people said to a reader who knows none of the answers. A reader who made some of them (a
lead who answers two extra links, a person who joins a workshop twice) knows their own
part of every count and can take it away: in a group of three where two answers are
theirs, the counts left over are the third person's answers, exactly.

So each count a publication or the room shows is perturbed, as statistics offices do for
small tables (the cell key method of ONS's Census 2021 and ABS TableBuilder): in each
group's counts for a statement, one or two answers are moved to another level (or to "not
sure"). Which answers move, and where, is drawn from a key made of the statement and the
people counted, keyed with the site's secret: the same people always give the same
counts, so looking again, or at another publication of the same people, adds nothing.
Moving answers, rather than adding to counts, keeps the figures honest: counts are never
negative, they add up to the people counted, and every mean stays within the scale.

The cost is accuracy, falling as groups grow (one or two answers moved among three
people is a lot, among twenty little); the insider's chance of recovering a lone
person's level and the error of the figures people see are in BENCHMARKS.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.crypto import salted_hmac

# The counts of a cell, by level: 0 is "not sure", then the four levels of the scale.
CATEGORIES = 5


def cell_key(statement: int, people: Iterable[int]) -> bytes:
    """The cell's key: the same statement and people always give the same one."""
    value = f"{statement}:{','.join(map(str, sorted(people)))}"
    return salted_hmac("coprod.figures.noise", value, algorithm="sha256").digest()


def perturbed(counts: list[int], statement: int, people: Iterable[int]) -> list[int]:
    """``counts`` (index 0 "not sure", then levels 1 to 4, of the answers of ``people`` to
    ``statement``) with one or two answers moved to another category."""
    key = cell_key(statement, people)
    moved = list(counts)
    total = sum(moved)
    if not total:
        return moved
    for move in range(1 + key[0] % 2):
        # Which answer moves (by its place among all the answers) and where to.
        answer = int.from_bytes(key[1 + 3 * move : 3 + 3 * move], "big") % total
        source = 0
        while answer >= moved[source]:
            answer -= moved[source]
            source += 1
        target = (source + 1 + key[3 + 3 * move] % (CATEGORIES - 1)) % CATEGORIES
        moved[source] -= 1
        moved[target] += 1
    return moved


def cells(
    statement: int, parts: Mapping[str, Iterable[tuple[int, int]]], everyone: str
) -> dict[str, dict]:
    """The published cells of ``statement`` for groups that split everyone between them
    (each a list of (person, level), level 0 for "not sure"), perturbed, and everyone's
    (under the key ``everyone``) as their sum. Summing, rather than perturbing everyone's counts on
    their own, keeps a group's counts from being seen twice with different noise: once on
    their own and once as everyone's less the other groups'."""
    shown: dict[str, dict] = {}
    total = [0] * CATEGORIES
    for key, answers in parts.items():
        answers = list(answers)
        counts = [0] * CATEGORIES
        for _, level in answers:
            counts[level] += 1
        moved = perturbed(counts, statement, [person for person, _ in answers])
        shown[key] = {"levels": moved[1:], "not_sure": moved[0]}
        total = [a + b for a, b in zip(total, moved, strict=True)]
    shown[everyone] = {"levels": total[1:], "not_sure": total[0]}
    return shown
