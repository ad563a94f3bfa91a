"""Reading settings from environment variables, strictly: a value that cannot be read stops
start-up with a message that names the variable, instead of a default taken silently."""

import json
import os
import sys
from pathlib import Path

import dj_database_url


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    sys.exit(f"coprod: {name}={value!r} is not a yes/no value; use true or false.")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        sys.exit(f"coprod: {name}={value!r} is not a whole number.")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def cache_from_url(url: str) -> dict:
    scheme, _, rest = url.partition("://")
    if scheme == "db" and rest:
        # Charts and limits together stay far below this; culling drops a third at once.
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": rest,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    if scheme in {"redis", "rediss"} and rest:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest}
    sys.exit(
        f"coprod: CACHE_URL={url!r} is not a cache address; use db://coprod_cache, "
        "redis://host:6379/0 or locmem://."
    )


def database(sqlite_file: Path) -> dj_database_url.DBConfig:
    """The database DATABASE_URL names (an SQLite file by default), with each engine's
    options."""
    found = dj_database_url.config(
        default=f"sqlite:///{sqlite_file}",
        # Each worker keeps its connection for a minute instead of opening one per request:
        # on PostgreSQL that doubles the pages a worker serves (see BENCHMARKS.md).
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    if found["ENGINE"] == "django.db.backends.sqlite3":
        # Wait for a writer rather than failing at once when two people answer together. In
        # write-ahead-log mode pages are read while someone saves (a workshop's phones do not
        # hold up its results), and a save is one write to the log, flushed to disk before it
        # is acknowledged (synchronous=FULL: no saved answer is lost to a power cut).
        found.setdefault("OPTIONS", {}).update(
            {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
            }
        )
    elif found["ENGINE"] == "django.db.backends.postgresql" and envbool(
        "DATABASE_PREPARED_STATEMENTS", True
    ):
        # Parameters sent apart from the query, and a query a connection has run five times
        # kept prepared on the server: PostgreSQL then neither parses nor plans it again. Every
        # page asks the same few queries (session, user, access check), and planning the access
        # check's joins cost the database more than running it: the database's CPU per page
        # fell by about 60 % (bench/NOTES.md). Off for a pooler that cannot carry prepared
        # statements (PgBouncer in transaction mode without max_prepared_statements).
        found.setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 5}
        )
    return found


def storage(backend_name: str, options_name: str, *, location: Path) -> dict:
    """A STORAGES entry from two variables: a storage backend's dotted path (files under
    ``location`` when not set) and its options as a JSON object."""
    text = os.environ.get(options_name, "").strip()
    try:
        options = json.loads(text) if text else {}
    except json.JSONDecodeError as exc:
        sys.exit(f"coprod: {options_name} is not valid JSON ({exc.msg} at character {exc.pos}).")
    if not isinstance(options, dict):
        sys.exit(f'coprod: {options_name} must be a JSON object, like {{"bucket_name": "x"}}.')
    backend = os.environ.get(backend_name, "").strip()
    if not backend:
        # Never served from a public address: only a view that checks who asks hands out.
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": options or {"location": location, "base_url": "/no-public-address/"},
        }
    return {"BACKEND": backend, "OPTIONS": options}
