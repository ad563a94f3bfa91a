# The front door. `make run` sets everything up and serves the site; `make test` runs
# every check on SQLite and on a throwaway PostgreSQL. A second run skips what is done.

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1

# System packages: what the site needs to run (WeasyPrint's libraries, fonts for the PDFs),
# and what the tests need on top (a browser, PostgreSQL, PDF tools). gettext compiles the
# translations.
RUN_PACKAGES := python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext
TEST_PACKAGES := $(RUN_PACKAGES) chromium postgresql poppler-utils fonts-liberation redis-server haproxy
BENCH_PACKAGES := $(RUN_PACKAGES) postgresql wrk redis-server haproxy

DEV_ENV := DEBUG=$${DEBUG:-true}

# pytest runs the tests side by side in this many processes (pytest-xdist; auto: one a
# core), each with a test database, a live server and a browser of its own; worksteal
# hands a long browser journey's neighbours to an idle process, so no process waits
# alone at the end.
WORKERS ?= auto
COVERAGE_JSON := .coverage.json

.PHONY: run serve setup test test-fast test-sqlite test-postgres test-multinode screenshots coverage lint oidc-provider bench system-run system-test system-bench vendor clean help messages compiled-messages

help:
	@echo "make run    set up everything and serve the site on http://$(HOST):$(PORT), with a task worker"
	@echo "make test   install what the tests need and run every test (SQLite and PostgreSQL)"
	@echo "make test-fast  the quick check while working: SQLite, no browser, nothing slow, in parallel"
	@echo "make lint   ruff (checks and format), the layers (import-linter), mypy, migrations"
	@echo "make test-multinode  2 app servers behind HAProxy, PostgreSQL, Redis, 2 workers"
	@echo "make screenshots     the browser journeys, keeping a screenshot of each page"
	@echo "make coverage  every test on SQLite, with the share of lines run printed per package"
	@echo "make bench  measure throughput, autosave, PDFs and cohorts; write BENCHMARKS.md"
	@echo "make messages  gather the strings to translate into locale/ (README, \"Adding a language\")"

# The development server and, beside it, one task worker (e-mails, downloads, reminders).
# Ctrl+C stops both: the worker is stopped by its process id when the server ends.
run: setup
	@echo "Serving coprod on http://$(HOST):$(PORT) with a task worker  (Ctrl+C stops both)"
	@export $(DEV_ENV) SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}; \
	$(PY) manage.py worker --no-reload --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

setup: system-run $(VENV)/.installed-run compiled-messages
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py createcachetable
	$(DEV_ENV) $(PY) manage.py load_frameworks
	@if $(DEV_ENV) $(PY) manage.py help load_demo >/dev/null 2>&1; then $(DEV_ENV) $(PY) manage.py load_demo; fi

# The translations: each locale/<language>/LC_MESSAGES/*.po compiled to the .mo Django
# reads, only when the .po is newer. `make messages` gathers the strings to translate
# from the code and templates into the .po files (for Welsh: LANGUAGE=cy, the default).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
LANGUAGE ?= cy
MESSAGE_IGNORE := -i '.venv/*' -i 'tests/*' -i 'node_modules/*' -i 'staticfiles/*' -i 'static/vendor/*' -i 'bench/*'

compiled-messages: $(MO_FILES)

locale/%.mo: locale/%.po
	msgfmt --check -o $@ $<

