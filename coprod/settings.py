"""Settings for coprod, read only from environment variables.

Every variable is listed, with its default, in the README's configuration table.
Development defaults are safe; with DEBUG off the site refuses to start without
what production needs.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from coprod.environment import cache_from_url, database, envbool, envint, envlist, storage
from coprod.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        sys.exit(
            "coprod: SECRET_KEY is not set. Set SECRET_KEY to a long random string "
            "(or DEBUG=true for local development)."
        )
    SECRET_KEY = "development-only-not-secret"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

# The address people reach the site at: every link in an e-mail starts with it, whichever
# host name or proxy a request came through.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
if not SITE_URL:
    if not DEBUG:
        sys.exit(
            "coprod: SITE_URL is not set. Set SITE_URL to the address people reach the site "
            "at, such as https://coprod.example.gov.uk (or DEBUG=true for local development)."
        )
    SITE_URL = "http://127.0.0.1:8000"
if not SITE_URL.startswith(("https://", "http://")) or "?" in SITE_URL or "#" in SITE_URL:
    sys.exit(f"coprod: SITE_URL={SITE_URL!r} is not an address like https://coprod.example.org.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "principles",
    "assessments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "coprod.http.NoStore",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signing in sets the language cookie to the account's language, if one was chosen.
    "coprod.http.AccountLanguage",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Sends a member of an organisation that requires two-step sign-in to set it up.
    "assessments.accounts.two_step.RequireTwoStep",
]

ROOT_URLCONF = "coprod.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "principles.context_processors.reading_mode",
            ],
        },
    },
]

WSGI_APPLICATION = "coprod.wsgi.application"

# DATABASE_URL=postgres://user:pass@host:port/name selects PostgreSQL (psycopg 3);
# unset, the site keeps its data in an SQLite file beside manage.py.
DATABASES = {"default": database(BASE_DIR / "db.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "assessments.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "assessments:organisations"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # At least 12 characters, as OWASP ASVS asks (a passphrase of three words is easier).
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# The languages a person can choose (the switch in every page's header); English is the
# default. Each language's strings are in locale/<code>/LC_MESSAGES (README, "Adding a
# language"); a signed-in person's choice is kept on their account (User.language).
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Evidence documents: under MEDIA_ROOT, or in the storage EVIDENCE_STORAGE names (object
# storage, say), never at a public address: only the evidence's own view hands them out.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", "").strip() or BASE_DIR / "media")
# The largest document a lead may upload as evidence, in megabytes.
EVIDENCE_MAX_MB = envint("EVIDENCE_MAX_MB", 10)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "evidence": storage(
        "EVIDENCE_STORAGE", "EVIDENCE_STORAGE_OPTIONS", location=MEDIA_ROOT / "evidence"
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Background tasks (django-tasks, the API Django 6 adopted): in the database by default,
# run by `manage.py worker` (one or more, on any server). TASKS_BACKEND=immediate runs each
# task inside the request that enqueues it, with no worker: for tests and trials only.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database").strip()
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "dummy": "django_tasks.backends.dummy.DummyBackend",
        }.get(TASKS_BACKEND)
        or sys.exit(f"coprod: TASKS_BACKEND={TASKS_BACKEND!r} is not database or immediate.")
    }
}
# An e-mail the mail server refuses is tried this many times in all, waiting longer each
# time (1, 2, 4, 8 … minutes, at most an hour), then shown as failed to whoever sent it.
MAIL_ATTEMPTS = envint("MAIL_ATTEMPTS", 6)
# A worker that has not been heard from for this many seconds is taken for dead: what it was
# doing is tried again by another (or shown as failed after its last attempt).
WORKER_TIMEOUT = envint("WORKER_TIMEOUT", 120)
# Prepared downloads (the cohort summary PDF, the zip of everything) are kept this many
# hours for whoever asked for them, then deleted.
EXPORT_RETENTION_HOURS = envint("EXPORT_RETENTION_HOURS", 24)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: printed to the console unless an SMTP server is configured.
# In development e-mails are printed; in production they are sent by SMTP, never printed,
# since they hold sign-in, reset and answer links that must not end up in the logs.
#
# Every e-mail goes through the queue: Django's EMAIL_BACKEND is the queue's, so whatever
# sends through Django's mail API (ours, Django's own, any library's) is kept in the outbox
# and sent by a worker, retried when the mail server fails. The EMAIL_BACKEND variable
# names the backend the worker delivers with.
EMAIL_BACKEND = "assessments.mail.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
if not DEBUG and "console" in os.environ.get("EMAIL_BACKEND", ""):
    sys.exit(
        "coprod: EMAIL_BACKEND prints e-mails, with their sign-in, reset and answer links, "
        "to the logs. With DEBUG off, use SMTP (the default) or another backend that sends."
    )
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "coprod <noreply@localhost>")

# HTTPS: on by default in production, off in development. HTTPS=false with DEBUG off
# serves a working site over plain http (a trial on one machine, or a proxy on the same
# host that speaks http to us and is itself not reachable from outside).
HTTPS = envbool("HTTPS", not DEBUG)
# BEHIND_PROXY: one reverse proxy in front of the site sets X-Forwarded-Proto and appends
# the visitor's address to X-Forwarded-For. Only then are those headers believed.
BEHIND_PROXY = envbool("BEHIND_PROXY", False)

SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
# A load balancer's health check may come over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The language chosen with the header's switch (Django's set_language): kept a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Our scripts take the CSRF token from the form, never from the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (django-csp): nothing inline, nothing from elsewhere. Scripts
# and styles come only from our own static files; charts are inline SVG.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Accounts (django-allauth): sign-up, sign-in, e-mail verification, password reset and
# change, two-step sign-in and single sign-on. People sign in with their e-mail address,
# which must be verified before they can sign in with a password; sign-up and reset pages
# say the same whether or not an account uses the address. An address is an account's only
# once confirmed: sign-up and password reset look at confirmed addresses alone
# (assessments.web.accounts.forms).
ACCOUNT_ADAPTER = "assessments.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "assessments.web.accounts.forms.LoginForm",
    "signup": "assessments.web.accounts.forms.SignupForm",
    "reset_password": "assessments.web.accounts.forms.ResetPasswordForm",
    "reauthenticate": "assessments.web.accounts.forms.ReauthenticateForm",
    "change_password": "assessments.web.accounts.forms.ChangePasswordForm",
    "reset_password_from_key": "assessments.web.accounts.forms.ResetPasswordKeyForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
# Limits on guessing and on e-mails anyone can make the site send, counted in Django's
# shared cache ("default" below, named by CACHE_URL: every worker and server counts the same
# requests). Network addresses are read by coprod.network.client_ip (the adapter's
# get_client_ip).
# - signing in: 5 wrong passwords for one e-mail address from one network address in
#   15 minutes, and 20 wrong passwords from one network address across all accounts;
# - sign-up: 10 an hour from one network address;
# - password reset e-mails: 3 an hour for one address, 20 an hour from one network address.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/15m/ip,5/15m/key",
    "login": "60/m/ip",
    "signup": "10/h/ip",
    "reset_password": "20/h/ip,3/h/key",
    "reset_password_from_key": "20/h/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}

# Two-step sign-in: an authenticator app (TOTP) with recovery codes.
MFA_ADAPTER = "assessments.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "coprod"
MFA_RECOVERY_CODE_COUNT = 10
MFA_FORMS = {
    "authenticate": "assessments.web.accounts.forms.MFAAuthenticateForm",
    "activate_totp": "assessments.web.accounts.forms.ActivateTOTPForm",
}

# Single sign-on with a council's OpenID Connect provider (Microsoft Entra ID, Google
# Workspace, ...), on when OIDC_SERVER_URL is set. People are matched to an account by an
# e-mail address the provider says it has verified, and nothing else.
SOCIALACCOUNT_ADAPTER = "assessments.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_STORE_TOKENS = False
OIDC_SERVER_URL = os.environ.get("OIDC_SERVER_URL", "").strip()
OIDC_NAME = os.environ.get("OIDC_NAME", "").strip() or "your council"
SOCIALACCOUNT_PROVIDERS: dict = {}
if OIDC_SERVER_URL:
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "").strip()
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "").strip()
    if not OIDC_CLIENT_ID or not OIDC_CLIENT_SECRET:
        sys.exit(
            "coprod: OIDC_SERVER_URL is set, so OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be too."
        )
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "oidc",
                "name": OIDC_NAME,
                "client_id": OIDC_CLIENT_ID,
                "secret": OIDC_CLIENT_SECRET,
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ],
    }
    # "Sign in with ..." is a form whose answer is a redirect to the provider, which the
    # browser follows only to the addresses the policy's form-action names.
    _oidc = urlsplit(OIDC_SERVER_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_oidc.scheme}://{_oidc.netloc}")

# "default" is the shared cache, named by CACHE_URL: the database's own table by default
# (a migration creates it, so every worker process and every server sees the same
# entries), or Redis with CACHE_URL=redis://host:6379/0 (Django's built-in backend). It
# holds every rate limit (sign-in, sign-up, password resets, short codes), the results
# stamp and the radar charts, so none of them depends on which server a request reaches.
# CACHE_URL=locmem:// keeps it in each process: one process only.
#
# "derived" is each worker's own memory, for what is worked out from things that never
# change under their key (coprod.cache.kept, and the answering page's {% cache %}): framework
# content, results figures and look-ups, the cohort dashboard's figures, sections and pages,
# a workshop room's view. Its keys name everything the value is made from, so nothing in it
# is ever out of date on any server and nothing needs clearing; the oldest entries make way
# when it is full. Nothing one person answered is ever kept in it. Every entry, and what its
# key is made of: docs/ARCHITECTURE.md, "What is cached".


CACHE_URL = os.environ.get("CACHE_URL", "").strip() or "db://coprod_cache"
CACHES = {
    "default": cache_from_url(CACHE_URL),
    "derived": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "coprod-derived",
        "TIMEOUT": None,
        # A results page's figures are about 60 KB: at most some 30 MB a worker.
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
# /go, where the short code of a printed link is typed: wrong codes per network address.
# A room of people behind one council network makes typing mistakes; guessing needs
# billions of tries (SECURITY.md).
GO_WRONG_CODES_PER_ADDRESS = 30
GO_WINDOW = timedelta(hours=1)

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = logging_config(LOG_LEVEL)

CSRF_FAILURE_VIEW = "coprod.views.csrf_failure"
