from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from principles.content_files import ContentError
from principles.crosswalk_files import known_frameworks, parse_crosswalk_file


class Command(BaseCommand):
    help = (
        "Check crosswalk files (docs/FRAMEWORKS.md, “Crosswalks”) without loading them, "
        "against the frameworks in the library and in principles/frameworks/: every problem "
        "is listed with its line and how to mend it."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="Crosswalk TOML files")

    def handle(self, *args, **options):
        known = known_frameworks()
        failed = []
        for path in options["files"]:
            if not path.is_file():
                failed.append(f"{path}: no such file")
                continue
            try:
                data = parse_crosswalk_file(path, known)
            except ContentError as exc:
                failed.append(str(exc))
                continue
            first, second = data.frameworks
            self.stdout.write(
                self.style.SUCCESS(
                    f"{path.name}: fine: {first} and {second}, {len(data.links)} links."
                )
            )
        if failed:
            raise CommandError("\n".join(failed))
