"""Where things are in a framework's content file, and how to mend what is wrong there.

Python's TOML reader gives values, not the lines they came from, so the lines are found
again from the text: each table's header (``[[principles]]``, ``[[principles.statements]]``,
a language's ``[cy]``) is counted in order, and a key is looked for between its table's
header and the next one. A place is (principle number, statement number, language), 0 and
"" where there is none: (0, 0, "") is the top of the file.
"""

import re
from dataclasses import dataclass

Place = tuple[int, int, str]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")

# What each key holds, to say how to write it.
FIELD_HELP = {
    "slug": 'a short name in lowercase letters, digits and hyphens, such as "networks"',
    "name": "the name people will see",
    "source": "the works it draws on, each in full: author or body, title, year",
    "summary": "a sentence or two on what it is about",
    "easy_read_name": "the name in easy read: short, everyday words",
    "easy_read_summary": "the summary in easy read: short sentences, one idea in each",
    "picture": "the name of a picture in static/img/easy-read/, without .svg",
    "picture_alt": "what the picture shows, for people who cannot see it",
    "from_text": "where practice starts (the from)",
    "to_text": "where practice is heading (the to)",
    "from_easy": "the from in easy read",
    "to_easy": "the to in easy read",
    "source_note": "where the statement comes from, or “Our reading of …” with the work",
    **{f"level_{n}": f"the name of step {n} of the scale, a word or two" for n in range(1, 5)},
    **{f"level_{n}_help": f"one line saying what step {n} means" for n in range(1, 5)},
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a content file: where, what, and how to mend it."""

    line: int
    where: str  # "principle 1 (assets), statement 2", or "" at the top of the file
    fault: str
    fix: str

    def __str__(self) -> str:
        place = f"line {self.line}" + (f", {self.where}" if self.where else "")
        return f"{place}: {self.fault}. {self.fix}"


class Lines:
    """The line of each table's header and of each key in it."""

    def __init__(self, text: str):
        self.headers: dict[Place, int] = {(0, 0, ""): 1}
        self.keys: dict[Place, dict[str, int]] = {(0, 0, ""): {}}
        principle = statement = 0
        place: Place = (0, 0, "")
        for number, line in enumerate(text.splitlines(), start=1):
            if header := _HEADER.match(line):
                array, name = header.group(1) == "[[", header.group(2)
                if array and name == "principles":
                    principle, statement = principle + 1, 0
                    place = (principle, 0, "")
                elif array and name == "principles.statements":
                    statement += 1
                    place = (principle, statement, "")
                elif name == "scale" or name.startswith("scale."):
                    # the framework's own scale, and its languages: [scale], [scale.cy]
                    place = (0, 0, name)
                else:  # a language's table: [cy], [principles.cy], [principles.statements.cy]
                    depth = name.count(".")
                    language = name.rsplit(".", 1)[-1]
                    place = (
                        principle if depth >= 1 else 0,
                        statement if depth >= 2 else 0,
                        language,
                    )
                self.headers.setdefault(place, number)
                self.keys.setdefault(place, {})
            elif key := _KEY.match(line):
                self.keys.setdefault(place, {}).setdefault(key.group(1), number)

    def of(self, place: Place, key: str | None = None) -> int:
        """The line of ``key`` in the table at ``place``; its header's if the key is not
        there (where a missing key is to be added)."""
        if key is not None and key in self.keys.get(place, {}):
            return self.keys[place][key]
        return self.headers.get(place, self.headers.get((place[0], 0, ""), 1))


def missing(key: str) -> str:
    return f'Add {key} = "…" to this table: {FIELD_HELP.get(key, "its text")}.'


def empty(key: str) -> str:
    return f"Write {FIELD_HELP.get(key, 'its text')} between the quotes."


def not_text(key: str) -> str:
    return f'Put the text in double quotes: {key} = "…".'
