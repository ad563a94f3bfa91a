"""A workshop's pages: the lead's page and its poll, the projector view and its poll
(opened by the key in their address), and joining on a phone."""

from django.urls import path

from assessments.web.workshops import views

urlpatterns = [
    path("rounds/<int:pk>/workshop/", views.room, name="workshop"),
    path("rounds/<int:pk>/workshop/start/", views.start, name="workshop-start"),
    path("rounds/<int:pk>/workshop/control/", views.control, name="workshop-control"),
    path("rounds/<int:pk>/workshop/room.json", views.room_state, name="workshop-state"),
    path("projector/<int:workshop>/<str:key>/", views.projector, name="workshop-projector"),
    path(
        "projector/<int:workshop>/<str:key>/room.json",
        views.projector_state,
        name="workshop-projector-state",
    ),
    path("join/", views.join, name="workshop-join"),
]
