"""A link opens as it was made: in its language and, for an easy-read link, in easy read.

Each is given once: the person can then change either (the header's language switch, the
page's easy-read switch) and their choice stands when they open the link again.
"""

from django.conf import settings
from django.utils import translation

from assessments.rounds.models import Invite
from principles.reading import has_reading_choice, set_easy_read

# The link's language given to this browser last, in the session.
LINK_LANGUAGE_KEY = "link_language"


def open_as_made(request, invite: Invite) -> str | None:
    """Give this request the link's reading and language. The language to remember in the
    language cookie for the pages after it, if it is newly given."""
    if invite.easy_read and not has_reading_choice(request):
        set_easy_read(request, True)
    return _in_link_language(request, invite)


def _in_link_language(request, invite: Invite) -> str | None:
    """The language the link was made in (see ``Invite.language``), unless this browser was
    already given it by a link (it may have switched since: its choice stands)."""
    language = invite.language
    if not language or not translation.check_for_language(language):
        return None
    if language not in dict(settings.LANGUAGES):
        return None
    if request.session.get(LINK_LANGUAGE_KEY) == language:
        return None
    request.session[LINK_LANGUAGE_KEY] = language
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()
    return language
