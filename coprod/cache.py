"""Keeping what is worked out, the same way everywhere: ``kept(key_parts, make)``.

A value is kept under a key made of everything it is made from (ids, versions, content
hashes, times, the reader's wording), so any change to those makes a new key and the old
value is simply never asked for again: nothing is cleared, and nothing kept is ever out of
date. The reader's language is always part of the key: a value holding words (a page, a
chart, framework content) is kept once for each language it is shown in. ``version`` is
the shape of what is kept: raise it when the code that makes a value starts making
something different, so values made by older code are not read.

Two caches of Django's framework (settings.CACHES): "derived", each worker's own memory
(the default here), and "default", shared by every worker and server (``shared=True``).
docs/ARCHITECTURE.md ("What is cached") lists everything kept, and what its key is made of.
Nothing one person answered is ever kept.
"""

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.utils import translation

T = TypeVar("T")
_MISSING = object()


def key(parts: tuple) -> str:
    """The cache key of ``parts`` in the active language: its first part (a name, to read
    in the cache) and a hash of the rest and the language, so a key is short and safe for
    any backend whatever the parts hold."""
    name, *rest = (*parts, translation.get_language())
    digest = hashlib.blake2b(repr(rest).encode(), digest_size=16).hexdigest()
    return f"{name}:{digest}"


def kept(
    key_parts: tuple,
    make: Callable[[], T],
    *,
    version: int = 1,
    shared: bool = False,
    timeout: Any = DEFAULT_TIMEOUT,
) -> T:
    """The value kept under ``key_parts`` in the active language, or ``make()``'s, kept for
    next time. The parts are plain values (numbers, strings, times, and tuples or lists of
    them): their ``repr`` is the key. ``timeout``: the cache's own unless given (None:
    until culled)."""
    cache = caches["default" if shared else "derived"]
    name = key(key_parts)
    value = cache.get(name, _MISSING, version=version)
    if value is _MISSING:
        value = make()
        cache.set(name, value, timeout, version=version)
    return value
