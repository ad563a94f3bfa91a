"""A framework's own answer scale, and frameworks that are instruments.

Most frameworks are answered on the one scale a round has: where practice stands between
a statement's from and its to (``rounds.models.Level``). A framework may name the four
steps of that scale in its own words instead, in a ``[scale]`` table (``level_1`` …
``level_4``, each with a one-line ``level_N_help``; ``[scale.cy]`` for Welsh): the four
Co's grid asks how far people who use services are involved, from being told to sharing
the decision. The values stay 1 to 4, with 0 for "not sure", so scoring and disclosure
are the same whatever the words.

A framework marked ``instrument = "grid"`` is not a round's framework: a lead adds it to a
round beside one (``Round.instrument``), and its figures are shown as a grid of its
principles against the steps of its scale (``assessments.documents.grid``).

Kept as ``Framework.scale``: ``{"en": {key: text}, "cy": {key: text}, …}``. The English is
part of the version's content hash (``content_files``); a language's words are brought up
to date in place, like any translation.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from .content_lines import Place
from .translated import base_language

LEVELS = (1, 2, 3, 4)
SCALE_KEYS = tuple(key for n in LEVELS for key in (f"level_{n}", f"level_{n}_help"))
INSTRUMENTS = ("grid",)
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]+)*$")

# {"en": {key: text}, language: {key: text}}
Scale = dict[str, dict[str, str]]


def read_scale(reader, data: dict) -> Scale:
    """The file's ``[scale]`` table, checked by ``reader`` (content_files._Reader), which
    notes each problem with its line; empty when the file has none."""
    if "scale" not in data:
        return {}
    table = data["scale"]
    top: Place = (0, 0, "")
    if not isinstance(table, dict):
        fault = "'scale' must be a table"
        fix = "Write it as a table of its own, [scale], with level_1 to level_4 and their help."
        reader.problem(top, "", fault, fix, "scale")
        return {}
    place: Place = (0, 0, "scale")
    english = {key: reader.text(table, key, place, "[scale]") for key in SCALE_KEYS}
    scale: Scale = {"en": english}
    site = base_language(settings.LANGUAGE_CODE)
    for key, value in table.items():
        if key in SCALE_KEYS:
            continue
        where = f"[scale.{key}]"
        at: Place = (0, 0, f"scale.{key}")
        if not isinstance(value, dict):
            fault = f"'{key}' is not part of a scale"
            fix = f"The scale holds {', '.join(SCALE_KEYS)}."
            reader.problem(place, "[scale]", fault, fix, key)
        elif not _LANGUAGE_RE.match(key) or key.split("-")[0] == site:
            fault = "a table here must be named by a language code other than English's"
            reader.problem(at, where, fault, "Rename the table, as in [scale.cy].")
        else:
            for unknown in set(value) - set(SCALE_KEYS):
                fault = f"'{unknown}' cannot be translated here"
                fix = f"Take it out: this table may hold {', '.join(SCALE_KEYS)}."
                reader.problem(at, where, fault, fix, unknown)
            scale[key] = {k: reader.text(value, k, at, where) for k in SCALE_KEYS if k in value}
    return scale


def read_instrument(reader, data: dict) -> str:
    """The file's ``instrument`` key: "" when it has none."""
    value = data.get("instrument", "")
    if value == "" or value in INSTRUMENTS:
        return value
    fault = f"'instrument' must be one of {', '.join(INSTRUMENTS)}"
    fix = 'Write instrument = "grid", or take the line out.'
    reader.problem((0, 0, ""), "", fault, fix, "instrument")
    return ""


def scale_table(scale: Scale) -> dict:
    """A stored scale as the ``[scale]`` table of a content file."""
    table: dict = dict(scale.get("en", {}))
    for code, texts in sorted(scale.items()):
        if code != "en" and texts:
            table[code] = dict(texts)
    return table


@dataclass(frozen=True)
class Step:
    """One step of a framework's own scale, in the reader's language."""

    value: int
    label: str
    help: str


def steps(scale: Scale | None) -> list[Step]:
    """The four steps of a framework's own scale, in the active language (English where a
    text is not translated); empty for a framework on the round's usual scale."""
    if not scale or "en" not in scale:
        return []
    language = base_language(translation.get_language() or settings.LANGUAGE_CODE)
    texts = {**scale["en"], **scale.get(language, {})}
    return [Step(n, texts[f"level_{n}"], texts[f"level_{n}_help"]) for n in LEVELS]
