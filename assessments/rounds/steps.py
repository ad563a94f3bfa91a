"""Counts of people who answered or finished, in steps of three.

A count that moves by one tells whoever watches it the moment one person answered or
finished; set beside figures that are published as people finish, it tells which people a
publication covers. So wherever such a count is shown while people answer (the round page,
the organisation's rounds, its data download), it is shown in the same steps as the
figures move: "fewer than 3", "3 or more", "6 or more". No page says which link or member
has answered or finished.
"""

from django.utils.translation import ngettext

# The same three as a publication's smallest group and step (figures.disclosure.MIN_PEOPLE),
# which this layer cannot import.
STEP = 3


def in_steps(count: int) -> int:
    """The count rounded down to a multiple of the step: what may be shown of it."""
    return count - count % STEP


def in_words(count: int) -> str:
    """The count in steps, as a page says it: "fewer than 3", "3 or more", "6 or more"."""
    shown = in_steps(count)
    if shown == 0:
        return ngettext("fewer than %(count)s", "fewer than %(count)s", STEP) % {"count": STEP}
    return ngettext("%(count)s or more", "%(count)s or more", shown) % {"count": shown}
