"""Settings for the test suite: the real settings, with test-only defaults filled in first."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("DEBUG", "false")
# The test client and the browser tests' live server speak plain http; tests/test_settings.py
# checks the HTTPS settings in production form.
os.environ.setdefault("HTTPS", "false")
# Not the test client's host (testserver), so a test can tell that e-mailed links are built
# from SITE_URL and not from the request.
os.environ.setdefault("SITE_URL", "https://coprod.example")
# Tasks run inside the request that enqueues them, so a test sees their effect at once;
# tests/assessments/jobs/test_worker.py runs the database queue's real worker.
os.environ.setdefault("TASKS_BACKEND", "immediate")

from coprod.settings import *  # noqa: E402,F403

# A cheap hasher keeps sign-ins in tests fast (the real one is deliberately slow).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# What the queue's worker delivers with: Django's test outbox (django.core.mail.outbox).
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests render templates without running collectstatic first.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Evidence kept in memory: no test writes to the disk (the live server shares it).
    "evidence": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}

# Browser tests drive a live server from Playwright's synchronous API.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Serve static files straight from static/ (no collectstatic step before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
