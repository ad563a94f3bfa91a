"""The easy-read switch: a per-visitor choice kept in the session."""

SESSION_KEY = "easy_read"


def is_easy_read(request) -> bool:
    if standard_words_only(request):
        return False
    return bool(getattr(request, "session", {}).get(SESSION_KEY, False))


def read_in_standard_words(request, framework) -> None:
    """A page on a framework with no easy-read wording reads in standard words, whatever
    the visitor chose, and its switch says why (``standard_words_only``)."""
    if not framework.has_easy_read:
        request.standard_words_only = framework.name


def standard_words_only(request) -> str:
    """The name of the framework without easy read this page is on, or ""."""
    return getattr(request, "standard_words_only", "")


def set_easy_read(request, on: bool) -> None:
    request.session[SESSION_KEY] = on


def has_reading_choice(request) -> bool:
    """Whether this visitor has chosen a wording yet (or been given one by their link)."""
    return SESSION_KEY in getattr(request, "session", {})
