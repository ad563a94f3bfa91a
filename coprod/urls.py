from django.contrib import admin
from django.urls import include, path

from assessments.accounts.views.auth import PasswordResetView
from principles import views as principle_views

urlpatterns = [
    path("", principle_views.home, name="home"),
    path("what-is-co-production/", principle_views.what_is_coproduction, name="what-is"),
    path("sources/", principle_views.sources, name="sources"),
    path("principles/", include("principles.urls")),
    path("reading-mode/", principle_views.reading_mode, name="reading-mode"),
    path("healthz", principle_views.healthz, name="healthz"),
    # Django's password reset with a limit on how many e-mails one visitor can trigger.
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("assessments.urls")),
    path("admin/", admin.site.urls),
]
