"""Frameworks of one's own: for an organisation (its leads) or a cohort (its facilitator)."""

from django.urls import path

from assessments.web.library import filling, views

urlpatterns = [
    path("frameworks/", views.own_list, name="own-frameworks"),
    path(
        "frameworks/new/org/<slug:org>/",
        views.own_add_for_organisation,
        name="own-framework-add-org",
    ),
    path(
        "frameworks/new/cohort/<int:pk>/",
        views.own_add_for_cohort,
        name="own-framework-add-cohort",
    ),
    path("frameworks/<int:pk>/", views.own_detail, name="own-framework"),
    path("frameworks/<int:pk>/form/", filling.own_fill, name="own-framework-fill"),
    path("frameworks/<int:pk>/preview/", views.own_preview, name="own-framework-preview"),
    path("frameworks/<int:pk>/publish/", views.own_publish, name="own-framework-publish"),
    path(
        "frameworks/<int:pk>/version-<int:version>.toml",
        views.own_file,
        name="own-framework-file",
    ),
]
