"""coprod.cache.kept: a value is made once for its key, and a change to anything in the key
makes it afresh."""

from datetime import UTC, datetime

import pytest
from django.core.cache import caches

from coprod.cache import kept, key

pytestmark = pytest.mark.django_db  # the shared cache is a table of the database


class Maker:
    def __init__(self):
        self.made = 0

    def __call__(self):
        self.made += 1
        return {"made": self.made}


def test_a_value_is_made_once_for_its_key():
    make = Maker()
    at = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    assert kept(("thing", 1, "abc", at), make) == {"made": 1}
    assert kept(("thing", 1, "abc", at), make) == {"made": 1}
    assert make.made == 1


def test_any_part_of_the_key_changed_makes_it_again():
    make = Maker()
    kept(("thing", 1, "abc"), make)
    kept(("thing", 2, "abc"), make)
    kept(("thing", 1, "abd"), make)
    kept(("other", 1, "abc"), make)
    assert make.made == 4


def test_the_version_keeps_values_of_different_shapes_apart():
    make = Maker()
    kept(("thing", 1), make)
    assert kept(("thing", 1), make, version=2) == {"made": 2}
    assert kept(("thing", 1), make) == {"made": 1}


def test_nothing_made_is_kept_as_much_as_something():
    make = Maker()

    def nothing():
        make()

    kept(("nothing", 1), nothing)
    assert kept(("nothing", 1), nothing) is None
    assert make.made == 1


def test_each_caller_gets_its_own_copy():
    first = kept(("list", 1), lambda: [1, 2])
    first.append(3)
    assert kept(("list", 1), lambda: [9]) == [1, 2]


def test_shared_values_go_to_the_shared_cache_and_others_to_the_workers_own():
    kept(("here", 1), lambda: "worker", shared=False)
    kept(("everywhere", 1), lambda: "shared", shared=True)
    assert caches["derived"].get(key(("here", 1))) == "worker"
    assert caches["default"].get(key(("everywhere", 1))) == "shared"
    assert caches["default"].get(key(("here", 1))) is None


def test_keys_are_short_and_name_what_they_keep_whatever_the_parts():
    long = key(("results-figures", "x" * 1000, ("a b\n", None), [1.5]))
    assert long.startswith("results-figures:") and len(long) < 60
    assert " " not in long and "\n" not in long
