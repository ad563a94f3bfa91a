"""A workshop's pages: the lead's page and its poll, the projector view and its poll
(opened by the key in their address), joining on a phone, where the room is for a phone
in it, and handing the phone on."""

from django.urls import path

from assessments.web.workshops.views import joining, lead, room

urlpatterns = [
    path("rounds/<int:pk>/workshop/", lead.room, name="workshop"),
    path("rounds/<int:pk>/workshop/start/", lead.start, name="workshop-start"),
    path("rounds/<int:pk>/workshop/control/", lead.control, name="workshop-control"),
    path("rounds/<int:pk>/workshop/room.json", lead.room_state, name="workshop-state"),
    path(
        "rounds/<int:pk>/workshop/seats/<int:seat>/remove/",
        lead.seat_remove,
        name="workshop-seat-remove",
    ),
    path("projector/<int:workshop>/<str:key>/", room.projector, name="workshop-projector"),
    path(
        "projector/<int:workshop>/<str:key>/room.json",
        room.projector_state,
        name="workshop-projector-state",
    ),
    path("join/", joining.join, name="workshop-join"),
    path("r/<str:token>/hand-over/", joining.hand_over, name="invite-hand-over"),
    path("r/<str:token>/room/", joining.room_follow, name="invite-room"),
]
