"""The scale's choices as the answering pages show them: the usual words, with easy read in
plain words and a symbol, or a framework's own words for its steps ([scale] in its file)."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from assessments.rounds.models import LEVEL_HELP, Level
from principles import scales


@dataclass(frozen=True)
class LevelChoice:
    """One choice of the scale, in standard wording and in easy read (plain words and a
    symbol: a circle filled as far as practice has got, a question mark for not sure)."""

    value: int
    label: str | Promise
    help: str | Promise
    easy_label: str | Promise
    easy_help: str | Promise
    symbol: str  # empty, quarter, three-quarters, full, unsure


EASY_LEVELS = {
    Level.FROM: (gettext_lazy("Not yet"), gettext_lazy("We do not do this yet."), "empty"),
    Level.STARTING: (
        gettext_lazy("A little"),
        gettext_lazy("We have started to do this."),
        "quarter",
    ),
    Level.MOSTLY_TO: (
        gettext_lazy("Mostly"),
        gettext_lazy("We do this most of the time."),
        "three-quarters",
    ),
    Level.FIRMLY_TO: (gettext_lazy("Really well"), gettext_lazy("We do this really well."), "full"),
    Level.NOT_SURE: (gettext_lazy("I don't know"), gettext_lazy("I am not sure."), "unsure"),
}
LEVEL_CHOICES = [
    LevelChoice(level.value, level.label, LEVEL_HELP[level], *EASY_LEVELS[level])
    for level in (Level.FROM, Level.STARTING, Level.MOSTLY_TO, Level.FIRMLY_TO, Level.NOT_SURE)
]
# The choices as the template reads them: plain dicts, the quickest lookups it has, since
# a page shows five for each statement.
CHOICE_FIELDS = [{**vars(choice), "text": str(choice.value)} for choice in LEVEL_CHOICES]


def scale_choices(framework) -> list[dict] | None:
    """A framework's own scale as the template's choices (its words for standard and easy
    read alike, the same symbols), or None for the usual scale."""
    steps = scales.steps(framework.scale)
    if not steps:
        return None
    words = {step.value: (step.label, step.help) for step in steps}
    return [
        {**choice, "label": words[choice["value"]][0], "help": words[choice["value"]][1]}
        | {"easy_label": words[choice["value"]][0], "easy_help": words[choice["value"]][1]}
        if choice["value"] in words
        else choice
        for choice in CHOICE_FIELDS
    ]


def level_words(answer, easy_read: bool, fields: list[dict] | None = None) -> str:
    if answer is None:
        return ""
    choice = next(c for c in (fields or CHOICE_FIELDS) if c["value"] == answer.level)
    return str(choice["easy_label"] if easy_read else choice["label"])
