"""What check_framework and check_crosswalk share: each file checked in turn, every problem
of every file listed, and a line saying what each sound file holds."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from principles.content_files import ContentError


class CheckFilesCommand(BaseCommand):
    kind = "TOML"  # what the files are, for --help

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help=f"{self.kind} files")

    def parse(self, path: Path):
        """The file read and checked; ``ContentError`` with its problems otherwise."""
        raise NotImplementedError

    def holds(self, data) -> str:
        """What a sound file holds, in a few words."""
        raise NotImplementedError

    def handle(self, *args, **options):
        failed = []
        for path in options["files"]:
            if not path.is_file():
                failed.append(f"{path}: no such file")
                continue
            try:
                data = self.parse(path)
            except ContentError as exc:
                failed.append(str(exc))
                continue
            self.stdout.write(self.style.SUCCESS(f"{path.name}: fine: {self.holds(data)}."))
        if failed:
            raise CommandError("\n".join(failed))
