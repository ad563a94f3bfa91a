from django.utils import translation

from .reading import is_easy_read, standard_words_only


def reading_mode(request):
    """Whether pages should show the easy-read wording (switched per visitor, no JS needed),
    and the language the page is read in, for the keys of fragments kept with wording."""
    return {
        "easy_read": is_easy_read(request),
        "reading_language": translation.get_language(),
        "standard_words_only": standard_words_only(request),
    }
