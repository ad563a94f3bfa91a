"""The sentences a round's results say of themselves, each whole as the catalogue has it:
how the principles moved since the last round, and what the radar chart shows."""

from django.utils.translation import ngettext

# How the principles moved, one phrase per direction: the first names the principles.
_MOVED_FIRST = {
    "up": lambda n: ngettext("%(count)s principle up", "%(count)s principles up", n),
    "down": lambda n: ngettext("%(count)s principle down", "%(count)s principles down", n),
    "same": lambda n: ngettext(
        "%(count)s principle about the same", "%(count)s principles about the same", n
    ),
}
_MOVED_MORE = {
    "up": lambda n: ngettext("%(count)s up", "%(count)s up", n),
    "down": lambda n: ngettext("%(count)s down", "%(count)s down", n),
    "same": lambda n: ngettext("%(count)s about the same", "%(count)s about the same", n),
}


def radar_description(previous: bool, benchmark: bool, groups: int) -> str:
    """What the round's radar shows, in a whole sentence for each set of overlays."""
    if previous and benchmark:
        text = ngettext(
            "Radar chart of the mean score of each principle on the 1 to 4 scale, for "
            "everyone, the previous round, the cohort mean and for %(groups)s group of "
            "respondents. The same figures are in the table beside it.",
            "Radar chart of the mean score of each principle on the 1 to 4 scale, for "
            "everyone, the previous round, the cohort mean and for %(groups)s groups of "
            "respondents. The same figures are in the table beside it.",
            groups,
        )
    elif previous:
        text = ngettext(
            "Radar chart of the mean score of each principle on the 1 to 4 scale, for "
            "everyone, the previous round and for %(groups)s group of respondents. The same "
            "figures are in the table beside it.",
            "Radar chart of the mean score of each principle on the 1 to 4 scale, for "
            "everyone, the previous round and for %(groups)s groups of respondents. The same "
            "figures are in the table beside it.",
            groups,
        )
    elif benchmark:
        text = ngettext(
            "Radar chart of the mean score of each principle on the 1 to 4 scale, for "
            "everyone, the cohort mean and for %(groups)s group of respondents. The same "
            "figures are in the table beside it.",
            "Radar chart of the mean score of each principle on the 1 to 4 scale, for "
            "everyone, the cohort mean and for %(groups)s groups of respondents. The same "
            "figures are in the table beside it.",
            groups,
        )
    else:
        text = ngettext(
            "Radar chart of the mean score of each principle on the 1 to 4 scale, for "
            "everyone and for %(groups)s group of respondents. The same figures are in the "
            "table beside it.",
            "Radar chart of the mean score of each principle on the 1 to 4 scale, for "
            "everyone and for %(groups)s groups of respondents. The same figures are in the "
            "table beside it.",
            groups,
        )
    return text % {"groups": groups}


def moved_words(direction: str, count: int, *, first: bool) -> str:
    """ "2 principles up" (the first phrase names the principles), "1 down" after it."""
    return (_MOVED_FIRST if first else _MOVED_MORE)[direction](count) % {"count": count}
