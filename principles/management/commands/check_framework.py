from principles.content_files import parse_framework_file

from ._checking import CheckFilesCommand


class Command(CheckFilesCommand):
    help = (
        "Check framework content files (docs/FRAMEWORKS.md) without loading them: every "
        "problem is listed with its line and how to mend it."
    )
    kind = "Framework TOML"

    def parse(self, path):
        return parse_framework_file(path)

    def holds(self, data) -> str:
        statements = sum(len(p.statements) for p in data.principles)
        languages = sorted(
            {code for p in data.principles for s in p.statements for code in s.translations}
        )
        also = f"; translated into {', '.join(languages)}" if languages else ""
        return f"“{data.name}”, {len(data.principles)} principles, {statements} statements{also}"
