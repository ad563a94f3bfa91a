from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from principles.content_files import ContentError, parse_framework_file


class Command(BaseCommand):
    help = (
        "Check framework content files (docs/FRAMEWORKS.md) without loading them: every "
        "problem is listed with its line and how to mend it."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="Framework TOML files")

    def handle(self, *args, **options):
        failed = []
        for path in options["files"]:
            if not path.is_file():
                failed.append(f"{path}: no such file")
                continue
            try:
                data = parse_framework_file(path)
            except ContentError as exc:
                failed.append(str(exc))
                continue
            statements = sum(len(p.statements) for p in data.principles)
            languages = sorted(
                {code for p in data.principles for s in p.statements for code in s.translations}
            )
            also = f"; translated into {', '.join(languages)}" if languages else ""
            self.stdout.write(
                self.style.SUCCESS(
                    f"{path.name}: fine: “{data.name}”, {len(data.principles)} principles, "
                    f"{statements} statements{also}."
                )
            )
        if failed:
            raise CommandError("\n".join(failed))
