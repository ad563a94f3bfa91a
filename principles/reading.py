"""The easy-read switch: a per-visitor choice kept in the session."""

SESSION_KEY = "easy_read"


def is_easy_read(request) -> bool:
    return bool(getattr(request, "session", {}).get(SESSION_KEY, False))


def set_easy_read(request, on: bool) -> None:
    request.session[SESSION_KEY] = on


def has_reading_choice(request) -> bool:
    """Whether this visitor has chosen a wording yet (or been given one by their link)."""
    return SESSION_KEY in getattr(request, "session", {})
