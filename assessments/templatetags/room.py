"""A workshop's phones follow the room: on the answering pages of a seat in a workshop, a
link to the part the projector is on (``workshops.selectors.room_part``)."""

from django import template

from assessments.workshops import selectors

register = template.Library()


@register.inclusion_tag("assessments/workshops/_room_follow.html", takes_context=True)
def room_follow(context, door, on: int | None = None) -> dict:
    """The link to the room's part for this seat, unless the page is that part already.
    The phone's poll (static/js/room-follow.js) asks for it again every few seconds."""
    part = selectors.room_part(door.invite.workshop_id)
    return {
        "part": part if part != on else None,
        "part_url": door.page_url(part) if part else "",
        "poll_url": door.url("room") + (f"?on={on}" if on else ""),
        "easy_read": context.get("easy_read", False),
    }
