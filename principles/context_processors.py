from .reading import is_easy_read


def reading_mode(request):
    """Whether pages should show the easy-read wording (switched per visitor, no JS needed)."""
    return {"easy_read": is_easy_read(request)}
