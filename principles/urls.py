from django.urls import path

from . import views

app_name = "principles"

urlpatterns = [
    path("", views.framework_list, name="list"),
    path("<slug:slug>/", views.framework_detail, name="framework"),
    path("<slug:slug>/framework.toml", views.framework_file_download, name="framework-file"),
    path("<slug:slug>/<slug:principle>/", views.principle_detail, name="principle"),
]
