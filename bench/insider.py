"""The insider against the noise on published counts (``assessments.figures.noise``).

A reader who made two of a group's three answers (a lead answering two extra links, a
person joining a workshop three times) takes their own answers away from the group's
counts for a statement. Without noise what is left is the third person's answer,
exactly. With it, they make their best guess: the level most likely to have given the
counts they see, knowing how the noise works (one or two answers moved, each to one of
the other four places, with equal chances) but not the site's secret key.

Each trial draws a statement, three people and their answers, and runs the real
``noise.perturbed``. Reported: how often the guess is right, against the 100 % it is
today and against chance (one in five: four levels and "not sure"); the same when the
insider gets several looks at the same person with different answers of their own
beside them (each new publication while a round is open); and what the noise costs,
the mean absolute error of what people see, by group size.
"""

from __future__ import annotations

import random
import statistics
from functools import cache
from types import SimpleNamespace
from unittest import mock

from assessments.figures import noise
from assessments.figures.publishing import RawAnswer, build

PLACES = noise.CATEGORIES


@cache
def _after_moves(counts: tuple[int, ...], moves: int) -> dict[tuple[int, ...], float]:
    """The chances of each set of counts after ``moves`` moves of one answer chosen at
    random to one of the other places."""
    if moves == 0:
        return {counts: 1.0}
    out: dict[tuple[int, ...], float] = {}
    total = sum(counts)
    for before, chance in _after_moves(counts, moves - 1).items():
        for source in range(PLACES):
            if not before[source]:
                continue
            for target in range(PLACES):
                if target == source:
                    continue
                after = list(before)
                after[source] -= 1
                after[target] += 1
                key = tuple(after)
                out[key] = out.get(key, 0.0) + chance * before[source] / total / (PLACES - 1)
    return out


def likelihood(seen: tuple[int, ...], counts: tuple[int, ...]) -> float:
    """The chance the noise turns ``counts`` into ``seen``: one move or two, half and half."""
    return 0.5 * _after_moves(counts, 1).get(seen, 0.0) + 0.5 * _after_moves(counts, 2).get(
        seen, 0.0
    )


def best_guess(looks: list[tuple[tuple[int, ...], list[int]]], rng: random.Random) -> int:
    """The insider's guess of the lone person's answer from each look (the counts seen,
    and the insider's own answers in them): the most likely, ties broken at random."""
    scores = []
    for level in range(PLACES):
        score = 1.0
        for seen, own in looks:
            counts = [0] * PLACES
            for answer in [*own, level]:
                counts[answer] += 1
            score *= likelihood(seen, tuple(counts))
        scores.append(score)
    best = max(scores)
    return rng.choice([level for level in range(PLACES) if scores[level] == best])


def attack(trials: int, looks: int, rng: random.Random, *, with_noise: bool = True) -> float:
    """How often the insider recovers the lone person's answer, over ``trials`` groups of
    three (two answers the insider's) seen ``looks`` times."""
    right = 0
    for _ in range(trials):
        statement = rng.randrange(1, 10**6)
        person = rng.randrange(1, 10**9)
        truth = rng.randrange(PLACES)
        seen_looks = []
        for _ in range(looks):  # each look beside two new answers of the insider's
            own = [rng.randrange(PLACES), rng.randrange(PLACES)]
            people = [person, rng.randrange(1, 10**9), rng.randrange(1, 10**9)]
            counts = [0] * PLACES
            for answer in [truth, *own]:
                counts[answer] += 1
            seen = noise.perturbed(counts, statement, people) if with_noise else counts
            seen_looks.append((tuple(seen), own))
        if with_noise:
            right += best_guess(seen_looks, rng) == truth
        else:  # what is left once the insider's own answers are taken away
            last, own = seen_looks[0]
            left = [n - own.count(level) for level, n in enumerate(last)]
            right += left.index(1) == truth
    return right / trials


def cost(trials: int, size: int, rng: random.Random) -> dict:
    """The mean absolute error the noise puts on what people see of a group of ``size``:
    the mean level (of those who gave one) and each count."""
    mean_errors: list[float] = []
    count_errors: list[int] = []
    for _ in range(trials):
        statement = rng.randrange(1, 10**6)
        people = rng.sample(range(1, 10**9), size)
        # Mostly levels in the middle, some "not sure" (0).
        answers = rng.choices(range(PLACES), weights=[1, 2, 3, 3, 2], k=size)
        counts = [answers.count(level) for level in range(PLACES)]
        seen = noise.perturbed(counts, statement, people)
        count_errors.extend(abs(a - b) for a, b in zip(seen, counts, strict=True))
        if sum(counts[1:]) and sum(seen[1:]):
            mean_errors.append(abs(_mean(seen) - _mean(counts)))
    return {
        "size": size,
        "mean_level_mae": statistics.fmean(mean_errors),
        "count_mae": statistics.fmean(count_errors),
    }


