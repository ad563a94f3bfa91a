from functools import cached_property

from principles.crosswalk_files import known_frameworks, parse_crosswalk_file

from ._checking import CheckFilesCommand


class Command(CheckFilesCommand):
    help = (
        "Check crosswalk files (docs/FRAMEWORKS.md, “Crosswalks”) without loading them, "
        "against the frameworks in the library and in principles/frameworks/: every problem "
        "is listed with its line and how to mend it."
    )
    kind = "Crosswalk TOML"

    @cached_property
    def known(self):
        """The frameworks a crosswalk may name, read once for all the files."""
        return known_frameworks()

    def parse(self, path):
        return parse_crosswalk_file(path, self.known)

    def holds(self, data) -> str:
        first, second = data.frameworks
        return f"{first} and {second}, {len(data.links)} links"
