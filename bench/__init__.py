"""`make bench`: how fast coprod is, as ratios to baselines measured in the same run.

``python -m bench`` (run by ``make bench``) builds a throwaway database of synthetic
organisations, serves it with gunicorn and measures pages, autosave, PDFs, charts, cohort
aggregates and memory side by side, then writes BENCHMARKS.md and bench/results.json.
Django-side measurements run in subprocesses (``python -m bench.worker``), one database
each, so the same run can cover SQLite and PostgreSQL.
"""
