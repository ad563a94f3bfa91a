from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from principles.content_files import FRAMEWORKS_DIR, ContentError
from principles.services import frameworks_load


class Command(BaseCommand):
    help = "Load the co-production frameworks from principles/frameworks/*.toml (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            default=FRAMEWORKS_DIR,
            help="Folder of framework TOML files (default: the ones shipped with coprod).",
        )

    def handle(self, *args, **options):
        directory: Path = options["dir"]
        if not directory.is_dir():
            raise CommandError(f"{directory}: no such folder")
        try:
            report = frameworks_load(directory=directory)
        except ContentError as exc:
            raise CommandError(f"{exc}\nNothing was loaded.") from exc
        self.stdout.write(self.style.SUCCESS(f"Frameworks: {report}"))
