from django.contrib import admin
from django.urls import include, path

from principles import views as principle_views

urlpatterns = [
    path("", principle_views.home, name="home"),
    path("what-is-co-production/", principle_views.what_is_coproduction, name="what-is"),
    path("sources/", principle_views.sources, name="sources"),
    path("what-the-words-mean/", principle_views.glossary, name="glossary"),
    path("principles/", include("principles.urls")),
    path("reading-mode/", principle_views.reading_mode, name="reading-mode"),
    path("healthz", principle_views.healthz, name="healthz"),
    # Sign-up, sign-in, e-mail verification, password reset and change, two-step sign-in
    # and single sign-on (django-allauth), with the site's templates and adapters.
    path("accounts/", include("assessments.accounts.auth_urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("assessments.urls")),
    path("admin/", admin.site.urls),
]