def _mean(counts: list[int]) -> float:
    return sum(level * n for level, n in enumerate(counts)) / sum(counts[1:])


def one_round(rng: random.Random, *, while_open: bool) -> tuple[int, int]:
    """A random round played through the real publishing rules (``publishing.build``), with
    one carer and an insider who adds two answers of their own as carers at random moments
    (before or after the carer finishes) and answers every statement with a level of their
    choosing. People finish in a random order; while the round is open figures are
    published in steps of three more people (if ``while_open``), and again at close. Each
    publication whose carers' counts leave one person unknown is a look. Returns the
    statements the insider had a look at, and how many of those they guessed right."""
    statements = rng.sample(range(1, 10**6), 4)
    ids = iter(rng.sample(range(1, 10**9), 40))
    people: list[tuple[int, str, bool]] = [(next(ids), "carer", False)]  # the carer
    people += [(next(ids), "carer", True) for _ in range(2)]  # the insider's two
    for perspective in ("staff", "lived_experience", "partner"):
        people += [(next(ids), perspective, False) for _ in range(rng.randint(0, 8))]
    rng.shuffle(people)
    levels = {(p, s): rng.randrange(PLACES) for p, _, _ in people for s in statements}
    target = next(p for p, view, insider in people if view == "carer" and not insider)
    insiders = {p for p, _, insider in people if insider}

    publications: list[SimpleNamespace] = []
    finished: list[tuple[int, str, bool]] = []

    def publish() -> None:
        answers = [
            RawAnswer(p, view, s, levels[(p, s)], "") for p, view, _ in finished for s in statements
        ]
        built = build(answers, publications)  # type: ignore[arg-type]  # .ledger is all it reads
        if built is not None:
            figures, ledger = built
            publications.append(SimpleNamespace(ledger=ledger, figures=figures))

    for person in people:
        finished.append(person)
        last = set(publications[-1].ledger["people"]) if publications else set()
        if while_open and len({p for p, _, _ in finished} - last) >= 3:
            publish()
    publish()  # the round closes

    looked = right = 0
    for statement in statements:
        looks = []
        for publication in publications:
            for key, members in publication.ledger["parts"].items():
                unknown = set(members) - insiders
                cell = publication.figures["statements"].get(str(statement), {}).get(key)
                if cell is None or unknown != {target}:
                    continue
                own = [levels[(p, statement)] for p in members if p in insiders]
                looks.append(((cell["not_sure"], *cell["levels"]), own))
        if looks:
            looked += 1
            # Ties broken by a generator of their own, so the rounds are the same either way.
            right += _guess(looks, random.Random(statement)) == levels[(target, statement)]
    return looked, right


def _guess(looks: list[tuple[tuple[int, ...], list[int]]], rng: random.Random) -> int:
    if noise.perturbed is _exact:  # without noise, what is left is the person's answer
        seen, own = looks[0]
        return [n - own.count(level) for level, n in enumerate(seen)].index(1)
    return best_guess(looks, rng)


def _exact(counts: list[int], statement: int, people: object) -> list[int]:
    return list(counts)


def rounds_attack(rounds: int, seed: int) -> dict:
    """``one_round`` played ``rounds`` times each way, with the noise and (the same rounds,
    from the same seed) without it."""
    out = {}
    for while_open in (False, True):
        found = {}
        for with_noise in (True, False):
            rng = random.Random(seed + while_open)
            looked = right = 0
            with mock.patch.object(noise, "perturbed", noise.perturbed if with_noise else _exact):
                for _ in range(rounds):
                    seen, guessed = one_round(rng, while_open=while_open)
                    looked += seen
                    right += guessed
            found["right" if with_noise else "right_without_noise"] = right / looked
        out["while_open" if while_open else "at_close"] = {
            "rounds": rounds,
            "statements_looked_at": looked,
            **found,
        }
    return out


def run(trials: int = 2000, seed: int = 2026) -> dict:
    rng = random.Random(seed)
    return {
        "trials": trials,
        "chance": 1 / PLACES,
        "without_noise": attack(trials, 1, rng, with_noise=False),
        "looks": {str(k): attack(trials, k, rng) for k in (1, 2, 4, 8)},
        "rounds": rounds_attack(max(1000, trials // 2), seed),
        "cost": [cost(trials, size, rng) for size in (3, 4, 5, 10, 20)],
    }
