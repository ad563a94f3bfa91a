from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from coprod import views

urlpatterns = [
    path("", views.home, name="home"),
    path("what-is-co-production/", views.what_is_coproduction, name="what-is"),
    path("sources/", views.sources, name="sources"),
    path("privacy/", views.privacy, name="privacy"),
    path("what-the-words-mean/", views.glossary, name="glossary"),
    path("principles/", include("principles.urls")),
    path("reading-mode/", views.reading_mode, name="reading-mode"),
    path("language/", views.set_language, name="set-language"),
    # The scripts' strings in the reader's language (gettext() in static/js).
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Sign-up, sign-in, e-mail verification, password reset and change, two-step sign-in
    # and single sign-on (django-allauth), with the site's templates and adapters.
    path("accounts/", include("assessments.web.accounts.auth_urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("assessments.urls")),
    path("admin/", admin.site.urls),
]