messages: $(VENV)/.installed-run
	mkdir -p locale
	$(DEV_ENV) $(PY) manage.py makemessages -l $(LANGUAGE) --no-obsolete $(MESSAGE_IGNORE)
	$(DEV_ENV) $(PY) manage.py makemessages -d djangojs -l $(LANGUAGE) --no-obsolete $(MESSAGE_IGNORE)
	@# A new string gets no guessed translation: gettext's guesses borrow a near string's
	@# words, and read as if a translator had chosen them.
	for po in locale/$(LANGUAGE)/LC_MESSAGES/*.po; do msgattrib --clear-fuzzy --empty -o $$po $$po; done
	$(MAKE) compiled-messages

system-run:
	@.ci/ensure-packages $(RUN_PACKAGES)

system-test:
	@.ci/ensure-packages $(TEST_PACKAGES)

system-bench:
	@.ci/ensure-packages $(BENCH_PACKAGES)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(DEV_ENV) $(PY) manage.py check_translated_templates

test: system-test $(VENV)/.installed-test oidc-provider lint test-sqlite test-postgres test-multinode

# The OpenID Connect provider the single sign-on tests sign in through (npm's oidc-provider,
# run by Node on the loopback address). Debian's nodejs and npm are installed if no Node is.
OIDC_DIR := tests/oidc
oidc-provider: $(OIDC_DIR)/node_modules/.installed

$(OIDC_DIR)/node_modules/.installed: $(OIDC_DIR)/package.json $(OIDC_DIR)/package-lock.json
	@command -v node >/dev/null && command -v npm >/dev/null || .ci/ensure-packages nodejs npm
	cd $(OIDC_DIR) && npm ci --no-audit --no-fund
	touch $@

# The fast lane, to check a change while working on it: SQLite only, no browser and no
# multi-node cluster, nothing marked slow, in parallel. `make test` runs everything.
test-fast: system-run $(VENV)/.installed-test compiled-messages
	@echo "== Fast tests on SQLite: no browser, nothing slow =="
	env -u DATABASE_URL $(VENV)/bin/pytest -n $(WORKERS) -m "not browser and not slow" --ignore=tests/multinode $(PYTEST_ARGS)

# Every test on SQLite, browser journeys included, in parallel.
test-sqlite: $(VENV)/.installed-test oidc-provider compiled-messages
	@echo "== Tests on SQLite =="
	env -u DATABASE_URL $(VENV)/bin/pytest -n $(WORKERS) --dist worksteal $(PYTEST_ARGS)

# The same, measuring which lines the tests run, printed per package. Not part of `make
# test`: tracing every line costs about a quarter of the run on Python 3.11.
coverage: system-test $(VENV)/.installed-test oidc-provider compiled-messages
	env -u DATABASE_URL $(VENV)/bin/pytest -n $(WORKERS) --dist worksteal --cov --cov-report=json:$(COVERAGE_JSON) $(PYTEST_ARGS)
	@$(PY) .ci/coverage-by-package $(COVERAGE_JSON)

# The same on a throwaway PostgreSQL (a test database per process), but for the few tests
# that start Django in processes of their own on a database file of their own: they would
# run exactly as they did on SQLite.
test-postgres: $(VENV)/.installed-test oidc-provider compiled-messages
	@echo "== Tests on PostgreSQL =="
	.ci/with-postgres $(VENV)/bin/pytest -n $(WORKERS) --dist worksteal -m "not own_database" $(PYTEST_ARGS)

# The browser journeys alone, keeping a full-page screenshot of every page axe checks in
# test-artifacts/, to look at.
screenshots: system-test $(VENV)/.installed-test oidc-provider compiled-messages
	env -u DATABASE_URL COPROD_SCREENSHOTS=1 $(VENV)/bin/pytest -n $(WORKERS) -m browser $(PYTEST_ARGS)
	@echo "Screenshots: test-artifacts/"

# Two gunicorn servers behind HAProxy (deploy/haproxy.cfg), sharing a throwaway PostgreSQL
# and Redis, with two task workers: sessions, limits and charts shared, a server and a
# worker killed mid-run. About two minutes.
test-multinode: system-test $(VENV)/.installed-test compiled-messages
	@echo "== Multi-node test: PostgreSQL, Redis, HAProxy, 2 app servers, 2 workers =="
	COPROD_MULTINODE=1 .ci/with-postgres $(VENV)/bin/pytest tests/multinode -p no:randomly -q -s $(PYTEST_ARGS)

# Benchmarks: a throwaway database of 1,000 synthetic organisations on SQLite and on a
# throwaway PostgreSQL, served by gunicorn; writes BENCHMARKS.md and bench/results.json.
bench: system-bench $(VENV)/.installed-run
	.ci/with-postgres $(PY) -m bench

# Refresh the vendored front-end files from npm (run by a developer; the result is committed).
vendor:
	npm install --no-audit --no-fund
	mkdir -p static/vendor/bootstrap
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map \
	   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map \
	   node_modules/bootstrap/LICENSE static/vendor/bootstrap/
	mkdir -p static/vendor/atkinson-hyperlegible
	cp node_modules/@fontsource/atkinson-hyperlegible/files/atkinson-hyperlegible-latin-{400,700}-{normal,italic}.woff \
	   node_modules/@fontsource/atkinson-hyperlegible/LICENSE static/vendor/atkinson-hyperlegible/

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .coverage $(COVERAGE_JSON)
