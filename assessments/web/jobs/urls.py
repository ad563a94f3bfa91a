"""Prepared downloads: a page per export, its file, and asking again after a failure."""

from django.urls import path

from assessments.web.jobs import views

urlpatterns = [
    path("downloads/<uuid:pk>/", views.export_detail, name="export"),
    path("downloads/<uuid:pk>/file", views.export_file, name="export-file"),
    path("downloads/<uuid:pk>/again/", views.export_retry, name="export-retry"),
]
